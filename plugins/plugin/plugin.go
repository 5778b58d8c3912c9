// Package pluginmgr is Dokku's plugin core plugin.
package pluginmgr

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the plugin plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "plugin",
		Description: "dokku core plugin plugin",
	}
}
