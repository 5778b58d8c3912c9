package ps

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
	"github.com/godokku/dokku/internal/ui"
)

// computed returns the app → global → default value of a ps property.
func computed(ctx *plugin.Context, appName, key, def string) string {
	return ctx.Props().Computed("ps", appName, key, def)
}

// RestartPolicy is the app's computed restart policy.
func RestartPolicy(ctx *plugin.Context, appName string) string {
	return computed(ctx, appName, PropRestartPolicy, DefaultRestartPolicy)
}

// StopTimeout is the app's computed stop timeout in seconds.
func StopTimeout(ctx *plugin.Context, appName string) int {
	n, err := strconv.Atoi(strings.TrimSpace(computed(ctx, appName, PropStopTimeoutSeconds, DefaultStopTimeoutSeconds)))
	if err != nil || n < 0 {
		n, _ = strconv.Atoi(DefaultStopTimeoutSeconds)
	}
	return n
}

// containerFiles lists the "<type>.<n>" suffixes of CONTAINER.* files,
// sorted by type then index.
func containerFiles(ctx *plugin.Context, appName string) []string {
	ents, err := os.ReadDir(ctx.Env.AppRoot(appName))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if n := e.Name(); strings.HasPrefix(n, "CONTAINER.") {
			out = append(out, strings.TrimPrefix(n, "CONTAINER."))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		ti, ni, _ := strings.Cut(out[i], ".")
		tj, nj, _ := strings.Cut(out[j], ".")
		if ti != tj {
			return ti < tj
		}
		a, _ := strconv.Atoi(ni)
		b, _ := strconv.Atoi(nj)
		return a < b
	})
	return out
}

// reportCollector builds the ps report; when only one info flag is asked
// for, only that value is computed (no Docker round trip for --ps-restore).
func reportCollector(only string) func(ctx *plugin.Context, appName string) (map[string]string, error) {
	return func(ctx *plugin.Context, appName string) (map[string]string, error) {
		v := map[string]string{}
		for _, k := range []struct{ key, def string }{
			{PropProcfilePath, DefaultProcfilePath},
			{PropRestartPolicy, DefaultRestartPolicy},
			{PropSkipDeploy, DefaultSkipDeploy},
			{PropStopTimeoutSeconds, DefaultStopTimeoutSeconds},
		} {
			report.Triple(ctx, v, "ps", "ps", appName, k.key, k.def)
		}
		if appName == property.Global {
			return v, nil
		}
		props := ctx.Props()
		for _, k := range []string{PropStartCmd, PropDockerfileStartCmd} {
			val, _ := props.Get("ps", appName, k)
			v["--ps-"+k] = val
			v["--ps-computed-"+k] = val
		}
		v["--ps-can-scale"] = strconv.FormatBool(canScale(ctx, appName))
		v["--restore"] = props.GetDefault("ps", appName, PropRestore, DefaultRestore)
		want := func(flag string) bool { return only == "" || only == flag }
		v["--deployed"] = ""
		if want("--deployed") {
			v["--deployed"] = strconv.FormatBool(app.IsDeployed(ctx, appName))
		}
		v["--processes"], v["--running"] = "", ""
		if want("--processes") || want("--running") {
			out := ctx.TriggerValue("scheduler-app-status", scheduler(ctx, appName), appName)
			f := strings.Fields(out)
			v["--processes"] = "-1"
			if len(f) > 0 {
				if _, err := strconv.Atoi(f[0]); err == nil {
					v["--processes"] = f[0]
				}
			}
			if len(f) > 1 {
				v["--running"] = f[1]
			}
		}
		if only == "" || strings.HasPrefix(only, "--status-") {
			for flag, val := range statusFlags(ctx, appName, only) {
				v[flag] = val
			}
		}
		return v, nil
	}
}

