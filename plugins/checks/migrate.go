package checks

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
)

// legacyConfig maps the config variables older Dokku versions used to the
// properties that replaced them.
var legacyConfig = []struct {
	variable, prop string
	global         bool
}{
	{"DOKKU_CHECKS_DISABLED", PropDisabled, false},
	{"DOKKU_CHECKS_SKIPPED", PropSkipped, false},
	{"DOKKU_WAIT_TO_RETIRE", PropWaitToRetire, true},
	{"DOKKU_DEFAULT_CHECKS_WAIT", "default-wait", true},
	{"DOKKU_CHECKS_WAIT", "wait", true},
	{"DOKKU_CHECKS_TIMEOUT", "timeout", true},
	{"DOKKU_CHECKS_ATTEMPTS", "attempts", true},
}

// migrateConfig moves legacy DOKKU_CHECKS_* variables into properties (once:
// the variables are unset afterwards). Only scopes with an ENV file are
// asked, so hosts without legacy config pay nothing.
func migrateConfig(ctx *plugin.Context) error {
	scopes := []string{}
	if exists(filepath.Join(ctx.Env.ConfigRoot(), property.Global, "ENV")) {
		scopes = append(scopes, property.Global)
	}
	for _, a := range app.ListAll(ctx) {
		if exists(filepath.Join(ctx.Env.ConfigRoot(), a, "ENV")) {
			scopes = append(scopes, a)
		}
	}
	props := ctx.Props()
	for _, scope := range scopes {
		var raw string
		var err error
		if scope == property.Global {
			raw, err = ctx.TriggerOutput("config-export", "--global", "true", "false", "json")
		} else {
			raw, err = ctx.TriggerOutput("config-export", scope, "false", "false", "json")
		}
		if err != nil || raw == "" {
			continue
		}
		vars := map[string]string{}
		if json.Unmarshal([]byte(raw), &vars) != nil {
			continue
		}
		for _, m := range legacyConfig {
			v, ok := vars[m.variable]
			if !ok || (scope == property.Global && !m.global) {
				continue
			}
			if !props.Exists("checks", scope, m.prop) {
				if err := props.Write("checks", scope, m.prop, v); err != nil {
					return err
				}
			}
			unset := []string{scope, m.variable, "false"}
			if scope == property.Global {
				unset = []string{"--global", m.variable, "false"}
			}
			if err := ctx.WithIO(nil, io.Discard, nil).Trigger("config-unset", unset...); err != nil {
				ctx.UI().Warn("Unable to unset " + m.variable + " for " + scope)
			}
		}
	}
	return nil
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
