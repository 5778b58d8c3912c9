package pluginmgr

import (
	"context"
	"os"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/ui"
)

// runTrigger is plugin:trigger <trigger> [args...]: the trigger's stdout,
// stderr and exit code. Dokku runs it as the dokku user; so does this when
// root runs it on a host whose system user is someone else.
func runTrigger(ctx *plugin.Context, args []string) error {
	rest := args[1:]
	if len(rest) == 0 || rest[0] == "" {
		return ui.Fail("Please specify a trigger to run")
	}
	if argv := sudoPlugnArgv(ctx.Env, os.Geteuid(), env.CurrentUser(), rest); argv != nil {
		return proc.Run(context.Background(), proc.Cmd{
			Name: argv[0], Args: argv[1:], Env: ctx.Env.Environ(),
			Stdin: ctx.Stdin, Stdout: ctx.Stdout, Stderr: ctx.Stderr,
		})
	}
	return ctx.Trigger(rest[0], rest[1:]...)
}

// sudoPlugnArgv returns the command that runs `plugn trigger args...` as the
// system user (`sudo -u dokku -E -H plugn trigger ...` in Dokku), or nil
// when the current user should run the trigger itself. The binary is
// started with argv[0] "plugn" (bash's exec -a), which selects its plugn
// face.
func sudoPlugnArgv(e *env.Env, euid int, me string, args []string) []string {
	sys := e.SystemUser()
	if euid != 0 || sys == "" || sys == "root" || sys == me {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	return append([]string{"sudo", "-u", sys, "-E", "-H", "bash", "-c", `exec -a plugn "$0" "$@"`, exe, "trigger"}, args...)
}
