package appjson

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"

	schema "github.com/godokku/dokku/internal/appjson"
	"github.com/godokku/dokku/internal/pipeline"
	"github.com/godokku/dokku/internal/plugin"
)

// envProcessed records that app.json env was applied (property value
// "executed").
const envProcessed = "appjson-env-processed"

// processEnv applies the app.json env section without prompting: on the
// first deploy every variable that has no value yet gets its default value
// or a generated secret, later deploys only refresh "sync" variables. A
// required variable that ends up without a value fails the release.
// compat: Dokku prompts on a terminal; deploys here never read stdin.
func processEnv(ctx *plugin.Context, appName string, a *schema.AppJSON) error {
	if len(a.Env) == 0 {
		return nil
	}
	u := ctx.UI()
	u.Info1("Processing app.json env vars")
	props := ctx.Props()
	deployed, _ := props.Get("common", appName, "deployed")
	firstDeploy := deployed != "true"
	done, _ := props.Get(pluginName, appName, envProcessed)
	alreadyProcessed := done == "executed"

	current, err := pipeline.AppEnv(ctx, appName)
	if err != nil {
		return err
	}
	toSet := map[string]string{}
	for _, name := range a.EnvKeys() {
		entry := a.Env[name]
		if !(firstDeploy && !alreadyProcessed) && !entry.Sync {
			continue
		}
		cur, has := current[name]
		if has && cur != "" && !entry.Sync {
			u.Debug("Skipping " + name + ": already set")
			continue
		}
		value := ""
		switch {
		case entry.Generator == "secret":
			secret, err := generateSecret(64)
			if err != nil {
				return fmt.Errorf("failed to generate secret for %s: %w", name, err)
			}
			value = secret
		case entry.Value != "":
			value = entry.Value
		case entry.IsRequired() && (!has || cur == ""):
			return fmt.Errorf("required env var %s has no value, no default, and no TTY for prompt", name)
		default:
			continue
		}
		toSet[name] = value
	}
	if len(toSet) == 0 {
		u.Verbose("No env vars to set from app.json")
		if !firstDeploy {
			return props.Write(pluginName, appName, envProcessed, "executed")
		}
		return nil
	}
	u.Info1(fmt.Sprintf("Setting %d env var(s) from app.json", len(toSet)))
	args := []string{"--no-restart", appName}
	for _, k := range slices.Sorted(maps.Keys(toSet)) {
		args = append(args, k+"="+toSet[k])
	}
	// the values (generated secrets included) stay out of the deploy log
	if err := ctx.WithIO(nil, io.Discard, nil).Trigger("config-set", args...); err != nil {
		return fmt.Errorf("failed to set env vars: %w", err)
	}
	return props.Write(pluginName, appName, envProcessed, "executed")
}

func generateSecret(length int) (string, error) {
	b := make([]byte, length/2)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