// statusFlags are --status-<type>.<n> = "<state> (CID: <id>)" for the
// docker-local containers of an app.
func statusFlags(ctx *plugin.Context, appName, only string) map[string]string {
	out := map[string]string{}
	if scheduler(ctx, appName) != "docker-local" {
		return out
	}
	files := containerFiles(ctx, appName)
	if len(files) == 0 {
		return out
	}
	var ids []string
	for _, f := range files {
		b, _ := os.ReadFile(ctx.Env.AppRoot(appName) + "/CONTAINER." + f)
		ids = append(ids, strings.TrimSpace(string(b)))
	}
	states := containerStates(ctx, ids, only)
	for i, f := range files {
		flag := "--status-" + f
		if only != "" && only != flag {
			out[flag] = ""
			continue
		}
		id := ids[i]
		st := states[id]
		if st == "" {
			st = "missing"
		}
		short := id
		if len(short) > 11 {
			short = short[:11]
		}
		out[flag] = fmt.Sprintf("%s (CID: %s)", st, short)
	}
	return out
}

func runReport(ctx *plugin.Context, args []string) error {
	only := ""
	for _, a := range args[1:] {
		if strings.HasPrefix(a, "--") && a != "--global" && a != "--format" && !strings.HasPrefix(a, "--format=") {
			if only != "" {
				only = ""
				break
			}
			only = a
		}
	}
	return report.Run(ctx, reportSpec(only), args[1:])
}

// reportSpec is the ps report; with only set, only that flag is computed.
func reportSpec(only string) report.Spec {
	return report.Spec{Namespace: "ps", Type: "ps", LegacyJSONKeys: true, Collect: reportCollector(only)}
}

// setSpec are the keys of ps:set.
var setSpec = setting.Spec{
	Plugin: "ps",
	Keys: map[string]setting.Key{
		PropRestartPolicy:      {Scope: setting.AppAndGlobal, Validate: validRestartPolicy},
		PropStopTimeoutSeconds: {Scope: setting.AppAndGlobal, Validate: validSeconds},
		PropProcfilePath:       {Scope: setting.AppAndGlobal, Validate: validProcfilePath},
		PropSkipDeploy:         {Scope: setting.AppAndGlobal, Validate: setting.Bool},
		PropRestore:            {Scope: setting.AppOnly, Validate: setting.Bool},
		PropStartCmd:           {Scope: setting.AppOnly},
		PropDockerfileStartCmd: {Scope: setting.AppOnly},
	},
}

// ValidRestartPolicy accepts no, always, unless-stopped, on-failure and
// on-failure:<N>.
func ValidRestartPolicy(v string) bool {
	switch v {
	case "no", "always", "unless-stopped", "on-failure":
		return true
	}
	if n, ok := strings.CutPrefix(v, "on-failure:"); ok {
		c, err := strconv.Atoi(n)
		return err == nil && c >= 0
	}
	return false
}

func validRestartPolicy(v string) error {
	if !ValidRestartPolicy(v) {
		return fmt.Errorf("Invalid restart-policy specified")
	}
	return nil
}

func validSeconds(v string) error {
	if n, err := strconv.Atoi(v); err != nil || n < 0 {
		return fmt.Errorf("Invalid stop-timeout-seconds specified, must be a non-negative integer")
	}
	return nil
}

func validProcfilePath(v string) error {
	for _, part := range strings.Split(strings.Trim(v, "/"), "/") {
		if part == ".." {
			return fmt.Errorf("Invalid procfile-path specified, must be relative to the source tree")
		}
	}
	return nil
}

// psGetProperty prints a computed ps property.
func psGetProperty(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return ui.Fail("Usage: ps-get-property <app> <key>")
	}
	appName, key := args[0], args[1]
	var v string
	switch key {
	case PropRestore:
		v = ctx.Props().GetDefault("ps", appName, PropRestore, DefaultRestore)
	case PropSkipDeploy:
		v = computed(ctx, appName, PropSkipDeploy, "")
	case PropStopTimeoutSeconds:
		v = computed(ctx, appName, PropStopTimeoutSeconds, DefaultStopTimeoutSeconds)
	case PropRestartPolicy:
		v = RestartPolicy(ctx, appName)
	case PropProcfilePath:
		v = computed(ctx, appName, PropProcfilePath, DefaultProcfilePath)
	case PropStartCmd, PropDockerfileStartCmd:
		v, _ = ctx.Props().Get("ps", appName, key)
	default:
		return ui.Failf("Invalid ps property specified: %v", key)
	}
	_, err := fmt.Fprintln(ctx.Stdout, v)
	return err
}
