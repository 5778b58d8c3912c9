// Package pluginmgr is Dokku's plugin core plugin: the plugin:* commands
// (list, install from git, tarball or directory, update, enable, disable,
// uninstall, trigger) and its install and update triggers, which hand the
// plugin trees to the dokku user. The download and plugn mechanics live in
// internal/plugin.
package pluginmgr

import (
	"github.com/godokku/dokku/internal/plugin"
)

// Plugin returns the plugin plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "plugin",
		Description: "dokku core plugin plugin",
		Summary:     "Manage installed plugins",
		ShellHelp:   true, // compat: Dokku renders this help with `sort | column -t -s,`
		Commands: []*plugin.Command{
			{Name: "plugin:disable", Args: "<name>", Desc: "Disable an installed plugin (third-party only)", Run: runDisable},
			{Name: "plugin:enable", Args: "<name>", Desc: "Enable a previously disabled plugin", Run: runEnable},
			// compat: "branch|commit|commit" is Dokku's help text as shipped.
			{Name: "plugin:install", Args: "[--core|--git-url] [--committish branch|commit|commit] [--name custom-plugin-name] [--skip-install-trigger]", Desc: "Optionally download git-url (and pin to the specified branch/commit/tag) & run install trigger for active plugins (or only core ones)", Run: runInstall},
			{Name: "plugin:install-dependencies", Args: "[--core]", Desc: "Run install-dependencies trigger for active plugins (or only core ones)", Run: plugin.Cobra(newInstallDependenciesCmd)},
			{Name: "plugin:installed", Args: "<name>", Desc: "Checks if a plugin is installed", Hidden: true, Run: runInstalled},
			{Name: "plugin:list", Args: "[--format stdout|json]", Desc: "Print active plugins", Run: plugin.Cobra(newListCmd)},
			{Name: "plugin:trigger", Args: "<args...>", Desc: "Trigger an arbitrary plugin hook", Run: runTrigger},
			{Name: "plugin:uninstall", Args: "<name>", Desc: "Uninstall a plugin (third-party only)", Run: runUninstall},
			{Name: "plugin:update", Args: "[name [branch|commit|tag]]", Desc: "Optionally update named plugin from git (and pin to the specified branch/commit/tag) & run update trigger for active plugins", Run: runUpdate},
		},
		Triggers: map[string]plugin.Handler{
			"install": triggerSetPermissions,
			"update":  triggerSetPermissions,
		},
	}
}
