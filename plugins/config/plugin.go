package config

import (
	_ "embed"

	"github.com/godokku/dokku/internal/plugin"
)

//go:embed functions
var functionsSh string

// Plugin returns the config plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "config",
		Description: "dokku core config plugin",
		Summary:     "Manage global and app-specific config vars",
		Commands: []*plugin.Command{
			{Name: "config", Args: "(<app>|--global)", Desc: "Pretty-print an app or global environment", Run: plugin.Cobra(newConfigCmd)},
			{Name: "config:bundle", Args: "[--merged] (<app>|--global)", Desc: "Bundle environment into tarfile", Run: plugin.Cobra(newBundleCmd)},
			{Name: "config:clear", Args: "[--no-restart] (<app>|--global)", Desc: "Clears environment variables", Run: plugin.Cobra(newClearCmd)},
			{Name: "config:export", Args: "[--format=FORMAT] [--merged] (<app>|--global)", Desc: "Export a global or app environment", Run: plugin.Cobra(newExportCmd)},
			{Name: "config:get", Args: "[--quoted] (<app>|--global) KEY", Desc: "Display a global or app-specific config value", Run: plugin.Cobra(newGetCmd)},
			{Name: "config:import", Args: "[--format=FORMAT] [--replace] [--no-restart] (<app>|--global) [FILE]", Desc: "Import environment variables from an envfile or json file", Run: plugin.Cobra(newImportCmd)},
			{Name: "config:keys", Args: "[--merged] (<app>|--global)", Desc: "Show keys set in environment", Run: plugin.Cobra(newKeysCmd)},
			{Name: "config:show", Args: "[--merged] (<app>|--global)", Desc: "Show keys set in environment", Run: plugin.Cobra(newShowCmd)},
			{Name: "config:set", Args: "[--encoded] [--no-restart] (<app>|--global) KEY1=VALUE1 [KEY2=VALUE2 ...]", Desc: "Set one or more config vars", Run: plugin.Cobra(newSetCmd)},
			{Name: "config:unset", Args: "[--no-restart] (<app>|--global) KEY1 [KEY2 ...]", Desc: "Unset one or more config vars", Run: plugin.Cobra(newUnsetCmd)},
		},
		Triggers: map[string]plugin.Handler{
			"config-export":         triggerConfigExport,
			"config-get":            triggerConfigGet,
			"config-get-global":     triggerConfigGetGlobal,
			"config-migrate-env":    triggerConfigMigrateEnv,
			"config-set":            triggerConfigSet,
			"config-unset":          triggerConfigUnset,
			"docker-args-deploy":    triggerDockerArgs,
			"docker-args-run":       triggerDockerArgs,
			"install":               triggerInstall,
			"post-app-clone-setup":  triggerPostAppCloneSetup,
			"post-app-rename-setup": triggerPostAppRenameSetup,
			"post-create":           triggerPostCreate,
			"post-delete":           triggerPostDelete,
		},
		Tools: map[string]plugin.Handler{"config_sub": runSub},
		Files: map[string]string{"functions": functionsSh},
	}
}
