package app

import (
	"github.com/godokku/dokku/internal/plugin"
)

// Scheduler is get_app_scheduler: the scheduler-detect trigger's answer for
// the app (or "--global"), defaulting to docker-local.
func Scheduler(ctx *plugin.Context, name string) string {
	if s := ctx.TriggerValue("scheduler-detect", name); s != "" {
		return s
	}
	return "docker-local"
}

// IsDeployed is is_deployed: the common `deployed` property when set, else
// the answer of the scheduler-is-deployed trigger (nothing is recorded: the
// deploy itself writes the property). With no scheduler plugin answering,
// nothing can be running, so the app is not deployed.
func IsDeployed(ctx *plugin.Context, name string) bool {
	if v, _ := ctx.Props().Get("common", name, "deployed"); v != "" {
		return v == "true"
	}
	if !ctx.TriggerExists("scheduler-is-deployed") {
		return false
	}
	return ctx.WithIO(nil, nil, nil).Trigger("scheduler-is-deployed", Scheduler(ctx, name), name) == nil
}
