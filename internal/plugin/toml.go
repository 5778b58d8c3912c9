package plugin

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/BurntSushi/toml"
)

// Meta is the content of a plugin.toml.
type Meta struct {
	Description string
	Version     string
	Config      map[string]any
}

type tomlFile struct {
	Plugin struct {
		Description string         `toml:"description"`
		Version     string         `toml:"version"`
		Config      map[string]any `toml:"config"`
	} `toml:"plugin"`
}

// ReadMeta parses <dir>/plugin.toml; the error names the file.
func ReadMeta(dir string) (*Meta, error) {
	path := filepath.Join(dir, "plugin.toml")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseMeta(path, b)
}

// ParseMeta parses plugin.toml content.
func ParseMeta(path string, b []byte) (*Meta, error) {
	var f tomlFile
	if _, err := toml.Decode(string(b), &f); err != nil {
		return nil, fmt.Errorf("invalid plugin.toml %s: %v", path, err)
	}
	return &Meta{Description: f.Plugin.Description, Version: f.Plugin.Version, Config: f.Plugin.Config}, nil
}

// RenderMeta writes the plugin.toml of a core plugin.
func RenderMeta(description, version string, config map[string]string) string {
	out := fmt.Sprintf("[plugin]\ndescription = %q\nversion = %q\n[plugin.config]\n", description, version)
	for _, k := range slices.Sorted(maps.Keys(config)) {
		out += fmt.Sprintf("%s = %q\n", k, config[k])
	}
	return out
}
