package pipeline

import (
	"context"
	"time"

	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
)

// cleanupTimeout bounds a cleanup: it is housekeeping and must never hold
// a deploy hostage.
const cleanupTimeout = 2 * time.Minute

// Cleanup is docker_cleanup <app|--global> [force]: unless forced, skipped
// when DOKKU_SKIP_CLEANUP is "true" (the app's config, the global config
// for --global, or the environment); otherwise `-----> Cleaning up...` and
// exited/dead dokku containers (of the app), dangling images (of the app)
// and, for an app, its unused images are removed. Docker errors are
// reported as warnings: cleanup never fails a deploy.
func Cleanup(ctx *plugin.Context, appName string, force bool) error {
	u := ctx.UI()
	if !force {
		skip := ctx.Env.Get("DOKKU_SKIP_CLEANUP") == "true"
		if !skip && appName != "" {
			if appName == property.Global {
				skip = ctx.TriggerValue("config-get-global", "DOKKU_SKIP_CLEANUP") == "true"
			} else {
				skip = ctx.TriggerValue("config-get", appName, "DOKKU_SKIP_CLEANUP") == "true"
			}
		}
		if skip {
			u.Info1("DOKKU_SKIP_CLEANUP set. Skipping dokku cleanup")
			return nil
		}
	}
	u.Info1("Cleaning up...")
	if appName == property.Global {
		appName = ""
	}
	cli, err := docker.FromContext(ctx)
	if err != nil {
		u.Warn(err.Error())
		return nil
	}
	c, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	label := ctx.Env.Get("DOKKU_CONTAINER_LABEL")
	if label == "" {
		label = "dokku"
	}
	if err := cli.Cleanup(c, appName, label); err != nil {
		u.Warn("Cleanup incomplete: " + err.Error())
	}
	return nil
}
