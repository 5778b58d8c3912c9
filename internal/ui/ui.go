// Package ui is Dokku's output vocabulary (runtime.md §10): the `-----> `,
// `=====> `, 7-space and ` !     ` prefixes, quiet mode, and the error type
// that carries an exit code to the edge of the program.
package ui

import (
	"fmt"
	"io"
	"strings"
)

// Prefixes used by every Dokku log line.
const (
	PrefixInfo1   = "-----> "
	PrefixInfo2   = "=====> "
	PrefixVerbose = "       "
	PrefixWarn    = " !     "
	PrefixDebug   = " ?     "
)

// UI writes Dokku-style log lines. Quiet suppresses the *Quiet variants.
type UI struct {
	Out   io.Writer
	Err   io.Writer
	Quiet bool
	Trace bool
}

func line(w io.Writer, prefix, msg string) {
	io.WriteString(w, prefix+msg+"\n")
}

// Info1 prints `-----> msg` on stdout.
func (u *UI) Info1(msg string) { line(u.Out, PrefixInfo1, msg) }

// Info1Quiet is Info1 unless quiet.
func (u *UI) Info1Quiet(msg string) {
	if !u.Quiet {
		u.Info1(msg)
	}
}

// Info2 prints `=====> msg` on stdout.
func (u *UI) Info2(msg string) { line(u.Out, PrefixInfo2, msg) }

// Info2Quiet is Info2 unless quiet.
func (u *UI) Info2Quiet(msg string) {
	if !u.Quiet {
		u.Info2(msg)
	}
}

// Verbose prints a 7-space indented line on stdout.
func (u *UI) Verbose(msg string) { line(u.Out, PrefixVerbose, msg) }

// VerboseQuiet is Verbose unless quiet.
func (u *UI) VerboseQuiet(msg string) {
	if !u.Quiet {
		u.Verbose(msg)
	}
}

// Warn prints ` !     msg` on stderr.
func (u *UI) Warn(msg string) { line(u.Err, PrefixWarn, msg) }

// WarnQuiet is Warn unless quiet.
func (u *UI) WarnQuiet(msg string) {
	if !u.Quiet {
		u.Warn(msg)
	}
}

// Exclaim prints ` !     msg` on stdout.
func (u *UI) Exclaim(msg string) { line(u.Out, PrefixWarn, msg) }

// Log prints msg as-is on stdout (never suppressed).
func (u *UI) Log(msg string) { line(u.Out, "", msg) }

// LogQuiet prints msg as-is on stdout unless quiet.
func (u *UI) LogQuiet(msg string) {
	if !u.Quiet {
		u.Log(msg)
	}
}

// Stderr prints msg as-is on stderr.
func (u *UI) Stderr(msg string) { line(u.Err, "", msg) }

// Debug prints ` ?     msg` on stderr when tracing.
func (u *UI) Debug(msg string) {
	if u.Trace {
		line(u.Err, PrefixDebug, msg)
	}
}

// Printf writes formatted text on stdout.
func (u *UI) Printf(format string, args ...any) { fmt.Fprintf(u.Out, format, args...) }

// ColInfo1 prints the columnar `-----> ` line of dokku_col_log_info1.
func (u *UI) ColInfo1(cols ...string) {
	u.Printf("%-6s %-18s %-25s %-25s %-25s\n", col("----->", cols, 0, 1, 2, 3)...)
}

// ColMsg prints the columnar line of dokku_col_log_msg.
func (u *UI) ColMsg(cols ...string) {
	u.Printf("%-25s %-25s %-25s %-25s\n", col("", cols, 0, 1, 2, 3)[1:]...)
}

func col(first string, cols []string, idx ...int) []any {
	out := []any{first}
	for _, i := range idx {
		if i < len(cols) {
			out = append(out, cols[i])
		} else {
			out = append(out, "")
		}
	}
	return out
}

// Indent returns text with every line prefixed by 7 spaces (container output
// relayed during builds and tasks).
func Indent(text string) string {
	if text == "" {
		return ""
	}
	trail := strings.HasSuffix(text, "\n")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = PrefixVerbose + l
	}
	out := strings.Join(lines, "\n")
	if trail {
		out += "\n"
	}
	return out
}
