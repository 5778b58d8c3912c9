package standard

import "github.com/godokku/dokku/internal/plugin"

// addStandard registers report, url, urls and deploy.
func addStandard(p *plugin.Plugin) {}
