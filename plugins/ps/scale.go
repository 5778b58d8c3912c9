package ps

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/procfile"
	"github.com/godokku/dokku/internal/ui"
)

// Formation is the quantity of one process type.
type Formation struct {
	ProcessType string `json:"process_type"`
	Quantity    int    `json:"quantity"`
}

var validProcessType = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_-]+$`) })

// parseTuples reads "type=count" entries; later duplicates are ignored.
func parseTuples(tuples []string) ([]Formation, error) {
	var out []Formation
	seen := map[string]bool{}
	for _, t := range tuples {
		name, count, ok := strings.Cut(t, "=")
		if !ok {
			return nil, fmt.Errorf("Missing count for process type %s", t)
		}
		name = strings.TrimSpace(name)
		n, err := strconv.Atoi(strings.TrimSpace(count))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("Invalid count for process type %s", name)
		}
		if !validProcessType().MatchString(name) {
			return nil, fmt.Errorf("Invalid process type name %s", name)
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, Formation{name, n})
	}
	return out, nil
}

// CurrentScale is the app's formation as the ps-current-scale trigger
// answers it: "<type>=<count>" lines, blanks around a line trimmed; a line
// without "=" or with a count that is not an integer is left out.
func CurrentScale(ctx *plugin.Context, appName string) []Formation {
	out, _ := ctx.TriggerOutput("ps-current-scale", appName)
	var f []Formation
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			continue
		}
		f = append(f, Formation{k, n})
	}
	return f
}

func tuplesOf(f []Formation) []string {
	out := make([]string, len(f))
	for i, e := range f {
		out[i] = fmt.Sprintf("%s=%d", e.ProcessType, e.Quantity)
	}
	return out
}

// Formations is the app's formation: the scale list plus the process types
// of scale.old (types that left the Procfile, quantity 0, kept until a
// deploy has retired their containers), sorted by type.
func Formations(ctx *plugin.Context, appName string) ([]Formation, error) {
	props := ctx.Props()
	cur, err := props.ListGet("ps", appName, PropScale)
	if err != nil {
		return nil, err
	}
	old, err := props.ListGet("ps", appName, PropScaleOld)
	if err != nil {
		return nil, err
	}
	f, err := parseTuples(cur)
	if err != nil {
		return nil, err
	}
	of, err := parseTuples(old)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, e := range f {
		seen[e.ProcessType] = true
	}
	for _, e := range of {
		if !seen[e.ProcessType] {
			seen[e.ProcessType] = true
			f = append(f, e)
		}
	}
	sort.Slice(f, func(i, j int) bool { return f[i].ProcessType < f[j].ProcessType })
	return f, nil
}

// updateScale merges updates into the stored formation and reconciles it
// with the Procfile: its types missing from the list are added with 0,
// types not in it with 0 move to scale.old; scaling up a type the Procfile
// does not have is refused.
func updateScale(ctx *plugin.Context, appName string, clearExisting bool, updates []Formation) error {
	props := ctx.Props()
	var existing []Formation
	if !clearExisting {
		cur, err := props.ListGet("ps", appName, PropScale)
		if err != nil {
			return err
		}
		if existing, err = parseTuples(cur); err != nil {
			return err
		}
	}
	valid := map[string]bool{}
	have := hasProcfile(ctx, appName)
	if have {
		entries, err := procfileEntries(ctx, appName)
		if err != nil {
			return err
		}
		for _, n := range procfile.Names(entries) {
			valid[n] = true
		}
	}
	seen := map[string]bool{}
	var merged []Formation
	for _, u := range updates {
		if have && !valid[u.ProcessType] && u.Quantity != 0 {
			return fmt.Errorf("%s is not a valid process name to scale up", u.ProcessType)
		}
		seen[u.ProcessType] = true
		merged = append(merged, u)
	}
	for _, e := range existing {
		if !seen[e.ProcessType] {
			seen[e.ProcessType] = true
			merged = append(merged, e)
		}
	}
	names := make([]string, 0, len(valid))
	for n := range valid {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !seen[n] {
			merged = append(merged, Formation{n, 0})
		}
	}
	var values, old []Formation
	for _, e := range merged {
		if have && !valid[e.ProcessType] && e.Quantity == 0 {
			old = append(old, e)
			continue
		}
		values = append(values, e)
	}
	if err := props.ListWrite("ps", appName, PropScaleOld, tuplesOf(old)); err != nil {
		return err
	}
	return props.ListWrite("ps", appName, PropScale, tuplesOf(values))
}

func canScale(ctx *plugin.Context, appName string) bool {
	return ctx.Props().GetDefault("ps", appName, PropCanScale, "true") == "true"
}

// scaleSet stores the formation and, unless told not to or the app is not
// deployed, redeploys the process types (only the changed ones when
// onlyChanged).
func scaleSet(ctx *plugin.Context, appName string, skipDeploy, clearExisting, onlyChanged bool, tuples []string) error {
	before, err := Formations(ctx, appName)
	if err != nil {
		return err
	}
	updates, err := parseTuples(tuples)
	if err != nil {
		return ui.Fail(err.Error())
	}
	if err := updateScale(ctx, appName, clearExisting, updates); err != nil {
		return ui.Fail(err.Error())
	}
	if skipDeploy || !app.IsDeployed(ctx, appName) {
		return nil
	}
	tag := runningImageTag(ctx, appName)
	for _, u := range updates {
		if onlyChanged {
			changed := true
			for _, b := range before {
				if b.ProcessType == u.ProcessType && b.Quantity == u.Quantity {
					changed = false
				}
			}
			if !changed {
				continue
			}
		}
		if err := ctx.Trigger("deploy", appName, tag, u.ProcessType); err != nil {
			return err
		}
	}
	return nil
}

// runningImageTag is the tag the app runs (deployed-app-image-tag, else
// latest).
func runningImageTag(ctx *plugin.Context, appName string) string {
	if t := ctx.TriggerValue("deployed-app-image-tag", appName); t != "" {
		return t
	}
	return "latest"
}

func scaleReport(ctx *plugin.Context, appName, format string) error {
	f, err := Formations(ctx, appName)
	if err != nil {
		return err
	}
	if format == "json" {
		if f == nil {
			f = []Formation{}
		}
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(ctx.Stdout, string(b))
		return err
	}
	u := ctx.UI()
	u.Info1Quiet("Scaling for " + appName)
	var rows [][2]string
	if !ctx.Env.Quiet() {
		rows = append(rows, [2]string{"proctype", "qty"}, [2]string{"--------", "---"})
	}
	for _, e := range f {
		rows = append(rows, [2]string{e.ProcessType, strconv.Itoa(e.Quantity)})
	}
	for _, r := range rows {
		u.Log(fmt.Sprintf("%-5s %s", r[0]+":", r[1]))
	}
	return nil
}

// runScale is ps:scale [--skip-deploy] [--format stdout|json] <app> [<type>=<n>...].
func runScale(ctx *plugin.Context, args []string) error {
	skipDeploy := false
	format := "stdout"
	var pos []string
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--skip-deploy":
			skipDeploy = true
		case a == "--format":
			if i+1 >= len(rest) {
				return ui.Fail("--format requires a value")
			}
			i++
			format = rest[i]
		case strings.HasPrefix(a, "--format="):
			format = strings.TrimPrefix(a, "--format=")
		default:
			pos = append(pos, a)
		}
	}
	if format != "stdout" && format != "json" {
		return ui.Failf("Invalid --format value specified, valid values: json, stdout")
	}
	appName, err := app.VerifyArg(ctx, pos, 0)
	if err != nil {
		return err
	}
	tuples := pos[1:]
	if len(tuples) == 0 {
		return scaleReport(ctx, appName, format)
	}
	if !canScale(ctx, appName) {
		return ui.Failf("App %s contains an app.json file with a formations key and cannot be manually scaled", appName)
	}
	ctx.UI().Info1(fmt.Sprintf("Scaling %s processes: %s", appName, strings.Join(tuples, " ")))
	return scaleSet(ctx, appName, skipDeploy, false, true, tuples)
}

// psCurrentScale prints "type=n" lines sorted by type (no trailing newline).
func psCurrentScale(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return ui.Fail("Please specify an app to run the command on")
	}
	f, err := Formations(ctx, args[0])
	if err != nil {
		return err
	}
	_, err = io.WriteString(ctx.Stdout, strings.Join(tuplesOf(f), "\n"))
	return err
}

// psSetScale is ps-set-scale <app> <skip-deploy> <clear-existing> [type=n...].
func psSetScale(ctx *plugin.Context, args []string) error {
	if len(args) < 3 {
		return ui.Fail("Usage: ps-set-scale <app> <skip-deploy> <clear-existing> [<type>=<count>...]")
	}
	return scaleSet(ctx, args[0], args[1] == "true", args[2] == "true", false, args[3:])
}

func psCanScale(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return ui.Fail("Usage: ps-can-scale <app> <true|false>")
	}
	v := "false"
	if args[1] == "true" {
		v = "true"
	}
	return ctx.Props().Write("ps", args[0], PropCanScale, v)
}
