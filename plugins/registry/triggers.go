package registry

import (
	"context"
	"fmt"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// triggerImageRepo prints the computed image repository.
func triggerImageRepo(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	repo, err := ImageRepo(ctx, args[0])
	if err != nil {
		return ui.Failf("Unable to determine image repo from template: %v", err)
	}
	fmt.Fprintln(ctx.Stdout, repo)
	return nil
}

// triggerImageTag prints tag-version (default 1) when push-on-release is
// on, nothing otherwise (the deploy then uses its own tag).
func triggerImageTag(ctx *plugin.Context, args []string) error {
	if len(args) == 0 || !PushOnRelease(ctx, args[0]) {
		return nil
	}
	fmt.Fprintln(ctx.Stdout, TagVersion(ctx, args[0]))
	return nil
}

// triggerRepository prints the registry server prefix ("" or "host/").
func triggerRepository(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	fmt.Fprintln(ctx.Stdout, Server(ctx, args[0]))
	return nil
}

func triggerPostDelete(ctx *plugin.Context, args []string) error {
	if len(args) == 0 || args[0] == "" || args[0] == property.Global {
		return nil
	}
	return ctx.Props().Destroy(pluginName, args[0])
}

// triggerPostReleaseBuilder fires the deprecated pre-deploy trigger when a
// plugin implements it, tags the released image under the computed image
// repository when it differs from dokku/<app>, and refuses push-on-release:
// this build has no registry client.
func triggerPostReleaseBuilder(ctx *plugin.Context, args []string) error {
	if len(args) < 3 {
		return nil
	}
	appName, image := args[1], args[2]
	tag := "latest"
	if i := strings.LastIndexByte(image, ':'); i >= 0 && !strings.Contains(image[i:], "/") {
		tag = image[i+1:]
	}
	if ctx.TriggerExists("pre-deploy") {
		if err := ctx.Trigger("pre-deploy", appName, tag); err != nil {
			return err
		}
	}
	repo, err := ImageRepo(ctx, appName)
	if err != nil {
		return ui.Fail(err.Error())
	}
	if repo != app.ImageRepo(appName) {
		cli, err := docker.FromContext(ctx)
		if err != nil {
			return err
		}
		target := strings.Replace(image, app.ImageRepo(appName)+":", repo+":", 1)
		if err := cli.ImageTag(context.Background(), image, target); err != nil {
			return ui.Fail("Unable to tag image")
		}
	}
	if PushOnRelease(ctx, appName) {
		return ui.Fail("push-on-release is enabled but pushing images to a registry is not supported by this version of dokku; run 'dokku registry:set " + appName + " push-on-release false'")
	}
	return nil
}
