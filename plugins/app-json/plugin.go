// Package appjson is Dokku's app-json core plugin.
package appjson

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the app-json plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "app-json",
		Description: "dokku core app-json plugin",
	}
}
