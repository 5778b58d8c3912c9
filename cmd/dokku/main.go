// Command dokku is the front of the Dokku CLI: it runs the read-only
// commands scripts call most (version, apps:list, config:get...) with the
// plugins that need no Docker client, and hands every other command to
// dokku-engine beside it (internal/cli/front.go says why).
package main

import (
	"os"

	"github.com/godokku/dokku/internal/cli"
	"github.com/godokku/dokku/plugins/light"
)

func main() {
	os.Exit(cli.Front(os.Args, light.Registry(), light.Commands))
}
