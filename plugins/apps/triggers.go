package apps

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// triggerAppCreate is app-create <app>: apps:create for plugins.
func triggerAppCreate(ctx *plugin.Context, args []string) error {
	return createApp(ctx, plugin.Arg(args, 0))
}

// triggerAppDestroy is app-destroy <app>: apps:destroy for plugins (it
// prompts unless DOKKU_APPS_FORCE_DELETE=1).
func triggerAppDestroy(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	return destroyApp(ctx, name, false)
}

// triggerAppExists is app-exists <app>: exit 0 when the app exists, else
// `App <app> does not exist` and exit 20.
func triggerAppExists(ctx *plugin.Context, args []string) error {
	return app.Verify(ctx, plugin.Arg(args, 0))
}

// triggerAppMaybeCreate is app-maybe-create <app> (first push of an app).
func triggerAppMaybeCreate(ctx *plugin.Context, args []string) error {
	return maybeCreateApp(ctx, plugin.Arg(args, 0))
}

// triggerDeploySourceSet is deploy-source-set <app> <type> <metadata>.
func triggerDeploySourceSet(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	props := ctx.Props()
	if err := props.Write(pluginName, name, propDeploySource, plugin.Arg(args, 1)); err != nil {
		return err
	}
	return props.Write(pluginName, name, propDeploySourceMetadata, plugin.Arg(args, 2))
}

// triggerPostCreate makes the app's data directory (home of the deploy lock).
func triggerPostCreate(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := property.ValidName(name); err != nil {
		return ui.Fail(err.Error())
	}
	return ensureDataDir(ctx, name)
}

// triggerPostDelete drops the app's apps properties and data directory.
func triggerPostDelete(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if property.ValidName(name) != nil || name == property.Global {
		return nil
	}
	u := ctx.UI()
	if err := ctx.Props().Destroy(pluginName, name); err != nil {
		u.Warn(err.Error())
	}
	if err := os.RemoveAll(dataDir(ctx, name)); err != nil {
		u.Warn(err.Error())
	}
	return nil
}

// triggerPostAppCloneSetup copies the apps properties to the new app.
//
// compat: created-at is copied too, as Dokku's property clone does.
func triggerPostAppCloneSetup(ctx *plugin.Context, args []string) error {
	oldName, newName, err := pair(args)
	if err != nil {
		return err
	}
	return ctx.Props().Clone(pluginName, oldName, newName)
}

// triggerPostAppRenameSetup moves the apps properties to the new name.
func triggerPostAppRenameSetup(ctx *plugin.Context, args []string) error {
	oldName, newName, err := pair(args)
	if err != nil {
		return err
	}
	return ctx.Props().Rename(pluginName, oldName, newName)
}

func pair(args []string) (string, string, error) {
	oldName, newName := plugin.Arg(args, 0), plugin.Arg(args, 1)
	for _, n := range []string{oldName, newName} {
		if err := property.ValidName(n); err != nil || n == property.Global {
			return "", "", ui.Failf("Invalid app name %q", n)
		}
	}
	return oldName, newName, nil
}

// triggerInstall prepares the property store, records created-at for apps
// made before it existed (from the app directory's mtime), and moves the
// deprecated DOKKU_DISABLE_APP_AUTOCREATION global config value to the
// disable-autocreation property.
func triggerInstall(ctx *plugin.Context, _ []string) error {
	props := ctx.Props()
	if err := props.Setup(pluginName); err != nil {
		return ui.Failf("Unable to install the apps plugin: %s", err.Error())
	}
	for _, name := range app.ListAll(ctx) {
		if props.Exists(pluginName, name, propCreatedAt) {
			continue
		}
		stamp := time.Now().Unix()
		if fi, err := os.Stat(ctx.Env.AppRoot(name)); err == nil {
			stamp = fi.ModTime().Unix()
		}
		if err := props.Write(pluginName, name, propCreatedAt, strconv.FormatInt(stamp, 10)); err != nil {
			return err
		}
	}
	return migrateAutocreation(ctx)
}

func migrateAutocreation(ctx *plugin.Context) error {
	const legacy = "DOKKU_DISABLE_APP_AUTOCREATION"
	value := ctx.TriggerValue("config-get-global", legacy)
	if value == "" {
		return nil
	}
	props := ctx.Props()
	if !props.Exists(pluginName, property.Global, propDisableAutocreation) {
		if err := props.Write(pluginName, property.Global, propDisableAutocreation, value); err != nil {
			return fmt.Errorf("migrating %s: %w", legacy, err)
		}
	}
	e := ctx.Env.Clone()
	e.Set("DOKKU_QUIET_OUTPUT", "1")
	if err := ctx.WithEnv(e).Trigger("config-unset", property.Global, legacy, "false"); err != nil {
		ctx.UI().Warn(fmt.Sprintf("Unable to remove the deprecated %s config value", legacy))
	}
	return nil
}
