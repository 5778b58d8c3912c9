package proxy

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
	"github.com/godokku/dokku/internal/ui"
)

const (
	pluginName  = "proxy"
	defaultType = "nginx"
)

// Type is the proxy implementation of an app: app → global → nginx.
func Type(ctx *plugin.Context, name string) string {
	return ctx.Props().Computed(pluginName, name, "type", defaultType)
}

// Enabled reports whether proxying is enabled: the app's `disabled`
// property is not "true". `disabled` has no global scope in Dokku.
func Enabled(ctx *plugin.Context, name string) bool {
	return ctx.Props().GetDefault(pluginName, name, "disabled", "false") != "true"
}

// allArgs parses `[--parallel N] [--all|<app>]` anywhere in args (after
// the command word).
type allArgs struct {
	app      string
	all      bool
	parallel int
}

func parseAll(args []string, withParallel bool) (allArgs, error) {
	var a allArgs
	for i := 0; i < len(args); i++ {
		s := args[i]
		switch {
		case s == "--all":
			a.all = true
		case withParallel && (s == "--parallel" || strings.HasPrefix(s, "--parallel=")):
			v := strings.TrimPrefix(s, "--parallel=")
			if s == "--parallel" {
				if i+1 >= len(args) {
					return a, ui.Fail("flag needs an argument: --parallel")
				}
				i++
				v = args[i]
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return a, ui.Failf("invalid argument %q for \"--parallel\" flag", v)
			}
			// Values below -1 are refused only when --all runs (as Dokku).
			a.parallel = n
		case strings.HasPrefix(s, "--"):
			return a, ui.Failf("unknown flag: %s", s)
		default:
			if a.app == "" {
				a.app = s
			}
		}
	}
	if !a.all && a.app == "" {
		return a, ui.Fail("Please specify an app to run the command on")
	}
	return a, nil
}

// errText is how a failed run is described in the per-app warning: a
// failed trigger reads like the exit status of the process it stands for.
func errText(err error) string {
	var te *plugin.TriggerError
	if errors.As(err, &te) {
		return fmt.Sprintf("exit status %d", te.Code)
	}
	return err.Error()
}

// runAgainst runs fn for one app, or, with --all, for every app the way
// Dokku's RunCommandAgainstAllApps does (commands.md: --parallel 0/1 serial,
// the default; N workers; -1 = CPU count). cmd is Dokku's short command
// name ("build-config", "disable", "enable") used in its messages.
func runAgainst(ctx *plugin.Context, a allArgs, cmd string, fn func(*plugin.Context, string) error) error {
	if !a.all {
		if err := app.Verify(ctx, a.app); err != nil {
			return err
		}
		return fn(ctx, a.app)
	}
	u := ctx.UI()
	workers := a.parallel
	if workers < -1 {
		return ui.Failf("Invalid value %d for --parallel flag", workers)
	}
	if workers == -1 {
		workers = runtime.NumCPU()
		u.Warn(fmt.Sprintf("Setting --parallel=%d value to CPU count of %d", a.parallel, workers))
	}
	serial := workers == 0 || workers == 1
	if serial {
		u.Warn(fmt.Sprintf("Running %s in serial mode", cmd))
	}
	apps, err := app.List(ctx)
	if err != nil {
		return err
	}
	if len(apps) == 0 {
		u.Warn(app.ErrNoApps.Error())
		return nil
	}
	errCount := 0
	if serial {
		for _, name := range apps {
			u.Info1(fmt.Sprintf("Running %s against app %s", cmd, name))
			if err := fn(ctx, name); err != nil {
				u.Warn(fmt.Sprintf("Error running %s against app %s: %s", cmd, name, errText(err)))
				errCount++
			}
		}
		if errCount > 0 {
			return ui.Failf("%s command returned %d errors", cmd, errCount)
		}
		return nil
	}
	// Parallel runs: each app's output is collected and printed whole, in
	// app order, so that concurrent builds do not interleave line by line.
	type result struct {
		out bytes.Buffer
		err error
	}
	results := make([]result, len(apps))
	var mu sync.Mutex
	next := 0
	var wg sync.WaitGroup
	for w := 0; w < workers && w < len(apps); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(apps) {
					return
				}
				r := &results[i]
				c := ctx.WithIO(strings.NewReader(""), &r.out, &r.out)
				c.UI().Info1(fmt.Sprintf("Running command against %s", apps[i]))
				r.err = fn(c, apps[i])
			}
		}()
	}
	wg.Wait()
	for i, r := range results {
		ctx.Stdout.Write(r.out.Bytes())
		if r.err != nil {
			u.Warn(fmt.Sprintf("Error running %s against %s: %s", cmd, apps[i], errText(r.err)))
			errCount++
		}
	}
	if errCount > 0 {
		return ui.Failf("Encountered %d errors during parallel run", errCount)
	}
	return nil
}

