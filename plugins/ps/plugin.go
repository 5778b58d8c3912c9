// Package ps is Dokku's ps core plugin.
package ps

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the ps plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "ps",
		Description: "dokku core ps plugin",
	}
}
