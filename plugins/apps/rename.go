package apps

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

type copyOptions struct {
	skipDeploy     bool
	ignoreExisting bool
}

func newRenameCmd(ctx *plugin.Context) *cobra.Command {
	o := &copyOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		return renameApp(ctx, plugin.Arg(args, 0), plugin.Arg(args, 1), o)
	}}
	cmd.Flags().BoolVar(&o.skipDeploy, "skip-deploy", false, "")
	plugin.GlobalFlags(cmd)
	return cmd
}

func newCloneCmd(ctx *plugin.Context) *cobra.Command {
	o := &copyOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		return cloneApp(ctx, plugin.Arg(args, 0), plugin.Arg(args, 1), o)
	}}
	cmd.Flags().BoolVar(&o.skipDeploy, "skip-deploy", false, "")
	cmd.Flags().BoolVar(&o.ignoreExisting, "ignore-existing", false, "")
	plugin.GlobalFlags(cmd)
	return cmd
}

// checkPair validates the old (existing) and new (free, valid) names.
func checkPair(ctx *plugin.Context, oldName, newName string) error {
	if oldName == "" {
		return ui.Fail("Please specify an app to run the command on")
	}
	if newName == "" {
		return ui.Fail("Please specify an new app name")
	}
	if err := app.Verify(ctx, oldName); err != nil {
		return err
	}
	return app.Validate(newName)
}

// cloneApp creates newName as a copy of oldName: post-app-clone-setup lets
// every plugin copy its state, post-app-clone finishes, then the new app is
// rebuilt unless --skip-deploy or its repository holds no code.
func cloneApp(ctx *plugin.Context, oldName, newName string, o *copyOptions) error {
	if err := checkPair(ctx, oldName, newName); err != nil {
		return err
	}
	if app.Exists(ctx, newName) {
		if o.ignoreExisting {
			ctx.UI().Warn(errNameTaken.Error())
			return nil
		}
		return ui.Fail(errNameTaken.Error())
	}
	ctx.UI().Info1Quiet(fmt.Sprintf("Cloning %s to %s", oldName, newName))
	if err := createApp(ctx, newName); err != nil {
		return err
	}
	if err := ctx.Trigger("post-app-clone-setup", oldName, newName); err != nil {
		return err
	}
	return finish(ctx, "post-app-clone", oldName, newName, o.skipDeploy)
}

// renameApp moves oldName to newName: create the new app, let every plugin
// move its state (post-app-rename-setup), destroy the old app without a
// prompt, then post-app-rename and the rebuild.
func renameApp(ctx *plugin.Context, oldName, newName string, o *copyOptions) error {
	if err := checkPair(ctx, oldName, newName); err != nil {
		return err
	}
	if app.Exists(ctx, newName) {
		return ui.Fail(errNameTaken.Error())
	}
	ctx.UI().Info1Quiet(fmt.Sprintf("Renaming %s to %s", oldName, newName))
	if err := createApp(ctx, newName); err != nil {
		return err
	}
	if err := ctx.Trigger("post-app-rename-setup", oldName, newName); err != nil {
		return err
	}
	if err := destroyApp(ctx, oldName, true); err != nil {
		return err
	}
	return finish(ctx, "post-app-rename", oldName, newName, o.skipDeploy)
}

// finish fires post-app-clone / post-app-rename and then rebuilds the new
// app through receive-app (what ps:rebuild does) unless the deploy is
// skipped or git-has-code says there is nothing to build.
//
// compat: in Dokku the rebuild is ps's post-app-clone/rename handler, which
// runs unless SKIP_REBUILD=true. Here the apps plugin decides and rebuilds
// after the trigger (where ps, last of Dokku's handlers, used to), and
// exports SKIP_REBUILD=true to the trigger so a handler keeping the old
// contract does not build a second time.
func finish(ctx *plugin.Context, trigger, oldName, newName string, skipDeploy bool) error {
	e := ctx.Env.Clone()
	e.Set("SKIP_REBUILD", "true")
	if err := ctx.WithEnv(e).Trigger(trigger, oldName, newName); err != nil {
		return err
	}
	if skipDeploy || !hasCode(ctx, newName) {
		return nil
	}
	return ctx.Trigger("receive-app", newName)
}

// hasCode asks git-has-code (an answer trigger: exit 0 means code exists).
func hasCode(ctx *plugin.Context, name string) bool {
	return ctx.WithIO(nil, io.Discard, io.Discard).Trigger("git-has-code", name) == nil
}
