package pluginmgr

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// errInvalidArgs is Dokku's answer to arguments plugin:install cannot use.
var errInvalidArgs = plugin.ErrInvalidSource

type installOptions struct {
	core        bool
	skipTrigger bool
	committish  string
	name        string
	source      string
	extra       []string // words after the source (or after --core)
}

// parseInstallArgs reads plugin:install's arguments. It is hand-written
// rather than cobra-parsed because Dokku answers any unknown flag with
// "Please retry with valid arguments". Flags may sit anywhere; the
// dispatcher's global flags are accepted and ignored.
//
// compat: a second word after the source names the plugin, as the
// `plugin:install <url> <name>` form of older Dokku releases did.
func parseInstallArgs(args []string) (installOptions, error) {
	var o installOptions
	var words []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		flag, value, hasValue := strings.Cut(a, "=")
		switch {
		case a == "--core":
			o.core = true
		case a == "--skip-install-trigger":
			o.skipTrigger = true
		case a == "--quiet" || a == "--trace" || a == "--force":
		case flag == "--committish" || flag == "--name":
			if !hasValue {
				if i+1 >= len(args) || strings.HasPrefix(args[i+1], "--") {
					return o, errInvalidArgs
				}
				i++
				value = args[i]
			}
			if flag == "--name" {
				o.name = value
			} else {
				o.committish = value
			}
		case strings.HasPrefix(a, "-"):
			return o, errInvalidArgs
		default:
			words = append(words, a)
		}
	}
	if o.core {
		o.extra = words
		return o, nil
	}
	if len(words) > 0 {
		o.source = words[0]
	}
	if len(words) > 1 {
		o.extra = words[1:]
	}
	switch {
	case len(o.extra) > 1:
		return o, errInvalidArgs
	case len(o.extra) == 1 && o.name == "":
		o.name = o.extra[0]
	case len(o.extra) == 1:
		return o, errInvalidArgs
	}
	if o.source == "" && (o.name != "" || o.committish != "") {
		return o, errInvalidArgs
	}
	return o, nil
}

// runInstall is plugin:install.
//
//   - no source: rewrite the core plugin tree from this binary, then fire
//     `install` for every enabled plugin;
//   - --core: the same, with PLUGIN_PATH pointing at the core tree so only
//     core plugins answer;
//   - a source: download it into $PLUGIN_PATH/available/<name>, enable it,
//     then fire `install` for every plugin (unless --skip-install-trigger).
func runInstall(ctx *plugin.Context, args []string) error {
	o, err := parseInstallArgs(args[1:])
	if err != nil {
		return err
	}
	u := ctx.UI()
	if o.core || o.source == "" {
		if o.core && (len(o.extra) > 0 || o.name != "" || o.committish != "") {
			u.Info1Quiet("Cannot install additional core plugins, running core plugin install trigger")
		}
		if err := writeCore(ctx); err != nil {
			return err
		}
		if !o.skipTrigger {
			c := ctx
			if o.core {
				c = coreContext(ctx)
			}
			err := c.Trigger("install")
			ctx.ForgetLookups()
			if err != nil {
				return err
			}
		}
		primeCompletion(ctx)
		return nil
	}

	src, err := plugin.ParseSource(o.source)
	if err != nil {
		return err
	}
	name := o.name
	if name == "" {
		name = plugin.DefaultName(o.source)
	}
	if plugin.ValidInstallName(name) != nil {
		return ui.Fail("Invalid plugin name specified")
	}
	if o.committish != "" && src.Kind != plugin.SourceGit {
		return ui.Fail("The --committish flag can only be used with a git source")
	}
	u.Info1Quiet(fmt.Sprintf("Cloning plugin repo %s to %s/%s", o.source, ctx.Env.PluginAvailablePath(), name))
	res, err := plugin.InstallSource(ctx, plugin.InstallOptions{Source: o.source, Name: name, Committish: o.committish})
	if err != nil {
		return err
	}
	if !plugin.IsEnabled(ctx.Env, name) {
		if err := plugin.Enable(ctx.Env, name); err != nil {
			return err
		}
		u.Info1Quiet(fmt.Sprintf("Plugin %s enabled", name))
	}
	if o.committish != "" {
		msg := fmt.Sprintf("Plugin (%s) updated and pinned to %s", name, o.committish)
		if res.Existing {
			if msg, err = plugin.Update(ctx, name, o.committish); err != nil {
				return err
			}
		}
		fmt.Fprintln(ctx.Stdout, msg)
	}
	ctx.ForgetLookups()
	if !o.skipTrigger {
		if err := ctx.Trigger("install"); err != nil {
			return err
		}
	}
	primeCompletion(ctx)
	return nil
}

// writeCore materialises the core plugins of this binary.
func writeCore(ctx *plugin.Context) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if err := plugin.WriteCore(ctx.Env, ctx.Registry, exe); err != nil {
		return err
	}
	ctx.ForgetLookups()
	return nil
}

// coreContext points the plugin paths at the core tree, as Dokku's
// `PLUGIN_PATH=$PLUGIN_CORE_PATH plugn trigger ...` does. The caller must
// ForgetLookups on its own context afterwards: the caches are shared.
func coreContext(ctx *plugin.Context) *plugin.Context {
	e := ctx.Env.Clone()
	e.Set("PLUGIN_PATH", e.PluginCorePath())
	e.Set("PLUGIN_ENABLED_PATH", e.PluginCoreEnabledPath())
	e.Set("PLUGIN_AVAILABLE_PATH", e.PluginCoreAvailablePath())
	c := ctx.WithEnv(e)
	c.ForgetLookups()
	return c
}

type installDependenciesOptions struct {
	core bool
}

func newInstallDependenciesCmd(ctx *plugin.Context) *cobra.Command {
	o := &installDependenciesOptions{}
	cmd := &cobra.Command{RunE: func(*cobra.Command, []string) error { return runInstallDependencies(ctx, o) }}
	cmd.Flags().BoolVar(&o.core, "core", false, "")
	plugin.GlobalFlags(cmd, "app")
	return cmd
}

// runInstallDependencies is plugin:install-dependencies: fire
// `dependencies`, for core plugins only with --core.
func runInstallDependencies(ctx *plugin.Context, o *installDependenciesOptions) error {
	c := ctx
	if o.core {
		c = coreContext(ctx)
		defer ctx.ForgetLookups()
	}
	return c.Trigger("dependencies")
}
