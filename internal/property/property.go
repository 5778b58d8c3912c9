package property

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/lock"
)

// Global is the app name under which global values live.
const Global = "--global"

// ErrNotFound is returned by list removals when the value is absent.
var ErrNotFound = errors.New("Property not found, nothing was removed")

// Store reads and writes properties under Root.
type Store struct {
	Root  string
	Owner *atomicfile.Owner
}

// New returns the store of an environment ($DOKKU_LIB_ROOT/config), owned by
// the dokku user when running as root.
func New(e *env.Env) *Store {
	s := &Store{Root: e.ConfigRoot()}
	if uid, gid, ok := e.Owner(); ok {
		s.Owner = &atomicfile.Owner{UID: uid, GID: gid}
	}
	return s
}

// ValidName reports whether s can be used as one path component.
func ValidName(s string) error {
	if s == "" || s == "." || s == ".." || strings.ContainsAny(s, "/\x00") {
		return fmt.Errorf("Invalid property path component %q", s)
	}
	return nil
}

func (s *Store) appDir(plugin, app string) (string, error) {
	if err := ValidName(plugin); err != nil {
		return "", err
	}
	if err := ValidName(app); err != nil {
		return "", err
	}
	return filepath.Join(s.Root, plugin, app), nil
}

func (s *Store) path(plugin, app, key string) (string, error) {
	dir, err := s.appDir(plugin, app)
	if err != nil {
		return "", err
	}
	if err := ValidName(key); err != nil {
		return "", err
	}
	return filepath.Join(dir, key), nil
}

// Path returns the file of a property (validated).
func (s *Store) Path(plugin, app, key string) (string, error) { return s.path(plugin, app, key) }

// Get returns the raw value; a missing property is "".
func (s *Store) Get(plugin, app, key string) (string, error) {
	p, err := s.path(plugin, app, key)
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	return string(b), err
}

// GetDefault returns the value, or def when the property is missing or empty.
func (s *Store) GetDefault(plugin, app, key, def string) string {
	v, err := s.Get(plugin, app, key)
	if err != nil || v == "" {
		return def
	}
	return v
}

// Computed resolves app value → global value → def (empty means unset).
func (s *Store) Computed(plugin, app, key, def string) string {
	if app != Global {
		if v, _ := s.Get(plugin, app, key); v != "" {
			return v
		}
	}
	return s.GetDefault(plugin, Global, key, def)
}

// Exists reports whether the property file exists.
func (s *Store) Exists(plugin, app, key string) bool {
	p, err := s.path(plugin, app, key)
	if err != nil {
		return false
	}
	_, err = os.Stat(p)
	return err == nil
}

// Write stores value atomically (0600).
func (s *Store) Write(plugin, app, key, value string) error {
	p, err := s.path(plugin, app, key)
	if err != nil {
		return err
	}
	if err := atomicfile.MkdirAll(filepath.Dir(p), 0o755, s.Owner); err != nil {
		return err
	}
	return atomicfile.Write(p, []byte(value), 0o600, s.Owner)
}

// Delete removes a property; a missing one is not an error.
func (s *Store) Delete(plugin, app, key string) error {
	p, err := s.path(plugin, app, key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// Setup creates the plugin directory.
func (s *Store) Setup(plugin string) error {
	if err := ValidName(plugin); err != nil {
		return err
	}
	return atomicfile.MkdirAll(filepath.Join(s.Root, plugin), 0o755, s.Owner)
}

// SetupApp creates the app directory of a plugin.
func (s *Store) SetupApp(plugin, app string) error {
	dir, err := s.appDir(plugin, app)
	if err != nil {
		return err
	}
	return atomicfile.MkdirAll(dir, 0o755, s.Owner)
}

// Destroy removes every property of an app for a plugin.
func (s *Store) Destroy(plugin, app string) error {
	dir, err := s.appDir(plugin, app)
	if err != nil {
		return err
	}
	return os.RemoveAll(dir)
}

// DestroyPlugin removes every property of a plugin.
func (s *Store) DestroyPlugin(plugin string) error {
	if err := ValidName(plugin); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(s.Root, plugin))
}

// Clone copies every property of app old to app new (existing keys of new
// are overwritten).
func (s *Store) Clone(plugin, old, new string) error {
	all, err := s.GetAll(plugin, old)
	if err != nil {
		return err
	}
	for k, v := range all {
		if err := s.Write(plugin, new, k, v); err != nil {
			return err
		}
	}
	return nil
}

// Rename moves every property of app old to app new.
func (s *Store) Rename(plugin, old, new string) error {
	if err := s.Clone(plugin, old, new); err != nil {
		return err
	}
	return s.Destroy(plugin, old)
}

// Keys lists the property names of an app, sorted.
func (s *Store) Keys(plugin, app string) ([]string, error) {
	dir, err := s.appDir(plugin, app)
	if err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(ents))
	for _, e := range ents {
		if e.IsDir() || strings.HasPrefix(e.Name(), atomicfile.TempPrefix) {
			continue
		}
		keys = append(keys, e.Name())
	}
	sort.Strings(keys)
	return keys, nil
}

// Apps lists the app directories a plugin holds properties for (including
// "--global"), sorted.
func (s *Store) Apps(plugin string) ([]string, error) {
	if err := ValidName(plugin); err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(filepath.Join(s.Root, plugin))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, err
}

