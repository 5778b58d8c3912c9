package pluginmgr

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// isCorePlugin is Dokku's check: the name exists in the core tree (or
// resolves into it).
func isCorePlugin(ctx *plugin.Context, name string) bool {
	return exists(filepath.Join(ctx.Env.PluginCoreAvailablePath(), name)) || plugin.IsCore(ctx.Env, name)
}

// pluginName reads the name argument; missing → `Please specify a plugin
// to <verb>`; not a single path component → `Invalid plugin name specified`.
func pluginName(args []string, verb string) (string, error) {
	name := plugin.Arg(args, 1)
	if name == "" {
		return "", ui.Fail("Please specify a plugin to " + verb)
	}
	if plugin.ValidName(name) != nil {
		return "", ui.Fail("Invalid plugin name specified")
	}
	return name, nil
}

// runEnable is plugin:enable <name>.
func runEnable(ctx *plugin.Context, args []string) error {
	name, err := pluginName(args, "enable")
	if err != nil {
		return err
	}
	e := ctx.Env
	if exists(filepath.Join(e.PluginEnabledPath(), name)) {
		return ui.Fail("Plugin already enabled")
	}
	if !exists(filepath.Join(e.PluginAvailablePath(), name)) {
		return ui.Fail("Plugin does not exist")
	}
	if err := plugin.Enable(e, name); err != nil {
		return err
	}
	ctx.UI().Info1Quiet(fmt.Sprintf("Plugin %s enabled", name))
	primeCompletion(ctx)
	return nil
}

// runDisable is plugin:disable <name> (community plugins only).
func runDisable(ctx *plugin.Context, args []string) error {
	name, err := pluginName(args, "disable")
	if err != nil {
		return err
	}
	e := ctx.Env
	if isCorePlugin(ctx, name) {
		return ui.Fail("Cannot disable a core plugin")
	}
	if !exists(filepath.Join(e.PluginEnabledPath(), name)) {
		return ui.Fail("Plugin already disabled")
	}
	if !exists(filepath.Join(e.PluginAvailablePath(), name)) {
		return ui.Fail("Plugin does not exist")
	}
	if err := plugin.Disable(e, name); err != nil {
		return err
	}
	ctx.UI().Info1Quiet(fmt.Sprintf("Plugin %s disabled", name))
	primeCompletion(ctx)
	return nil
}

// runUninstall is plugin:uninstall <name>: fire `uninstall <name>` for
// every plugin (the one leaving included), then remove it.
func runUninstall(ctx *plugin.Context, args []string) error {
	name, err := pluginName(args, "uninstall")
	if err != nil {
		return err
	}
	if isCorePlugin(ctx, name) {
		return ui.Fail("Cannot uninstall a core plugin")
	}
	// Lstat: a dangling link left by a removed directory can still go.
	if _, err := os.Lstat(filepath.Join(ctx.Env.PluginAvailablePath(), name)); err != nil {
		return ui.Failf("Plugin (%s) is not currently installed", name)
	}
	if err := ctx.Trigger("uninstall", name); err != nil {
		return err
	}
	if err := plugin.Uninstall(ctx.Env, name); err != nil {
		return err
	}
	ctx.ForgetLookups()
	ctx.UI().Info1Quiet(fmt.Sprintf("Plugin %s uninstalled", name))
	primeCompletion(ctx)
	return nil
}

// runUpdate is plugin:update [<name> [<committish>]]: update the named
// plugin (or every enabled community plugin installed from git), then fire
// `update` for all plugins.
func runUpdate(ctx *plugin.Context, args []string) error {
	name, ref := plugin.Arg(args, 1), plugin.Arg(args, 2)
	var names []string
	if name != "" {
		if plugin.ValidName(name) != nil {
			return ui.Fail("Invalid plugin name specified")
		}
		if !plugin.IsEnabled(ctx.Env, name) || !exists(filepath.Join(ctx.Env.PluginAvailablePath(), name)) {
			return ui.Fail("Specified plugin not enabled or installed")
		}
		if isCorePlugin(ctx, name) {
			return ui.Fail("Cannot trigger plugin:update on a core plugin, please update Dokku instead")
		}
		names = []string{name}
	} else {
		for _, p := range ctx.EnabledPlugins() {
			if !isCorePlugin(ctx, p) && exists(filepath.Join(ctx.Env.PluginAvailablePath(), p, ".git")) {
				names = append(names, p)
			}
		}
	}
	for _, n := range names {
		msg, err := plugin.Update(ctx, n, ref)
		if err != nil {
			return err
		}
		fmt.Fprintln(ctx.Stdout, msg)
	}
	ctx.ForgetLookups()
	if err := ctx.Trigger("update"); err != nil {
		return err
	}
	primeCompletion(ctx)
	return nil
}
