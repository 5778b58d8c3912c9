// Package builds is Dokku's builds core plugin: the records of builds and
// deploys started by a build capture (internal/capture), their logs, and
// the commands to list, follow, cancel and prune them.
//
// Files (doc'd here because the plugin owns the format):
//
//	$DOKKU_LIB_ROOT/data/builds/<app>/<id>.json   one record, indented JSON:
//	    {"id","app","kind":"build|deploy","pid","started_at","finished_at"?,
//	     "status":"running|succeeded|failed|canceled","source","exit_code"?}
//	$DOKKU_LIB_ROOT/data/builds/<app>/<id>.log    everything the build printed
//	$DOKKU_LIB_ROOT/config/builds/<app|--global>/retention
//
// Ids are 8 base36 digits of the millisecond clock followed by 6 random
// ones, so they sort by start time. A running record whose process is gone
// is shown as "abandoned" and reaped (failed, exit -1) at the next prune.
package builds

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
)

const pluginName = "builds"

// Plugin returns the builds plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        pluginName,
		Description: "dokku core builds plugin",
		Summary:     "Manage running and historical builds",
		// compat: Dokku's builds help text has no final newline, so its
		// usage ends without the blank "    " line other Go plugins print.
		HelpNoTrailer: true,
		Commands: []*plugin.Command{
			// Help lines: Dokku 0.38's builds help, in its order and wording.
			{Name: "builds:cancel", Args: "<app>", Desc: "Cancel a running build for an app", Run: plugin.Cobra(newCancelCmd)},
			{Name: "builds:info", Args: "<app> <build-id> [--format json|stdout]", Desc: "Show details for a single build", Run: plugin.Cobra(newInfoCmd)},
			{Name: "builds:list", Args: "[<app>] [--format json] [--kind build|deploy] [--status <status>]", Desc: "List builds", Run: plugin.Cobra(newListCmd)},
			{Name: "builds:output", Args: "<app> [<build-id>|current]", Desc: "Show build output", Run: plugin.Cobra(newOutputCmd)},
			{Name: "builds:prune", Args: "<app> [--all-apps]", Desc: "Prune build records to retention", Run: plugin.Cobra(newPruneCmd)},
			{Name: "builds:report", Args: "[<app>] [<flag>]", Desc: "Display a build report for one or more apps", Run: report.Command(reportSpec)},
			{Name: "builds:set", Args: "[--global|<app>] <key> [<value>]", Desc: "Set or clear a builds property", Run: runSet},
		},
		Triggers: map[string]plugin.Handler{
			"builds-generate-id":     triggerGenerateID,
			"builds-record-finalize": triggerRecordFinalize,
			"builds-record-start":    triggerRecordStart,
			"install":                plugin.InstallProperties(pluginName),
			"post-app-rename-setup":  triggerPostAppRenameSetup,
			"post-delete":            triggerPostDelete,
			"report":                 report.AppTrigger(reportSpec),
		},
	}
}