// GetAll returns every property of an app.
func (s *Store) GetAll(plugin, app string) (map[string]string, error) {
	keys, err := s.Keys(plugin, app)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		v, err := s.Get(plugin, app, k)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// GetAllByPrefix returns the properties whose key starts with prefix.
func (s *Store) GetAllByPrefix(plugin, app, prefix string) (map[string]string, error) {
	all, err := s.GetAll(plugin, app)
	if err != nil {
		return nil, err
	}
	for k := range all {
		if !strings.HasPrefix(k, prefix) {
			delete(all, k)
		}
	}
	return all, nil
}

// withAppLock runs fn holding the app directory's flock.
func (s *Store) withAppLock(plugin, app string, fn func() error) error {
	if err := s.SetupApp(plugin, app); err != nil {
		return err
	}
	dir, _ := s.appDir(plugin, app)
	l, err := lock.Dir(dir)
	if err != nil {
		return err
	}
	defer l.Release()
	return fn()
}

// ListGet returns a list property (missing = empty).
func (s *Store) ListGet(plugin, app, key string) ([]string, error) {
	v, err := s.Get(plugin, app, key)
	if err != nil || v == "" {
		return nil, err
	}
	return splitLines(v), nil
}

func splitLines(v string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(v))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		if t := sc.Text(); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// ListWrite replaces a list property; an empty list is stored as an empty file.
func (s *Store) ListWrite(plugin, app, key string, values []string) error {
	var b bytes.Buffer
	for _, v := range values {
		b.WriteString(v)
		b.WriteByte('\n')
	}
	return s.Write(plugin, app, key, b.String())
}

func (s *Store) listUpdate(plugin, app, key string, fn func([]string) ([]string, error)) error {
	return s.withAppLock(plugin, app, func() error {
		cur, err := s.ListGet(plugin, app, key)
		if err != nil {
			return err
		}
		next, err := fn(cur)
		if err != nil {
			return err
		}
		return s.ListWrite(plugin, app, key, next)
	})
}

// ListAdd inserts value at a 1-based index (0 or past the end appends).
func (s *Store) ListAdd(plugin, app, key, value string, index int) error {
	return s.listUpdate(plugin, app, key, func(l []string) ([]string, error) {
		if index <= 0 || index > len(l) {
			return append(l, value), nil
		}
		out := append([]string{}, l[:index-1]...)
		out = append(out, value)
		return append(out, l[index-1:]...), nil
	})
}

// ListSet replaces the value at a 0-based index (appends past the end).
func (s *Store) ListSet(plugin, app, key, value string, index int) error {
	return s.listUpdate(plugin, app, key, func(l []string) ([]string, error) {
		if index < 0 || index >= len(l) {
			return append(l, value), nil
		}
		l[index] = value
		return l, nil
	})
}

// ListRemove removes every exact occurrence of value; ErrNotFound if none.
func (s *Store) ListRemove(plugin, app, key, value string) error {
	return s.listUpdate(plugin, app, key, func(l []string) ([]string, error) {
		out := l[:0:0]
		for _, v := range l {
			if v != value {
				out = append(out, v)
			}
		}
		if len(out) == len(l) {
			return nil, ErrNotFound
		}
		return out, nil
	})
}

// ListRemoveByPrefix removes the values starting with prefix.
func (s *Store) ListRemoveByPrefix(plugin, app, key, prefix string) error {
	return s.listUpdate(plugin, app, key, func(l []string) ([]string, error) {
		out := l[:0:0]
		for _, v := range l {
			if !strings.HasPrefix(v, prefix) {
				out = append(out, v)
			}
		}
		return out, nil
	})
}

// ListIndex returns the value at a 0-based index.
func (s *Store) ListIndex(plugin, app, key string, index int) (string, error) {
	l, err := s.ListGet(plugin, app, key)
	if err != nil {
		return "", err
	}
	if index < 0 || index >= len(l) {
		return "", fmt.Errorf("Index %d out of range", index)
	}
	return l[index], nil
}

// ListIsMember reports whether value is in the list.
func (s *Store) ListIsMember(plugin, app, key, value string) bool {
	l, _ := s.ListGet(plugin, app, key)
	for _, v := range l {
		if v == value {
			return true
		}
	}
	return false
}

// MapGet returns a map property (missing = empty map).
func (s *Store) MapGet(plugin, app, key string) (map[string]string, error) {
	v, err := s.Get(plugin, app, key)
	if err != nil || v == "" {
		return map[string]string{}, err
	}
	m := map[string]string{}
	if err := json.Unmarshal([]byte(v), &m); err != nil {
		return nil, fmt.Errorf("property %s/%s/%s is not a JSON object: %w", plugin, app, key, err)
	}
	return m, nil
}

// MapSet sets (or, with an empty value, deletes) one entry of a map property.
func (s *Store) MapSet(plugin, app, key, entry, value string) error {
	return s.withAppLock(plugin, app, func() error {
		m, err := s.MapGet(plugin, app, key)
		if err != nil {
			return err
		}
		if value == "" {
			delete(m, entry)
		} else {
			m[entry] = value
		}
		b, _ := json.Marshal(m)
		return s.Write(plugin, app, key, string(b))
	})
}

// Update runs fn on the current value of a scalar and stores the result,
// holding the app lock (counters, flags that must not race).
func (s *Store) Update(plugin, app, key string, fn func(string) (string, error)) error {
	return s.withAppLock(plugin, app, func() error {
		cur, err := s.Get(plugin, app, key)
		if err != nil {
			return err
		}
		next, err := fn(cur)
		if err != nil {
			return err
		}
		return s.Write(plugin, app, key, next)
	})
}

// WriteTo prints a value the way the bash prop helpers do: value plus a
// newline, nothing for an empty value.
func WriteTo(w io.Writer, v string) {
	if v != "" {
		io.WriteString(w, v+"\n")
	}
}

// ParseIndex parses a numeric list index argument.
func ParseIndex(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("Invalid index %q", s)
	}
	return n, nil
}
