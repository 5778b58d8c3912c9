// Package builder is Dokku's builder core plugin: builder selection
// (builder:set selected), the build-dir, skip-cleanup and detected
// properties, and the images of an app.
package builder

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
)

// Plugin returns the builder plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "builder",
		Description: "dokku core builder plugin",
		Summary:     "Manage builder settings for an app",
		Commands: []*plugin.Command{
			{Name: "builder:report", Args: "[<app>] [<flag>]", Desc: "Displays a builder report for one or more apps", Run: report.Command(reportSpec)},
			{Name: "builder:set", Args: "<app> <property> (<value>)", Desc: "Set or clear a builder property for an app", Run: setting.Command(setSpec)},
		},
		Triggers: map[string]plugin.Handler{
			"builder-detect":             triggerDetect,
			"builder-get-property":       triggerGetProperty,
			"builder-set-property":       triggerSetProperty,
			"builder-image-is-cnb":       triggerImageIsCNB,
			"builder-image-is-herokuish": triggerImageIsHerokuish,
			"core-post-extract":          triggerCorePostExtract,
			"install":                    plugin.InstallProperties(pluginName),
			"post-app-clone-setup":       plugin.CloneProperties(pluginName),
			"post-app-rename-setup":      plugin.RenameProperties(pluginName),
			"post-delete":                triggerPostDelete,
			"post-release-builder":       triggerPostReleaseBuilder,
			"report":                     report.Trigger(reportSpec),
		},
	}
}
