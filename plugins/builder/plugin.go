// Package builder is Dokku's builder core plugin.
package builder

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the builder plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "builder",
		Description: "dokku core builder plugin",
	}
}
