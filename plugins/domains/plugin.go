// Package domains is Dokku's domains core plugin.
package domains

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the domains plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "domains",
		Description: "dokku core domains plugin",
	}
}
