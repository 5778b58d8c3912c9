// Package checks is Dokku's checks core plugin: which process types skip or
// disable the zero-downtime checks, how long old containers live after a
// deploy (wait-to-retire), and checks:run. The checks themselves run in the
// scheduler's check-deploy trigger.
package checks

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
	"github.com/godokku/dokku/internal/ui"
)

// Property names and defaults.
const (
	PropDisabled        = "disabled"
	PropSkipped         = "skipped"
	PropWaitToRetire    = "wait-to-retire"
	DefaultWaitToRetire = "60"
	// All is the list value meaning every process type.
	All = "_all_"
)

// Plugin returns the checks plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "checks",
		Description: "dokku core checks plugin",
		Summary:     "Manage zero-downtime settings",
		ShellHelp:   true, // compat: Dokku renders this help with `sort | column -t -s,`
		Commands: []*plugin.Command{
			{Name: "checks:disable", Args: "<app> [process-type(s)]", Desc: "Disable zero-downtime deployment for all processes (or comma-separated process-type list) ***WARNING: this will cause downtime during deployments***", Run: runDisable},
			{Name: "checks:enable", Args: "<app> [process-type(s)]", Desc: "Enable zero-downtime deployment for all processes (or comma-separated process-type list)", Run: runEnable},
			{Name: "checks:report", Args: "[<app>] [<flag>]", Desc: "Displays a checks report for one or more apps", Run: report.Command(reportSpec)},
			{Name: "checks:run", Args: "<app> [process-type(s)]", Desc: "Runs zero-downtime checks for all processes (or comma-separated process-type list)", Run: runRun},
			{Name: "checks:set", Args: "[--global|<app>] <key> <value>", Desc: "Set or clear a logs property for an app", Run: setting.Command(setSpec)},
			{Name: "checks:skip", Args: "<app> [process-type(s)]", Desc: "Skip zero-downtime checks for all processes (or comma-separated process-type list)", Run: runSkip},
		},
		Triggers: map[string]plugin.Handler{
			"checks-get-property":   getProperty,
			"install":               install,
			"post-delete":           plugin.DestroyProperties("checks"),
			"post-app-clone-setup":  plugin.CloneProperties("checks"),
			"post-app-rename-setup": plugin.RenameProperties("checks"),
			"report":                report.Trigger(reportSpec),
		},
	}
}

