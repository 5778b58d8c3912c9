// Package sshkeys is Dokku's ssh-keys core plugin.
package sshkeys

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the ssh-keys plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "ssh-keys",
		Description: "dokku core ssh-keys plugin",
	}
}
