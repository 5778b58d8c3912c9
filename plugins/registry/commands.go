package registry

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
)

var reportSpec = report.Spec{
	Namespace:      pluginName,
	Type:           pluginName,
	LegacyJSONKeys: true,
	Collect:        collect,
}

func collect(ctx *plugin.Context, appName string) (map[string]string, error) {
	v := map[string]string{}
	report.Triple(ctx, v, pluginName, pluginName, appName, "image-repo-template", "")
	report.Triple(ctx, v, pluginName, pluginName, appName, "push-extra-tags", "")
	report.Triple(ctx, v, pluginName, pluginName, appName, "push-on-release", "false")
	report.Triple(ctx, v, pluginName, pluginName, appName, "server", "")
	if appName == property.Global {
		v["--registry-computed-server"] = Server(ctx, appName)
		return v, nil
	}
	v["--registry-computed-server"] = Server(ctx, appName)
	v["--registry-image-repo"], _ = ctx.Props().Get(pluginName, appName, "image-repo")
	repo, err := ImageRepo(ctx, appName)
	if err != nil {
		return nil, err
	}
	v["--registry-computed-image-repo"] = repo
	tag, _ := ctx.Props().Get(pluginName, appName, "tag-version")
	v["--registry-tag-version"] = tag
	return v, nil
}

var setSpec = setting.Spec{
	Plugin: pluginName,
	Keys: map[string]setting.Key{
		"image-repo":          {Scope: setting.AppOnly},
		"image-repo-template": {Scope: setting.AppAndGlobal},
		"push-on-release":     {Scope: setting.AppAndGlobal, Validate: setting.Bool},
		"push-extra-tags":     {Scope: setting.AppAndGlobal},
		"server":              {Scope: setting.AppAndGlobal},
	},
}
