// Package buildernull is Dokku's builder-null core plugin.
package buildernull

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the builder-null plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "builder-null",
		Description: "dokku core builder-null plugin",
	}
}
