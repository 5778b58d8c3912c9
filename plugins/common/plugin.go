// Package shellapi is Dokku's common core plugin: the bash function library
// community plugins source (functions, property-functions, ...), its helper
// executables (prop, common) and the pipeline triggers implemented by
// "common" in Dokku (release-and-deploy, deploy, app-list ...).
package shellapi

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the common plugin registration.
func Plugin() *plugin.Plugin {
	p := &plugin.Plugin{
		Name:        "common",
		Description: "dokku core common plugin",
		Triggers:    map[string]plugin.Handler{},
		Tools:       map[string]plugin.Handler{},
		Files:       map[string]string{},
	}
	addShellAPI(p) // shellapi.go: shell library files, prop/common tools, app-list
	addPipeline(p) // pipeline.go: release-and-deploy, deploy
	return p
}
