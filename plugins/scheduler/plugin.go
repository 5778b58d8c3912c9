// Package scheduler is Dokku's scheduler core plugin.
package scheduler

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the scheduler plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "scheduler",
		Description: "dokku core scheduler plugin",
	}
}
