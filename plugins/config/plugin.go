// Package config is Dokku's config core plugin.
package config

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the config plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "config",
		Description: "dokku core config plugin",
	}
}
