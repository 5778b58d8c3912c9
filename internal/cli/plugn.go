package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// runPlugn is the plugn face of the binary (runtime.md §6).
func runPlugn(args []string, reg *plugin.Registry) int {
	e := env.New(os.Environ())
	if e.Get("PLUGIN_PATH") == "" {
		if b, err := os.ReadFile(".plugn"); err == nil {
			e.Set("PLUGIN_PATH", strings.TrimSpace(string(b)))
		}
	}
	if e.Get("PLUGIN_PATH") == "" {
		fmt.Fprintln(os.Stderr, "!! PLUGIN_PATH is not set in environment")
		return 2
	}
	e = env.LoadChild(e.Environ())
	ctx := plugin.NewContext(e, reg)
	return ui.Render(Plugn(ctx, args), os.Stderr)
}

// Plugn runs one plugn command.
func Plugn(ctx *plugin.Context, args []string) error {
	e := ctx.Env
	if len(args) == 0 {
		fmt.Fprintln(ctx.Stdout, "Available commands:\n  config, disable, enable, init, install, list, source, trigger, uninstall, update, version")
		return nil
	}
	arg := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	switch args[0] {
	case "version":
		fmt.Fprintf(ctx.Stdout, "plugn: %s\n", ctx.Registry.Version)
	case "trigger":
		if len(args) < 2 {
			return ui.Fail("trigger name required")
		}
		return ctx.Trigger(args[1], args[2:]...)
	case "list":
		plugin.FormatList(ctx.Stdout, plugin.List(e))
	case "enable":
		return plugin.Enable(e, arg(1))
	case "disable":
		return plugin.Disable(e, arg(1))
	case "init":
		if err := plugin.Init(e); err != nil {
			return err
		}
		fmt.Fprintf(ctx.Stdout, "Initialized empty Plugn plugin path in %s\n", e.PluginPath())
	case "install":
		_, err := plugin.Install(ctx, plugin.InstallOptions{Source: arg(1), Name: arg(2)})
		return err
	case "uninstall":
		return plugin.Uninstall(e, arg(1))
	case "update":
		msg, err := plugin.Update(ctx, arg(1), arg(2))
		if msg != "" {
			fmt.Fprintln(ctx.Stdout, msg)
		}
		return err
	case "config-get":
		v, err := plugin.ConfigGet(e, arg(1), arg(2))
		if err != nil {
			return err
		}
		fmt.Fprintln(ctx.Stdout, v)
	case "config-set":
		return plugin.ConfigSet(e, arg(1), arg(2), arg(3))
	case "config-export":
		for _, kv := range plugin.ConfigExport(ctx, arg(1)) {
			k, v, _ := strings.Cut(kv, "=")
			fmt.Fprintf(ctx.Stdout, "export %s=\"%s\"\n", k, v)
		}
	case "source":
		for _, p := range ctx.EnabledPlugins() {
			f := filepath.Join(e.PluginEnabledPath(), p, p+".sh")
			if _, err := os.Stat(f); err == nil {
				fmt.Fprintf(ctx.Stdout, "source %s\n", f)
			}
		}
	default:
		return ui.Failf("Unknown plugn command %q", args[0])
	}
	return nil
}
