package env

import (
	"os"
	"path/filepath"
)

// DokkuBinary is the dokku command users, hooks and the ssh forced command
// run: this binary, or, when this is dokku-engine, the front `dokku` beside
// it (the engine runs what the front hands it; cmd/dokku-engine).
func DokkuBinary() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	if filepath.Base(exe) == "dokku-engine" {
		front := filepath.Join(filepath.Dir(exe), "dokku")
		if _, err := os.Stat(front); err == nil {
			return front, nil
		}
	}
	return exe, nil
}
