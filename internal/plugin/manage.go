package plugin

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/property"
)

// ValidName reports whether a plugin name is usable as a directory name.
func ValidName(name string) error {
	if err := property.ValidName(name); err != nil || strings.HasPrefix(name, ".") {
		return fmt.Errorf("Invalid plugin name: %q", name)
	}
	return nil
}

// IsCore reports whether an enabled (or available) plugin resolves into
// the core plugin tree (`readlink -f` contains core-plugins, as Dokku checks).
func IsCore(e *env.Env, name string) bool {
	for _, base := range []string{e.PluginEnabledPath(), e.PluginAvailablePath()} {
		if real, err := filepath.EvalSymlinks(filepath.Join(base, name)); err == nil {
			return strings.Contains(real, "core-plugins")
		}
	}
	return false
}

// IsEnabled reports whether $PLUGIN_ENABLED_PATH/<name> exists.
func IsEnabled(e *env.Env, name string) bool {
	_, err := os.Stat(filepath.Join(e.PluginEnabledPath(), name))
	return err == nil
}

// Info is one line of `plugn list`.
type Info struct {
	Name, Version, Description string
	Enabled, Core              bool
	Err                        error // plugin.toml could not be read
}

// List reads every plugin in $PLUGIN_PATH/available. A plugin with a
// broken plugin.toml is listed with Err set; the others are unaffected.
func List(e *env.Env) []Info {
	var out []Info
	for _, name := range listDir(e.PluginAvailablePath()) {
		dir := filepath.Join(e.PluginAvailablePath(), name)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		inf := Info{Name: name, Enabled: IsEnabled(e, name), Core: IsCore(e, name)}
		if m, err := ReadMeta(dir); err != nil {
			inf.Err = err
		} else {
			inf.Version, inf.Description = m.Version, m.Description
		}
		out = append(out, inf)
	}
	return out
}

// FormatList renders `plugn list` lines.
func FormatList(w io.Writer, infos []Info) {
	for _, i := range infos {
		status := "disabled"
		if i.Enabled {
			status = "enabled"
		}
		fmt.Fprintf(w, "  %-20s %-5s %-10s %s\n", i.Name, i.Version, status, i.Description)
	}
}

// Enable links available/<name> into enabled/ (plugn enable).
func Enable(e *env.Env, name string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(e.PluginAvailablePath(), name)); err != nil {
		return fmt.Errorf("Plugin %s is not installed", name)
	}
	return replaceSymlink(filepath.Join(e.PluginAvailablePath(), name), filepath.Join(e.PluginEnabledPath(), name))
}

