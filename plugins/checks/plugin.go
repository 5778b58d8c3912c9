// Package checks is Dokku's checks core plugin.
package checks

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the checks plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "checks",
		Description: "dokku core checks plugin",
	}
}
