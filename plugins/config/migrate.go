package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/envfile"
	"github.com/godokku/dokku/internal/plugin"
)

// envMigratedProperty records that a pre-0.38 ENV file was merged into the
// config directory.
const envMigratedProperty = "env-migrated"

// MigrateEnvFiles merges $DOKKU_ROOT/ENV and every $DOKKU_ROOT/<app>/ENV into
// $DOKKU_LIB_ROOT/config/{--global,<app>}/ENV, once per scope. It is safe to
// run repeatedly and from any plugin's install trigger (config-migrate-env).
func MigrateEnvFiles(ctx *plugin.Context) error {
	props := ctx.Props()
	if err := props.Setup("config"); err != nil {
		return fmt.Errorf("Unable to setup config properties: %w", err)
	}
	if err := setupDir(ctx, Global); err != nil {
		return fmt.Errorf("Unable to setup global environment: %w", err)
	}
	if err := drain(ctx, Global, filepath.Join(ctx.Env.Root(), envFileName)); err != nil {
		return fmt.Errorf("Unable to migrate global environment: %w", err)
	}
	for _, a := range app.ListAll(ctx) {
		if err := props.SetupApp("config", a); err != nil {
			return fmt.Errorf("Unable to setup app environment: %w", err)
		}
		if err := setupDir(ctx, a); err != nil {
			return fmt.Errorf("Unable to setup app config directory: %w", err)
		}
		if err := drain(ctx, a, filepath.Join(ctx.Env.AppRoot(a), envFileName)); err != nil {
			return fmt.Errorf("Unable to migrate environment for %s: %w", a, err)
		}
	}
	return nil
}

// drain merges the legacy file old into the scope's environment (the legacy
// values win, as in Dokku), records the migration and renames old to
// ENV.migrated. A legacy file that reappears after the migration is on
// record is never imported: it is removed when it agrees with the current
// environment, else preserved as ENV.migrated with a warning.
func drain(ctx *plugin.Context, name, old string) error {
	props := ctx.Props()
	migrated := props.GetDefault("config", name, envMigratedProperty, "") == "true"
	fi, err := os.Stat(old)
	if errors.Is(err, os.ErrNotExist) || (err == nil && fi.IsDir()) {
		if migrated {
			return nil
		}
		return props.Write("config", name, envMigratedProperty, "true")
	}
	if err != nil {
		return err
	}
	legacy, err := readFile(name, old)
	if err != nil {
		// Leave the file and the record alone so that nothing is lost; the
		// next install retries once the file is fixed.
		ctx.UI().Warn(fmt.Sprintf("Not migrating %s: %v", old, err))
		return nil
	}
	dropped := invalidKeys(legacy)
	for _, k := range dropped {
		delete(legacy, k)
	}
	reportDropped(ctx, name, dropped)
	preserved := old + ".migrated"
	if migrated {
		return preserveStale(ctx, name, old, preserved, legacy)
	}
	err = Update(ctx, name, func(m map[string]string) (bool, error) {
		for k, v := range legacy {
			m[k] = v
		}
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("Unable to write environment: %w", err)
	}
	if err := props.Write("config", name, envMigratedProperty, "true"); err != nil {
		return fmt.Errorf("Unable to set %s property: %w", envMigratedProperty, err)
	}
	if err := os.Rename(old, preserved); err != nil {
		return fmt.Errorf("Unable to move migrated file %s: %w", old, err)
	}
	return nil
}

func preserveStale(ctx *plugin.Context, name, old, preserved string, legacy map[string]string) error {
	cur, err := Load(ctx, name)
	if err != nil {
		return err
	}
	var diverged []string
	for _, k := range envfile.SortedKeys(legacy) {
		if v, ok := cur[k]; !ok || v != legacy[k] {
			diverged = append(diverged, k)
		}
	}
	if len(diverged) == 0 {
		if err := os.Remove(old); err != nil {
			return fmt.Errorf("Unable to remove stale file %s: %w", old, err)
		}
		return nil
	}
	u := ctx.UI()
	u.Warn(fmt.Sprintf("Not importing already-migrated ENV file %s: the current config takes precedence for %s", old, strings.Join(diverged, " ")))
	u.Warn(fmt.Sprintf("Preserved at %s; apply any values still needed with dokku config:set", preserved))
	if err := os.Rename(old, preserved); err != nil {
		return fmt.Errorf("Unable to preserve stale file %s: %w", old, err)
	}
	return nil
}
