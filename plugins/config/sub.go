package config

import (
	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// subActions are the verbs of the config_sub tool behind config/functions.
var subActions = map[string]func(*plugin.Context) *cobra.Command{
	"bundle": newBundleCmd,
	"clear":  newClearCmd,
	"export": newExportCmd,
	"get":    newSubGetCmd,
	"import": newImportCmd,
	"keys":   newKeysCmd,
	"set":    newSetCmd,
	"show":   newConfigCmd, // config_all also passes --shell/--export
	"unset":  newUnsetCmd,
}

// newSubGetCmd is config:get where an unknown app is a missing key (exit 1).
func newSubGetCmd(ctx *plugin.Context) *cobra.Command { return newGetLikeCmd(ctx, true) }

// runSub is config_sub <action> [flags] (<app>|--global) [args...].
func runSub(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return ui.Fail("Invalid plugin config_sub call: ")
	}
	mk, ok := subActions[args[0]]
	if !ok {
		return ui.Failf("Invalid plugin config_sub call: %s", args[0])
	}
	return plugin.Cobra(mk)(ctx, append([]string{"config:" + args[0]}, args[1:]...))
}
