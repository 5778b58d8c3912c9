package pipeline

import (
	"context"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
)

// ReleaseAndDeploy is release_and_deploy <app> [<tag>=latest] [<source>]:
// when dokku/<app>:<tag> exists, release it with its builder
// (`-----> Releasing <app>...`, builder-release) and, unless the ps
// property skip-deploy is true, deploy it through the app's scheduler and
// list its URLs. A missing image is not an error: there is nothing to do.
func ReleaseAndDeploy(ctx *plugin.Context, appName, tag, source string) error {
	if tag == "" {
		tag = "latest"
	}
	cli, err := docker.FromContext(ctx)
	if err != nil {
		return err
	}
	img, err := cli.ImageInspect(context.Background(), ImageName(appName, tag))
	if err != nil {
		return err
	}
	if img == nil {
		return nil
	}
	sourceType := SourceType(img, appUser(ctx, appName, img))
	skipDeploy := ctx.Props().Computed("ps", appName, "skip-deploy", "false") == "true"

	u := ctx.UI()
	u.Info1("Releasing " + appName + "...")
	if err := Release(ctx, appName, sourceType, tag); err != nil {
		return err
	}
	if skipDeploy {
		u.Info1("Skipping deployment")
	} else {
		scheduler := app.Scheduler(ctx, appName)
		u.Info1("Deploying " + appName + " via the " + scheduler + " scheduler...")
		if err := deployWith(ctx, scheduler, appName, tag, ""); err != nil {
			return err
		}
		u.Info2("Application deployed:")
		urls, _ := ctx.WithIO(nil, nil, nil).TriggerOutput("domains-urls", appName, "urls")
		for _, l := range strings.Split(urls, "\n") {
			if l != "" {
				u.Verbose(l)
			}
		}
	}
	u.Log("")
	return nil
}

// appUser is the herokuish user the image was built for (DOKKU_APP_USER),
// only looked up when the image could be herokuish-based.
func appUser(ctx *plugin.Context, appName string, img *docker.Image) string {
	if img.Labels[docker.LabelBuilderType] != "" {
		return ""
	}
	return ctx.TriggerValue("config-get", appName, "DOKKU_APP_USER")
}

// Release is dokku_release: `builder-release <type> <app> <tag>`.
func Release(ctx *plugin.Context, appName, sourceType, tag string) error {
	return ctx.Trigger("builder-release", sourceType, appName, tag)
}

// Deploy is cmd-deploy <app> [<tag>] [<process-type>]: hand the released
// image to the app's scheduler (no build, no release).
func Deploy(ctx *plugin.Context, appName, tag, processType string) error {
	return deployWith(ctx, app.Scheduler(ctx, appName), appName, tag, processType)
}

func deployWith(ctx *plugin.Context, scheduler, appName, tag, processType string) error {
	return ctx.Trigger("scheduler-deploy", scheduler, appName, tag, processType)
}
