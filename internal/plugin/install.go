package plugin

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/godokku/dokku/internal/env"
)

// InstallOptions describe a community plugin to install.
type InstallOptions struct {
	Source     string // git URL, file:// URL, local path, or .tar.gz/.tgz URL or path
	Name       string // default: basename of Source without extension
	Committish string // git ref to check out (pinned)
}

// Install downloads a community plugin into $PLUGIN_PATH/available and
// returns its name. (Completed in install_source.go.)
func Install(ctx *Context, o InstallOptions) (string, error) {
	return installSource(ctx, o)
}

// Uninstall removes a community plugin from enabled/ and available/.
func Uninstall(e *env.Env, name string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	if IsCore(e, name) {
		return fmt.Errorf("Cannot uninstall a core plugin")
	}
	if err := os.RemoveAll(filepath.Join(e.PluginEnabledPath(), name)); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(e.PluginAvailablePath(), name))
}

// Update fetches a git-installed plugin (plugn update).
func Update(ctx *Context, name, committish string) (string, error) {
	return updateSource(ctx, name, committish)
}
