package config

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/envfile"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// scope resolves (<app>|--global) from the positionals: the scope name and
// the remaining arguments.
func scope(ctx *plugin.Context, global bool, args []string) (string, []string, error) {
	if global {
		return Global, args, nil
	}
	if len(args) == 0 || args[0] == "" {
		return "", nil, ui.Fail("Please specify an app or --global")
	}
	if err := app.Verify(ctx, args[0]); err != nil {
		return "", nil, err
	}
	return args[0], args[1:], nil
}

// noTrailing refuses arguments a command does not take.
func noTrailing(rest []string) error {
	if len(rest) > 0 {
		// compat: Dokku 0.38 ignores them; an ignored word after config:clear
		// looks like a key to keep, so we refuse instead of clearing all.
		return ui.Failf("Trailing argument(s): %v", rest)
	}
	return nil
}

// environment returns an app's (optionally merged) or the global environment.
func environment(ctx *plugin.Context, name string, merged bool) (map[string]string, error) {
	if merged {
		return Merged(ctx, name)
	}
	return Load(ctx, name)
}

// --- config / config:show ---------------------------------------------------

type showOptions struct {
	global, merged, shell, export bool
}

func newShowCmd(ctx *plugin.Context) *cobra.Command { return newShowLikeCmd(ctx, false) }

// newConfigCmd is the bare `config`: config:show plus the deprecated
// --shell and --export flags.
func newConfigCmd(ctx *plugin.Context) *cobra.Command { return newShowLikeCmd(ctx, true) }

func newShowLikeCmd(ctx *plugin.Context, deprecated bool) *cobra.Command {
	o := &showOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error { return runShow(ctx, o, args) }}
	cmd.Flags().BoolVar(&o.global, "global", false, "use the global environment")
	cmd.Flags().BoolVar(&o.merged, "merged", false, "merge the app environment with the global environment")
	if deprecated {
		cmd.Flags().BoolVar(&o.shell, "shell", false, "single line for command-line utilities [deprecated]")
		cmd.Flags().BoolVar(&o.export, "export", false, "eval-compatible exports [deprecated]")
	}
	return cmd
}

func runShow(ctx *plugin.Context, o *showOptions, args []string) error {
	name, rest, err := scope(ctx, o.global, args)
	if err != nil {
		return err
	}
	if err := noTrailing(rest); err != nil {
		return err
	}
	m, err := environment(ctx, name, o.merged)
	if err != nil {
		return err
	}
	u := ctx.UI()
	switch {
	case o.shell && o.export:
		return ui.Fail("Only one of --shell and --export can be given")
	case o.shell:
		u.Warn("Deprecated: Use 'config:export --format shell' instead")
		s, _ := Export(m, "shell")
		fmt.Fprint(ctx.Stdout, strings.TrimSuffix(s, " "))
	case o.export:
		u.Warn("Deprecated: Use 'config:export --format exports' instead")
		s, _ := Export(m, "exports")
		fmt.Fprint(ctx.Stdout, s)
	default:
		u.Info2Quiet(name + " env vars")
		fmt.Fprintln(ctx.Stdout, Pretty("", m))
	}
	return nil
}

// --- config:get ----------------------------------------------------------------

type getOptions struct {
	global, quoted bool
	sub            bool // config_sub get: an unknown app is just a missing key
}

func newGetCmd(ctx *plugin.Context) *cobra.Command { return newGetLikeCmd(ctx, false) }

func newGetLikeCmd(ctx *plugin.Context, sub bool) *cobra.Command {
	o := &getOptions{sub: sub}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error { return runGet(ctx, o, args) }}
	cmd.Flags().BoolVar(&o.global, "global", false, "use the global environment")
	cmd.Flags().BoolVar(&o.quoted, "quoted", false, "get the value quoted")
	return cmd
}

func runGet(ctx *plugin.Context, o *getOptions, args []string) error {
	if o.sub && !o.global && len(args) > 0 && !app.Exists(ctx, args[0]) {
		return ui.Exit(1)
	}
	name, keys, err := scope(ctx, o.global, args)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return ui.Fail("Expected: key")
	}
	if len(keys) != 1 {
		return ui.Failf("Unexpected argument(s): %v", keys[1:])
	}
	v, ok, err := Get(ctx, name, keys[0])
	if err != nil {
		return err
	}
	if !ok {
		return ui.Exit(1)
	}
	if o.quoted {
		v = Quote(v)
	}
	fmt.Fprintln(ctx.Stdout, v)
	return nil
}

// --- config:set ----------------------------------------------------------------

type setOptions struct {
	global, encoded, noRestart bool
}

