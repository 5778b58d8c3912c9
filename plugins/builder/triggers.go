package builder

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/pipeline"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// triggerDetect answers builder-detect with the selected builder (app, then
// global); it prints nothing when none is selected.
func triggerDetect(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if b := ctx.Props().Computed(pluginName, args[0], "selected", ""); b != "" {
		fmt.Fprintln(ctx.Stdout, b)
	}
	return nil
}

var readableKeys = map[string]bool{"build-dir": true, "detected": true, "selected": true, "skip-cleanup": true}

// triggerGetProperty prints a builder property of an app: the app value,
// falling back to the global one for keys that have a global scope.
func triggerGetProperty(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return ui.Fail("Please specify an app and a property")
	}
	appName, key := args[0], args[1]
	if !readableKeys[key] {
		// compat: Dokku's builder plugin says "logs" here.
		return ui.Fail("Invalid logs property specified")
	}
	v := ""
	if key == "detected" {
		v, _ = ctx.Props().Get(pluginName, appName, key)
	} else {
		v = ctx.Props().Computed(pluginName, appName, key, "")
	}
	fmt.Fprintln(ctx.Stdout, v)
	return nil
}

// triggerSetProperty stores (or, with an empty value, deletes) a builder
// property; dokku_receive records `detected` with it.
func triggerSetProperty(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return ui.Fail("Please specify an app and a property")
	}
	appName, key := args[0], args[1]
	if !readableKeys[key] {
		return ui.Failf("Invalid builder property specified: %s", key)
	}
	value := ""
	if len(args) > 2 {
		value = args[2]
	}
	if value == "" {
		return ctx.Props().Delete(pluginName, appName, key)
	}
	return ctx.Props().Write(pluginName, appName, key, value)
}

func inspect(ctx *plugin.Context, image string) (*docker.Image, error) {
	cli, err := docker.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	return cli.ImageInspect(context.Background(), image)
}

func triggerImageIsCNB(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return ui.Fail("Please specify an app and an image")
	}
	img, err := inspect(ctx, args[1])
	if err != nil {
		return err
	}
	fmt.Fprintln(ctx.Stdout, pipeline.IsCNBImage(img))
	return nil
}

func triggerImageIsHerokuish(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return ui.Fail("Please specify an app and an image")
	}
	img, err := inspect(ctx, args[1])
	if err != nil {
		return err
	}
	user := ""
	if img != nil && img.Labels[docker.LabelCNBStack] == "" {
		user = ctx.TriggerValue("config-get", args[0], "DOKKU_APP_USER")
	}
	fmt.Fprintln(ctx.Stdout, pipeline.IsHerokuishImage(img, user))
	return nil
}

// triggerCorePostExtract applies build-dir: the named subdirectory of the
// extracted source becomes the whole source tree.
func triggerCorePostExtract(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	appName, workDir := args[0], args[1]
	buildDir := strings.Trim(ctx.Props().Computed(pluginName, appName, "build-dir", ""), "/")
	if buildDir == "" {
		return nil
	}
	return ApplyBuildDir(workDir, buildDir)
}

// ApplyBuildDir replaces the contents of workDir with those of its
// subdirectory buildDir. The subdirectory must stay inside workDir.
func ApplyBuildDir(workDir, buildDir string) error {
	clean := filepath.Clean(buildDir)
	sub := filepath.Join(workDir, clean)
	fi, err := os.Lstat(sub)
	if clean == ".." || strings.HasPrefix(clean, "../") || filepath.IsAbs(clean) || err != nil || !fi.IsDir() {
		return ui.Failf("Specified build-dir not found in sourcecode working directory: %s", buildDir)
	}
	if clean == "." {
		return nil
	}
	// Move the subdirectory aside (same filesystem, so renames are cheap),
	// empty the work dir, then move its entries back up.
	keep, err := os.MkdirTemp(filepath.Dir(workDir), ".dokku-build-dir-")
	if err != nil {
		return fmt.Errorf("Unable to create temporary working directory: %v", err)
	}
	defer os.RemoveAll(keep)
	held := filepath.Join(keep, "src")
	if err := os.Rename(sub, held); err != nil {
		return fmt.Errorf("Unable to move build-dir to temporary working directory: %v", err)
	}
	ents, err := os.ReadDir(workDir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if err := os.RemoveAll(filepath.Join(workDir, e.Name())); err != nil {
			return fmt.Errorf("Unable to clear out sourcecode working directory for rewrite: %v", err)
		}
	}
	ents, err = os.ReadDir(held)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if err := os.Rename(filepath.Join(held, e.Name()), filepath.Join(workDir, e.Name())); err != nil {
			return fmt.Errorf("Unable to move build-dir to sourcecode working directory: %v", err)
		}
	}
	return nil
}

// triggerPostDelete drops the app's builder properties and removes every
// image labelled with the app or named dokku/<app>.
func triggerPostDelete(ctx *plugin.Context, args []string) error {
	if len(args) == 0 || args[0] == "" || args[0] == property.Global {
		return nil
	}
	appName := args[0]
	if err := ctx.Props().Destroy(pluginName, appName); err != nil {
		return err
	}
	cli, err := docker.FromContext(ctx)
	if err != nil {
		ctx.UI().Warn(err.Error())
		return nil
	}
	c := context.Background()
	u := ctx.UI()
	byLabel, err := cli.ImageIDs(c, false, "label="+docker.LabelAppName+"="+appName)
	if err != nil {
		u.Warn(err.Error())
	}
	byRepo, err := cli.ImageIDs(c, false, "reference="+pipeline.ImageRepo(appName))
	if err != nil {
		u.Warn(err.Error())
	}
	seen := map[string]bool{}
	for _, id := range append(byLabel, byRepo...) {
		if seen[id] {
			continue
		}
		seen[id] = true
		if err := cli.ImageRemove(c, id, true); err != nil {
			u.Warn(fmt.Sprintf("Unable to remove image %s: %v", docker.ShortID(id), err))
		}
	}
	return nil
}

// triggerPostReleaseBuilder removes the app's build-stage images that are
// no longer needed once the release image exists. Images still referenced
// (the parent of the release image, one used by a container) stay.
func triggerPostReleaseBuilder(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	cli, err := docker.FromContext(ctx)
	if err != nil {
		return nil
	}
	c := context.Background()
	list, err := cli.ImageList(c, true, "label="+docker.LabelImageStage+"="+pipeline.StageBuild, "label="+docker.LabelAppName+"="+args[1])
	if err != nil {
		return nil
	}
	for _, img := range list {
		if len(img.RepoTags) > 0 {
			continue // still named: not a leftover
		}
		cli.ImageRemove(c, img.ID, false)
	}
	return nil
}
