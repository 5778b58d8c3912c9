package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
)

// The dokku command is two binaries built from this tree (docs/development.md,
// "Two binaries"): the front, /usr/bin/dokku, links only the plugins that do
// not need Docker and runs a few read-only commands itself; everything else
// it hands, unchanged, to the engine beside it, which links every core
// plugin. Go runs every linked package's init before main, and the Docker
// client's (its image-reference regexps alone fault in ~1 MB) roughly
// doubles a command's start-up on a small VM, so the commands scripts call
// in loops do not pay for it. The hand-over is an exec in place of this
// process, before anything has run: the engine sees exactly what the front
// was given, so behaviour does not depend on which binary ran a command.

// Engine is the full binary beside self (the front's resolved path).
func Engine(self string) string {
	return filepath.Join(filepath.Dir(self), env.EngineName)
}

// Front is Main for the front binary: light commands run here with reg
// (the Docker-free plugins), anything else is exec'd as the engine.
func Front(argv []string, reg *plugin.Registry, light map[string]bool) int {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, " !     Unable to find the dokku binary: "+err.Error())
		return 1
	}
	engine := Engine(self)
	if len(argv) == 0 || filepath.Base(argv[0]) != env.FrontName {
		// plugn, or a core plugin entry of an older tree linked to this path.
		return handOver(engine, argv)
	}
	// The word comes from the environment as given (SSH_ORIGINAL_COMMAND is
	// sshd's), so a command handed over loads no rc file here; the choice
	// only decides where a command runs, never what it does.
	if !light[commandWord(env.New(os.Environ()), argv[1:])] {
		return handOver(engine, argv)
	}
	e, err := env.Load(os.Environ())
	if err != nil {
		fmt.Fprintln(os.Stderr, err.Error())
		return 1
	}
	if !coreTreeWritten(e) {
		return handOver(engine, argv)
	}
	return runDokku(e, reg, argv[1:])
}

// handOver replaces this process with the engine, same argv and environment.
func handOver(engine string, argv []string) int {
	err := syscall.Exec(engine, argv, os.Environ())
	fmt.Fprintf(os.Stderr, " !     Unable to run %s: %v\n", engine, err)
	return 1
}

// commandWord is the command the dispatcher would run for args: the first
// word after the global flags, or under an ssh forced command the first
// word of SSH_ORIGINAL_COMMAND (as Dokku re-dispatches it); "" when there
// is none or the command line does not parse.
func commandWord(e *env.Env, args []string) string {
	args = stripLeadingFlags(args)
	first := plugin.Arg(args, 0)
	if orig := e.Get("SSH_ORIGINAL_COMMAND"); orig != "" {
		next, err := sshArgs(first, orig)
		if err != nil {
			return ""
		}
		return plugin.Arg(stripLeadingFlags(next), 0)
	}
	return first
}

// coreTreeWritten reports whether the core plugin tree exists; writing it
// (bootstrap) is the engine's job, since it knows every core plugin.
func coreTreeWritten(e *env.Env) bool {
	_, err := os.Stat(filepath.Join(e.PluginEnabledPath(), "plugin"))
	return err == nil
}
