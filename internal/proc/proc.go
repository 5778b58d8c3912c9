// Package proc is where the program execs other programs (git, nginx, sudo,
// ssh-keygen, plugin executables started outside the trigger runner). Every
// run has a context, an optional timeout, and maps the child's exit status
// onto ui exit codes.
package proc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/godokku/dokku/internal/ui"
)

// Cmd describes one child process.
type Cmd struct {
	Name    string   // program (looked up in PATH unless it contains "/")
	Args    []string // arguments after the program
	Env     []string // full environment; nil inherits the process's
	Dir     string
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	Timeout time.Duration // 0: none beyond ctx
}

// Run runs c to completion. A non-zero exit is a silent *ui.ExitError with
// the child's code (128+signal when killed by a signal).
func Run(ctx context.Context, c Cmd) error {
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, c.Name, c.Args...)
	cmd.Env, cmd.Dir = c.Env, c.Dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.Stdin, c.Stdout, c.Stderr
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return &ui.ExitError{Code: 124, Msg: fmt.Sprintf("%s timed out after %s", c.Name, c.Timeout)}
	}
	return ExitError(err)
}

// Output runs c and returns its stdout. On failure the error message holds
// the child's stderr (trimmed) when c.Stderr is nil.
func Output(ctx context.Context, c Cmd) (string, error) {
	var out, errb bytes.Buffer
	c.Stdout = &out
	captured := c.Stderr == nil
	if captured {
		c.Stderr = &errb
	}
	err := Run(ctx, c)
	if err != nil && captured {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = fmt.Sprintf("%s %s failed", c.Name, strings.Join(c.Args, " "))
		}
		return out.String(), &ui.ExitError{Code: ui.Code(err), Msg: msg}
	}
	return out.String(), err
}

// ExitError converts an exec error into a silent ui exit error.
func ExitError(err error) error {
	if err == nil {
		return nil
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return &ui.ExitError{Code: 128 + int(ws.Signal())}
		}
		return &ui.ExitError{Code: ee.ExitCode()}
	}
	return ui.WithCode(1, err)
}
