package ports

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
)

// Plugin returns the ports plugin registration.
func Plugin() *plugin.Plugin {
	const mapArgs = "<scheme>:<host-port>:<container-port> [<scheme>:<host-port>:<container-port>...]"
	return &plugin.Plugin{
		Name:        "ports",
		Description: "dokku core ports plugin",
		Summary:     "Manage ports for an app",
		Commands: []*plugin.Command{
			{Name: "ports:list", Args: "<app>", Desc: "List port mappings for an app", Run: runList},
			{Name: "ports:add", Args: "<app> " + mapArgs, Desc: "Add port mappings to an app", Run: runAdd},
			{Name: "ports:clear", Args: "<app>", Desc: "Clear all port mappings for an app", Run: runClear},
			{Name: "ports:remove", Args: "<app> <host-port> [<host-port>|<scheme>:<host-port>:<container-port>...]", Desc: "Remove specific port mappings from an app", Run: runRemove},
			{Name: "ports:set", Args: "<app> " + mapArgs, Desc: "Set port mappings for an app", Run: runSet},
			{Name: "ports:report", Args: "[<app>] [<flag>]", Desc: "Displays a ports report for one or more apps", Run: report.Command(reportSpec())},
		},
		Triggers: map[string]plugin.Handler{
			"ports-configure":       triggerConfigure,
			"ports-get":             triggerGet,
			"ports-get-property":    triggerGetProperty,
			"ports-get-available":   triggerGetAvailable,
			"ports-set-detected":    triggerSetDetected,
			"ports-clear":           triggerClear,
			"post-certs-update":     triggerPostCertsUpdate,
			"post-certs-remove":     triggerPostCertsRemove,
			"post-delete":           plugin.DestroyProperties(pluginName),
			"post-app-clone-setup":  plugin.CloneProperties(pluginName),
			"post-app-rename-setup": plugin.RenameProperties(pluginName),
			"report":                triggerReport,
		},
	}
}
