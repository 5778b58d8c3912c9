package standard

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// addStandard registers report, url, urls and deploy, and the help lines of
// Dokku's 00_dokku-standard (its `commands help` lists every line, since
// these commands have no namespace summary).
func addStandard(p *plugin.Plugin) {
	p.BareCommands = true
	p.Commands = append(p.Commands,
		&plugin.Command{Name: "url", Args: "<app>", Desc: "Show the first URL for an application (compatibility)", Run: runURLs},
		&plugin.Command{Name: "urls", Args: "<app>", Desc: "Show all URLs for an application", Run: runURLs},
		// version and help are answered by the dispatcher before plugins are
		// consulted; they are listed here for `dokku help`.
		&plugin.Command{Name: "version", Desc: "Print dokku's version", Run: runVersion},
		&plugin.Command{Name: "help", Desc: "Print the list of commands", Run: runHelp},
		&plugin.Command{Name: "report", Args: "[<app>|--all]", Hidden: true, Run: runReport},
		&plugin.Command{Name: "deploy", Args: "<app> [<image-tag>] [<process-type>]", Hidden: true, Run: runDeploy},
	)
}

// runURLs is `url <app>` and `urls <app>`: the domains-urls trigger with
// the command word as URL type (url = the first one).
func runURLs(ctx *plugin.Context, args []string) error {
	name, err := app.VerifyArg(ctx, args, 1)
	if err != nil {
		return err
	}
	return ctx.Trigger("domains-urls", name, args[0])
}

// runDeploy is the hidden `deploy <app> [<tag>] [<process-type>]`: deploy an
// already released image through the deploy trigger (no build, no release).
func runDeploy(ctx *plugin.Context, args []string) error {
	name, err := app.VerifyArg(ctx, args, 1)
	if err != nil {
		return err
	}
	return ctx.Trigger("deploy", name, plugin.Arg(args, 2), plugin.Arg(args, 3))
}

// runVersion prints `dokku version <version>`.
func runVersion(ctx *plugin.Context, _ []string) error {
	v, err := dokkuVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.Stdout, "dokku version %s\n", v)
	return nil
}

// runHelp prints the plugin's own help lines.
func runHelp(ctx *plugin.Context, _ []string) error {
	p := ctx.Registry.Get("00_dokku-standard")
	if p == nil {
		return nil
	}
	fmt.Fprintln(ctx.Stdout, strings.Join(p.HelpLines(), "\n"))
	return nil
}

// dokkuVersion reads $DOKKU_LIB_ROOT/STABLE_VERSION, else VERSION.
func dokkuVersion(ctx *plugin.Context) (string, error) {
	for _, f := range []string{"STABLE_VERSION", "VERSION"} {
		if b, err := os.ReadFile(filepath.Join(ctx.Env.LibRoot(), f)); err == nil {
			return strings.TrimRight(string(b), "\n"), nil
		}
	}
	return "", ui.Fail("Unable to determine dokku's version")
}
