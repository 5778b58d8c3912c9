package builder

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
)

// pluginName is the property namespace.
const pluginName = "builder"

var reportSpec = report.Spec{
	Namespace:      "builder",
	Type:           "builder",
	LegacyJSONKeys: true,
	Collect:        collect,
}

func collect(ctx *plugin.Context, appName string) (map[string]string, error) {
	v := map[string]string{}
	report.Triple(ctx, v, "builder", pluginName, appName, "build-dir", "")
	report.Triple(ctx, v, "builder", pluginName, appName, "selected", "")
	report.Triple(ctx, v, "builder", pluginName, appName, "skip-cleanup", "false")
	if appName != property.Global {
		v["--builder-detected"], _ = ctx.Props().Get(pluginName, appName, "detected")
	}
	return v, nil
}

var setSpec = setting.Spec{
	Plugin: pluginName,
	Keys: map[string]setting.Key{
		"build-dir":    {Scope: setting.AppAndGlobal},
		"selected":     {Scope: setting.AppAndGlobal},
		"skip-cleanup": {Scope: setting.AppAndGlobal, Validate: setting.Bool},
		// detected is written by every build; setting it by hand only lasts
		// until the next one.
		"detected": {Scope: setting.AppOnly},
	},
	After: func(ctx *plugin.Context, appName, key, value string) error {
		if key == "detected" {
			ctx.UI().Warn("The detected property is set by every build and will be overwritten by the next one")
		}
		return nil
	},
}
