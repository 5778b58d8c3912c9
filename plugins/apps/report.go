package apps

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
)

// reportSpec is apps:report: report type "app", JSON keys without the
// "--app-" prefix plus the 0.38 legacy "app-..." keys, labels with it.
var reportSpec = report.Spec{
	Namespace:      "apps",
	Type:           "app",
	LegacyJSONKeys: true,
	Collect:        collectReport,
}

func collectReport(ctx *plugin.Context, name string) (map[string]string, error) {
	props := ctx.Props()
	global, _ := props.Get(pluginName, property.Global, propDisableAutocreation)
	values := map[string]string{"--app-global-disable-autocreation": global}
	if name == property.Global {
		return values, nil
	}
	get := func(key string) string {
		v, _ := props.Get(pluginName, name, key)
		return v
	}
	locked := "false"
	if isLocked(ctx, name) {
		locked = "true"
	}
	values["--app-created-at"] = get(propCreatedAt)
	values["--app-deploy-source"] = get(propDeploySource)
	values["--app-deploy-source-metadata"] = get(propDeploySourceMetadata)
	values["--app-dir"] = ctx.Env.AppRoot(name)
	values["--app-locked"] = locked
	return values, nil
}

// settings are the keys of apps:set. disable-autocreation is global only;
// the deploy source pair is per app (normally written by deploy-source-set).
var settings = setting.Spec{
	Plugin: pluginName,
	Keys: map[string]setting.Key{
		propDisableAutocreation:  {Scope: setting.GlobalOnly, Validate: setting.Bool},
		propDeploySource:         {Scope: setting.AppOnly},
		propDeploySourceMetadata: {Scope: setting.AppOnly},
	},
}
