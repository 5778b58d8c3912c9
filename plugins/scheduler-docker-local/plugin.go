// Package schedulerdockerlocal is Dokku's scheduler-docker-local core plugin.
package schedulerdockerlocal

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the scheduler-docker-local plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "scheduler-docker-local",
		Description: "dokku core scheduler-docker-local plugin",
	}
}
