package events

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the 20_events plugin registration.
func Plugin() *plugin.Plugin {
	triggers := make(map[string]plugin.Handler, len(loggedTriggers)+1)
	for _, name := range loggedTriggers {
		triggers[name] = logger(name)
	}
	triggers["install"] = triggerInstall
	return &plugin.Plugin{
		Name:        "20_events",
		Namespace:   "events",
		Description: "dokku core events logging plugin",
		Summary:     "Manage event logging",
		ShellHelp:   true, // compat: Dokku renders this help with `sort | column -t -s,`
		Commands: []*plugin.Command{
			// Help lines: Dokku 0.38's events help, in its order and wording.
			{Name: "events", Args: "[-t]", Desc: "Show the last events (-t follows)", Run: runEvents},
			{Name: "events:list", Desc: "List logged events", Run: runList},
			{Name: "events:on", Desc: "Enable events logger", Run: runOn},
			{Name: "events:off", Desc: "Disable events logger", Run: runOff},
		},
		Triggers: triggers,
	}
}
