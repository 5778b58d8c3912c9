// Package nginxvhosts is Dokku's nginx-vhosts core plugin.
package nginxvhosts

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the nginx-vhosts plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "nginx-vhosts",
		Description: "dokku core nginx-vhosts plugin",
	}
}
