// Package buildernull is Dokku's builder-null core plugin: a builder that
// is never detected and builds nothing. Selected with
// `builder:set <app> selected null`, it lets an app run an image that was
// put in place some other way (releases of an existing image still work).
package buildernull

import (
	"io"

	"github.com/godokku/dokku/internal/plugin"
)

// Plugin returns the builder-null plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "builder-null",
		Description: "dokku core builder-null plugin",
		Summary:     "No-op builder plugin",
		Commands: []*plugin.Command{
			// the plugin has no commands: its help is a bare header
			{Name: "builder-null:help", Hidden: true, Run: runHelp},
		},
	}
}

func runHelp(ctx *plugin.Context, _ []string) error {
	io.WriteString(ctx.Stdout, "Usage: dokku builder-null[:COMMAND]\n\nNo-op builder plugin\n\n")
	return nil
}
