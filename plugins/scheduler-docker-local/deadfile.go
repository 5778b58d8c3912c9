package schedulerdockerlocal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/lock"
)

// The retirement registry: data/scheduler-docker-local/dead-containers and
// dead-images hold lines "<app> <id> <deadline-epoch>", one per id. A
// container or image is stopped/removed by scheduler-retire once its
// deadline has passed. Writers hold the flock of <file>.lock.

// deadEntry is one registry line.
type deadEntry struct {
	App      string
	ID       string
	Deadline int64
}

func (e deadEntry) line() string {
	return fmt.Sprintf("%s %s %d", e.App, e.ID, e.Deadline)
}

// readDead parses a registry file (missing: empty); malformed lines are
// dropped.
func readDead(path string) ([]deadEntry, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []deadEntry
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) != 3 {
			continue
		}
		n, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			continue
		}
		out = append(out, deadEntry{App: f[0], ID: f[1], Deadline: n})
	}
	return out, nil
}

func writeDead(path string, entries []deadEntry, own *atomicfile.Owner) error {
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(e.line())
		b.WriteByte('\n')
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, []byte(b.String()), 0o644, own)
}

// updateDead rewrites a registry under its lock.
func updateDead(path string, own *atomicfile.Owner, fn func([]deadEntry) []deadEntry) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	l, err := lock.Exclusive(path + ".lock")
	if err != nil {
		return err
	}
	defer l.Release()
	entries, err := readDead(path)
	if err != nil {
		return err
	}
	return writeDead(path, fn(entries), own)
}

// addDead registers ids that are not registered yet (an id keeps its first
// deadline).
func addDead(path string, own *atomicfile.Owner, add ...deadEntry) error {
	return updateDead(path, own, func(entries []deadEntry) []deadEntry {
		seen := map[string]bool{}
		for _, e := range entries {
			seen[e.ID] = true
		}
		for _, e := range add {
			if e.ID == "" || seen[e.ID] {
				continue
			}
			seen[e.ID] = true
			entries = append(entries, e)
		}
		return entries
	})
}

// removeDead forgets ids.
func removeDead(path string, own *atomicfile.Owner, ids map[string]bool) error {
	if len(ids) == 0 {
		return nil
	}
	return updateDead(path, own, func(entries []deadEntry) []deadEntry {
		var kept []deadEntry
		for _, e := range entries {
			if !ids[e.ID] {
				kept = append(kept, e)
			}
		}
		return kept
	})
}

// due returns the entries whose deadline is before now, optionally only of
// one app.
func due(entries []deadEntry, appName string, now int64) []deadEntry {
	var out []deadEntry
	for _, e := range entries {
		if appName != "" && e.App != appName {
			continue
		}
		if now <= e.Deadline {
			continue
		}
		out = append(out, e)
	}
	return out
}
