package domains

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/ui"
)

// restartWanted reads the RESTART_APP argument of domains-enable/disable:
// as in Dokku's handlers only "true" restarts; anything else (missing,
// "false", "--no-restart") sets NO_VHOST with --no-restart.
func restartWanted(v string) bool { return v == "true" }

func triggerAdd(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	if len(args) < 2 {
		return ui.Fail("Please specify a domain name")
	}
	return addDomains(ctx, name, args[1:])
}

func triggerList(ctx *plugin.Context, args []string) error {
	for _, d := range appDomains(ctx, plugin.Arg(args, 0)) {
		fmt.Fprintln(ctx.Stdout, d)
	}
	return nil
}

func triggerURLs(ctx *plugin.Context, args []string) error {
	name, kind := plugin.Arg(args, 0), plugin.Arg(args, 1)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	if kind == "" {
		kind = "urls"
	}
	for _, u := range urls(ctx, name, kind) {
		fmt.Fprintln(ctx.Stdout, u)
	}
	return nil
}

func triggerVhostEnabled(ctx *plugin.Context, args []string) error {
	if appVhostEnabled(ctx, plugin.Arg(args, 0)) {
		return nil
	}
	return ui.Exit(1)
}

func triggerEnable(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	return enableDomains(ctx, name, restartWanted(plugin.Arg(args, 1)))
}

func triggerDisable(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	return disableDomains(ctx, name, restartWanted(plugin.Arg(args, 1)))
}

func triggerSetup(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	return setup(ctx, name)
}

// triggerCoreDeploy warns when an IP is used as domain while the distro's
// default nginx site would answer for it.
func triggerCoreDeploy(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if ctx.TriggerValue("proxy-type", name) != "nginx" {
		return nil
	}
	if !exists(ctx.Env.SystemPath("/etc/nginx/sites-enabled/default")) {
		return nil
	}
	for _, d := range appDomains(ctx, name) {
		if isIP(d) {
			kind := "IPv4"
			if strings.Contains(d, ":") {
				kind = "IPv6"
			}
			ctx.UI().Warn(fmt.Sprintf("Detected %s domain name with nginx proxy enabled.", kind))
			ctx.UI().Warn("Ensure the default nginx site is removed before continuing.")
			break
		}
	}
	return nil
}

// triggerCloneSetup keeps the clone's own default domains (created by its
// post-create): domains are not shared between apps.
func triggerCloneSetup(ctx *plugin.Context, args []string) error {
	os.Remove(filepath.Join(ctx.Env.AppRoot(plugin.Arg(args, 1)), "URLS"))
	return nil
}

// triggerRenameSetup carries the old app's domains over, turning default
// `<old>.<domain>` entries into `<new>.<domain>`.
func triggerRenameSetup(ctx *plugin.Context, args []string) error {
	oldApp, newApp := plugin.Arg(args, 0), plugin.Arg(args, 1)
	if oldApp == "" || newApp == "" {
		return nil
	}
	newPath := appVhostPath(ctx, newApp)
	os.Remove(filepath.Join(ctx.Env.AppRoot(newApp), "URLS"))
	oldPath := appVhostPath(ctx, oldApp)
	if !exists(oldPath) {
		if exists(ctx.Env.AppRoot(oldApp)) {
			os.Remove(newPath)
		}
		return nil
	}
	globals := globalVhosts(ctx)
	var out []string
	for _, d := range readLines(oldPath) {
		for _, g := range globals {
			if d == oldApp+"."+g {
				d = newApp + "." + g
				break
			}
		}
		out = append(out, d)
	}
	return writeLines(ctx, newPath, uniqueStrings(out))
}

func triggerReport(ctx *plugin.Context, args []string) error {
	if plugin.Arg(args, 0) == "" {
		return nil
	}
	return report.Run(ctx, reportSpec(), []string{plugin.Arg(args, 0)})
}
