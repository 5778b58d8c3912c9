// Package apps is Dokku's apps core plugin: creating, listing, destroying,
// renaming, cloning and locking apps, the apps report and settings, and the
// triggers other plugins use to create, check and remove apps.
package apps

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
)

// Plugin returns the apps plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "apps",
		Description: "dokku core apps plugin",
		Summary:     "Manage apps",
		Commands: []*plugin.Command{
			// Help lines: Dokku 0.38's apps help, in its order and wording.
			{Name: "apps:clone", Args: "<old-app> <new-app>", Desc: "Clones an app", Run: plugin.Cobra(newCloneCmd)},
			{Name: "apps:create", Args: "<app>", Desc: "Create a new app", Run: runCreate},
			{Name: "apps:destroy", Args: "<app>", Desc: "Permanently destroy an app", Run: plugin.Cobra(newDestroyCmd)},
			{Name: "apps:exists", Args: "<app>", Desc: "Checks if an app exists", Run: plugin.Cobra(newExistsCmd)},
			{Name: "apps:list", Args: "[--format stdout|json]", Desc: "List your apps", Run: plugin.Cobra(newListCmd)},
			{Name: "apps:lock", Args: "<app>", Desc: "Locks an app for deployment", Run: plugin.Cobra(newLockCmd)},
			{Name: "apps:locked", Args: "<app>", Desc: "Checks if an app is locked for deployment", Run: plugin.Cobra(newLockedCmd)},
			{Name: "apps:rename", Args: "<old-app> <new-app>", Desc: "Rename an app", Run: plugin.Cobra(newRenameCmd)},
			{Name: "apps:report", Args: "[<app>] [<flag>]", Desc: "Display report about an app", Run: report.Command(reportSpec)},
			{Name: "apps:set", Args: "[--global] <app> <key> (<value>)", Desc: "Set or clear an apps property for an app", Run: setting.Command(settings)},
			{Name: "apps:unlock", Args: "<app>", Desc: "Unlocks an app for deployment", Run: plugin.Cobra(newUnlockCmd)},
			// compat: the bare `apps` word lists apps, as apps:list does.
			{Name: "apps", Hidden: true, Run: plugin.Cobra(newListCmd)},
		},
		Triggers: map[string]plugin.Handler{
			"app-create":            triggerAppCreate,
			"app-destroy":           triggerAppDestroy,
			"app-exists":            triggerAppExists,
			"app-maybe-create":      triggerAppMaybeCreate,
			"deploy-source-set":     triggerDeploySourceSet,
			"install":               triggerInstall,
			"post-app-clone-setup":  triggerPostAppCloneSetup,
			"post-app-rename-setup": triggerPostAppRenameSetup,
			"post-create":           triggerPostCreate,
			"post-delete":           triggerPostDelete,
			"report":                report.AppTrigger(reportSpec),
		},
	}
}
