package git

import (
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
)

const pluginName = "git"

// Plugin returns the git plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        pluginName,
		Description: "dokku core git plugin",
		Summary:     "Manage app deploys via git",
		ShellHelp:   true, // compat: Dokku renders this help with `sort | column -t -s,`
		Commands: []*plugin.Command{
			// Help lines: Dokku 0.38's git help, sorted as its usage is.
			{Name: "git:allow-host", Args: "<host>", Desc: "Adds a host to known_hosts", Run: plugin.Cobra(newAllowHostCmd)},
			{Name: "git:auth", Args: "<host> [<username> <password>]", Desc: "Configures netrc authentication for a given git server", Run: plugin.Cobra(newAuthCmd)},
			{Name: "git:auth-status", Args: "<host> [<username> <password>]", Desc: "Reports whether the netrc entry matches the requested state", Run: plugin.Cobra(newAuthStatusCmd)},
			{Name: "git:from-archive", Args: "[--archive-type ARCHIVE_TYPE] <app> <archive-url> [<git-username> <git-email>]", Desc: "Updates an app's git repository with a given archive file", Run: plugin.Cobra(newFromArchiveCmd)},
			{Name: "git:from-image", Args: "[--build-dir DIRECTORY] <app> <docker-image> [<git-username> <git-email>]", Desc: "Updates an app's git repository with a given docker image", Run: plugin.Cobra(newFromImageCmd)},
			{Name: "git:generate-deploy-key", Desc: "Generates a deploy ssh key", Run: plugin.Cobra(newGenerateDeployKeyCmd)},
			{Name: "git:initialize", Args: "<app>", Desc: "Initialize a git repository for an app", Run: plugin.Cobra(newInitializeCmd)},
			{Name: "git:load-image", Args: "[--build-dir DIRECTORY] <app> <docker-image> [<git-username> <git-email>]", Desc: "Updates an app's git repository with a docker image loaded from stdin", Run: plugin.Cobra(newLoadImageCmd)},
			{Name: "git:public-key", Desc: "Outputs the dokku public deploy key", Run: plugin.Cobra(newPublicKeyCmd)},
			{Name: "git:report", Args: "[<app>] [<flag>]", Desc: "Displays a git report for one or more apps", Run: report.Command(reportSpec)},
			{Name: "git:set", Args: "<app> <key> (<value>)", Desc: "Set or clear a git property for an app", Run: setting.Command(settings)},
			{Name: "git:status", Args: "<app>", Desc: "Show the working tree status for an app", Run: plugin.Cobra(newStatusCmd)},
			{Name: "git:sync", Args: "[--build|--build-if-changes] [--skip-deploy-branch] <app> <repository> [<git-ref>]", Desc: "Clone or fetch an app from remote git repo", Run: plugin.Cobra(newSyncCmd)},
			{Name: "git:unlock", Args: "<app> [--force]", Desc: "Removes previous git clone folder for new deployment", Run: plugin.Cobra(newUnlockCmd)},
			// Reached through the commands fallback only (git over ssh and the hook).
			{Name: "git-hook", Hidden: true, ViaCommands: true, Run: runHook},
		},
		// git-receive-pack, git-upload-pack and every other git-* word.
		Fallback: fallback,
		Triggers: map[string]plugin.Handler{
			"deploy-source-set":     triggerDeploySourceSet,
			"git-deploy-branch":     triggerDeployBranch,
			"git-from-archive":      triggerFromArchive,
			"git-from-directory":    triggerFromDirectory,
			"git-from-image":        triggerFromImage,
			"git-get-property":      triggerGetProperty,
			"git-has-code":          triggerHasCode,
			"git-revision":          triggerRevision,
			"install":               triggerInstall,
			"post-app-clone-setup":  triggerPostAppCloneSetup,
			"post-app-rename-setup": triggerPostAppRenameSetup,
			"post-create":           triggerPostCreate,
			"post-delete":           triggerPostDelete,
			"receive-app":           triggerReceiveApp,
			"report":                report.AppTrigger(reportSpec),
		},
	}
}