// list reads a comma-separated list property.
func list(ctx *plugin.Context, appName, key string) []string {
	v, _ := ctx.Props().Get("checks", appName, key)
	return splitList(v)
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func contains(l []string, v string) bool {
	for _, x := range l {
		if x == v {
			return true
		}
	}
	return false
}

func without(l []string, v string) []string {
	var out []string
	for _, x := range l {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

func writeList(ctx *plugin.Context, appName, key string, l []string) error {
	if len(l) == 0 {
		return ctx.Props().Delete("checks", appName, key)
	}
	return ctx.Props().Write("checks", appName, key, strings.Join(l, ","))
}

// IsDisabled reports whether checks are disabled for a process type.
func IsDisabled(ctx *plugin.Context, appName, processType string) bool {
	l := list(ctx, appName, PropDisabled)
	return contains(l, All) || contains(l, processType)
}

// IsSkipped reports whether checks are skipped for a process type.
func IsSkipped(ctx *plugin.Context, appName, processType string) bool {
	l := list(ctx, appName, PropSkipped)
	return contains(l, All) || contains(l, processType)
}

// typesArg returns the app and the process types argument (default _all_).
func typesArg(ctx *plugin.Context, args []string) (string, string, error) {
	appName, err := app.VerifyArg(ctx, args, 1)
	if err != nil {
		return "", "", err
	}
	types := All
	if len(args) > 2 && args[2] != "" {
		types = args[2]
	}
	return appName, types, nil
}

// update moves process types into one list and out of the other.
func update(ctx *plugin.Context, appName, types, into, outOf string) error {
	if types == All {
		if err := ctx.Props().Write("checks", appName, into, All); err != nil {
			return err
		}
		return ctx.Props().Delete("checks", appName, outOf)
	}
	in := list(ctx, appName, into)
	out := list(ctx, appName, outOf)
	for _, t := range splitList(types) {
		if !contains(in, t) {
			in = append(in, t)
		}
		out = without(out, t)
	}
	in = without(in, All)
	if err := writeList(ctx, appName, into, in); err != nil {
		return err
	}
	return writeList(ctx, appName, outOf, out)
}

func runDisable(ctx *plugin.Context, args []string) error {
	appName, types, err := typesArg(ctx, args)
	if err != nil {
		return err
	}
	if types == All {
		ctx.UI().Info1(fmt.Sprintf("Disabling zero downtime for app (%s)", appName))
	} else {
		ctx.UI().Info1(fmt.Sprintf("Disabling zero downtime for app's (%s) proctypes (%s)", appName, types))
	}
	return update(ctx, appName, types, PropDisabled, PropSkipped)
}

func runSkip(ctx *plugin.Context, args []string) error {
	appName, types, err := typesArg(ctx, args)
	if err != nil {
		return err
	}
	if types == All {
		ctx.UI().Info1(fmt.Sprintf("Skipping zero downtime for app (%s)", appName))
	} else {
		ctx.UI().Info1(fmt.Sprintf("Skipping zero downtime for app's (%s) proctypes (%s)", appName, types))
	}
	return update(ctx, appName, types, PropSkipped, PropDisabled)
}

func runEnable(ctx *plugin.Context, args []string) error {
	appName, types, err := typesArg(ctx, args)
	if err != nil {
		return err
	}
	props := ctx.Props()
	if types == All {
		ctx.UI().Info1(fmt.Sprintf("Enabling zero downtime for app's (%s)", appName))
		if err := props.Delete("checks", appName, PropDisabled); err != nil {
			return err
		}
		return props.Delete("checks", appName, PropSkipped)
	}
	ctx.UI().Info1(fmt.Sprintf("Enabling zero downtime for app's (%s) proctypes (%s)", appName, types))
	disabled := list(ctx, appName, PropDisabled)
	skipped := list(ctx, appName, PropSkipped)
	for _, t := range splitList(types) {
		// compat: removing a type from "_all_" leaves "_all_" in place, as
		// Dokku's remove_val_from_list does.
		disabled = without(disabled, t)
		skipped = without(skipped, t)
	}
	if err := writeList(ctx, appName, PropDisabled, disabled); err != nil {
		return err
	}
	return writeList(ctx, appName, PropSkipped, skipped)
}

var reportSpec = report.Spec{
	Namespace: "checks",
	Type:      "checks",
	Collect: func(ctx *plugin.Context, appName string) (map[string]string, error) {
		v := map[string]string{}
		report.Triple(ctx, v, "checks", "checks", appName, PropWaitToRetire, DefaultWaitToRetire)
		if appName == property.Global {
			return v, nil
		}
		v["--checks-disabled-list"] = noneIfEmpty(ctx, appName, PropDisabled)
		v["--checks-skipped-list"] = noneIfEmpty(ctx, appName, PropSkipped)
		return v, nil
	},
}

func noneIfEmpty(ctx *plugin.Context, appName, key string) string {
	if v, _ := ctx.Props().Get("checks", appName, key); v != "" {
		return v
	}
	return "none"
}

// setSpec are the keys of checks:set.
var setSpec = setting.Spec{
	Plugin: "checks",
	Keys: map[string]setting.Key{
		PropWaitToRetire: {Scope: setting.AppAndGlobal, Validate: nonNegativeInt},
	},
}

func nonNegativeInt(v string) error {
	if n, err := strconv.Atoi(v); err != nil || n < 0 {
		return fmt.Errorf("Invalid value for wait-to-retire, must be a non-negative integer: %s", v)
	}
	return nil
}

// WaitToRetire is the computed wait-to-retire of an app, in seconds.
func WaitToRetire(ctx *plugin.Context, appName string) int {
	v := ctx.Props().Computed("checks", appName, PropWaitToRetire, DefaultWaitToRetire)
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		n, _ = strconv.Atoi(DefaultWaitToRetire)
	}
	return n
}

// getProperty is checks-get-property: only wait-to-retire is exposed.
func getProperty(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return ui.Fail("Invalid checks property specified")
	}
	if args[1] != PropWaitToRetire {
		return ui.Failf("Invalid checks property specified: %s", args[1])
	}
	_, err := fmt.Fprintln(ctx.Stdout, strconv.Itoa(WaitToRetire(ctx, args[0])))
	return err
}

func install(ctx *plugin.Context, _ []string) error {
	if err := ctx.Props().Setup("checks"); err != nil {
		return err
	}
	return migrateConfig(ctx)
}
