// Command dokku-engine is the full Dokku binary: the dispatcher with every
// core plugin linked in, the plugn trigger runner and every core plugin
// entry point, chosen by argv[0]. /usr/bin/dokku (cmd/dokku) hands it every
// command it does not run itself.
package main

import (
	"os"

	"github.com/godokku/dokku/internal/cli"
	"github.com/godokku/dokku/plugins"
)

func main() {
	os.Exit(cli.Main(os.Args, plugins.Registry()))
}
