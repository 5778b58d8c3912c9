package domains

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
)

// Plugin returns the domains plugin registration. Help lines are in the
// sorted order Dokku's bash help prints them.
func Plugin() *plugin.Plugin {
	const list = "<domain> [<domain> ...]"
	return &plugin.Plugin{
		Name:        "domains",
		Description: "dokku core domains plugin",
		Summary:     "Manage domains used by the proxy",
		ShellHelp:   true, // compat: Dokku renders this help with `sort | column -t -s,`
		Commands: []*plugin.Command{
			{Name: "domains:add", Args: "<app> " + list, Desc: "Add domains to app", Run: runAdd},
			{Name: "domains:add-global", Args: list, Desc: "Add global domain names", Run: runAddGlobal},
			{Name: "domains:clear", Args: "<app>", Desc: "Clear all domains for app", Run: runClear},
			{Name: "domains:clear-global", Desc: "Clear global domain names", Run: runClearGlobal},
			{Name: "domains:disable", Args: "<app>", Desc: "Disable VHOST support", Run: runDisable},
			{Name: "domains:enable", Args: "<app>", Desc: "Enable VHOST support", Run: runEnable},
			{Name: "domains:remove", Args: "<app> " + list, Desc: "Remove domains from app", Run: runRemove},
			{Name: "domains:remove-global", Args: list, Desc: "Remove global domain names", Run: runRemoveGlobal},
			{Name: "domains:report", Args: "[<app>|--global] [<flag>]", Desc: "Displays a domains report for one or more apps", Run: report.Command(reportSpec())},
			{Name: "domains:reset", Args: "<app>", Desc: "Reset app domains to global-configured domains", Run: runReset},
			{Name: "domains:set", Args: "<app> " + list, Desc: "Set domains for app", Run: runSet},
			{Name: "domains:set-global", Args: list, Desc: "Set global domain names", Run: runSetGlobal},
			{Name: "domains:setup", Args: "<app>", Hidden: true, Run: runSetup},
		},
		Triggers: map[string]plugin.Handler{
			"domains-add":           triggerAdd,
			"domains-list":          triggerList,
			"domains-urls":          triggerURLs,
			"domains-vhost-enabled": triggerVhostEnabled,
			"domains-enable":        triggerEnable,
			"domains-disable":       triggerDisable,
			"domains-setup":         triggerSetup,
			"post-create":           triggerSetup,
			"core-post-deploy":      triggerCoreDeploy,
			"post-app-clone-setup":  triggerCloneSetup,
			"post-app-rename-setup": triggerRenameSetup,
			"report":                triggerReport,
		},
	}
}
