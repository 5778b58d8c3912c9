package nginxvhosts

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
)

// Plugin returns the nginx-vhosts plugin registration. Help lines are in
// the sorted order of Dokku's bash help.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "nginx-vhosts",
		Namespace:   "nginx",
		Description: "dokku core nginx-vhosts plugin",
		Summary:     "Manage the nginx proxy",
		ShellHelp:   true, // compat: Dokku renders this help with `sort | column -t -s,`
		Commands: []*plugin.Command{
			{Name: "nginx:access-logs", Args: "<app> [-t]", Desc: "Show the nginx access logs for an application (-t follows)", Run: runLogs("access")},
			{Name: "nginx:error-logs", Args: "<app> [-t]", Desc: "Show the nginx error logs for an application (-t follows)", Run: runLogs("error")},
			{Name: "nginx:reload", Desc: "Reloads the nginx server config", Run: runReload},
			{Name: "nginx:report", Args: "[<app>] [<flag>]", Desc: "Displays an nginx report for one or more apps", Run: report.Command(reportSpec())},
			{Name: "nginx:set", Args: "<app> <property> (<value>)", Desc: "Set or clear an nginx property for an app", Run: setting.Command(setSpec())},
			{Name: "nginx:show-config", Args: "<app>", Desc: "Display app nginx config", Run: runShowConfig},
			{Name: "nginx:start", Desc: "Starts the nginx server", Run: runStart},
			{Name: "nginx:stop", Desc: "Stops the nginx server", Run: runStop},
			{Name: "nginx:validate-config", Args: "[<app>] [--clean]", Desc: "Validates and optionally cleans up invalid nginx configurations", Run: runValidateConfig},
			{Name: "nginx:show-conf", Args: "<app>", Hidden: true, Run: runShowConfig},
			{Name: "nginx:validate", Args: "[<app>] [--clean]", Hidden: true, Run: runValidateConfig},
		},
		Triggers: map[string]plugin.Handler{
			"install":                       triggerInstall,
			"proxy-build-config":            triggerBuildConfig,
			"proxy-clear-config":            triggerClearConfig,
			"proxy-enable":                  triggerProxyEnable,
			"proxy-disable":                 triggerProxyDisable,
			"pre-enable-vhost":              triggerPortsReset,
			"pre-disable-vhost":             triggerPortsReset,
			"post-domains-update":           rebuild,
			"post-proxy-ports-update":       rebuild,
			"scheduler-post-deploy-process": triggerSchedulerPostDeployProcess,
			"core-post-extract":             triggerCorePostExtract,
			"core-post-deploy":              triggerCorePostDeploy,
			"post-create":                   triggerPostCreate,
			"post-delete":                   triggerPostDelete,
			"post-app-clone-setup":          triggerCloneSetup,
			"post-app-rename-setup":         triggerRenameSetup,
			"pre-restore":                   triggerPreRestore,
			"report":                        triggerReport,
		},
		Files: pluginFiles(),
	}
}
