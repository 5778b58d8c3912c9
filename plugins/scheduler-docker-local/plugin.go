// Package schedulerdockerlocal is Dokku's scheduler-docker-local core
// plugin: it runs an app's formation as containers on the local Docker
// Engine with zero-downtime checks (scheduler-deploy, check-deploy),
// renames and retires containers, and answers the status triggers.
package schedulerdockerlocal

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
)

// Name is the scheduler name this plugin answers to.
const Name = "docker-local"

// Property names.
const (
	PropInitProcess           = "init-process"
	PropParallelScheduleCount = "parallel-schedule-count"
)

// Plugin returns the scheduler-docker-local plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "scheduler-docker-local",
		Namespace:   "scheduler-docker-local",
		Description: "dokku core scheduler-docker-local plugin",
		Summary:     "Manage the docker-local scheduler integration for an app",
		ShellHelp:   true, // compat: Dokku renders this help with `sort | column -t -s,`
		Commands: []*plugin.Command{
			{Name: "scheduler-docker-local:report", Args: "[<app>] [<flag>]", Desc: "Displays a scheduler-docker-local report for one or more apps", Run: report.Command(reportSpec)},
			{Name: "scheduler-docker-local:set", Args: "[<app>|--global] <property> (<value>)", Desc: "Set or clear a scheduler-docker-local property for an app or globally", Run: setting.Command(setSpec)},
		},
		Triggers: map[string]plugin.Handler{
			"check-deploy":               checkDeploy,
			"core-post-deploy":           corePostDeploy,
			"core-post-extract":          corePostExtract,
			"install":                    install,
			"post-app-clone-setup":       postAppCloneSetup,
			"post-app-rename-setup":      postAppRenameSetup,
			"post-create":                postCreate,
			"post-delete":                postDelete,
			"post-release-builder":       postReleaseBuilder,
			"report":                     report.Trigger(reportSpec),
			"scheduler-app-status":       appStatus,
			"scheduler-deploy":           schedulerDeploy,
			"scheduler-inspect":          inspect,
			"scheduler-is-deployed":      isDeployed,
			"scheduler-pre-restore":      preRestore,
			"scheduler-register-retired": registerRetired,
			"scheduler-retire":           retire,
			"scheduler-run-retire":       runRetire,
			"scheduler-stop":             stop,
			"scheduler-uses-host-cron":   usesHostCron,
		},
	}
}

// mine reports whether a scheduler-* trigger is addressed to docker-local.
func mine(args []string) bool { return len(args) > 0 && args[0] == Name }

// dataDir is $DOKKU_LIB_ROOT/data/scheduler-docker-local[/<app>].
func dataDir(ctx *plugin.Context, appName string) string {
	root := ctx.Env.PluginDataRoot("scheduler-docker-local")
	if appName == "" {
		return root
	}
	return filepath.Join(root, appName)
}

var reportSpec = report.Spec{
	Namespace:      "scheduler-docker-local",
	Type:           "scheduler-docker-local",
	LegacyJSONKeys: true,
	Collect: func(ctx *plugin.Context, appName string) (map[string]string, error) {
		v := map[string]string{}
		report.Triple(ctx, v, "scheduler-docker-local", "scheduler-docker-local", appName, PropInitProcess, "true")
		report.Triple(ctx, v, "scheduler-docker-local", "scheduler-docker-local", appName, PropParallelScheduleCount, "1")
		return v, nil
	},
}

// setSpec are the keys of scheduler-docker-local:set.
var setSpec = setting.Spec{
	Plugin: "scheduler-docker-local",
	Keys: map[string]setting.Key{
		PropInitProcess:           {Scope: setting.AppAndGlobal, Validate: setting.Bool},
		PropParallelScheduleCount: {Scope: setting.AppAndGlobal, Validate: positiveInt},
	},
}

func positiveInt(v string) error {
	if n, err := strconv.Atoi(v); err != nil || n < 1 {
		return fmt.Errorf("Invalid value for parallel-schedule-count, must be a positive integer: %s", v)
	}
	return nil
}

// parallelScheduleCount is how many non-web process types deploy at once.
func parallelScheduleCount(ctx *plugin.Context, appName string) int {
	n, err := strconv.Atoi(ctx.Props().Computed("scheduler-docker-local", appName, PropParallelScheduleCount, "1"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

func install(ctx *plugin.Context, _ []string) error {
	if err := ctx.Props().Setup("scheduler-docker-local"); err != nil {
		return err
	}
	return mkdirOwned(ctx, dataDir(ctx, ""))
}
