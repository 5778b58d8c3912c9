package apps

import (
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

func appCmd(ctx *plugin.Context, run func(ctx *plugin.Context, name string) error) *cobra.Command {
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		name := plugin.Arg(args, 0)
		if err := app.Verify(ctx, name); err != nil {
			return err
		}
		return run(ctx, name)
	}}
	plugin.GlobalFlags(cmd)
	return cmd
}

func newLockCmd(ctx *plugin.Context) *cobra.Command   { return appCmd(ctx, lockApp) }
func newLockedCmd(ctx *plugin.Context) *cobra.Command { return appCmd(ctx, lockedApp) }
func newUnlockCmd(ctx *plugin.Context) *cobra.Command { return appCmd(ctx, unlockApp) }

// isLocked reports whether the app's deploy lock file exists.
func isLocked(ctx *plugin.Context, name string) bool {
	_, err := os.Stat(app.DeployLockPath(ctx, name))
	return err == nil
}

// lockApp creates the deploy lock file. It holds no flock: deploys refuse
// to start while the file exists (runtime.md §9.3).
func lockApp(ctx *plugin.Context, name string) error {
	if err := ensureDataDir(ctx, name); err != nil {
		return ui.Fail("Unable to create deploy lock")
	}
	path := app.DeployLockPath(ctx, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return ui.Fail("Unable to create deploy lock")
	}
	f.Close()
	if uid, gid, ok := ctx.Env.Owner(); ok {
		os.Chown(path, uid, gid)
	}
	ctx.UI().Info1("Deploy lock created")
	return nil
}

func lockedApp(ctx *plugin.Context, name string) error {
	if isLocked(ctx, name) {
		ctx.UI().LogQuiet("Deploy lock exists")
		return nil
	}
	return ui.Fail("Deploy lock does not exist")
}

func unlockApp(ctx *plugin.Context, name string) error {
	u := ctx.UI()
	path := app.DeployLockPath(ctx, name)
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		u.Warn("A deploy may be in progress.")
		u.Warn("Removing the app lock will not stop in progress deploys.")
	}
	if err := os.Remove(path); err != nil {
		return ui.Fail("Unable to remove deploy lock")
	}
	u.Info1("Deploy lock removed")
	return nil
}

// dataDir is $DOKKU_LIB_ROOT/data/apps/<app>.
func dataDir(ctx *plugin.Context, name string) string {
	return filepath.Join(ctx.Env.PluginDataRoot(pluginName), name)
}

// ensureDataDir creates data/apps/<app>, owned by the dokku user.
func ensureDataDir(ctx *plugin.Context, name string) error {
	var own *atomicfile.Owner
	if uid, gid, ok := ctx.Env.Owner(); ok {
		own = &atomicfile.Owner{UID: uid, GID: gid}
	}
	return atomicfile.MkdirAll(dataDir(ctx, name), 0o755, own)
}
