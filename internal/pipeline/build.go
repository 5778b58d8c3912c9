package pipeline

import (
	"context"
	"sort"
	"strings"

	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// DefaultBuilder is what Dokku builds with when no builder detects the
// source; this implementation has no herokuish builder of its own.
const DefaultBuilder = "herokuish"

// TriggerBuild is git_trigger_build after extraction: the source of rev is
// in workDir. It runs the extraction hooks, selects the builder, fires
// pre-receive-app and receives the app (build, release, deploy).
func TriggerBuild(ctx *plugin.Context, appName, workDir, rev string) error {
	if err := ctx.Trigger("core-post-extract", appName, workDir, rev); err != nil {
		return err
	}
	if err := ctx.Trigger("post-extract", appName, workDir, rev); err != nil {
		return err
	}
	builder, err := DetectBuilder(ctx, appName, workDir)
	if err != nil {
		return err
	}
	if !hasBuilder(ctx, builder) {
		// compat: Dokku silently builds nothing (and may redeploy the
		// previous image) for a builder no plugin provides.
		return ui.Failf("The %s builder is not available for %s; available builders: %s",
			builder, appName, strings.Join(AvailableBuilders(ctx), ", "))
	}
	if err := ctx.Trigger("pre-receive-app", appName, builder, workDir, rev); err != nil {
		return err
	}
	return Receive(ctx, appName, builder, workDir)
}

// DetectBuilder is the first line of `builder-detect <app> <dir>`; when
// nothing answers it is herokuish, which only works when a herokuish
// builder plugin is installed. Otherwise the error names the builders that
// are available.
func DetectBuilder(ctx *plugin.Context, appName, workDir string) (string, error) {
	out, _ := ctx.WithIO(nil, nil, nil).TriggerOutput("builder-detect", appName, workDir)
	first, _, _ := strings.Cut(out, "\n")
	if b := strings.TrimSpace(first); b != "" {
		return b, nil
	}
	if hasBuilder(ctx, DefaultBuilder) {
		return DefaultBuilder, nil
	}
	return "", ui.Failf("No builder detected for %s and the default builder (herokuish) is not available. Add a Dockerfile to the source or select one of the available builders with 'dokku builder:set %s selected <builder>': %s",
		appName, appName, strings.Join(AvailableBuilders(ctx), ", "))
}

// AvailableBuilders lists the builders of the enabled builder-* plugins.
func AvailableBuilders(ctx *plugin.Context) []string {
	var out []string
	for _, p := range ctx.EnabledPlugins() {
		if b, ok := strings.CutPrefix(p, "builder-"); ok && b != "" {
			out = append(out, b)
		}
	}
	sort.Strings(out)
	return out
}

func hasBuilder(ctx *plugin.Context, name string) bool {
	for _, b := range AvailableBuilders(ctx) {
		if b == name {
			return true
		}
	}
	return false
}

// Receive is dokku_receive <app> <type> <dir>: cleanup (unless the builder
// property skip-cleanup is true), record the detected builder, build, then
// release and deploy the new image.
func Receive(ctx *plugin.Context, appName, builderType, workDir string) error {
	if ctx.Props().Computed("builder", appName, "skip-cleanup", "false") != "true" {
		if err := Cleanup(ctx, appName, false); err != nil {
			return err
		}
	}
	if err := ctx.Trigger("builder-set-property", appName, "detected", builderType); err != nil {
		return err
	}
	if err := Build(ctx, appName, builderType, workDir); err != nil {
		return err
	}
	return ReleaseAndDeploy(ctx, appName, "", "")
}

// Build is dokku_build: fire builder-build. When it fails, the image that
// was released last becomes dokku/<app>:latest again (or the tag the failed
// build left behind is removed) and the build fails with
// ` !     App build failed`.
func Build(ctx *plugin.Context, appName, builderType, workDir string) error {
	image := ImageName(appName, "latest")
	var cli *docker.Client
	previous := ""
	if c, err := docker.FromContext(ctx); err == nil {
		cli = c
		previous = currentReleaseImage(ctx, cli, appName)
	}
	if err := ctx.Trigger("builder-build", builderType, appName, workDir); err != nil {
		if cli != nil {
			restoreImage(ctx, cli, image, previous)
		}
		return ui.Fail("App build failed")
	}
	return nil
}

// currentReleaseImage returns the id of the app's released image: the one
// tagged latest when it is a release image, else the newest image labelled
// as a release of the app.
func currentReleaseImage(ctx *plugin.Context, cli *docker.Client, appName string) string {
	c := context.Background()
	img, err := cli.ImageInspect(c, ImageName(appName, "latest"))
	if err == nil && img != nil && img.Labels[docker.LabelImageStage] == StageRelease {
		return img.ID
	}
	ids, err := cli.ImageIDs(c, false, "label="+docker.LabelImageStage+"="+StageRelease, "label="+docker.LabelAppName+"="+appName)
	if err != nil || len(ids) == 0 {
		return ""
	}
	return ids[0] // the daemon lists newest first
}

func restoreImage(ctx *plugin.Context, cli *docker.Client, image, previous string) {
	c := context.Background()
	u := ctx.UI()
	current, _ := cli.ImageInspect(c, image)
	if previous != "" {
		if current != nil && current.ID == previous {
			return
		}
		u.Info1("Retagging old image " + docker.ShortID(previous) + " as " + image)
		if err := cli.ImageTag(c, previous, image); err != nil {
			u.Warn("Unable to retag the previous image: " + err.Error())
		}
		return
	}
	if current != nil && current.Labels[docker.LabelImageStage] != StageRelease {
		if err := cli.ImageRemove(c, image, false); err != nil {
			u.Warn("Unable to remove the broken image tag: " + err.Error())
		}
	}
}
