// Package proxy is Dokku's proxy core plugin.
package proxy

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the proxy plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "proxy",
		Description: "dokku core proxy plugin",
	}
}
