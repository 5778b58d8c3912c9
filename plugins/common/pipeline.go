package shellapi

import (
	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/pipeline"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// addPipeline registers the release-and-deploy and deploy triggers, and the
// common part of core-post-deploy.
func addPipeline(p *plugin.Plugin) {
	p.Triggers["release-and-deploy"] = triggerReleaseAndDeploy
	p.Triggers["deploy"] = triggerDeploy
	p.Triggers["core-post-deploy"] = triggerCorePostDeploy
}

func argAt(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

func verifiedApp(ctx *plugin.Context, args []string) (string, error) {
	name := argAt(args, 0)
	if name == "" {
		return "", ui.Fail("Please specify an app to deploy")
	}
	if !app.Exists(ctx, name) {
		return "", ui.AppNotExist(name)
	}
	return name, nil
}

// triggerReleaseAndDeploy is `release-and-deploy <app> [<tag>] [<source>]`.
func triggerReleaseAndDeploy(ctx *plugin.Context, args []string) error {
	name, err := verifiedApp(ctx, args)
	if err != nil {
		return err
	}
	return pipeline.ReleaseAndDeploy(ctx, name, argAt(args, 1), argAt(args, 2))
}

// triggerDeploy is `deploy <app> [<tag>] [<process-type>]`.
func triggerDeploy(ctx *plugin.Context, args []string) error {
	name, err := verifiedApp(ctx, args)
	if err != nil {
		return err
	}
	return pipeline.Deploy(ctx, name, argAt(args, 1), argAt(args, 2))
}

// triggerCorePostDeploy records that the app is deployed.
func triggerCorePostDeploy(ctx *plugin.Context, args []string) error {
	name := argAt(args, 0)
	if name == "" {
		return nil
	}
	return ctx.Props().Write("common", name, "deployed", "true")
}
