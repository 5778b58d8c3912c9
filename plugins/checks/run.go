package checks

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// runRun is checks:run <app> [<type>[.<index>],...]: check-deploy against
// the running containers recorded in CONTAINER.<type>.<n>.
func runRun(ctx *plugin.Context, args []string) error {
	appName, types, err := typesArg(ctx, args)
	if err != nil {
		return err
	}
	u := ctx.UI()
	u.Info1("Running pre-flight checks")
	formation := currentScale(ctx, appName)
	if types == All {
		return checkTypes(ctx, appName, formation, "")
	}
	for _, t := range splitList(types) {
		name, index, hasIndex := strings.Cut(t, ".")
		if hasIndex {
			if err := checkProcess(ctx, appName, name, index); err != nil {
				return err
			}
			continue
		}
		if err := checkTypes(ctx, appName, formation, name); err != nil {
			return err
		}
	}
	return nil
}

type scaleEntry struct {
	processType string
	count       int
}

// currentScale is the app's formation from ps-current-scale.
func currentScale(ctx *plugin.Context, appName string) []scaleEntry {
	out, _ := ctx.TriggerOutput("ps-current-scale", appName)
	var entries []scaleEntry
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			continue
		}
		entries = append(entries, scaleEntry{k, n})
	}
	return entries
}

func checkTypes(ctx *plugin.Context, appName string, formation []scaleEntry, only string) error {
	found := false
	for _, e := range formation {
		if only != "" && e.processType != only {
			continue
		}
		found = true
		if IsDisabled(ctx, appName, e.processType) {
			ctx.UI().Info1(fmt.Sprintf("Zero downtime is disabled for app (%s.%s). Skipping checks", appName, e.processType))
			continue
		}
		for i := 1; i <= e.count; i++ {
			if err := checkProcess(ctx, appName, e.processType, strconv.Itoa(i)); err != nil {
				return err
			}
		}
	}
	if !found {
		return ui.Failf("Invalid process type specified (%s.%s)", appName, only)
	}
	return nil
}

func checkProcess(ctx *plugin.Context, appName, processType, index string) error {
	root := ctx.Env.AppRoot(appName)
	read := func(kind string) string {
		b, _ := os.ReadFile(filepath.Join(root, kind+"."+processType+"."+index))
		return strings.TrimSpace(string(b))
	}
	cid := read("CONTAINER")
	if cid == "" {
		return ui.Failf("Invalid container index specified (%s.%s.%s)", appName, processType, index)
	}
	ctx.UI().Info1(fmt.Sprintf("Running checks for app (%s.%s.%s)", appName, processType, index))
	return ctx.Trigger("check-deploy", appName, cid, processType, read("PORT"), read("IP"), index)
}
