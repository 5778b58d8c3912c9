// Package schedulernull is Dokku's scheduler-null core plugin: selected with
// `scheduler:set <app> selected null`, it deploys nothing and reports the
// app as deployed and running.
package schedulernull

import (
	"fmt"
	"io"

	"github.com/godokku/dokku/internal/plugin"
)

// Name is the scheduler name this plugin answers to.
const Name = "null"

// Plugin returns the scheduler-null plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "scheduler-null",
		Description: "dokku core scheduler-null plugin",
		Summary:     "No-op scheduler plugin",
		Commands: []*plugin.Command{
			// the plugin has no commands: its help is a bare header
			{Name: "scheduler-null:help", Hidden: true, Run: runHelp},
		},
		Triggers: map[string]plugin.Handler{
			"scheduler-app-status":     appStatus,
			"scheduler-is-deployed":    isDeployed,
			"scheduler-uses-host-cron": usesHostCron,
		},
	}
}

func runHelp(ctx *plugin.Context, _ []string) error {
	_, err := io.WriteString(ctx.Stdout, "Usage: dokku scheduler-null[:COMMAND]\n\nNo-op scheduler plugin\n\n")
	return err
}

func mine(args []string) bool { return len(args) > 0 && args[0] == Name }

// appStatus reports one running process, whatever the app.
func appStatus(ctx *plugin.Context, args []string) error {
	if !mine(args) {
		return nil
	}
	_, err := fmt.Fprintln(ctx.Stdout, "1 true")
	return err
}

// isDeployed answers "deployed" (exit 0) for its apps. For other
// schedulers it stays silent and successful, like every scheduler hook.
func isDeployed(ctx *plugin.Context, args []string) error { return nil }

func usesHostCron(ctx *plugin.Context, args []string) error {
	if !mine(args) {
		return nil
	}
	_, err := fmt.Fprintln(ctx.Stdout, "false")
	return err
}
