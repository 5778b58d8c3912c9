// Package proxy is Dokku's proxy core plugin: which proxy implementation
// serves an app (property `type`, default nginx), whether proxying is
// enabled (`disabled`), the proxy ports (`proxy-port`, `proxy-ssl-port`,
// initialised by the ports plugin), and the proxy:* commands that fan out
// to the implementation through triggers.
package proxy

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
)

// Plugin returns the proxy plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "proxy",
		Description: "dokku core proxy plugin",
		Summary:     "Manage the proxy integration for an app",
		Commands: []*plugin.Command{
			{Name: "proxy:build-config", Args: "[--parallel count] [--all|<app>]", Desc: "(Re)builds config for given app", Run: runBuildConfig},
			{Name: "proxy:clear-config", Args: "[--all|<app>]", Desc: "Clears config for given app", Run: runClearConfig},
			{Name: "proxy:disable", Args: "[--parallel count] [--all|<app>]", Desc: "Disable proxy for app", Run: runDisable},
			{Name: "proxy:enable", Args: "[--parallel count] [--all|<app>]", Desc: "Enable proxy for app", Run: runEnable},
			{Name: "proxy:report", Args: "[<app>] [<flag>]", Desc: "Displays a proxy report for one or more apps", Run: report.Command(reportSpec())},
			{Name: "proxy:set", Args: "[<app>|--global] <key> (<value>)", Desc: "Set or clear a proxy property for an app", Run: runSet},
		},
		Triggers: map[string]plugin.Handler{
			"proxy-type":            triggerType,
			"proxy-is-enabled":      triggerIsEnabled,
			"post-delete":           plugin.DestroyProperties(pluginName),
			"post-app-clone-setup":  plugin.CloneProperties(pluginName),
			"post-app-rename-setup": plugin.RenameProperties(pluginName),
			"report":                triggerReport,
		},
	}
}
