package domains

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/ui"
)

func validateAll(domains []string) error {
	for _, d := range domains {
		if !ValidHostname(d) {
			return ui.Failf("%s is invalid. exiting...", d)
		}
	}
	return nil
}

// quietCtx runs config changes with DOKKU_QUIET_OUTPUT=1, as Dokku does.
func quietCtx(ctx *plugin.Context) *plugin.Context {
	e := ctx.Env.Clone()
	e.Set("DOKKU_QUIET_OUTPUT", "1")
	return ctx.WithEnv(e)
}

func setNoVhost(ctx *plugin.Context, name, value string, restart bool) error {
	args := []string{name, "NO_VHOST=" + value}
	if !restart {
		args = append([]string{"--no-restart"}, args...)
	}
	return quietCtx(ctx).Trigger("config-set", args...)
}

// disableVhost is disable_app_vhost.
func disableVhost(ctx *plugin.Context, name string, restart bool) error {
	if err := ctx.Trigger("pre-disable-vhost", name); err != nil {
		return err
	}
	vhost := appVhostPath(ctx, name)
	urls := filepath.Join(ctx.Env.AppRoot(name), "URLS")
	if exists(vhost) || exists(urls) {
		ctx.UI().Info1("App virtual host support disabled")
		os.Remove(vhost)
		os.Remove(urls)
	}
	return setNoVhost(ctx, name, "1", restart)
}

// enableVhost is enable_app_vhost.
func enableVhost(ctx *plugin.Context, name string, restart bool) error {
	if err := ctx.Trigger("pre-enable-vhost", name); err != nil {
		return err
	}
	return setNoVhost(ctx, name, "0", restart)
}

// setup is domains_setup: give an app without a VHOST file its default
// domains, or disable vhosts when there is no global domain.
func setup(ctx *plugin.Context, name string) error {
	p := appVhostPath(ctx, name)
	if exists(p) {
		return nil
	}
	if defaults := defaultVhosts(ctx, name); len(defaults) > 0 {
		ctx.UI().Info1("Creating new app virtual host file...")
		return writeLines(ctx, p, defaults)
	}
	ctx.UI().Info2("Global server virtual host not set, disabling app vhost...")
	return disableVhost(ctx, name, false)
}

// addDomains is domains_add.
func addDomains(ctx *plugin.Context, name string, domains []string) error {
	if err := validateAll(domains); err != nil {
		return err
	}
	p := appVhostPath(ctx, name)
	current := readLines(p)
	have := map[string]bool{}
	for _, d := range current {
		have[d] = true
	}
	u := ctx.UI()
	for _, d := range domains {
		if have[d] {
			u.Info1("Skipping: " + d + " already added to " + name)
			continue
		}
		have[d] = true
		current = append(current, d)
		u.Info1("Added " + d + " to " + name)
	}
	if err := writeLines(ctx, p, current); err != nil {
		return err
	}
	if !appVhostEnabled(ctx, name) {
		// Adding a domain turns vhost routing back on (without replacing
		// the list with the defaults).
		if err := enableVhost(ctx, name, false); err != nil {
			return err
		}
	}
	return ctx.Trigger("post-domains-update", append([]string{name, "add"}, domains...)...)
}

func appAndDomains(ctx *plugin.Context, args []string, cmd string) (string, []string, error) {
	pos := plugin.Rest(args)
	name, err := app.VerifyArg(ctx, pos, 0)
	if err != nil {
		return "", nil, err
	}
	if len(pos) < 2 {
		return "", nil, ui.Failf("Please specify a domain name. Usage: dokku %s %s <domain> [<domain> ...]", cmd, name)
	}
	return name, pos[1:], nil
}

func runAdd(ctx *plugin.Context, args []string) error {
	name, domains, err := appAndDomains(ctx, args, "domains:add")
	if err != nil {
		return err
	}
	return addDomains(ctx, name, domains)
}

func runRemove(ctx *plugin.Context, args []string) error {
	name, domains, err := appAndDomains(ctx, args, "domains:remove")
	if err != nil {
		return err
	}
	drop := map[string]bool{}
	for _, d := range domains {
		drop[d] = true
	}
	p := appVhostPath(ctx, name)
	var keep []string
	for _, d := range readLines(p) {
		if !drop[d] {
			keep = append(keep, d)
		}
	}
	if err := writeLines(ctx, p, keep); err != nil {
		return err
	}
	for _, d := range domains {
		ctx.UI().Info1("Removed " + d + " from " + name)
	}
	return ctx.Trigger("post-domains-update", append([]string{name, "remove"}, domains...)...)
}

func runSet(ctx *plugin.Context, args []string) error {
	name, domains, err := appAndDomains(ctx, args, "domains:set")
	if err != nil {
		return err
	}
	if err := validateAll(domains); err != nil {
		return err
	}
	if err := writeLines(ctx, appVhostPath(ctx, name), uniqueStrings(domains)); err != nil {
		return err
	}
	ctx.UI().Info1("Set " + strings.Join(domains, " ") + " for " + name)
	if !appVhostEnabled(ctx, name) {
		if err := enableVhost(ctx, name, false); err != nil {
			return err
		}
	}
	return ctx.Trigger("post-domains-update", append([]string{name, "set"}, domains...)...)
}

