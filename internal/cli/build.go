package cli

import (
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/capture"
	"github.com/godokku/dokku/internal/plugin"
)

// captureSources are the commands whose output the dispatcher captures as
// a build (runtime.md §4 step 5): the command word is the build source.
var captureSources = map[string]bool{"git-hook": true, "ps:rebuild": true, "ps:restart": true}

// maybeCaptureBuild is the dispatcher's build capture for git-hook,
// ps:rebuild and ps:restart (runtime.md §9.2): `dokku_setup_build_capture
// "$2" <cmd>`. It starts only for an existing app named by args[1] (not
// for --all) and only once per process tree; the returned func records
// the command's outcome and must be called with its error.
func maybeCaptureBuild(ctx *plugin.Context, cmd string, args []string) (func(error), error) {
	none := func(error) {}
	if !captureSources[cmd] || len(args) < 2 || strings.HasPrefix(args[1], "-") || capture.Active(ctx.Env) {
		return none, nil
	}
	name := args[1]
	if !app.Exists(ctx, name) {
		return none, nil
	}
	s, err := capture.Start(ctx, name, cmd)
	if err != nil || s == nil {
		return none, err
	}
	return s.Finish, nil
}
