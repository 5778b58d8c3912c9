package events

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// switchFile is $DOKKU_ROOT/.dokkurc/DOKKU_EVENTS.
func switchFile(ctx *plugin.Context) string {
	return filepath.Join(ctx.Env.Root(), ".dokkurc", "DOKKU_EVENTS")
}

// runEvents is `events [-t]`: the last 100 lines of the events log, or with
// -t its last lines followed as it grows (tail -F). Nothing when the log
// does not exist.
func runEvents(ctx *plugin.Context, args []string) error {
	path := ctx.Env.Get("DOKKU_EVENTS_LOGFILE")
	if fi, err := os.Stat(path); path == "" || err != nil || fi.IsDir() {
		return nil
	}
	// compat: like Dokku's script, only the first argument is looked at.
	if len(args) > 1 && args[1] == "-t" {
		return follow(ctx, path, 10, nil)
	}
	return tail(ctx.Stdout, path, 100)
}

// runList is events:list: the logged trigger names, or a warning when the
// logger is off.
func runList(ctx *plugin.Context, _ []string) error {
	u := ctx.UI()
	if ctx.Env.Get("DOKKU_EVENTS") == "" {
		u.Warn("Events logger disabled")
		return nil
	}
	if !u.Quiet {
		u.Printf("%-6s %-18s %-25s %-25s %-25s\n", "=====>", "Events currently logged", "", "", "")
	}
	// compat: Dokku lists the hook symlinks of its plugin directory, which
	// are the logged triggers (its install trigger is a separate script).
	names := append([]string(nil), loggedTriggers...)
	sort.Strings(names)
	for _, n := range names {
		u.ColMsg(n)
	}
	return nil
}

// runOn is events:on.
func runOn(ctx *plugin.Context, _ []string) error {
	fmt.Fprintln(ctx.Stdout, "Enabling dokku events logger")
	var own *atomicfile.Owner
	if uid, gid, ok := ctx.Env.Owner(); ok {
		own = &atomicfile.Owner{UID: uid, GID: gid}
	}
	path := switchFile(ctx)
	if err := atomicfile.MkdirAll(filepath.Dir(path), 0o755, own); err != nil {
		return ui.Failf("Unable to enable the events logger: %s", err.Error())
	}
	if err := atomicfile.Write(path, []byte("export DOKKU_EVENTS=1\n"), 0o644, own); err != nil {
		return ui.Failf("Unable to enable the events logger: %s", err.Error())
	}
	return nil
}

// runOff is events:off.
func runOff(ctx *plugin.Context, _ []string) error {
	fmt.Fprintln(ctx.Stdout, "Disabling dokku events logger")
	if err := os.Remove(switchFile(ctx)); err != nil && !os.IsNotExist(err) {
		return ui.Failf("Unable to disable the events logger: %s", err.Error())
	}
	return nil
}
