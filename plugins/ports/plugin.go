// Package ports is Dokku's ports core plugin.
package ports

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the ports plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "ports",
		Description: "dokku core ports plugin",
	}
}
