package sshkeys

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/lock"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/sshd"
	"github.com/godokku/dokku/internal/ui"
)

// keysFile is $DOKKU_ROOT/.ssh/authorized_keys.
func keysFile(ctx *plugin.Context) string {
	return filepath.Join(ctx.Env.Root(), ".ssh", "authorized_keys")
}

// sshcommandFile is $DOKKU_ROOT/.sshcommand, named by every forced command.
func sshcommandFile(ctx *plugin.Context) string {
	return filepath.Join(ctx.Env.Root(), ".sshcommand")
}

func owner(ctx *plugin.Context) *atomicfile.Owner {
	if uid, gid, ok := ctx.Env.Owner(); ok {
		return &atomicfile.Owner{UID: uid, GID: gid}
	}
	return nil
}

// readKeys returns the entries of the authorized_keys file (none when it
// does not exist).
func readKeys(ctx *plugin.Context) ([]sshd.Entry, error) {
	data, err := os.ReadFile(keysFile(ctx))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, ui.Failf("Unable to read %s: %s", keysFile(ctx), err.Error())
	}
	return sshd.ParseAuthorizedKeys(data), nil
}

// hasKeys reports whether any line of the file holds a key.
func hasKeys(entries []sshd.Entry) bool {
	for _, e := range entries {
		if e.Key != nil {
			return true
		}
	}
	return false
}

// update rewrites the authorized_keys file under an exclusive lock on the
// .ssh directory: fn gets the current entries and returns the new lines.
// The file is replaced atomically (sshd never reads a torn file), mode
// 0600, owned by the dokku user.
func update(ctx *plugin.Context, fn func([]sshd.Entry) ([]string, error)) error {
	file := keysFile(ctx)
	dir := filepath.Dir(file)
	if err := atomicfile.MkdirAll(dir, 0o700, owner(ctx)); err != nil {
		return ui.Failf("Unable to create %s: %s", dir, err.Error())
	}
	l, err := lock.Dir(dir)
	if err != nil {
		return ui.Failf("Unable to lock %s: %s", dir, err.Error())
	}
	defer l.Release()
	entries, err := readKeys(ctx)
	if err != nil {
		return err
	}
	lines, err := fn(entries)
	if err != nil {
		return err
	}
	data := strings.Join(lines, "\n")
	if data != "" {
		data += "\n"
	}
	// compat: sshcommand leaves the file 0700; 0600 is what OpenSSH expects
	// of a data file and what the installer writes.
	if err := atomicfile.Write(file, []byte(data), 0o600, owner(ctx)); err != nil {
		return ui.Failf("Unable to write %s: %s", file, err.Error())
	}
	return nil
}

func lines(entries []sshd.Entry) []string {
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.Line)
	}
	return out
}
