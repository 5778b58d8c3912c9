package config

import (
	"fmt"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/envfile"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// validateKeys refuses the first invalid key (in sorted order).
func validateKeys(keys []string) error {
	for _, k := range keys {
		if err := envfile.ValidKey(k); err != nil {
			return ui.Fail(err.Error())
		}
	}
	return nil
}

// validateValues refuses values no process environment can carry.
func validateValues(m map[string]string) error {
	for _, k := range envfile.SortedKeys(m) {
		if strings.IndexByte(m[k], 0) >= 0 {
			return ui.Failf("Invalid value for key '%s': it contains a NUL byte", k)
		}
	}
	return nil
}

// SetMany sets entries in an app's or the global environment, prints them,
// fires post-config-update and, for an app, restarts it when asked.
func SetMany(ctx *plugin.Context, name string, entries map[string]string, restart bool) error {
	keys := envfile.SortedKeys(entries)
	if err := validateKeys(keys); err != nil {
		return err
	}
	if err := validateValues(entries); err != nil {
		return err
	}
	if len(entries) == 0 {
		maybeRestart(ctx, name, restart)
		return nil
	}
	err := Update(ctx, name, func(m map[string]string) (bool, error) {
		for k, v := range entries {
			m[k] = v
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	u := ctx.UI()
	u.Info1Quiet("Setting config vars")
	if !u.Quiet {
		fmt.Fprintln(ctx.Stdout, Pretty(ui.PrefixVerbose, entries))
	}
	postUpdate(ctx, name, "set", keys)
	maybeRestart(ctx, name, restart)
	return nil
}

// UnsetMany removes keys (in the order given), reporting each one.
func UnsetMany(ctx *plugin.Context, name string, keys []string, restart bool) error {
	if err := validateKeys(keys); err != nil {
		return err
	}
	var msgs []string
	changed := false
	err := Update(ctx, name, func(m map[string]string) (bool, error) {
		msgs, changed = msgs[:0], false
		for _, k := range keys {
			if _, ok := m[k]; ok {
				msgs = append(msgs, "Unsetting "+k)
				delete(m, k)
				changed = true
			} else {
				msgs = append(msgs, "Skipping "+k+", it is not set in the environment")
			}
		}
		return changed, nil
	})
	if err != nil {
		return err
	}
	u := ctx.UI()
	for _, m := range msgs {
		u.Info1Quiet(m)
	}
	if changed {
		postUpdate(ctx, name, "unset", keys)
	}
	maybeRestart(ctx, name, restart)
	return nil
}

// UnsetAll clears an environment.
func UnsetAll(ctx *plugin.Context, name string, restart bool) error {
	var removed []string
	err := Update(ctx, name, func(m map[string]string) (bool, error) {
		removed = envfile.SortedKeys(m)
		for _, k := range removed {
			delete(m, k)
		}
		return len(removed) > 0, nil
	})
	if err != nil {
		return err
	}
	u := ctx.UI()
	for _, k := range removed {
		u.Info1Quiet("Unsetting " + k)
	}
	if len(removed) > 0 {
		// compat: Dokku fires "clear" without naming the keys.
		postUpdate(ctx, name, "clear", nil)
	}
	maybeRestart(ctx, name, restart)
	return nil
}

// postUpdate fires post-config-update; a failure is only a warning.
func postUpdate(ctx *plugin.Context, name, op string, keys []string) {
	args := append([]string{name, op}, keys...)
	if err := ctx.Trigger("post-config-update", args...); err != nil {
		ctx.UI().Warn("Failure while triggering post-config-update: " + exitText(err))
	}
}

// maybeRestart redeploys a deployed app whose ps restore property is not
// "false"; a failure is only a warning.
func maybeRestart(ctx *plugin.Context, name string, restart bool) {
	if !restart || name == Global {
		return
	}
	if v, _ := ctx.Props().Get("ps", name, "restore"); v == "false" {
		return
	}
	if !app.IsDeployed(ctx, name) {
		return
	}
	ctx.UI().Info1("Restarting app " + name)
	if err := ctx.Trigger("release-and-deploy", name, "", "config-redeploy"); err != nil {
		ctx.UI().Warn("Failure while restarting app: " + exitText(err))
	}
}

// exitText renders a trigger failure the way Go's exec errors read in Dokku.
func exitText(err error) string {
	return fmt.Sprintf("exit status %d", ui.Code(err))
}
