package appjson

import (
	"github.com/godokku/dokku/internal/plugin"
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
	Collect: func(ctx *plugin.Context, appName string) (map[string]string, error) {
		v := map[string]string{}
		report.Triple(ctx, v, pluginName, pluginName, appName, "appjson-path", defaultFileName)
		return v, nil
	},
}

var setSpec = setting.Spec{
	Plugin: pluginName,
	Keys:   map[string]setting.Key{"appjson-path": {Scope: setting.AppAndGlobal}},
}
