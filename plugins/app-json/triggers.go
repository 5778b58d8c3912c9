package appjson

import (
	"os"
	"path/filepath"
	"strconv"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/pipeline"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// triggerPreReleaseBuilder applies app.json env, then runs the predeploy
// task and commits its result onto the image.
func triggerPreReleaseBuilder(ctx *plugin.Context, args []string) error {
	if len(args) < 3 {
		return nil
	}
	appName, image := args[1], args[2]
	a, err := Read(ctx, appName)
	if err != nil {
		return ui.Fail(err.Error())
	}
	if err := processEnv(ctx, appName, a); err != nil {
		return ui.Fail(err.Error())
	}
	return executeTask(ctx, appName, image, pipeline.TagOf(image), phasePredeploy)
}

// triggerPostReleaseBuilder runs the Procfile release task, applies
// formation, and on an app's first deploy runs scripts.postdeploy once.
func triggerPostReleaseBuilder(ctx *plugin.Context, args []string) error {
	if len(args) < 3 {
		return nil
	}
	appName, image := args[1], args[2]
	tag := pipeline.TagOf(image)
	if err := executeTask(ctx, appName, image, tag, phaseRelease); err != nil {
		return err
	}
	if err := setScale(ctx, appName); err != nil {
		return err
	}
	props := ctx.Props()
	if v, _ := props.Get("common", appName, "deployed"); v == "true" {
		return nil
	}
	// a failed postdeploy must not run twice
	if v, _ := props.Get(pluginName, appName, "heroku.postdeploy"); v == "executed" {
		return nil
	}
	if err := props.Write(pluginName, appName, "heroku.postdeploy", "executed"); err != nil {
		return err
	}
	return executeTask(ctx, appName, image, tag, phaseHerokuPostdeploy)
}

// setScale hands formation quantities to ps: with any, scaling by hand is
// disabled and the formation replaced (without a deploy); without, scaling
// is allowed again.
func setScale(ctx *plugin.Context, appName string) error {
	a, err := Read(ctx, appName)
	if err != nil {
		return ui.Fail(err.Error())
	}
	args := []string{appName, "true", "true"}
	for _, t := range a.FormationTypes() {
		if q := a.Formation[t].Quantity; q != nil {
			args = append(args, t+"="+strconv.Itoa(*q))
		}
	}
	if len(args) == 3 {
		return ctx.Trigger("ps-can-scale", appName, "true")
	}
	if err := ctx.Trigger("ps-can-scale", appName, "false"); err != nil {
		return err
	}
	return ctx.Trigger("ps-set-scale", args...)
}

// triggerPostDeploy runs scripts.dokku.postdeploy against the deployed
// image (args: app, port, ip, tag).
func triggerPostDeploy(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	appName, tag := args[0], ""
	if len(args) > 3 {
		tag = args[3]
	}
	// only resolve (and need) the image when there is a task to run
	if command, _, _ := taskCommand(ctx, appName, phasePostdeploy); command == "" {
		return executeTask(ctx, appName, "", tag, phasePostdeploy)
	}
	image, err := pipeline.DeployingImageName(ctx, appName, tag)
	if err != nil {
		return err
	}
	return executeTask(ctx, appName, image, pipeline.TagOf(image), phasePostdeploy)
}

func triggerInstall(ctx *plugin.Context, args []string) error {
	if err := plugin.SetupProperties(ctx, pluginName); err != nil {
		return err
	}
	return atomicfile.MkdirAll(ctx.Env.PluginDataRoot(pluginName), 0o755, owner(ctx))
}

func triggerPostCreate(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return atomicfile.MkdirAll(dataDir(ctx, args[0]), 0o755, owner(ctx))
}

func triggerPostDelete(ctx *plugin.Context, args []string) error {
	if len(args) == 0 || args[0] == "" || args[0] == property.Global {
		return nil
	}
	dataErr := os.RemoveAll(dataDir(ctx, args[0]))
	propErr := ctx.Props().Destroy(pluginName, args[0])
	if dataErr != nil {
		return dataErr
	}
	return propErr
}

func triggerPostAppCloneSetup(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	if err := ctx.Props().Clone(pluginName, args[0], args[1]); err != nil {
		return err
	}
	return copyData(ctx, args[0], args[1])
}

func triggerPostAppRenameSetup(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	if err := ctx.Props().Rename(pluginName, args[0], args[1]); err != nil {
		return err
	}
	return copyData(ctx, args[0], args[1])
}

// triggerPostAppRename removes the old app's data once the rename is done.
func triggerPostAppRename(ctx *plugin.Context, args []string) error {
	if len(args) < 2 || args[0] == "" || args[0] == args[1] {
		return nil
	}
	return os.RemoveAll(dataDir(ctx, args[0]))
}

// copyData copies the deployed app.json of old to new (staged copies of a
// running build stay behind).
func copyData(ctx *plugin.Context, oldApp, newApp string) error {
	own := owner(ctx)
	if err := atomicfile.MkdirAll(dataDir(ctx, newApp), 0o755, own); err != nil {
		return err
	}
	b, err := os.ReadFile(appJSONPath(ctx, oldApp))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dataDir(ctx, newApp), defaultFileName), b, 0o644, own)
}
