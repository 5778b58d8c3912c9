// Package plugins is the one explicit list of Dokku core plugins compiled
// into the binary.
package plugins

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/version"
	standard "github.com/godokku/dokku/plugins/00_dokku-standard"
	events "github.com/godokku/dokku/plugins/20_events"
	appjson "github.com/godokku/dokku/plugins/app-json"
	"github.com/godokku/dokku/plugins/apps"
	"github.com/godokku/dokku/plugins/builder"
	builderdockerfile "github.com/godokku/dokku/plugins/builder-dockerfile"
	buildernull "github.com/godokku/dokku/plugins/builder-null"
	"github.com/godokku/dokku/plugins/builds"
	"github.com/godokku/dokku/plugins/checks"
	shellapi "github.com/godokku/dokku/plugins/common"
	"github.com/godokku/dokku/plugins/config"
	"github.com/godokku/dokku/plugins/domains"
	"github.com/godokku/dokku/plugins/git"
	"github.com/godokku/dokku/plugins/network"
	nginxvhosts "github.com/godokku/dokku/plugins/nginx-vhosts"
	pluginmgr "github.com/godokku/dokku/plugins/plugin"
	"github.com/godokku/dokku/plugins/ports"
	"github.com/godokku/dokku/plugins/proxy"
	"github.com/godokku/dokku/plugins/ps"
	"github.com/godokku/dokku/plugins/registry"
	"github.com/godokku/dokku/plugins/scheduler"
	schedulerdockerlocal "github.com/godokku/dokku/plugins/scheduler-docker-local"
	schedulernull "github.com/godokku/dokku/plugins/scheduler-null"
	sshkeys "github.com/godokku/dokku/plugins/ssh-keys"
)

// DokkuVersion is the Dokku release whose behaviour this binary provides.
const DokkuVersion = version.Dokku

// Registry returns every core plugin, each built on first use.
func Registry() *plugin.Registry {
	return plugin.NewLazyRegistry(DokkuVersion, map[string]func() *plugin.Plugin{
		"00_dokku-standard":      standard.Plugin,
		"20_events":              events.Plugin,
		"app-json":               appjson.Plugin,
		"apps":                   apps.Plugin,
		"builder":                builder.Plugin,
		"builder-dockerfile":     builderdockerfile.Plugin,
		"builder-null":           buildernull.Plugin,
		"builds":                 builds.Plugin,
		"checks":                 checks.Plugin,
		"common":                 shellapi.Plugin,
		"config":                 config.Plugin,
		"domains":                domains.Plugin,
		"git":                    git.Plugin,
		"network":                network.Plugin,
		"nginx-vhosts":           nginxvhosts.Plugin,
		"plugin":                 pluginmgr.Plugin,
		"ports":                  ports.Plugin,
		"proxy":                  proxy.Plugin,
		"ps":                     ps.Plugin,
		"registry":               registry.Plugin,
		"scheduler":              scheduler.Plugin,
		"scheduler-docker-local": schedulerdockerlocal.Plugin,
		"scheduler-null":         schedulernull.Plugin,
		"ssh-keys":               sshkeys.Plugin,
	})
}
