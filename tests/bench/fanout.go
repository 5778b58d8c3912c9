package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const (
	fanoutPlugins      = 60 // enabled community plugins
	fanoutImplementers = 10 // of which implement the trigger
)

// triggerFanoutBench times a trigger walk over 60 enabled community
// plugins, 10 of which implement the trigger with a tiny shell hook, then
// the same 10 hooks run directly and the start of the process alone
// (`plugn version`). The fan-out overhead is what the walk costs beyond the
// hooks themselves and beyond starting the process that fires it (inside a
// running dokku command, the usual case, that start is already paid); the
// raw difference is printed too.
//
// `dokku plugin:trigger` is root-only and re-runs `plugn trigger` as the
// dokku user; plugins call `plugn trigger` themselves. Both reach the same
// runner, so the walk is timed as `plugn trigger` run by the dokku user.
func triggerFanoutBench() *Benchmark {
	f := &fanout{}
	return &Benchmark{
		Name: "trigger",
		Runs: 60, // tiny differences of noisy sums: take more samples
		Rows: []Row{
			{Label: fmt.Sprintf("plugn trigger: %d hooks / %d plugins", fanoutImplementers, fanoutPlugins)},
			{Label: "  the same hooks run directly"},
			{Label: "  process start (plugn version)"},
			{Label: "  total - hooks"},
			{Label: "  fan-out overhead (total - hooks - start)", Target: 2 * time.Millisecond},
		},
		Setup: f.setup,
		Measure: func(h *Host, _ int) ([]Sample, error) {
			total, err := h.Time(f.walk(h))
			if err != nil {
				return nil, err
			}
			var hooks Sample
			for _, hook := range f.hooks {
				s, err := h.Time(Cmd{Path: hook, Args: f.args, Env: f.env})
				if err != nil {
					return nil, err
				}
				hooks = hooks.Add(s)
			}
			start, err := h.Time(Cmd{Path: h.Plugn, Args: []string{"version"}, Env: f.env})
			if err != nil {
				return nil, err
			}
			return []Sample{total, hooks, start, total.Sub(hooks), total.Sub(hooks).Sub(start)}, nil
		},
	}
}

type fanout struct {
	trigger string
	args    []string
	env     []string
	hooks   []string // implementers' hook files, in walk order
	names   []string // implementers' plugin names, in walk order
}

// walk is `plugn trigger <name> <args>` with the environment dokku exports
// to the plugins it runs.
func (f *fanout) walk(h *Host) Cmd {
	return Cmd{Path: h.Plugn, Args: append([]string{"trigger", f.trigger}, f.args...), Env: f.env}
}

func (f *fanout) setup(h *Host) error {
	f.trigger = h.Prefix + "-fanout"
	f.args = []string{h.Prefix + "-001", "web"}
	pp := filepath.Join(h.LibRoot, "plugins")
	cp := filepath.Join(h.LibRoot, "core-plugins")
	f.env = []string{
		"DOKKU_ROOT=" + h.Root, "DOKKU_LIB_ROOT=" + h.LibRoot,
		"PLUGIN_PATH=" + pp, "PLUGIN_AVAILABLE_PATH=" + pp + "/available", "PLUGIN_ENABLED_PATH=" + pp + "/enabled",
		"PLUGIN_CORE_PATH=" + cp, "PLUGIN_CORE_AVAILABLE_PATH=" + cp + "/available", "PLUGIN_CORE_ENABLED_PATH=" + cp + "/enabled",
	}
	uid, gid := int(h.cred.Uid), int(h.cred.Gid)
	for i := 1; i <= fanoutPlugins; i++ {
		name := fmt.Sprintf("%s-p%02d", h.Prefix, i)
		dir := filepath.Join(pp, "available", name)
		h.plugins = append(h.plugins, name)
		files := map[string]string{
			"plugin.toml": fmt.Sprintf("[plugin]\ndescription = \"bench fixture plugin %d\"\nversion = \"0.0.1\"\n[plugin.config]\n", i),
			"commands":    "#!/bin/sh\nexit 10\n",
		}
		// Implementers spread through the walk: p01, p07, p13, ...
		if (i-1)%(fanoutPlugins/fanoutImplementers) == 0 {
			files[f.trigger] = fmt.Sprintf("#!/bin/sh\nprintf '%%s\\n' %q\n", name)
			f.hooks = append(f.hooks, filepath.Join(dir, f.trigger))
			f.names = append(f.names, name)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for rel, content := range files {
			p := filepath.Join(dir, rel)
			mode := os.FileMode(0o644)
			if strings.HasPrefix(content, "#!") {
				mode = 0o755
			}
			if err := os.WriteFile(p, []byte(content), mode); err != nil {
				return err
			}
			if err := os.Lchown(p, uid, gid); err != nil {
				return err
			}
		}
		if err := os.Lchown(dir, uid, gid); err != nil {
			return err
		}
		link := filepath.Join(pp, "enabled", name)
		if err := os.Symlink(dir, link); err != nil && !os.IsExist(err) {
			return err
		}
		if err := os.Lchown(link, uid, gid); err != nil {
			return err
		}
	}
	want := strings.Join(f.names, "\n") + "\n"
	return expect(h, f.walk(h), func(s string) bool { return s == want }, "each implementer once, in order")
}

// removePlugins deletes the fan-out plugins (enabled link first).
func (h *Host) removePlugins() error {
	var first error
	for _, name := range h.plugins {
		for _, p := range []string{
			filepath.Join(h.LibRoot, "plugins", "enabled", name),
			filepath.Join(h.LibRoot, "plugins", "available", name),
		} {
			if err := os.RemoveAll(p); err != nil && first == nil {
				first = err
			}
		}
	}
	h.plugins = nil
	return first
}
