package standard

import "github.com/godokku/dokku/internal/plugin"

// addCleanup registers the cleanup command.
func addCleanup(p *plugin.Plugin) {}
