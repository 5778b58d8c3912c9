package env

import (
	"os"
	"path/filepath"
)

// The dokku command is two binaries side by side (internal/cli/front.go):
// the front users run and the engine it hands most commands to.
const (
	FrontName  = "dokku"
	EngineName = "dokku-engine"
)

// DokkuBinary is the dokku command users, hooks and the ssh forced command
// run: this binary, or, when this is dokku-engine, the front `dokku` beside
// it (the engine runs what the front hands it; cmd/dokku-engine).
func DokkuBinary() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	if filepath.Base(exe) == EngineName {
		front := filepath.Join(filepath.Dir(exe), FrontName)
		if _, err := os.Stat(front); err == nil {
			return front, nil
		}
	}
	return exe, nil
}
