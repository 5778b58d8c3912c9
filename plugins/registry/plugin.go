// Package registry is Dokku's registry core plugin: the image repository,
// tag and registry server an app's image is deployed from
// (deployed-app-* triggers) and the registry settings.
package registry

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
)

// Plugin returns the registry plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "registry",
		Description: "dokku core registry plugin",
		Summary:     "Manage registry settings for an app",
		Commands: []*plugin.Command{
			{Name: "registry:report", Args: "[<app>] [<flag>]", Desc: "Displays a registry report for one or more apps", Run: report.Command(reportSpec)},
			{Name: "registry:set", Args: "<app> <property> (<value>)", Desc: "Set or clear a registry property for an app", Run: setting.Command(setSpec)},
		},
		Triggers: map[string]plugin.Handler{
			"deployed-app-image-repo": triggerImageRepo,
			"deployed-app-image-tag":  triggerImageTag,
			"deployed-app-repository": triggerRepository,
			"install":                 plugin.InstallProperties(pluginName),
			"post-app-clone-setup":    plugin.CloneProperties(pluginName),
			"post-app-rename-setup":   plugin.RenameProperties(pluginName),
			"post-delete":             triggerPostDelete,
			"post-release-builder":    triggerPostReleaseBuilder,
			"report":                  report.Trigger(reportSpec),
		},
	}
}
