// Package builder is Dokku's builder core plugin: builder selection
// (builder:set selected), the build-dir, skip-cleanup and detected
// properties, and the images of an app.
package builder

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the builder plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "builder",
		Description: "dokku core builder plugin",
		Summary:     "Manage builder settings for an app",
		Commands: []*plugin.Command{
			{Name: "builder:report", Args: "[<app>] [<flag>]", Desc: "Displays a builder report for one or more apps", Run: runReport},
			{Name: "builder:set", Args: "<app> <property> (<value>)", Desc: "Set or clear a builder property for an app", Run: runSet},
		},
		Triggers: map[string]plugin.Handler{
			"builder-detect":             triggerDetect,
			"builder-get-property":       triggerGetProperty,
			"builder-set-property":       triggerSetProperty,
			"builder-image-is-cnb":       triggerImageIsCNB,
			"builder-image-is-herokuish": triggerImageIsHerokuish,
			"core-post-extract":          triggerCorePostExtract,
			"install":                    triggerInstall,
			"post-app-clone-setup":       triggerPostAppCloneSetup,
			"post-app-rename-setup":      triggerPostAppRenameSetup,
			"post-delete":                triggerPostDelete,
			"post-release-builder":       triggerPostReleaseBuilder,
			"report":                     triggerReport,
		},
	}
}
