// Package network is Dokku's network core plugin.
package network

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the network plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "network",
		Description: "dokku core network plugin",
	}
}