// Disable removes enabled/<name> (plugn disable).
func Disable(e *env.Env, name string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	err := os.Remove(filepath.Join(e.PluginEnabledPath(), name))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// Init creates the plugin tree (plugn init) for both core and community paths.
func Init(e *env.Env) error {
	for _, d := range []string{e.PluginAvailablePath(), e.PluginEnabledPath(), e.PluginCoreAvailablePath(), e.PluginCoreEnabledPath()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	cfg := filepath.Join(e.PluginPath(), "config.toml")
	if _, err := os.Stat(cfg); errors.Is(err, os.ErrNotExist) {
		return os.WriteFile(cfg, nil, 0o644)
	}
	return nil
}

// WriteCore materialises every registered core plugin from its Go
// registration: plugin.toml, files, and symlinks to exe for commands,
// subcommands, triggers and tools; then links and enables it in both trees.
// Each plugin directory becomes exactly its registration: it is built in a
// staging directory and swapped into place, so files left by an older
// version (or by Dokku itself on a host being converted) are gone.
func WriteCore(e *env.Env, reg *Registry, exe string) error {
	if err := Init(e); err != nil {
		return err
	}
	for _, p := range reg.All() {
		if err := writeCorePlugin(e, reg, p, exe); err != nil {
			return fmt.Errorf("writing core plugin %s: %w", p.Name, err)
		}
	}
	return nil
}

func writeCorePlugin(e *env.Env, reg *Registry, p *Plugin, exe string) error {
	dir := filepath.Join(e.PluginCoreAvailablePath(), p.Name)
	stage := filepath.Join(e.PluginCoreAvailablePath(), "."+p.Name+".new."+strconv.Itoa(os.Getpid()))
	os.RemoveAll(stage)
	if err := os.MkdirAll(filepath.Join(stage, "subcommands"), 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(stage)
	link := func(rel string) error { return os.Symlink(exe, filepath.Join(stage, rel)) }
	if err := writeFile(filepath.Join(stage, "plugin.toml"), RenderMeta(p.Description, reg.Version, p.Config)); err != nil {
		return err
	}
	if len(p.Commands) > 0 || p.Summary != "" || p.Fallback != nil {
		if err := link("commands"); err != nil {
			return err
		}
	}
	subs := map[string]bool{}
	for _, c := range p.Commands {
		if c.ViaCommands || subs[p.SubcommandFile(c)] {
			continue
		}
		subs[p.SubcommandFile(c)] = true
		if err := link(filepath.Join("subcommands", p.SubcommandFile(c))); err != nil {
			return err
		}
	}
	if len(p.Commands) > 0 {
		if !subs["help"] {
			if err := link(filepath.Join("subcommands", "help")); err != nil {
				return err
			}
		}
		// A plugin whose only command is its hidden help (builder-null,
		// scheduler-null) has no bare word: `dokku builder-null` is not a
		// dokku command there, as in Dokku.
		if !subs["default"] && p.Command(p.NS()) == nil && !p.BareCommands && p.hasVisibleCommands() {
			if err := link(filepath.Join("subcommands", "default")); err != nil {
				return err
			}
		}
	}
	for _, t := range slices.Sorted(maps.Keys(p.Triggers)) {
		if err := link(t); err != nil {
			return err
		}
	}
	for _, t := range slices.Sorted(maps.Keys(p.Tools)) {
		if _, dup := p.Triggers[t]; dup {
			continue
		}
		if err := link(t); err != nil {
			return err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(p.Files)) {
		path := filepath.Join(stage, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := writeFile(path, p.Files[name]); err != nil {
			return err
		}
	}
	// Swap: the old directory moves aside, the staged one takes its name.
	old := filepath.Join(e.PluginCoreAvailablePath(), "."+p.Name+".old."+strconv.Itoa(os.Getpid()))
	os.RemoveAll(old)
	if fi, err := os.Lstat(dir); err == nil {
		if !fi.IsDir() {
			os.Remove(dir)
		} else if err := os.Rename(dir, old); err != nil {
			return err
		}
	}
	if err := os.Rename(stage, dir); err != nil {
		os.Rename(old, dir)
		return err
	}
	os.RemoveAll(old)
	if err := replaceSymlink(dir, filepath.Join(e.PluginCoreEnabledPath(), p.Name)); err != nil {
		return err
	}
	if err := replaceSymlink(dir, filepath.Join(e.PluginAvailablePath(), p.Name)); err != nil {
		return err
	}
	return replaceSymlink(filepath.Join(e.PluginAvailablePath(), p.Name), filepath.Join(e.PluginEnabledPath(), p.Name))
}

func writeFile(path, content string) error {
	mode := os.FileMode(0o644)
	if strings.HasPrefix(content, "#!") {
		mode = 0o755
	}
	if old, err := os.ReadFile(path); err == nil && string(old) == content {
		return os.Chmod(path, mode)
	}
	tmp := path + ".tmp." + strconv.Itoa(os.Getpid())
	if err := os.WriteFile(tmp, []byte(content), mode); err != nil {
		return err
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// replaceSymlink points link at target atomically (ln -fs).
func replaceSymlink(target, link string) error {
	if cur, err := os.Readlink(link); err == nil && cur == target {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		return err
	}
	if fi, err := os.Lstat(link); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory, not replacing it with a link", link)
	}
	tmp := link + ".tmp." + strconv.Itoa(os.Getpid())
	os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, link)
}

// CoreNames lists the names of the enabled core plugins, sorted.
func CoreNames(e *env.Env) []string {
	var out []string
	for _, n := range listDir(e.PluginEnabledPath()) {
		if IsCore(e, n) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
