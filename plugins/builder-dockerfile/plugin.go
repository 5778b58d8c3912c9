// Package builderdockerfile is Dokku's builder-dockerfile core plugin.
package builderdockerfile

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the builder-dockerfile plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "builder-dockerfile",
		Description: "dokku core builder-dockerfile plugin",
	}
}
