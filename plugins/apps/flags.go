package apps

import (
	"strings"
)

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
