package ui

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Exit codes with a meaning in Dokku (commands.md §0.2).
const (
	ExitOK             = 0
	ExitFail           = 1
	ExitNotImplemented = 10
	ExitAppNotExist    = 20
)

// ExitError ends a command with Code. A non-empty Msg is printed on stderr
// as ` !     Msg` by Render; an empty Msg means the output was already shown.
type ExitError struct {
	Code int
	Msg  string
	Err  error
}

func (e *ExitError) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	if e.Err != nil {
		return e.Err.Error()
	}
	return fmt.Sprintf("exit status %d", e.Code)
}

func (e *ExitError) Unwrap() error { return e.Err }

// Fail is dokku_log_fail: a message and exit code 1.
func Fail(msg string) error { return &ExitError{Code: ExitFail, Msg: msg} }

// Failf is Fail with formatting.
func Failf(format string, args ...any) error { return Fail(fmt.Sprintf(format, args...)) }

// Exit ends with code and prints nothing more.
func Exit(code int) error {
	if code == 0 {
		return nil
	}
	return &ExitError{Code: code}
}

// NotImplemented is the "not mine" answer of a commands script.
func NotImplemented() error { return &ExitError{Code: ExitNotImplemented} }

// AppNotExist is verify_app_name's failure: exit 20.
func AppNotExist(app string) error {
	return &ExitError{Code: ExitAppNotExist, Msg: fmt.Sprintf("App %s does not exist", app)}
}

// WithCode wraps err so that it exits with code (message kept).
func WithCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &ExitError{Code: code, Msg: err.Error(), Err: err}
}

// Code returns the exit code an error maps to.
func Code(err error) int {
	if err == nil {
		return 0
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return ExitFail
}

// Silent reports whether the error has nothing left to print.
func Silent(err error) bool {
	var ee *ExitError
	return errors.As(err, &ee) && ee.Msg == "" && ee.Err == nil
}

// Render prints err Dokku-style on w and returns its exit code.
func Render(err error, w io.Writer) int {
	if err == nil {
		return 0
	}
	if !Silent(err) {
		msg := err.Error()
		var ee *ExitError
		if errors.As(err, &ee) && ee.Msg != "" {
			msg = ee.Msg
		}
		for _, l := range strings.Split(strings.TrimRight(msg, "\n"), "\n") {
			io.WriteString(w, PrefixWarn+l+"\n")
		}
	}
	return Code(err)
}
