package cli

import (
	"os"
	"path/filepath"

	"github.com/godokku/dokku/internal/plugin"
)

// bootstrap writes the core plugin tree when it is missing (a fresh host or
// development root), so the first `dokku plugin:install` can be resolved
// like any other command. It needs write access; without it nothing happens
// and resolution reports the command as unknown.
func bootstrap(ctx *plugin.Context) error {
	if _, err := os.Stat(filepath.Join(ctx.Env.PluginEnabledPath(), "plugin")); err == nil {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if err := plugin.WriteCore(ctx.Env, ctx.Registry, exe); err != nil {
		if os.IsPermission(err) {
			return nil
		}
		return err
	}
	ctx.ForgetLookups()
	return nil
}
