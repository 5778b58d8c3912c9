package builds

import (
	"fmt"
	"strconv"
	"time"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
	"github.com/godokku/dokku/internal/ui"
)

// reportSpec is builds:report: the latest record (--build-*) and the
// retention triple (--builds-*).
var reportSpec = report.Spec{
	Namespace:      pluginName,
	Type:           "builds",
	LegacyJSONKeys: true,
	Collect:        collectReport,
}

func collectReport(ctx *plugin.Context, name string) (map[string]string, error) {
	props := ctx.Props()
	global, _ := props.Get(pluginName, property.Global, "retention")
	values := map[string]string{"--builds-global-retention": global}
	if name == property.Global {
		return values, nil
	}
	s := store{ctx}
	own, _ := props.Get(pluginName, name, "retention")
	values["--builds-retention"] = own
	values["--builds-computed-retention"] = strconv.Itoa(s.retention(name, nil))
	for _, k := range []string{"id", "kind", "status", "pid", "source", "started-at", "finished-at", "exit-code"} {
		values["--build-"+k] = ""
	}
	recs, err := s.all(name, nil)
	if err != nil {
		return nil, err
	}
	if len(recs) > 0 {
		r := recs[0]
		values["--build-id"] = r.ID
		values["--build-kind"] = string(r.Kind)
		values["--build-status"] = string(r.DisplayStatus())
		values["--build-pid"] = strconv.Itoa(r.PID)
		values["--build-source"] = r.Source
		values["--build-started-at"] = r.StartedAt.Format(time.RFC3339)
		if r.FinishedAt != nil {
			values["--build-finished-at"] = r.FinishedAt.Format(time.RFC3339)
		}
		if r.ExitCode != nil {
			values["--build-exit-code"] = strconv.Itoa(*r.ExitCode)
		}
	}
	return values, nil
}

var settings = setting.Spec{
	Plugin: pluginName,
	Keys:   map[string]setting.Key{"retention": {Scope: setting.AppAndGlobal, Validate: validRetention}},
}

func validRetention(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("Invalid retention %q: must be a positive integer", v)
	}
	if n < MinimumRetention {
		return fmt.Errorf("Invalid retention %d: must be >= %d", n, MinimumRetention)
	}
	return nil
}

// runSet is builds:set <app>|--global retention [<n>]. As in Dokku the app
// is verified first (exit 20), then the key, an absent one included
// (` !     Invalid property "" (allowed: retention)`).
func runSet(ctx *plugin.Context, args []string) error {
	var pos []string
	for _, a := range args[1:] {
		if a != "--global" {
			pos = append(pos, a)
		}
	}
	global := len(pos) < len(args[1:])
	if !global {
		if len(pos) == 0 {
			return ui.Fail("Please specify an app to run the command on")
		}
		if err := app.Verify(ctx, pos[0]); err != nil {
			return err
		}
		pos = pos[1:]
	}
	if key := plugin.Arg(pos, 0); key != "retention" {
		return ui.Failf("Invalid property %q (allowed: retention)", key)
	}
	return setting.Run(ctx, settings, args[1:])
}
