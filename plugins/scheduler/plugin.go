// Package scheduler is Dokku's scheduler core plugin: which scheduler runs
// an app (scheduler-detect) and the shell of one-off containers.
package scheduler

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
	"io"
)

// Defaults of the scheduler properties.
const (
	DefaultSelected = "docker-local"
	DefaultShell    = "/bin/bash"
)

// Plugin returns the scheduler plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "scheduler",
		Description: "dokku core scheduler plugin",
		Summary:     "Manage scheduler settings for an app",
		Commands: []*plugin.Command{
			{Name: "scheduler:report", Args: "[<app>] [<flag>]", Desc: "Displays a scheduler report for one or more apps", Run: report.Command(reportSpec)},
			{Name: "scheduler:set", Args: "<app> <property> (<value>)", Desc: "Set or clear a scheduler property for an app", Run: setting.Command(setSpec)},
		},
		Triggers: map[string]plugin.Handler{
			"scheduler-detect":      schedulerDetect,
			"install":               install,
			"post-delete":           plugin.DestroyProperties("scheduler"),
			"post-app-clone-setup":  plugin.CloneProperties("scheduler"),
			"post-app-rename-setup": plugin.RenameProperties("scheduler"),
			"report":                report.Trigger(reportSpec),
		},
	}
}

var reportSpec = report.Spec{
	Namespace:      "scheduler",
	Type:           "scheduler",
	LegacyJSONKeys: true,
	Collect: func(ctx *plugin.Context, app string) (map[string]string, error) {
		v := map[string]string{}
		report.Triple(ctx, v, "scheduler", "scheduler", app, "selected", DefaultSelected)
		report.Triple(ctx, v, "scheduler", "scheduler", app, "shell", DefaultShell)
		return v, nil
	},
}

// setSpec are the keys of scheduler:set.
var setSpec = setting.Spec{
	Plugin: "scheduler",
	Keys: map[string]setting.Key{
		"selected": {Scope: setting.AppAndGlobal},
		"shell":    {Scope: setting.AppAndGlobal},
	},
}

// schedulerDetect prints the app's scheduler: app property, global
// property, then docker-local. "--global" asks for the global one.
func schedulerDetect(ctx *plugin.Context, args []string) error {
	app := property.Global
	if len(args) > 0 && args[0] != "" {
		app = args[0]
	}
	_, err := ctx.Stdout.Write([]byte(ctx.Props().Computed("scheduler", app, "selected", DefaultSelected) + "\n"))
	return err
}

// install migrates the legacy DOKKU_SCHEDULER config variables to the
// selected property.
func install(ctx *plugin.Context, _ []string) error {
	props := ctx.Props()
	if err := props.Setup("scheduler"); err != nil {
		return err
	}
	u := ctx.UI()
	if v := ctx.TriggerValue("config-get-global", "DOKKU_SCHEDULER"); v != "" {
		u.VerboseQuiet("Setting scheduler property 'selected' to " + v)
		if err := props.Write("scheduler", property.Global, "selected", v); err != nil {
			return err
		}
		if err := ctx.WithIO(nil, io.Discard, nil).Trigger("config-unset", "--global", "DOKKU_SCHEDULER"); err != nil {
			u.Warn(err.Error())
		}
	}
	for _, app := range appsWithConfig(ctx) {
		v := ctx.TriggerValue("config-get", app, "DOKKU_SCHEDULER")
		if v == "" {
			continue
		}
		u.VerboseQuiet("Setting " + app + " scheduler property 'selected' to " + v)
		if err := props.Write("scheduler", app, "selected", v); err != nil {
			return err
		}
		if err := ctx.WithIO(nil, io.Discard, nil).Trigger("config-unset", app, "DOKKU_SCHEDULER"); err != nil {
			u.Warn(err.Error())
		}
	}
	return nil
}
