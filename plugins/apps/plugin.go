// Package apps is Dokku's apps core plugin.
package apps

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the apps plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "apps",
		Description: "dokku core apps plugin",
	}
}
