package plugin

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/env"
)

func configPath(e *env.Env) string { return filepath.Join(e.PluginPath(), "config.toml") }

func readConfig(e *env.Env) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	b, err := os.ReadFile(configPath(e))
	if err != nil {
		if os.IsNotExist(err) {
			return out, nil
		}
		return nil, err
	}
	_, err = toml.Decode(string(b), &out)
	return out, err
}

// ConfigGet is plugn config-get: a value from $PLUGIN_PATH/config.toml.
func ConfigGet(e *env.Env, plugin, key string) (string, error) {
	c, err := readConfig(e)
	if err != nil {
		return "", err
	}
	return c[plugin][key], nil
}

// ConfigSet is plugn config-set.
func ConfigSet(e *env.Env, plugin, key, value string) error {
	if err := ValidName(plugin); err != nil {
		return err
	}
	c, err := readConfig(e)
	if err != nil {
		return err
	}
	if c[plugin] == nil {
		c[plugin] = map[string]string{}
	}
	c[plugin][key] = value
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(c); err != nil {
		return err
	}
	return atomicfile.Write(configPath(e), buf.Bytes(), 0o644, nil)
}

// ConfigExport is plugn config-export as KEY=VALUE pairs.
func ConfigExport(ctx *Context, plugin string) []string { return ctx.configExports(plugin) }
