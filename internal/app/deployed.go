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

// IsDeployed is is_deployed: the common `deployed` property, computed with
// scheduler-is-deployed (and recorded) when absent.
func IsDeployed(ctx *plugin.Context, name string) bool {
	props := ctx.Props()
	if v, _ := props.Get("common", name, "deployed"); v != "" {
		return v == "true"
	}
	err := ctx.WithIO(nil, nil, nil).Trigger("scheduler-is-deployed", Scheduler(ctx, name), name)
	deployed := err == nil
	if deployed {
		props.Write("common", name, "deployed", "true")
	} else {
		props.Write("common", name, "deployed", "false")
	}
	return deployed
}
