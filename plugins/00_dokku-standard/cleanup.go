package standard

import (
	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/pipeline"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
)

// addCleanup registers `cleanup [<app>]`, first in the plugin's help as in
// Dokku.
func addCleanup(p *plugin.Plugin) {
	cmd := &plugin.Command{
		Name: "cleanup", Args: "[<app>]",
		Desc: "Cleans up exited/dead Docker containers and removes dangling images",
		Run:  runCleanup,
	}
	p.Commands = append([]*plugin.Command{cmd}, p.Commands...)
}

// runCleanup is docker_cleanup <app|--global> true: always runs (the
// skip-cleanup settings only apply to builds).
func runCleanup(ctx *plugin.Context, args []string) error {
	target := property.Global
	if len(args) > 1 && args[1] != "" && args[1] != property.Global {
		if err := app.Verify(ctx, args[1]); err != nil {
			return err
		}
		target = args[1]
	}
	return pipeline.Cleanup(ctx, target, true)
}
