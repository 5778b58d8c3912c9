package config

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/envfile"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// triggerConfigGet is config-get ($APP $KEY | --global $KEY): the raw value
// without a newline; a missing key or app prints nothing and succeeds.
func triggerConfigGet(ctx *plugin.Context, args []string) error {
	name, key := plugin.Arg(args, 0), plugin.Arg(args, 1)
	if name != Global && !app.Exists(ctx, name) {
		return nil
	}
	return printValue(ctx, name, key)
}

// triggerConfigGetGlobal is config-get-global ($KEY).
func triggerConfigGetGlobal(ctx *plugin.Context, args []string) error {
	return printValue(ctx, Global, plugin.Arg(args, 0))
}

func printValue(ctx *plugin.Context, name, key string) error {
	v, ok, err := Get(ctx, name, key)
	if err != nil {
		return err
	}
	if ok {
		io.WriteString(ctx.Stdout, v)
	}
	return nil
}

// triggerConfigExport is config-export ($APP $GLOBAL $MERGED $FORMAT).
func triggerConfigExport(ctx *plugin.Context, args []string) error {
	global, err := strconv.ParseBool(plugin.Arg(args, 1))
	if err != nil {
		return ui.Fail(err.Error())
	}
	merged, err := strconv.ParseBool(plugin.Arg(args, 2))
	if err != nil {
		return ui.Fail(err.Error())
	}
	name := Global
	if !global {
		name = plugin.Arg(args, 0)
		if !app.Exists(ctx, name) {
			return ui.AppNotExist(name)
		}
	}
	m, err := environment(ctx, name, merged)
	if err != nil {
		return err
	}
	s, err := Export(m, plugin.Arg(args, 3))
	if err != nil {
		return ui.Fail(err.Error())
	}
	io.WriteString(ctx.Stdout, s)
	return nil
}

// triggerConfigSet is config-set ([--no-restart] $APP K=V...).
func triggerConfigSet(ctx *plugin.Context, args []string) error {
	restart := true
	for len(args) > 0 && args[0] == "--no-restart" {
		restart = false
		args = args[1:]
	}
	name, err := triggerScope(ctx, plugin.Arg(args, 0))
	if err != nil {
		return err
	}
	return setPairs(ctx, name, args[1:], false, restart)
}

// triggerConfigUnset is config-unset ($APP|--global $KEY [$RESTART_BOOL]);
// the restart flag defaults to false.
func triggerConfigUnset(ctx *plugin.Context, args []string) error {
	name, err := triggerScope(ctx, plugin.Arg(args, 0))
	if err != nil {
		return err
	}
	restart, _ := strconv.ParseBool(plugin.Arg(args, 2))
	return UnsetMany(ctx, name, []string{plugin.Arg(args, 1)}, restart)
}

func triggerScope(ctx *plugin.Context, name string) (string, error) {
	if name == Global {
		return name, nil
	}
	if name == "" {
		return "", ui.Fail("Please specify an app or --global")
	}
	if !app.Exists(ctx, name) {
		return "", ui.AppNotExist(name)
	}
	return name, nil
}

// triggerDockerArgs is docker-args-deploy / docker-args-run ($APP ...): what
// arrives on stdin followed by --env=KEY for every merged key. The values
// travel in the environment of the container creation, never in argv.
func triggerDockerArgs(ctx *plugin.Context, args []string) error {
	in, err := io.ReadAll(ctx.Stdin)
	if err != nil {
		return err
	}
	name := plugin.Arg(args, 0)
	if !app.Exists(ctx, name) {
		return ui.AppNotExist(name)
	}
	m, err := Merged(ctx, name)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.Write(in)
	for _, k := range envfile.SortedKeys(m) {
		b.WriteString(" --env=")
		b.WriteString(k)
	}
	io.WriteString(ctx.Stdout, b.String())
	return nil
}

// triggerPostCreate prepares an app's config directories.
func triggerPostCreate(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := ctx.Props().SetupApp("config", name); err != nil {
		return err
	}
	return setupDir(ctx, name)
}

// triggerPostDelete removes an app's environment and config properties.
func triggerPostDelete(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if name == "" || name == Global {
		return nil
	}
	if err := remove(ctx, name); err != nil {
		return err
	}
	return ctx.Props().Destroy("config", name)
}

// triggerPostAppCloneSetup copies the old app's environment into the new
// one (keys of the old app win).
func triggerPostAppCloneSetup(ctx *plugin.Context, args []string) error {
	return copyEnv(ctx, plugin.Arg(args, 0), plugin.Arg(args, 1))
}

// triggerPostAppRenameSetup moves the old app's environment to the new one.
func triggerPostAppRenameSetup(ctx *plugin.Context, args []string) error {
	oldApp, newApp := plugin.Arg(args, 0), plugin.Arg(args, 1)
	if err := copyEnv(ctx, oldApp, newApp); err != nil {
		return err
	}
	if err := remove(ctx, oldApp); err != nil {
		return err
	}
	return ctx.Props().Rename("config", oldApp, newApp)
}

func copyEnv(ctx *plugin.Context, oldApp, newApp string) error {
	if oldApp == "" || newApp == "" || oldApp == Global || newApp == Global {
		return ui.Fail("Please specify the old and the new app")
	}
	src, err := Load(ctx, oldApp)
	if err != nil {
		return fmt.Errorf("Unable to load old environment: %w", err)
	}
	err = Update(ctx, newApp, func(m map[string]string) (bool, error) {
		for k, v := range src {
			m[k] = v
		}
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("Unable to write new environment: %w", err)
	}
	return nil
}

// triggerInstall sets up the config property tree and migrates pre-0.38
// ENV files.
func triggerInstall(ctx *plugin.Context, args []string) error {
	if err := plugin.SetupProperties(ctx, "config"); err != nil {
		return err
	}
	return MigrateEnvFiles(ctx)
}

// triggerConfigMigrateEnv lets plugins installed before config force the
// migration before reading deprecated config vars.
func triggerConfigMigrateEnv(ctx *plugin.Context, args []string) error {
	return MigrateEnvFiles(ctx)
}
