package pipeline

import (
	"encoding/json"
	"strings"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// AppEnv returns the app's merged config (global, then app on top) as the
// config plugin exports it: `config-export <app> false true json`. No
// config plugin means no variables.
func AppEnv(ctx *plugin.Context, appName string) (map[string]string, error) {
	out, err := ctx.WithIO(nil, nil, nil).TriggerOutput("config-export", appName, "false", "true", "json")
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	out = strings.TrimSpace(out)
	if out == "" {
		return env, nil
	}
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		return nil, ui.Failf("Unable to read the config of %s: %v", appName, err)
	}
	return env, nil
}

// Lookup adapts an env map to the lookup functions of internal/docker.
func Lookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
}
