package cli

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// argText is the dispatcher's `sed 's/\s[\[\<\-\(].*,/,/'`: inside a POSIX
// bracket `\-\` is a range from backslash to backslash, so the class is
// backslash, '[', '<' and '(' (not '-').
var argText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\s[\\\[<(].*,`) })

// help prints `dokku help [--all]` in Dokku's layout: every enabled plugin's
// `commands help` output, core plugins first, sorted byte-wise and aligned
// like `column -c2 -t -s,`.
func help(ctx *plugin.Context, args []string, quiet bool) error {
	all := len(args) > 1 && args[1] == "--all"
	var core, community []string
	for _, p := range ctx.EnabledPlugins() {
		path := filepath.Join(ctx.Env.PluginEnabledPath(), p, "commands")
		if !isExecutable(path) {
			continue
		}
		if plugin.IsCore(ctx.Env, p) {
			core = append(core, p)
		} else {
			community = append(community, p)
		}
	}
	header := func(s string) {
		if !quiet {
			fmt.Fprintln(ctx.Stdout, s)
		}
	}
	header("Usage: dokku [--quiet|--trace|--force] COMMAND <app> [command-specific-options]")
	header("")
	header("Primary help options, type \"dokku COMMAND:help\" for more details, or dokku help --all to see all commands.")
	header("")
	header("Commands:")
	header("")
	coreLines := collectHelp(ctx, core, all)
	if !all {
		kept := coreLines[:0]
		for _, l := range coreLines {
			if strings.Contains(l, ":") {
				continue
			}
			kept = append(kept, argText().ReplaceAllLiteralString(l, ","))
		}
		coreLines = kept
	}
	fmt.Fprint(ctx.Stdout, ui.ColumnTable(coreLines, ","))
	if all || len(community) > 0 {
		header("")
		header("Community plugin commands:")
		header("")
		fmt.Fprint(ctx.Stdout, ui.ColumnTable(collectHelp(ctx, community, all), ","))
	}
	return nil
}

// collectHelp runs `commands help` for each plugin and returns the output
// lines sorted as `LC_ALL=C sort` would.
func collectHelp(ctx *plugin.Context, plugins []string, all bool) []string {
	var buf bytes.Buffer
	c := ctx.WithIO(nil, &buf, nil)
	c.HelpAll = all
	for _, p := range plugins {
		path := filepath.Join(ctx.Env.PluginEnabledPath(), p, "commands")
		runCommandsFile(c, p, path, []string{"help"})
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	sort.Strings(lines)
	return lines
}
