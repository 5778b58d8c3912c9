package cli

import "github.com/godokku/dokku/internal/plugin"

// maybeCaptureBuild is the dispatcher's build capture hook for git-hook,
// ps:rebuild and ps:restart (runtime.md §9.2).
func maybeCaptureBuild(ctx *plugin.Context, cmd string, args []string) error {
	return nil
}
