package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
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
	// plugn walks $PLUGIN_PATH/{available,enabled}, whatever the derived
	// variables say (Dokku runs `PLUGIN_PATH=$PLUGIN_CORE_PATH plugn ...`).
	e.Set("PLUGIN_AVAILABLE_PATH", filepath.Join(e.PluginPath(), "available"))
	e.Set("PLUGIN_ENABLED_PATH", filepath.Join(e.PluginPath(), "enabled"))
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
		infos := plugin.List(e)
		plugin.FormatList(ctx.Stdout, infos)
		for _, i := range infos {
			if i.Err != nil {
				fmt.Fprintf(ctx.Stderr, "plugn: %s: %v\n", i.Name, i.Err)
			}
		}
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
		return configExport(ctx, arg(1))
	case "source":
		for _, p := range ctx.EnabledPlugins() {
			f := filepath.Join(e.PluginEnabledPath(), p, p+".sh")
			if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() {
				fmt.Fprintf(ctx.Stdout, "source %s\n", f)
			}
		}
	default:
		return ui.Failf("Unknown plugn command %q", args[0])
	}
	return nil
}

// configExport prints, for every key declared under [plugin.config] in the
// plugin's plugin.toml, a line for the shell to eval that prefers
// $<PLUGIN>_<KEY> and falls back to the value stored in
// $PLUGIN_PATH/config.toml (keys sorted; the value is escaped for double
// quotes, which plugn does not do).
func configExport(ctx *plugin.Context, name string) error {
	if plugin.ValidName(name) != nil {
		return nil
	}
	meta, err := plugin.ReadMeta(filepath.Join(ctx.Env.PluginAvailablePath(), name))
	if err != nil || len(meta.Config) == 0 {
		return nil
	}
	keys := make([]string, 0, len(meta.Config))
	for k := range meta.Config {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	prefix := shellName(name)
	quote := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	for _, k := range keys {
		v, _ := plugin.ConfigGet(ctx.Env, name, k)
		fmt.Fprintf(ctx.Stdout, "export CONFIG_%s=\"${%s_%s:-\"%s\"}\"\n", shellName(k), prefix, shellName(k), quote.Replace(v))
	}
	return nil
}

func shellName(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "-", "_")) }
