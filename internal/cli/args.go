package cli

import (
	"strings"

	"github.com/godokku/dokku/internal/env"
)

// parseGlobalFlags is parse_args: it scans every argument and exports the
// variables global flags stand for (runtime.md §2).
func parseGlobalFlags(e *env.Env, args []string) {
	var flags []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--quiet":
			e.Set("DOKKU_QUIET_OUTPUT", "1")
		case a == "--trace":
			e.Set("DOKKU_TRACE", "1")
		case a == "--force":
			e.Set("DOKKU_APPS_FORCE_DELETE", "1")
		case a == "--app":
			v := ""
			if i+1 < len(args) {
				v = args[i+1]
				i++
			}
			e.Set("DOKKU_APP_NAME", v)
			flags = append(flags, "--app="+v)
			continue
		}
		if strings.HasPrefix(a, "--") {
			flags = append(flags, a)
		}
	}
	if _, ok := e.Lookup("DOKKU_GLOBAL_FLAGS"); !ok {
		e.Set("DOKKU_GLOBAL_FLAGS", strings.Join(flags, " "))
	}
}

// stripLeadingFlags drops the leading run of --flags the way the dispatcher
// does: `--app` takes its value with it, `--version` is kept in place, and
// each removal shifts the front of the list (compat: so `--version --quiet`
// loses --version, as in Dokku).
func stripLeadingFlags(args []string) []string {
	if len(args) == 0 || !strings.HasPrefix(args[0], "--") {
		return args
	}
	out := append([]string(nil), args...)
	// compat: like bash `shift n`, a shift past the end fails and removes
	// nothing, so a trailing `--app` without a value stays the command word
	// (`dokku --app` is "not a dokku command", not the help listing).
	shift := func(n int) bool {
		if n > len(out) {
			return false
		}
		out = out[n:]
		return true
	}
	skip := false
	for _, a := range args {
		if skip {
			skip = false
			continue
		}
		switch {
		case a == "--version":
			continue
		case a == "--app":
			skip = shift(2)
		case strings.HasPrefix(a, "--"):
			shift(1)
		default:
			return out
		}
	}
	return out
}

// rootOnly reports whether a command may only be run by root.
//
// compat: Dokku tests `$1 =~ plugin:*`, a regex matching any word that
// contains "plugin"; that let `myplugin:x` skip the switch to the dokku user
// and then run as root. We match the documented intent instead: the plugin:
// namespace (minus help and list) and the listed commands.
func rootOnly(cmd string) bool {
	switch cmd {
	case "ssh-keys:add", "ssh-keys:remove", "scheduler-k3s:initialize", "scheduler-k3s:uninstall":
		return true
	case "plugin:help", "plugin:list":
		return false
	}
	return strings.HasPrefix(cmd, "plugin:")
}
