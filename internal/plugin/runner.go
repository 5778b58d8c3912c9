package plugin

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/ui"
)

// EventsPlugin is ignored when asking whether a trigger is implemented.
const EventsPlugin = "20_events"

// entryInfo caches what a plugin directory holds under a name.
type entryInfo struct {
	exists, executable, core bool
}

// lookup stats <enabled>/<plugin>/<name> once per process.
func (c *Context) lookup(plugin, name string) entryInfo {
	path := filepath.Join(c.Env.PluginEnabledPath(), plugin, name)
	c.shared.mu.Lock()
	info, ok := c.shared.lookups[path]
	c.shared.mu.Unlock()
	if ok {
		return info
	}
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		info.exists = true
		info.executable = fi.Mode()&0o111 != 0
		info.core = IsCoreEntry(path)
	}
	c.shared.mu.Lock()
	c.shared.lookups[path] = info
	c.shared.mu.Unlock()
	return info
}

// ForgetLookups drops cached directory knowledge (after plugin changes).
func (c *Context) ForgetLookups() {
	c.shared.mu.Lock()
	c.shared.lookups = map[string]entryInfo{}
	delete(c.shared.services, "plugin.enabled")
	c.shared.mu.Unlock()
}

// IsCoreEntry reports whether path is an entry point WriteCore made: a
// symlink (to the dokku binary). Callers also check that the plugin is a
// registered core plugin, so the handler of this very binary serves it
// whatever the link names (an upgrade, a development build).
func IsCoreEntry(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode()&os.ModeSymlink != 0
}

// EnabledPlugins lists $PLUGIN_ENABLED_PATH in byte order (bash glob order
// under LC_ALL=C), cached for the process.
func (c *Context) EnabledPlugins() []string {
	v, _ := Service(c, "plugin.enabled", func(c *Context) ([]string, error) {
		return listDir(c.Env.PluginEnabledPath()), nil
	})
	return v
}

func listDir(dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		// Like the bash glob plugn walks (no dotglob): staging and
		// temp entries start with a dot.
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// Implementers lists the enabled plugins holding a file named after the
// trigger, in run order.
func (c *Context) Implementers(trigger string) []string {
	var out []string
	for _, p := range c.EnabledPlugins() {
		if c.lookup(p, trigger).exists {
			out = append(out, p)
		}
	}
	return out
}

// TriggerExists reports whether a plugin other than 20_events implements it
// (fn-plugn-trigger-exists).
func (c *Context) TriggerExists(trigger string) bool {
	for _, p := range c.Implementers(trigger) {
		if p != EventsPlugin {
			return true
		}
	}
	return false
}

// run is the trigger walk.
func (c *Context) run(name string, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if strings.ContainsAny(name, "/\x00") || name == "" || name == "." || name == ".." {
		return ui.Failf("Invalid trigger name %q", name)
	}
	for _, p := range c.EnabledPlugins() {
		info := c.lookup(p, name)
		if !info.exists {
			continue
		}
		if !info.executable {
			fmt.Fprintf(stderr, "Trigger '%s' is not executable, skipping plugin (%s)\n", name, p)
			continue
		}
		var err error
		if h := c.coreTrigger(info, p, name); h != nil {
			err = c.callInProcess(p, h, args, stdin, stdout, stderr)
		} else {
			path := filepath.Join(c.Env.PluginEnabledPath(), p, name)
			err = c.execEntry(p, path, args, stdin, stdout, stderr)
		}
		if err != nil {
			return &TriggerError{Trigger: name, Plugin: p, Code: ui.Code(err)}
		}
	}
	return nil
}

func (c *Context) coreTrigger(info entryInfo, plugin, name string) Handler {
	if !info.core || !c.FastPath {
		return nil
	}
	p := c.Registry.Get(plugin)
	if p == nil {
		return nil
	}
	if h := p.Triggers[name]; h != nil {
		return h
	}
	return p.Tools[name]
}

// callInProcess runs a core handler as if it were a process: its error is
// printed on its stderr and only the exit code travels back.
func (c *Context) callInProcess(plugin string, h Handler, args []string, stdin io.Reader, stdout, stderr io.Writer) (err error) {
	child := c.WithIO(stdin, stdout, stderr)
	child.Plugin = plugin
	if cfg := c.configExports(plugin); len(cfg) > 0 {
		e := c.Env.Clone()
		for _, kv := range cfg {
			k, v, _ := strings.Cut(kv, "=")
			e.Set(k, v)
		}
		child.Env = e
	}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, " !     internal error in %s: %v\n%s", plugin, r, debug.Stack())
			err = ui.Exit(1)
		}
	}()
	if herr := h(child, append([]string(nil), args...)); herr != nil {
		return ui.Exit(max(ui.Render(herr, stderr), 1))
	}
	return nil
}

// execEntry runs a plugin executable with the trigger's contract: argv[0]
// is its path, the environment carries the plugin's CONFIG_* exports.
func (c *Context) execEntry(plugin, path string, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return proc.Run(context.Background(), proc.Cmd{
		Name: path, Args: args, Env: c.Env.With(c.configExports(plugin)...),
		Stdin: stdin, Stdout: stdout, Stderr: stderr,
	})
}

// configExports is plugn's config-export: for every key under
// [plugin.config] in the plugin's plugin.toml, CONFIG_<KEY> is
// $<PLUGIN>_<KEY> when set and non-empty, else the value stored for the
// plugin in $PLUGIN_PATH/config.toml.
func (c *Context) configExports(plugin string) []string {
	meta, err := c.meta(plugin)
	if err != nil || meta == nil || len(meta.Config) == 0 {
		return nil
	}
	stored := c.pluginConfig()[plugin]
	prefix := envName(plugin)
	var out []string
	for _, key := range slices.Sorted(maps.Keys(meta.Config)) {
		k := envName(key)
		v := c.Env.Get(prefix + "_" + k)
		if v == "" {
			v = stored[key]
		}
		out = append(out, "CONFIG_"+k+"="+v)
	}
	return out
}

func envName(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "-", "_")) }

// meta reads and caches a plugin's plugin.toml (from available/).
func (c *Context) meta(plugin string) (*Meta, error) {
	type result struct {
		m   *Meta
		err error
	}
	r, _ := Service(c, "plugin.meta."+plugin, func(c *Context) (result, error) {
		if p := c.Registry.Get(plugin); p != nil && IsCoreEntry(filepath.Join(c.Env.PluginEnabledPath(), plugin, "commands")) {
			m := &Meta{Description: p.Description, Version: c.Registry.Version, Config: map[string]any{}}
			for k, v := range p.Config {
				m.Config[k] = v
			}
			return result{m: m}, nil
		}
		m, err := ReadMeta(filepath.Join(c.Env.PluginAvailablePath(), plugin))
		return result{m, err}, nil
	})
	return r.m, r.err
}

// pluginConfig reads $PLUGIN_PATH/config.toml once.
func (c *Context) pluginConfig() map[string]map[string]string {
	v, _ := Service(c, "plugin.config.toml", func(c *Context) (map[string]map[string]string, error) {
		out := map[string]map[string]string{}
		b, err := os.ReadFile(filepath.Join(c.Env.PluginPath(), "config.toml"))
		if err == nil {
			toml.Decode(string(b), &out)
		}
		return out, nil
	})
	return v
}
