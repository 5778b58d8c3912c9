// Package events is Dokku's 20_events core plugin.
package events

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the 20_events plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "20_events",
		Description: "dokku core events logging plugin",
	}
}
