// Package schedulernull is Dokku's scheduler-null core plugin.
package schedulernull

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the scheduler-null plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "scheduler-null",
		Description: "dokku core scheduler-null plugin",
	}
}
