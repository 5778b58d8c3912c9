// Command dokku is the Dokku CLI, the plugn trigger runner and every core
// plugin entry point, chosen by argv[0].
package main

import (
	"os"

	"github.com/godokku/dokku/internal/cli"
	"github.com/godokku/dokku/plugins"
)

func main() {
	os.Exit(cli.Main(os.Args, plugins.Registry()))
}
