// Package appjson is Dokku's app-json core plugin: app.json staging during
// a build (data/app-json/<app>/app.json.<DOKKU_PID>, promoted after a
// successful deploy), its env section, the deployment tasks
// (scripts.dokku.predeploy/postdeploy, scripts.postdeploy, the Procfile
// release task) and formation.
package appjson

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
)

// Plugin returns the app-json plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "app-json",
		Description: "dokku core app-json plugin",
		Summary:     "Manage app-json settings for an app",
		Commands: []*plugin.Command{
			{Name: "app-json:report", Args: "[<app>] [<flag>]", Desc: "Displays a app-json report for one or more apps", Run: report.Command(reportSpec)},
			{Name: "app-json:set", Args: "<app> <property> (<value>)", Desc: "Set or clear a app-json property for an app", Run: setting.Command(setSpec)},
		},
		Triggers: map[string]plugin.Handler{
			"app-json-get-content":                triggerGetContent,
			"app-json-process-deploy-parallelism": triggerDeployParallelism,
			"core-post-deploy":                    triggerCorePostDeploy,
			"core-post-extract":                   triggerCorePostExtract,
			"install":                             triggerInstall,
			"post-app-clone-setup":                triggerPostAppCloneSetup,
			"post-app-rename":                     triggerPostAppRename,
			"post-app-rename-setup":               triggerPostAppRenameSetup,
			"post-create":                         triggerPostCreate,
			"post-delete":                         triggerPostDelete,
			"post-deploy":                         triggerPostDeploy,
			"pre-release-builder":                 triggerPreReleaseBuilder,
			"post-release-builder":                triggerPostReleaseBuilder,
			"report":                              report.Trigger(reportSpec),
		},
	}
}
