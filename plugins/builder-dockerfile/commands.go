package builderdockerfile

import (
	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
	"github.com/godokku/dokku/internal/ui"
)

const (
	pluginName        = "builder-dockerfile"
	defaultDockerfile = "Dockerfile"
)

var reportSpec = report.Spec{
	Namespace: pluginName,
	Type:      pluginName,
	Collect: func(ctx *plugin.Context, appName string) (map[string]string, error) {
		v := map[string]string{}
		report.Triple(ctx, v, pluginName, pluginName, appName, "dockerfile-path", defaultDockerfile)
		return v, nil
	},
}

var setSpec = setting.Spec{
	Plugin: pluginName,
	Bash:   true,
	Keys:   map[string]setting.Key{"dockerfile-path": {Scope: setting.AppAndGlobal}},
}

// runSet is builder-dockerfile:set <app>|--global dockerfile-path [<path>].
func runSet(ctx *plugin.Context, args []string) error {
	rest := args[1:]
	if len(rest) == 1 {
		if rest[0] != property.Global {
			if err := app.Verify(ctx, rest[0]); err != nil {
				return err
			}
		}
		return ui.Fail("No key specified")
	}
	return setting.Run(ctx, setSpec, rest)
}

// DockerfilePath is the computed dockerfile-path (app, global, Dockerfile).
func DockerfilePath(ctx *plugin.Context, appName string) string {
	return ctx.Props().Computed(pluginName, appName, "dockerfile-path", defaultDockerfile)
}

func triggerPostDelete(ctx *plugin.Context, args []string) error {
	if len(args) == 0 || args[0] == "" || args[0] == property.Global {
		return nil
	}
	return ctx.Props().Destroy(pluginName, args[0])
}
