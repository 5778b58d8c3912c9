// Package git is Dokku's git core plugin.
package git

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the git plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "git",
		Description: "dokku core git plugin",
	}
}