func runBuildConfig(ctx *plugin.Context, args []string) error {
	a, err := parseAll(args[1:], true)
	if err != nil {
		return err
	}
	return runAgainst(ctx, a, "build-config", func(c *plugin.Context, name string) error {
		return c.Trigger("proxy-build-config", name)
	})
}

func runClearConfig(ctx *plugin.Context, args []string) error {
	a, err := parseAll(args[1:], false)
	if err != nil {
		return err
	}
	if a.all {
		return ctx.Trigger("proxy-clear-config", "--all")
	}
	if err := app.Verify(ctx, a.app); err != nil {
		return err
	}
	return ctx.Trigger("proxy-clear-config", a.app)
}

func runEnable(ctx *plugin.Context, args []string) error {
	a, err := parseAll(args[1:], true)
	if err != nil {
		return err
	}
	return runAgainst(ctx, a, "enable", func(c *plugin.Context, name string) error {
		if Enabled(c, name) {
			c.UI().Info1("Proxy is already enabled for app")
			return nil
		}
		c.UI().Info1("Enabling proxy for app")
		if err := c.Props().Delete(pluginName, name, "disabled"); err != nil {
			return err
		}
		return c.Trigger("proxy-enable", name)
	})
}

func runDisable(ctx *plugin.Context, args []string) error {
	a, err := parseAll(args[1:], true)
	if err != nil {
		return err
	}
	return runAgainst(ctx, a, "disable", func(c *plugin.Context, name string) error {
		if !Enabled(c, name) {
			// compat: Dokku's wording, typo included.
			c.UI().Info1("Proxy is already disable for app")
			return nil
		}
		c.UI().Info1("Disabling proxy for app")
		if err := c.Props().Write(pluginName, name, "disabled", "true"); err != nil {
			return err
		}
		return c.Trigger("proxy-disable", name)
	})
}

func reportSpec() report.Spec {
	return report.Spec{
		Namespace:      "proxy",
		Type:           "proxy",
		LegacyJSONKeys: true,
		Collect: func(ctx *plugin.Context, name string) (map[string]string, error) {
			v := map[string]string{}
			// The ports have no built-in default here (ports-configure
			// writes them at deploy); the type defaults to nginx.
			report.Triple(ctx, v, "proxy", pluginName, name, "type", defaultType)
			report.Triple(ctx, v, "proxy", pluginName, name, "proxy-port", "")
			report.Triple(ctx, v, "proxy", pluginName, name, "proxy-ssl-port", "")
			if name == property.Global {
				return v, nil
			}
			d, _ := ctx.Props().Get(pluginName, name, "disabled")
			v["--proxy-disabled"] = d
			v["--proxy-computed-disabled"] = firstNonEmpty(d, "false")
			v["--proxy-enabled"] = strconv.FormatBool(Enabled(ctx, name))
			return v, nil
		},
	}
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

var typeName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`) })

func validPort(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("Invalid port specified, must be an integer between 1 and 65535")
	}
	return nil
}

func setSpec() setting.Spec {
	return setting.Spec{
		Plugin: pluginName,
		Keys: map[string]setting.Key{
			"type": {Validate: func(v string) error {
				if !typeName().MatchString(v) {
					return fmt.Errorf("Invalid proxy type specified: %s", v)
				}
				return nil
			}},
			"proxy-port":     {Validate: validPort},
			"proxy-ssl-port": {Validate: validPort},
			"disabled":       {Scope: setting.AppOnly, Validate: setting.Bool},
		},
	}
}

// runSet is `proxy:set <app>|--global <key> [<value>]`; the legacy form
// `proxy:set <app>|--global <type>` sets the type.
func runSet(ctx *plugin.Context, args []string) error {
	rest := args[1:]
	spec := setSpec()
	var pos []string
	global := false
	for _, a := range rest {
		if a == "--global" && !global {
			global = true
			continue
		}
		pos = append(pos, a)
	}
	// compat: a lone non-key word after the app (or --global) is a proxy type.
	legacy := (global && len(pos) == 1) || (!global && len(pos) == 2)
	if legacy {
		word := pos[len(pos)-1]
		if _, isKey := spec.Keys[word]; !isKey {
			out := []string{}
			if global {
				out = append(out, "--global")
			}
			out = append(out, pos[:len(pos)-1]...)
			rest = append(out, "type", word)
		}
	}
	return setting.Run(ctx, spec, rest)
}

func triggerType(ctx *plugin.Context, args []string) error {
	fmt.Fprintln(ctx.Stdout, Type(ctx, plugin.Arg(args, 0)))
	return nil
}

func triggerIsEnabled(ctx *plugin.Context, args []string) error {
	fmt.Fprintln(ctx.Stdout, strconv.FormatBool(Enabled(ctx, plugin.Arg(args, 0))))
	return nil
}

func triggerReport(ctx *plugin.Context, args []string) error {
	if plugin.Arg(args, 0) == "" {
		return nil
	}
	return report.Run(ctx, reportSpec(), []string{plugin.Arg(args, 0)})
}
