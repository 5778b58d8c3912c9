package appjson

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
)

const (
	pluginName      = "app-json"
	defaultFileName = "app.json"
)

var reportSpec = report.Spec{
	Namespace:      pluginName,
	Type:           pluginName,
	LegacyJSONKeys: true,
	Collect:        collectReport,
}

// collectReport is the app-json report. compat: Dokku reports the global
// appjson-path with its default filled in ("app.json" when unset), and the
// --global report holds that one flag only (no computed value).
func collectReport(ctx *plugin.Context, appName string) (map[string]string, error) {
	props := ctx.Props()
	global := props.GetDefault(pluginName, property.Global, "appjson-path", defaultFileName)
	v := map[string]string{"--app-json-global-appjson-path": global}
	if appName == property.Global {
		return v, nil
	}
	own, _ := props.Get(pluginName, appName, "appjson-path")
	v["--app-json-appjson-path"] = own
	v["--app-json-computed-appjson-path"] = own
	if own == "" {
		v["--app-json-computed-appjson-path"] = global
	}
	return v, nil
}

var setSpec = setting.Spec{
	Plugin: pluginName,
	Keys:   map[string]setting.Key{"appjson-path": {Scope: setting.AppAndGlobal}},
}
