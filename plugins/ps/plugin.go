// Package ps is Dokku's ps core plugin: the formation (how many containers
// of each process type), the Procfile, the process lifecycle commands
// (start, stop, restart, rebuild, restore), per-app process properties and
// the retirement of old containers (ps:retire).
package ps

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
)

// Property names of the ps plugin.
const (
	PropScale              = "scale"
	PropScaleOld           = "scale.old"
	PropCanScale           = "can-scale"
	PropRestore            = "restore"
	PropRestartPolicy      = "restart-policy"
	PropStopTimeoutSeconds = "stop-timeout-seconds"
	PropProcfilePath       = "procfile-path"
	PropSkipDeploy         = "skip-deploy"
	PropStartCmd           = "start-cmd"
	PropDockerfileStartCmd = "dockerfile-start-cmd"
)

// Defaults of the computed ps properties.
const (
	DefaultRestartPolicy      = "on-failure:10"
	DefaultStopTimeoutSeconds = "30"
	DefaultProcfilePath       = "Procfile"
	DefaultSkipDeploy         = "false"
	DefaultRestore            = "true"
)

// Plugin returns the ps plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "ps",
		Description: "dokku core ps plugin",
		Summary:     "Manage app processes",
		Commands: []*plugin.Command{
			{Name: "ps:inspect", Args: "<app>", Desc: "Displays a sanitized version of docker inspect for an app", Run: runInspect},
			{Name: "ps:rebuild", Args: "[--parallel count] [--all|<app>]", Desc: "Rebuilds an app from source", Run: runRebuild},
			{Name: "ps:report", Args: "[<app>] [<flag>]", Desc: "Displays a process report for one or more apps", Run: runReport},
			{Name: "ps:restart", Args: "[--parallel count] [--all|<app>] [<process-name>]", Desc: "Restart an app", Run: runRestart},
			{Name: "ps:restore", Args: "[<app>]", Desc: "Start previously running apps e.g. after reboot", Run: runRestore},
			{Name: "ps:retire", Args: "[<app>]", Hidden: true, Run: runRetire},
			{Name: "ps:scale", Args: "[--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]", Desc: "Get/Set how many instances of a given process to run", Run: runScale},
			{Name: "ps:set", Args: "<app> <key> <value>", Desc: "Set or clear a ps property for an app", Run: setting.Command(setSpec)},
			{Name: "ps:start", Args: "[--parallel count] [--all|<app>]", Desc: "Start an app", Run: runStart},
			{Name: "ps:stop", Args: "[--parallel count] [--all|<app>]", Desc: "Stop an app", Run: runStop},
		},
		Triggers: map[string]plugin.Handler{
			"app-restart":                appRestart,
			"core-post-deploy":           corePostDeploy,
			"core-post-extract":          corePostExtract,
			"docker-args-process-deploy": dockerArgsProcessDeploy,
			"install":                    install,
			"post-app-clone":             postAppClone,
			"post-app-clone-setup":       postAppCloneSetup,
			"post-app-rename":            postAppRename,
			"post-app-rename-setup":      postAppRenameSetup,
			"post-create":                postCreate,
			"post-delete":                postDelete,
			"post-release-builder":       postReleaseBuilder,
			"post-stop":                  postStop,
			"procfile-exists":            procfileExists,
			"procfile-get-command":       procfileGetCommand,
			"ps-can-scale":               psCanScale,
			"ps-current-scale":           psCurrentScale,
			"ps-get-property":            psGetProperty,
			"ps-set-scale":               psSetScale,
			"report":                     report.Trigger(reportSpec("")),
		},
	}
}
