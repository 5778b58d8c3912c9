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

func runReport(ctx *plugin.Context, args []string) error {
	return report.Run(ctx, reportSpec, args[1:])
}

func triggerReport(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return report.Run(ctx, reportSpec, args[:1])
}

var setSpec = setting.Spec{
	Plugin: pluginName,
	Keys:   map[string]setting.Key{"appjson-path": {Scope: setting.AppAndGlobal}},
}

func runSet(ctx *plugin.Context, args []string) error {
	return setting.Run(ctx, setSpec, args[1:])
}
