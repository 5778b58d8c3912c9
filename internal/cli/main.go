// Package cli is the edge of the program: the dokku and plugn faces of the
// binary, global flags, the ssh forced command, the switch to the dokku
// user, root-only commands, command resolution, help rendering, and the
// mapping of errors to exit codes. Nothing else calls os.Exit.
package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// Main runs the binary with argv and returns the exit code.
func Main(argv []string, reg *plugin.Registry) int {
	if len(argv) == 0 {
		argv = []string{"dokku"}
	}
	if entry := reg.ParseEntry(argv[0]); entry.Kind != plugin.EntryNone {
		ctx := plugin.NewContext(env.LoadChild(os.Environ()), reg)
		return ui.Render(entry.Run(ctx, argv[1:]), os.Stderr)
	}
	if filepath.Base(argv[0]) == "plugn" {
		return runPlugn(argv[1:], reg)
	}
	e, err := env.Load(os.Environ())
	if err != nil {
		fmt.Fprintln(os.Stderr, err.Error())
		return 1
	}
	return runDokku(e, reg, argv[1:])
}

// runDokku runs the dispatcher in the loaded environment e and returns the
// exit code.
func runDokku(e *env.Env, reg *plugin.Registry, args []string) int {
	ctx := plugin.NewContext(e, reg)
	return ui.Render(Dokku(ctx, args), ctx.Stderr)
}

// Dokku is the dispatcher: everything the `dokku` script does after its
// environment is established.
func Dokku(ctx *plugin.Context, args []string) error {
	e := ctx.Env
	parseGlobalFlags(e, args)
	args = stripLeadingFlags(args)
	first := ""
	if len(args) > 0 {
		first = args[0]
	}
	// The dispatcher's own quiet flag: set when there is no TTY, not exported.
	quiet := e.Quiet() || !hasTTY(e)

	if err := switchUser(ctx, first, args); err != nil {
		return err
	}

	if orig := e.Get("SSH_ORIGINAL_COMMAND"); orig != "" {
		e.Unexport("SSH_ORIGINAL_COMMAND")
		e.Unset("SSH_ORIGINAL_COMMAND")
		next, err := sshArgs(first, orig)
		if err != nil {
			return ui.Fail("xargs: unmatched quote in command; by default quotes are special")
		}
		return Dokku(ctx, next)
	}

	if err := bootstrap(ctx); err != nil {
		return err
	}
	if err := authorize(ctx, args); err != nil {
		return err
	}

	switch first {
	case "help", "":
		return help(ctx, args, quiet)
	case "version", "-v", "--version":
		v, err := Version(e)
		if err != nil {
			return err
		}
		fmt.Fprintf(ctx.Stdout, "dokku version %s\n", v)
		return nil
	}
	return execute(ctx, args)
}

// Version reads $DOKKU_LIB_ROOT/STABLE_VERSION, else VERSION.
func Version(e *env.Env) (string, error) {
	for _, f := range []string{"STABLE_VERSION", "VERSION"} {
		if b, err := os.ReadFile(filepath.Join(e.LibRoot(), f)); err == nil {
			return trimNewlines(string(b)), nil
		}
	}
	return "", ui.Fail("Unable to determine dokku's version")
}

func trimNewlines(s string) string {
	for len(s) > 0 && s[len(s)-1] == '\n' {
		s = s[:len(s)-1]
	}
	return s
}
