package builderdockerfile

import (
	"context"

	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/pipeline"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// triggerRelease is builder-release for dockerfile apps: pre-release-builder
// (app.json env and predeploy), the image relabelled as a release
// (`FROM` itself, no configuration baked in), then post-release-builder.
func triggerRelease(ctx *plugin.Context, args []string) error {
	if len(args) < 2 || args[0] != builderType {
		return nil
	}
	appName := args[1]
	tag := ""
	if len(args) > 2 {
		tag = args[2]
	}
	image := pipeline.ImageName(appName, tag)
	if ctx.TriggerExists("pre-release-dockerfile") {
		ctx.UI().Warn("Deprecated: please upgrade plugin to use 'pre-release-builder' plugin trigger instead of pre-release-dockerfile")
		if err := ctx.Trigger("pre-release-dockerfile", appName, tag); err != nil {
			return err
		}
	}
	if err := ctx.Trigger("pre-release-builder", builderType, appName, image); err != nil {
		return err
	}
	cli, err := docker.FromContext(ctx)
	if err != nil {
		return err
	}
	if _, err := cli.Relabel(context.Background(), image, pipeline.ReleaseLabels(appName), ctx.Stderr); err != nil {
		return ui.Failf("Unable to release %s: %v", image, err)
	}
	return ctx.Trigger("post-release-builder", builderType, appName, image)
}
