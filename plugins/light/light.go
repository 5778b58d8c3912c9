// Package light is the subset of core plugins the front binary links: none
// of them imports the Docker client (TestLightIsDockerFree keeps it so).
package light

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/version"
	events "github.com/godokku/dokku/plugins/20_events"
	"github.com/godokku/dokku/plugins/apps"
	"github.com/godokku/dokku/plugins/config"
)

// Commands are the command words the front runs itself, served by the
// plugins below: the reads scripts call most, and config changes, whose
// only core hook without a restart is 20_events'. Any trigger they fire
// that another core plugin implements (a restart's release-and-deploy)
// still runs, through that plugin's entry, which execs the engine.
var Commands = map[string]bool{
	"version": true, "-v": true, "--version": true,
	"apps:list": true, "apps:exists": true,
	"config": true, "config:get": true, "config:show": true, "config:keys": true, "config:export": true,
	"config:set": true, "config:unset": true, "config:clear": true,
}

// Registry returns the front's core plugins, each built on first use.
func Registry() *plugin.Registry {
	return plugin.NewLazyRegistry(version.Dokku, map[string]func() *plugin.Plugin{
		"20_events": events.Plugin,
		"apps":      apps.Plugin,
		"config":    config.Plugin,
	})
}
