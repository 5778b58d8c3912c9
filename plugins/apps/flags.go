package apps

import (
	"strings"

	"github.com/spf13/cobra"
)

// globalFlags declares the dispatcher's global flags on a command so that
// `apps:list --quiet` or `apps:create --app x` parse: the dispatcher already
// acted on them (environment, app name insertion), the command ignores them.
func globalFlags(cmd *cobra.Command, except ...string) {
	skip := map[string]bool{}
	for _, e := range except {
		skip[e] = true
	}
	fs := cmd.Flags()
	var ignored bool
	var ignoredApp string
	for _, name := range []string{"quiet", "trace", "force"} {
		if !skip[name] {
			fs.BoolVar(&ignored, name, false, "")
		}
	}
	if !skip["app"] {
		fs.StringVar(&ignoredApp, "app", "", "")
	}
}

// arg returns args[i] or "".
func arg(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

// rest drops the command word.
func rest(args []string) []string {
	if len(args) == 0 {
		return nil
	}
	return args[1:]
}

// positionals drops the dispatcher's global flags (--quiet, --trace,
// --force, --app <name>) and a "--" separator, keeping every other word.
func positionals(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--quiet" || a == "--trace" || a == "--force" || a == "--":
		case a == "--app":
			i++
		case strings.HasPrefix(a, "--app="):
		default:
			out = append(out, a)
		}
	}
	return out
}
