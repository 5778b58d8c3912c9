package cli

import (
	"context"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
)

// runFile execs a plugin executable with argv[0] set to its path, the
// context's environment and streams; the result is a silent exit code.
func runFile(ctx *plugin.Context, path string, args []string) error {
	return proc.Run(context.Background(), proc.Cmd{
		Name: path, Args: args, Env: ctx.Env.Environ(),
		Stdin: ctx.Stdin, Stdout: ctx.Stdout, Stderr: ctx.Stderr,
	})
}
