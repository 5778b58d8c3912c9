// Package shellapi is Dokku's common core plugin.
package shellapi

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the common plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "common",
		Description: "dokku core common plugin",
	}
}
