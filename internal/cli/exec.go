package cli

import (
	"errors"
	"os"
	"os/exec"
	"syscall"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// runFile execs a plugin executable with argv[0] set to its path, the
// context's environment and streams; the result is a silent exit code.
func runFile(ctx *plugin.Context, path string, args []string) error {
	cmd := exec.Command(path, args...)
	cmd.Env = ctx.Env.Environ()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = ctx.Stdin, ctx.Stdout, ctx.Stderr
	if f, ok := ctx.Stdin.(*os.File); ok {
		cmd.Stdin = f
	}
	err := cmd.Run()
	if err == nil {
		return nil
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return ui.Exit(128 + int(ws.Signal()))
		}
		return ui.Exit(ee.ExitCode())
	}
	return ui.WithCode(1, err)
}