func newSetCmd(ctx *plugin.Context) *cobra.Command {
	o := &setOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error { return runSet(ctx, o, args) }}
	cmd.Flags().BoolVar(&o.global, "global", false, "use the global environment")
	cmd.Flags().BoolVar(&o.encoded, "encoded", false, "interpret VALUEs as base64")
	cmd.Flags().BoolVar(&o.noRestart, "no-restart", false, "do not restart the app")
	return cmd
}

func runSet(ctx *plugin.Context, o *setOptions, args []string) error {
	name, pairs, err := scope(ctx, o.global, args)
	if err != nil {
		return err
	}
	return setPairs(ctx, name, pairs, o.encoded, !o.noRestart)
}

// setPairs parses K=V words (values may hold anything, '=' included).
func setPairs(ctx *plugin.Context, name string, pairs []string, encoded, restart bool) error {
	if len(pairs) == 0 {
		return ui.Fail("At least one env pair must be given")
	}
	entries := make(map[string]string, len(pairs))
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			return ui.Failf("Invalid env pair: %v", p)
		}
		if encoded {
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return ui.Failf("%s for key '%s'", err.Error(), k)
			}
			v = string(b)
		}
		entries[k] = v
	}
	return SetMany(ctx, name, entries, restart)
}

// --- config:unset / config:clear --------------------------------------------

type unsetOptions struct {
	global, noRestart bool
}

func newUnsetCmd(ctx *plugin.Context) *cobra.Command {
	o := &unsetOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error { return runUnset(ctx, o, args) }}
	cmd.Flags().BoolVar(&o.global, "global", false, "use the global environment")
	cmd.Flags().BoolVar(&o.noRestart, "no-restart", false, "do not restart the app")
	return cmd
}

func runUnset(ctx *plugin.Context, o *unsetOptions, args []string) error {
	name, keys, err := scope(ctx, o.global, args)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return ui.Fail("At least one key must be given")
	}
	return UnsetMany(ctx, name, keys, !o.noRestart)
}

func newClearCmd(ctx *plugin.Context) *cobra.Command {
	o := &unsetOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error { return runClear(ctx, o, args) }}
	cmd.Flags().BoolVar(&o.global, "global", false, "use the global environment")
	cmd.Flags().BoolVar(&o.noRestart, "no-restart", false, "do not restart the app")
	return cmd
}

func runClear(ctx *plugin.Context, o *unsetOptions, args []string) error {
	name, rest, err := scope(ctx, o.global, args)
	if err != nil {
		return err
	}
	if err := noTrailing(rest); err != nil {
		return err
	}
	return UnsetAll(ctx, name, !o.noRestart)
}

// --- config:keys / config:export / config:bundle ------------------------------

type readOptions struct {
	global, merged bool
	format         string
}

func newReadCmd(ctx *plugin.Context, run func(*plugin.Context, *readOptions, []string) error, withFormat bool) *cobra.Command {
	o := &readOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error { return run(ctx, o, args) }}
	cmd.Flags().BoolVar(&o.global, "global", false, "use the global environment")
	cmd.Flags().BoolVar(&o.merged, "merged", false, "merge the app environment with the global environment")
	if withFormat {
		cmd.Flags().StringVar(&o.format, "format", "exports", "export format")
	}
	return cmd
}

func newKeysCmd(ctx *plugin.Context) *cobra.Command   { return newReadCmd(ctx, runKeys, false) }
func newExportCmd(ctx *plugin.Context) *cobra.Command { return newReadCmd(ctx, runExport, true) }
func newBundleCmd(ctx *plugin.Context) *cobra.Command { return newReadCmd(ctx, runBundle, false) }

func readScope(ctx *plugin.Context, o *readOptions, args []string) (map[string]string, error) {
	name, rest, err := scope(ctx, o.global, args)
	if err != nil {
		return nil, err
	}
	if err := noTrailing(rest); err != nil {
		return nil, err
	}
	return environment(ctx, name, o.merged)
}

func runKeys(ctx *plugin.Context, o *readOptions, args []string) error {
	m, err := readScope(ctx, o, args)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, k := range envfile.SortedKeys(m) {
		b.WriteString(k)
		b.WriteByte('\n')
	}
	fmt.Fprint(ctx.Stdout, b.String())
	return nil
}

func runExport(ctx *plugin.Context, o *readOptions, args []string) error {
	m, err := readScope(ctx, o, args)
	if err != nil {
		return err
	}
	s, err := Export(m, o.format)
	if err != nil {
		return ui.Fail(err.Error())
	}
	fmt.Fprint(ctx.Stdout, s)
	return nil
}

func runBundle(ctx *plugin.Context, o *readOptions, args []string) error {
	m, err := readScope(ctx, o, args)
	if err != nil {
		return err
	}
	return Bundle(ctx.Stdout, m)
}
