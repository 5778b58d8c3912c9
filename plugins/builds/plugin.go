// Package builds is Dokku's builds core plugin.
package builds

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the builds plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "builds",
		Description: "dokku core builds plugin",
	}
}
