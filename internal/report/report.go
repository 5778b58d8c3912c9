// Package report implements the `<ns>:report` convention of commands.md
// §0.3 once for every plugin: argument parsing, all-apps iteration, the
// --global scope, single info flags, the stdout layout and --format json.
package report

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// Spec describes one plugin's report.
type Spec struct {
	Namespace string // command namespace, for "<ns>:report command allows only a single flag"
	Type      string // report type: "app", "ps", "nginx" ...
	// Collect returns flag → value for an app, or for property.Global when
	// the report is asked with --global (only global-scoped flags then).
	Collect func(ctx *plugin.Context, app string) (map[string]string, error)
	// NoTrimPrefix keeps "<type>-" in JSON keys (most reports trim them).
	NoTrimPrefix bool
	// LegacyJSONKeys also emits "<type>-<key>" JSON keys (Go-native plugins in 0.38).
	LegacyJSONKeys bool
	// StrictFlags surfaces the "only a single flag" error instead of printing nothing.
	StrictFlags bool
	// NoGlobal refuses --global (reports with no global scope).
	NoGlobal bool
}

type parsed struct {
	app, format, flag string
	global, many      bool
}

func parse(args []string) (parsed, error) {
	p := parsed{format: "stdout"}
	var flags []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--format":
			if i+1 >= len(args) {
				return p, ui.Fail("--format requires a value")
			}
			p.format = args[i+1]
			i++
		case strings.HasPrefix(a, "--format="):
			p.format = strings.TrimPrefix(a, "--format=")
		case a == "--global":
			p.global = true
		case strings.HasPrefix(a, "--"):
			flags = append(flags, a)
		default:
			if p.app == "" {
				p.app = a
			}
		}
	}
	switch len(flags) {
	case 0:
	case 1:
		p.flag = flags[0]
	default:
		p.many = true
	}
	if p.format != "stdout" && p.format != "json" {
		return p, ui.Failf("Invalid --format value specified, valid values: json, stdout")
	}
	return p, nil
}

// Run handles `<ns>:report [<app>|--global] [--format stdout|json] [<flag>]`;
// args start after the command word.
func Run(ctx *plugin.Context, s Spec, args []string) error {
	p, err := parse(args)
	if err != nil {
		return err
	}
	if p.many {
		if s.StrictFlags {
			return ui.Failf("%s:report command allows only a single flag", s.Namespace)
		}
		return nil
	}
	if p.global {
		if s.NoGlobal {
			return ui.Fail("--global is not supported by this report")
		}
		return one(ctx, s, property.Global, p)
	}
	if p.app != "" {
		if err := app.Verify(ctx, p.app); err != nil {
			return err
		}
		return one(ctx, s, p.app, p)
	}
	apps, err := app.List(ctx)
	if err != nil {
		return err
	}
	if len(apps) == 0 {
		ctx.UI().Warn(app.ErrNoApps.Error())
		return nil
	}
	for _, a := range apps {
		if err := one(ctx, s, a, p); err != nil {
			return err
		}
	}
	return nil
}

// Command is the `<ns>:report` command handler: Run on the words after the
// command word.
func Command(s Spec) plugin.Handler {
	return func(ctx *plugin.Context, args []string) error { return Run(ctx, s, plugin.Rest(args)) }
}

// Trigger is the `report <app>` trigger handler: Run for its first
// argument; nothing without one.
func Trigger(s Spec) plugin.Handler {
	return func(ctx *plugin.Context, args []string) error {
		if len(args) == 0 {
			return nil
		}
		return Run(ctx, s, args[:1])
	}
}

// AppTrigger is the `report <app>` trigger handler of reports that verify
// their app: the app's report, or its verification error (an unknown or
// missing app exits 20).
func AppTrigger(s Spec) plugin.Handler {
	return func(ctx *plugin.Context, args []string) error {
		name := plugin.Arg(args, 0)
		if err := app.Verify(ctx, name); err != nil {
			return err
		}
		values, err := s.Collect(ctx, name)
		if err != nil {
			return err
		}
		return Render(ctx, s, name, values, "", "stdout")
	}
}

func one(ctx *plugin.Context, s Spec, appName string, p parsed) error {
	values, err := s.Collect(ctx, appName)
	if err != nil {
		return err
	}
	return Render(ctx, s, appName, values, p.flag, p.format)
}

// Render prints one app's report (ReportSingleApp).
func Render(ctx *plugin.Context, s Spec, appName string, values map[string]string, flag, format string) error {
	if format == "json" && flag != "" {
		return ui.Fail("--format flag cannot be specified when specifying an info flag")
	}
	prefix := "--" + s.Type + "-"
	flags := make([]string, 0, len(values))
	for k := range values {
		flags = append(flags, k)
	}
	sort.Strings(flags)
	if flag != "" {
		if v, ok := values[flag]; ok {
			fmt.Fprintln(ctx.Stdout, v)
			return nil
		}
		return ui.Failf("Invalid flag passed, valid flags: %s", strings.Join(flags, ", "))
	}
	if format == "json" {
		data := make(map[string]string, len(values)*2)
		for k, v := range values {
			if s.NoTrimPrefix || !strings.HasPrefix(k, prefix) {
				data[strings.TrimPrefix(k, "--")] = v
				continue
			}
			data[strings.TrimPrefix(k, prefix)] = v
			if s.LegacyJSONKeys {
				data[strings.TrimPrefix(k, "--")] = v
			}
		}
		b, err := json.Marshal(data)
		if err != nil {
			return err
		}
		fmt.Fprintln(ctx.Stdout, string(b))
		return nil
	}
	width := 31
	for _, k := range flags {
		width = max(width, utf8.RuneCountInString(k))
	}
	u := ctx.UI()
	u.Info2Quiet(fmt.Sprintf("%s %s information", appName, s.Type))
	for _, k := range flags {
		// Labels keep the report type ("Ps restart policy:"); only JSON keys
		// are trimmed (commands.md §0.3).
		label := strings.TrimPrefix(k, "--")
		label = ucFirst(strings.NewReplacer("-", " ", ".", " ").Replace(label)) + ":"
		u.Verbose(label + strings.Repeat(" ", max(0, width-utf8.RuneCountInString(label))) + values[k])
	}
	return nil
}

func ucFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Triple adds the raw, global and computed values of a property with a
// default: --<t>-<key>, --<t>-global-<key>, --<t>-computed-<key>. For the
// global scope the app value is omitted and computed is global → default.
func Triple(ctx *plugin.Context, values map[string]string, typ, pluginName, appName, key, def string) {
	props := ctx.Props()
	global, _ := props.Get(pluginName, property.Global, key)
	values["--"+typ+"-global-"+key] = global
	if appName == property.Global {
		values["--"+typ+"-computed-"+key] = firstNonEmpty(global, def)
		return
	}
	v, _ := props.Get(pluginName, appName, key)
	values["--"+typ+"-"+key] = v
	values["--"+typ+"-computed-"+key] = firstNonEmpty(v, global, def)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
