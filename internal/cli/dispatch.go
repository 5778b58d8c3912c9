package cli

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// commandAliases rewrite the namespace of the command itself.
var commandAliases = map[string]string{
	"docker-local": "scheduler-docker-local",
	"dockerfile":   "builder-dockerfile",
	"herokuish":    "builder-herokuish",
	"k3s":          "scheduler-k3s",
	"lambda":       "builder-lambda",
	"nixpacks":     "builder-nixpacks",
	"pack":         "builder-pack",
	"rails":        "builder-railpack",
}

// dirAliases change only the plugin directory a namespace lives in.
var dirAliases = map[string]string{
	"events":    "20_events",
	"caddy":     "caddy-vhosts",
	"haproxy":   "haproxy-vhosts",
	"nginx":     "nginx-vhosts",
	"openresty": "openresty-vhosts",
	"traefik":   "traefik-vhosts",
}

// standardCommands live in 00_dokku-standard.
var standardCommands = map[string]bool{"deploy": true, "cleanup": true, "url": true, "urls": true, "report": true}

func splitNS(word string) (ns, rest string, has bool) {
	return strings.Cut(word, ":")
}

// resolveName returns (PLUGIN_NAME, PLUGIN_CMD, rewritten args).
func resolveName(args []string) (string, string, []string) {
	word := args[0]
	ns, rest, has := splitNS(word)
	if to, ok := commandAliases[ns]; ok {
		word = to
		if has {
			word += ":" + rest
		}
		args = append([]string{word}, args[1:]...)
		ns = to
	}
	name, cmd := word, word
	if to, ok := dirAliases[ns]; ok {
		name = to
		if has {
			name += ":" + rest
		}
	} else if standardCommands[word] {
		name = "00_dokku-standard"
	}
	return name, cmd, args
}

// execute is execute_dokku_cmd (runtime.md §4).
func execute(ctx *plugin.Context, args []string) (err error) {
	e := ctx.Env
	name, cmd, args := resolveName(args)
	enabled := e.PluginEnabledPath()
	prefix, _, _ := splitNS(name)

	if plugin.IsCore(e, prefix) {
		rest := args
		if len(rest) > 0 && rest[0] == cmd {
			rest = rest[1:]
		}
		if app := e.Get("DOKKU_APP_NAME"); app != "" {
			rest = append([]string{app}, rest...)
		}
		args = append([]string{cmd}, rest...)
	}

	finishCapture, err := maybeCaptureBuild(ctx, cmd, args)
	if err != nil {
		return err
	}
	defer func() { finishCapture(err) }()

	_, sub, _ := splitNS(args[0])
	candidates := []struct{ dir, file string }{
		{name, "default"},
		{name, cmd},
	}
	if sub != "" {
		candidates = append(candidates, struct{ dir, file string }{prefix, sub})
	}
	for _, c := range candidates {
		if strings.Contains(c.dir, "/") || strings.Contains(c.file, "/") || c.dir == ".." || c.file == ".." {
			continue
		}
		path := filepath.Join(enabled, c.dir, "subcommands", c.file)
		if !isExecutable(path) {
			continue
		}
		return runSubcommand(ctx, c.dir, c.file, path, args)
	}

	implemented := false
	for _, p := range ctx.EnabledPlugins() {
		path := filepath.Join(enabled, p, "commands")
		if !isExecutable(path) {
			continue
		}
		err := runCommandsFile(ctx, p, path, args)
		code := ui.Code(err)
		if code == ui.ExitNotImplemented {
			continue
		}
		implemented = true
		if code != 0 {
			return err
		}
	}
	if !implemented {
		u := ctx.UI()
		u.Warn("`" + strings.Join(args, " ") + "` is not a dokku command.")
		u.Warn("See `dokku help` for a list of available commands.")
		return ui.Exit(1)
	}
	return nil
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// runSubcommand runs a subcommands/ file, in-process for core entries.
func runSubcommand(ctx *plugin.Context, dir, file, path string, args []string) error {
	if p := ctx.Registry.Get(dir); p != nil && ctx.FastPath && plugin.IsCoreEntry(path) {
		ctx = ctx.WithIO(nil, nil, nil)
		ctx.Plugin = dir
		return p.RunSubcommand(ctx, file, args)
	}
	return runFile(ctx, path, args)
}

// runCommandsFile runs a plugin's commands file; its error carries the code.
func runCommandsFile(ctx *plugin.Context, name, path string, args []string) error {
	if p := ctx.Registry.Get(name); p != nil && ctx.FastPath && plugin.IsCoreEntry(path) {
		c := ctx.WithIO(nil, nil, nil)
		c.Plugin = name
		err := p.RunCommands(c, args)
		if err != nil && ui.Code(err) != ui.ExitNotImplemented {
			return ui.Exit(max(ui.Render(err, ctx.Stderr), 1))
		}
		return err
	}
	return runFile(ctx, path, args)
}
