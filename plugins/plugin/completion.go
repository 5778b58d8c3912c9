package pluginmgr

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
)

// completionCache is read by Dokku's bash completion.
const completionCache = "/var/cache/dokku-completion"

// primeCompletion refreshes the bash-completion cache after the set of
// plugins changed: the first word of every command line of
// `dokku --quiet help --all`, sorted. The cache is a convenience, so a
// failure is only a warning.
func primeCompletion(ctx *plugin.Context) {
	u := ctx.UI()
	u.Info1Quiet("Priming bash-completion cache")
	exe, err := os.Executable()
	if err == nil {
		var out string
		out, err = proc.Output(context.Background(), proc.Cmd{
			Name: exe, Args: []string{"--quiet", "help", "--all"},
			Env: ctx.Env.Environ(), Timeout: time.Minute,
		})
		if err == nil {
			err = writeCompletion(ctx.Env.SystemPath(completionCache), out)
		}
	}
	if err != nil {
		u.Warn("Unable to prime the bash-completion cache: " + err.Error())
	}
}

func writeCompletion(path, help string) error {
	var words []string
	for _, l := range strings.Split(help, "\n") {
		if rest, ok := strings.CutPrefix(l, "    "); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				words = append(words, f[0])
			}
		}
	}
	sort.Strings(words)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	content := strings.Join(words, "\n")
	if content != "" {
		content += "\n"
	}
	return atomicfile.Write(path, []byte(content), 0o644, nil)
}
