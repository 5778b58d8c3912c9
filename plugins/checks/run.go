package checks

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
	"github.com/godokku/dokku/plugins/ps"
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
	formation := ps.CurrentScale(ctx, appName)
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

func checkTypes(ctx *plugin.Context, appName string, formation []ps.Formation, only string) error {
	found := false
	for _, e := range formation {
		if only != "" && e.ProcessType != only {
			continue
		}
		found = true
		if IsDisabled(ctx, appName, e.ProcessType) {
			ctx.UI().Info1(fmt.Sprintf("Zero downtime is disabled for app (%s.%s). Skipping checks", appName, e.ProcessType))
			continue
		}
		for i := 1; i <= e.Quantity; i++ {
			if err := checkProcess(ctx, appName, e.ProcessType, strconv.Itoa(i)); err != nil {
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
