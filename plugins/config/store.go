package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"syscall"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/envfile"
	"github.com/godokku/dokku/internal/lock"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// Global is the scope name of the global environment.
const Global = property.Global

// envFileName is the name of an environment file inside its directory.
const envFileName = "ENV"

// dir returns $DOKKU_LIB_ROOT/config/<name> for an app or Global.
func dir(ctx *plugin.Context, name string) (string, error) {
	if err := property.ValidName(name); err != nil {
		return "", err
	}
	return filepath.Join(ctx.Env.ConfigRoot(), name), nil
}

// Path returns the ENV file of an app or of Global.
func Path(ctx *plugin.Context, name string) (string, error) {
	d, err := dir(ctx, name)
	if err != nil {
		return "", err
	}
	return filepath.Join(d, envFileName), nil
}

func owner(ctx *plugin.Context) *atomicfile.Owner {
	if uid, gid, ok := ctx.Env.Owner(); ok {
		return &atomicfile.Owner{UID: uid, GID: gid}
	}
	return nil
}

// readFile parses an ENV file; a missing file is an empty environment.
func readFile(name, path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("Unable to read the environment of %s: %w", name, err)
	}
	m, err := envfile.Parse(string(b))
	if err != nil {
		// compat: Dokku ignores the parse error and keeps what was read before
		// it, so the next write drops the rest of the file. We refuse instead.
		return nil, fmt.Errorf("Unable to parse %s: %v", path, err)
	}
	return m, nil
}

// invalidKeys returns the keys of m that are not valid config keys, sorted.
func invalidKeys(m map[string]string) []string {
	var bad []string
	for k := range m {
		if envfile.ValidKey(k) != nil {
			bad = append(bad, k)
		}
	}
	sort.Strings(bad)
	return bad
}

// reportDropped tells which invalid keys were removed from a file. It goes
// to stderr so that it never corrupts an export or docker-args stream.
func reportDropped(ctx *plugin.Context, name string, keys []string) {
	for _, k := range keys {
		fmt.Fprintf(ctx.Stderr, "%sDeleting invalid key %s from config for %s\n", ui.PrefixInfo1, k, name)
	}
}

// Load returns the environment of an app or of Global. Invalid keys found
// in the file are dropped and the file rewritten, as Dokku does.
func Load(ctx *plugin.Context, name string) (map[string]string, error) {
	p, err := Path(ctx, name)
	if err != nil {
		return nil, err
	}
	m, err := readFile(name, p)
	if err != nil {
		return nil, err
	}
	if len(invalidKeys(m)) == 0 {
		return m, nil
	}
	// Rewrite under the lock, from a fresh read.
	var out map[string]string
	err = Update(ctx, name, func(cur map[string]string) (bool, error) {
		out = make(map[string]string, len(cur))
		for k, v := range cur {
			out[k] = v
		}
		return false, nil
	})
	return out, err
}

// Merged returns the global environment with the app's on top.
func Merged(ctx *plugin.Context, app string) (map[string]string, error) {
	g, err := Load(ctx, Global)
	if err != nil {
		return nil, err
	}
	if app == Global {
		return g, nil
	}
	a, err := Load(ctx, app)
	if err != nil {
		return nil, err
	}
	for k, v := range a {
		g[k] = v
	}
	return g, nil
}

// Get returns one value of an app or of Global.
func Get(ctx *plugin.Context, name, key string) (string, bool, error) {
	if envfile.ValidKey(key) != nil {
		return "", false, nil
	}
	m, err := Load(ctx, name)
	if err != nil {
		return "", false, err
	}
	v, ok := m[key]
	return v, ok, nil
}

// Update runs fn on the environment of an app or of Global while holding the
// exclusive lock of its directory, and writes the result atomically when fn
// reports a change (or invalid keys had to be dropped). Nothing is written
// when fn fails.
func Update(ctx *plugin.Context, name string, fn func(m map[string]string) (bool, error)) error {
	d, err := dir(ctx, name)
	if err != nil {
		return err
	}
	own := owner(ctx)
	if err := atomicfile.MkdirAll(d, 0o755, own); err != nil {
		return err
	}
	l, err := lock.Dir(d)
	if err != nil {
		return err
	}
	defer l.Release()
	p := filepath.Join(d, envFileName)
	m, err := readFile(name, p)
	if err != nil {
		return err
	}
	dropped := invalidKeys(m)
	for _, k := range dropped {
		delete(m, k)
	}
	changed, err := fn(m)
	if err != nil {
		return err
	}
	if !changed && len(dropped) == 0 {
		return nil
	}
	if err := envfile.Write(p, m, own); err != nil {
		if len(dropped) > 0 {
			return fmt.Errorf("Error writing back config for %s after removing invalid keys", name)
		}
		return fmt.Errorf("Unable to write the environment of %s: %w", name, err)
	}
	reportDropped(ctx, name, dropped)
	return nil
}

// remove deletes the ENV file of a scope, and its directory when nothing
// else lives there.
func remove(ctx *plugin.Context, name string) error {
	d, err := dir(ctx, name)
	if err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(d, envFileName)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	// compat: Dokku removes the whole config/<app> directory. That directory
	// shares its parent with every plugin's property tree, so an app named
	// like a plugin ("ps") would take that plugin's properties with it; we
	// only remove what we own and leave a non-empty directory alone.
	if err := os.Remove(d); err != nil && !errors.Is(err, os.ErrNotExist) && !isNotEmpty(err) {
		return err
	}
	return nil
}

func isNotEmpty(err error) bool {
	return errors.Is(err, syscall.ENOTEMPTY) || errors.Is(err, syscall.EEXIST)
}

// setupDir creates config/<name> (0755, dokku-owned).
func setupDir(ctx *plugin.Context, name string) error {
	d, err := dir(ctx, name)
	if err != nil {
		return err
	}
	return atomicfile.MkdirAll(d, 0o755, owner(ctx))
}
