// Package standard is Dokku's 00_dokku-standard core plugin: the bare
// commands (report, url, urls, deploy, cleanup).
package standard

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the 00_dokku-standard plugin registration.
func Plugin() *plugin.Plugin {
	p := &plugin.Plugin{
		Name:        "00_dokku-standard",
		Description: "dokku core standard plugin",
		Triggers:    map[string]plugin.Handler{},
	}
	addStandard(p) // standard.go: report, url, urls, deploy
	addCleanup(p)  // cleanup.go: cleanup (docker)
	return p
}
