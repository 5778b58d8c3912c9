// Package builderdockerfile is Dokku's builder-dockerfile core plugin:
// detection of a Dockerfile, the image build through the Docker Engine API,
// EXPOSE-based port detection and the release relabelling.
package builderdockerfile

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
)

// Plugin returns the builder-dockerfile plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "builder-dockerfile",
		Description: "dokku core builder-dockerfile plugin",
		Summary:     "Manage the dockerfile builder integration for an app",
		ShellHelp:   true, // compat: Dokku renders this help with `sort | column -t -s,`
		Commands: []*plugin.Command{
			{Name: "builder-dockerfile:report", Args: "[<app>] [<flag>]", Desc: "Displays a builder-dockerfile report for one or more apps", Run: report.Command(reportSpec)},
			{Name: "builder-dockerfile:set", Args: "<app> <property> (<value>)", Desc: "Set or clear a builder-dockerfile property for an app", Run: runSet},
		},
		Triggers: map[string]plugin.Handler{
			"builder-build":         triggerBuild,
			"builder-detect":        triggerDetect,
			"builder-release":       triggerRelease,
			"core-post-extract":     triggerCorePostExtract,
			"install":               plugin.InstallProperties(pluginName),
			"post-app-clone-setup":  plugin.CloneProperties(pluginName),
			"post-app-rename-setup": plugin.RenameProperties(pluginName),
			"post-delete":           triggerPostDelete,
			"report":                report.Trigger(reportSpec),
		},
	}
}
