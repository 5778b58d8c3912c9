package builds

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

func warner(ctx *plugin.Context) func(string) { return ctx.UI().Warn }

// validApp refuses names that cannot be an app directory (trigger args
// come from other plugins and are used in paths).
func validApp(name string) error {
	if err := property.ValidName(name); err != nil || name == property.Global {
		return ui.Failf("Invalid app name %q", name)
	}
	return nil
}

// triggerGenerateID is builds-generate-id: a new build id on stdout and
// nothing else (callers capture it).
func triggerGenerateID(ctx *plugin.Context, _ []string) error {
	fmt.Fprintln(ctx.Stdout, GenerateID())
	return nil
}

// triggerRecordStart is builds-record-start <app> <id> <pid> <source>:
// the running record; its kind follows from the source.
func triggerRecordStart(ctx *plugin.Context, args []string) error {
	name, id, pidArg, source := plugin.Arg(args, 0), plugin.Arg(args, 1), plugin.Arg(args, 2), plugin.Arg(args, 3)
	if err := validApp(name); err != nil {
		return err
	}
	if !validID(id) {
		return ui.Failf("builds-record-start: invalid build id %q", id)
	}
	pid, err := strconv.Atoi(pidArg)
	if err != nil {
		return ui.Failf("builds-record-start: invalid pid %q", pidArg)
	}
	kind := KindDeploy
	switch {
	case buildSources[source]:
		kind = KindBuild
	case deploySources[source]:
	default:
		ctx.UI().Warn(fmt.Sprintf("builds-record-start: unknown source %q for app %s, recording as %q", source, name, "unknown"))
		source = "unknown"
	}
	r := Record{ID: id, App: name, Kind: kind, PID: pid, StartedAt: time.Now().UTC(), Status: StatusRunning, Source: source}
	return store{ctx}.write(r)
}

// triggerRecordFinalize is builds-record-finalize <app> <id> <exit>: the
// terminal status (idempotent), then a prune to the retention count.
func triggerRecordFinalize(ctx *plugin.Context, args []string) error {
	name, id, codeArg := plugin.Arg(args, 0), plugin.Arg(args, 1), plugin.Arg(args, 2)
	if err := validApp(name); err != nil {
		return err
	}
	code, err := strconv.Atoi(codeArg)
	if err != nil {
		return ui.Failf("builds-record-finalize: invalid exit code %q", codeArg)
	}
	s := store{ctx}
	r, err := s.read(name, id)
	if errors.Is(err, os.ErrNotExist) {
		ctx.UI().Warn(fmt.Sprintf("builds-record-finalize: no record for %s/%s, skipping", name, id))
		return nil
	}
	if err != nil {
		return err
	}
	if !r.Status.Terminal() {
		now := time.Now().UTC()
		r.FinishedAt, r.ExitCode = &now, &code
		r.Status = StatusSucceeded
		if code != 0 {
			r.Status = StatusFailed
		}
		if err := s.write(r); err != nil {
			return err
		}
	}
	return s.prune(name, warner(ctx))
}

// triggerPostDelete drops the app's records, logs and properties.
func triggerPostDelete(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if validApp(name) != nil {
		return nil
	}
	if err := os.RemoveAll(store{ctx}.dir(name)); err != nil {
		ctx.UI().Warn(fmt.Sprintf("Could not remove builds data for %s: %s", name, err))
	}
	return ctx.Props().Destroy(pluginName, name)
}

// triggerPostAppRenameSetup moves the records and properties to the new name.
func triggerPostAppRenameSetup(ctx *plugin.Context, args []string) error {
	oldName, newName := plugin.Arg(args, 0), plugin.Arg(args, 1)
	if err := validApp(oldName); err != nil {
		return err
	}
	if err := validApp(newName); err != nil {
		return err
	}
	s := store{ctx}
	if _, err := os.Stat(s.dir(oldName)); err == nil {
		if err := os.Rename(s.dir(oldName), s.dir(newName)); err != nil {
			ctx.UI().Warn(fmt.Sprintf("Could not rename builds data dir for %s: %s", oldName, err))
		}
	}
	return ctx.Props().Rename(pluginName, oldName, newName)
}
