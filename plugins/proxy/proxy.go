package proxy

import (
	"bytes"
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

// Enabled reports whether proxying is enabled (disabled: app → global → false).
func Enabled(ctx *plugin.Context, name string) bool {
	return ctx.Props().Computed(pluginName, name, "disabled", "false") != "true"
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
			if err != nil || n < -1 {
				return a, ui.Failf("invalid argument %q for \"--parallel\" flag", v)
			}
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

// runAgainst runs fn for one app, or for every app (serially, or with
// `parallel` workers; -1 = CPU count) printing
// `Running <cmd> against app <app>` before each.
func runAgainst(ctx *plugin.Context, a allArgs, cmd string, fn func(*plugin.Context, string) error) error {
	if !a.all {
		if err := app.Verify(ctx, a.app); err != nil {
			return err
		}
		return fn(ctx, a.app)
	}
	apps, err := app.List(ctx)
	if err != nil {
		return err
	}
	if len(apps) == 0 {
		ctx.UI().Warn("No apps detected")
		return nil
	}
	workers := a.parallel
	if workers == -1 {
		workers = runtime.NumCPU()
	}
	errCount := 0
	if workers <= 1 {
		for _, name := range apps {
			ctx.UI().Info1(fmt.Sprintf("Running %s against app %s", cmd, name))
			if err := fn(ctx, name); err != nil {
				if !ui.Silent(err) {
					ctx.UI().Warn(fmt.Sprintf("Error running %s against app %s: %s", cmd, name, err.Error()))
				}
				errCount++
			}
		}
	} else {
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
					c.UI().Info1(fmt.Sprintf("Running %s against app %s", cmd, apps[i]))
					r.err = fn(c, apps[i])
				}
			}()
		}
		wg.Wait()
		for i, r := range results {
			ctx.Stdout.Write(r.out.Bytes())
			if r.err != nil {
				if !ui.Silent(r.err) {
					ctx.UI().Warn(fmt.Sprintf("Error running %s against app %s: %s", cmd, apps[i], r.err.Error()))
				}
				errCount++
			}
		}
	}
	if errCount > 0 {
		return ui.Failf("Encountered %d errors during %s", errCount, cmd)
	}
	return nil
}

func runBuildConfig(ctx *plugin.Context, args []string) error {
	a, err := parseAll(args[1:], true)
	if err != nil {
		return err
	}
	return runAgainst(ctx, a, "proxy:build-config", func(c *plugin.Context, name string) error {
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
	return runAgainst(ctx, a, "proxy:enable", func(c *plugin.Context, name string) error {
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
	return runAgainst(ctx, a, "proxy:disable", func(c *plugin.Context, name string) error {
		if !Enabled(c, name) {
			c.UI().Info1("Proxy is already disabled for app")
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
			report.Triple(ctx, v, "proxy", pluginName, name, "type", defaultType)
			report.Triple(ctx, v, "proxy", pluginName, name, "proxy-port", "80")
			report.Triple(ctx, v, "proxy", pluginName, name, "proxy-ssl-port", "443")
			if name == property.Global {
				g, _ := ctx.Props().Get(pluginName, property.Global, "disabled")
				v["--proxy-computed-disabled"] = firstNonEmpty(g, "false")
				return v, nil
			}
			d, _ := ctx.Props().Get(pluginName, name, "disabled")
			v["--proxy-disabled"] = d
			v["--proxy-computed-disabled"] = ctx.Props().Computed(pluginName, name, "disabled", "false")
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
			"disabled":       {Validate: setting.Bool},
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