func runClear(ctx *plugin.Context, args []string) error {
	name, err := app.VerifyArg(ctx, plugin.Rest(args), 0)
	if err != nil {
		return err
	}
	// An empty file (not a missing one) keeps the app without domains.
	if err := writeLines(ctx, appVhostPath(ctx, name), nil); err != nil {
		return err
	}
	if err := ctx.Trigger("post-domains-update", name, "clear"); err != nil {
		return err
	}
	ctx.UI().Info1("Cleared domains in " + name)
	return nil
}

func runReset(ctx *plugin.Context, args []string) error {
	name, err := app.VerifyArg(ctx, plugin.Rest(args), 0)
	if err != nil {
		return err
	}
	if err := os.Remove(appVhostPath(ctx, name)); err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := setup(ctx, name); err != nil {
		return err
	}
	if err := ctx.Trigger("post-domains-update", name, "reset"); err != nil {
		return err
	}
	ctx.UI().Info1Quiet("Reset domains for " + name)
	return nil
}

// enableDomains is domains_enable.
func enableDomains(ctx *plugin.Context, name string, restart bool) error {
	if appVhostEnabled(ctx, name) {
		ctx.UI().Info1("Domains (VHOST) support is already enabled for app (" + name + ")")
		return nil
	}
	if defaults := defaultVhosts(ctx, name); len(defaults) > 0 {
		if err := writeLines(ctx, appVhostPath(ctx, name), defaults); err != nil {
			return err
		}
	}
	if err := enableVhost(ctx, name, restart); err != nil {
		return err
	}
	return ctx.Trigger("post-domains-update", name, "enable")
}

// disableDomains is domains_disable.
func disableDomains(ctx *plugin.Context, name string, restart bool) error {
	if !appVhostEnabled(ctx, name) {
		ctx.UI().Info1("Domains (VHOST) support is already disabled for app (" + name + ")")
		return nil
	}
	if err := disableVhost(ctx, name, restart); err != nil {
		return err
	}
	return ctx.Trigger("post-domains-update", name, "disable")
}

func runEnable(ctx *plugin.Context, args []string) error {
	name, err := app.VerifyArg(ctx, plugin.Rest(args), 0)
	if err != nil {
		return err
	}
	return enableDomains(ctx, name, true)
}

func runDisable(ctx *plugin.Context, args []string) error {
	name, err := app.VerifyArg(ctx, plugin.Rest(args), 0)
	if err != nil {
		return err
	}
	return disableDomains(ctx, name, true)
}

func runSetup(ctx *plugin.Context, args []string) error {
	name, err := app.VerifyArg(ctx, plugin.Rest(args), 0)
	if err != nil {
		return err
	}
	return setup(ctx, name)
}

func globalDomains(args []string, cmd string) ([]string, error) {
	d := plugin.Rest(args)
	if len(d) == 0 {
		return nil, ui.Failf("Please specify a domain name. Usage: dokku %s <domain> [<domain> ...]", cmd)
	}
	return d, nil
}

func runAddGlobal(ctx *plugin.Context, args []string) error {
	domains, err := globalDomains(args, "domains:add-global")
	if err != nil {
		return err
	}
	if err := validateAll(domains); err != nil {
		return err
	}
	current := globalVhosts(ctx)
	have := map[string]bool{}
	for _, d := range current {
		have[d] = true
	}
	for _, d := range domains {
		if have[d] {
			ctx.UI().Info1("Skipping " + d + ": already added")
			continue
		}
		have[d] = true
		current = append(current, d)
		ctx.UI().Info1("Added " + d)
	}
	return writeLines(ctx, globalVhostPath(ctx), current)
}

func runRemoveGlobal(ctx *plugin.Context, args []string) error {
	domains, err := globalDomains(args, "domains:remove-global")
	if err != nil {
		return err
	}
	drop := map[string]bool{}
	for _, d := range domains {
		drop[d] = true
	}
	var keep []string
	for _, d := range globalVhosts(ctx) {
		if !drop[d] {
			keep = append(keep, d)
		}
	}
	if err := writeLines(ctx, globalVhostPath(ctx), keep); err != nil {
		return err
	}
	for _, d := range domains {
		ctx.UI().Info1("Removed " + d)
	}
	return nil
}

func runSetGlobal(ctx *plugin.Context, args []string) error {
	domains, err := globalDomains(args, "domains:set-global")
	if err != nil {
		return err
	}
	if err := validateAll(domains); err != nil {
		return err
	}
	if err := writeLines(ctx, globalVhostPath(ctx), uniqueStrings(domains)); err != nil {
		return err
	}
	ctx.UI().Info1("Set " + strings.Join(domains, " "))
	return nil
}

func runClearGlobal(ctx *plugin.Context, args []string) error {
	ctx.UI().Info1Quiet("Clearing global domains")
	return writeLines(ctx, globalVhostPath(ctx), nil)
}

func uniqueStrings(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func reportSpec() report.Spec {
	return report.Spec{
		Namespace: "domains",
		Type:      "domains",
		Collect: func(ctx *plugin.Context, name string) (map[string]string, error) {
			v := map[string]string{}
			g := "false"
			gv := ""
			if globalVhostEnabled(ctx) {
				g = "true"
				gv = strings.Join(globalVhosts(ctx), " ")
			}
			v["--domains-global-enabled"] = g
			v["--domains-global-vhosts"] = gv
			if name != "--global" {
				v["--domains-app-enabled"] = boolString(appVhostEnabled(ctx, name))
				v["--domains-app-vhosts"] = strings.Join(readLines(appVhostPath(ctx, name)), " ")
			}
			return v, nil
		},
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
