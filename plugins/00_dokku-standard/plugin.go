// Package standard is Dokku's 00_dokku-standard core plugin.
package standard

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the 00_dokku-standard plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "00_dokku-standard",
		Description: "dokku core standard plugin",
	}
}
