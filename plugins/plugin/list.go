package pluginmgr

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

type listOptions struct {
	format string
}

func newListCmd(ctx *plugin.Context) *cobra.Command {
	o := &listOptions{}
	cmd := &cobra.Command{RunE: func(*cobra.Command, []string) error { return runList(ctx, o) }}
	cmd.Flags().StringVar(&o.format, "format", "stdout", "")
	plugin.GlobalFlags(cmd, "app")
	return cmd
}

// runList is plugin:list: `plugn version` and `plugn list`, or a JSON array.
// A plugin whose plugin.toml cannot be read is still listed (empty version
// and description, as plugn prints it) and named on stderr.
func runList(ctx *plugin.Context, o *listOptions) error {
	switch o.format {
	case "stdout", "json":
	default:
		return ui.Fail("Invalid output format specified, supported formats: json")
	}
	infos := plugin.List(ctx.Env)
	warnBroken(ctx, infos)
	if o.format == "json" {
		return printJSON(ctx, infos)
	}
	fmt.Fprintf(ctx.Stdout, "plugn: %s\n", ctx.Registry.Version)
	plugin.FormatList(ctx.Stdout, infos)
	return nil
}

func warnBroken(ctx *plugin.Context, infos []plugin.Info) {
	for _, i := range infos {
		if i.Err != nil {
			ctx.UI().Warn(fmt.Sprintf("Unable to read plugin.toml of plugin %s: %v", i.Name, i.Err))
		}
	}
}

// pluginInfo is one element of plugin:list --format json.
type pluginInfo struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	Enabled     bool   `json:"enabled"`
	Core        bool   `json:"core"`
	Description string `json:"description"`
	SourceURL   string `json:"source_url"`
	Committish  string `json:"committish"`
	Branch      string `json:"branch"`
}

func printJSON(ctx *plugin.Context, infos []plugin.Info) error {
	out := make([]pluginInfo, len(infos))
	quiet := ctx.WithIO(nil, nil, io.Discard)
	var wg sync.WaitGroup
	for i, inf := range infos {
		out[i] = pluginInfo{Name: inf.Name, Version: inf.Version, Enabled: inf.Enabled, Description: inf.Description}
		// Dokku: core means linked in $PLUGIN_CORE_ENABLED_PATH.
		if fi, err := os.Lstat(filepath.Join(ctx.Env.PluginCoreEnabledPath(), inf.Name)); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			out[i].Core = true
		}
		wg.Add(1)
		go func(p *pluginInfo) {
			defer wg.Done()
			g := quiet.PluginGitInfo(filepath.Join(ctx.Env.PluginAvailablePath(), p.Name))
			p.SourceURL, p.Committish, p.Branch = g.SourceURL, g.Committish, g.Branch
		}(&out[i])
	}
	wg.Wait()
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Fprintln(ctx.Stdout, string(b))
	return nil
}

// runInstalled is plugin:installed <name>: exit 0 when plugn list names it.
func runInstalled(ctx *plugin.Context, args []string) error {
	if len(args) > 1 {
		for _, i := range plugin.List(ctx.Env) {
			if i.Name == args[1] {
				return nil
			}
		}
	}
	return ui.Exit(1)
}
