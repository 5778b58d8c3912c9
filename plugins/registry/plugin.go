// Package registry is Dokku's registry core plugin.
package registry

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the registry plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "registry",
		Description: "dokku core registry plugin",
	}
}
