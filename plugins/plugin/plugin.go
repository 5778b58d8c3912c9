// Package pluginmgr is Dokku's plugin core plugin: the plugin:* commands.
package pluginmgr

import (
	"os"

	"github.com/godokku/dokku/internal/plugin"
)

// Plugin returns the plugin plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "plugin",
		Description: "dokku core plugin plugin",
		Summary:     "Manage installed plugins",
		Commands: []*plugin.Command{
			{Name: "plugin:install", Args: "[--core|git-url [--committish branch|tag|commit|--name custom-plugin-name]]", Desc: "Optionally download git-url (and pin to the specified branch/tag/commit) & run install trigger for active plugins (or only core ones)", Run: runInstall},
		},
	}
}

// runInstall: plugin:install [--core]: (re)write the core plugin tree from
// this binary, then fire `install` for all plugins, or core ones only.
func runInstall(ctx *plugin.Context, args []string) error {
	core := false
	for _, a := range args[1:] {
		if a == "--core" {
			core = true
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if err := plugin.WriteCore(ctx.Env, ctx.Registry, exe); err != nil {
		return err
	}
	ctx.ForgetLookups()
	c := ctx
	if core {
		e := ctx.Env.Clone()
		e.Set("PLUGIN_PATH", e.PluginCorePath())
		e.Set("PLUGIN_ENABLED_PATH", e.PluginCoreEnabledPath())
		e.Set("PLUGIN_AVAILABLE_PATH", e.PluginCoreAvailablePath())
		c = ctx.WithEnv(e)
		c.ForgetLookups()
	}
	return c.Trigger("install")
}
