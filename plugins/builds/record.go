package builds

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
)

// Retention bounds (records kept per app).
const (
	DefaultRetention = 20
	MinimumRetention = 1
)

// Kind says whether a record is a build (a new image) or a deploy of an
// existing image.
type Kind string

const (
	KindBuild  Kind = "build"
	KindDeploy Kind = "deploy"
)

// Status is a record's lifecycle state. Abandoned is never stored: it is
// shown for a running record whose process is gone.
type Status string

const (
	StatusRunning   Status = "running"
	StatusSucceeded Status = "succeeded"
	StatusFailed    Status = "failed"
	StatusCanceled  Status = "canceled"
	StatusAbandoned Status = "abandoned"
)

// Terminal reports a finished status.
func (s Status) Terminal() bool {
	return s == StatusSucceeded || s == StatusFailed || s == StatusCanceled
}

// sources are the commands that start a capture; the first group builds
// an image, the rest deploy an existing one.
var buildSources = map[string]bool{
	"git-hook": true, "ps:rebuild": true, "git:sync": true, "git:from-archive": true,
	"git:from-image": true, "git:load-image": true,
}

var deploySources = map[string]bool{
	"ps:restart": true, "ps:start": true, "deploy": true, "config-redeploy": true,
}

// Record is data/builds/<app>/<id>.json.
type Record struct {
	ID         string     `json:"id"`
	App        string     `json:"app"`
	Kind       Kind       `json:"kind"`
	PID        int        `json:"pid"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	Status     Status     `json:"status"`
	Source     string     `json:"source"`
	ExitCode   *int       `json:"exit_code,omitempty"`
}

// DisplayStatus is Status, or abandoned for a running record whose
// process no longer exists.
func (r Record) DisplayStatus() Status {
	if r.Status == StatusRunning && !pidAlive(r.PID) {
		return StatusAbandoned
	}
	return r.Status
}

// Duration is the time from start to finish (or to now), in seconds.
func (r Record) Duration() time.Duration {
	end := time.Now().UTC()
	if r.FinishedAt != nil {
		end = *r.FinishedAt
	}
	if end.Before(r.StartedAt) {
		return 0
	}
	return end.Sub(r.StartedAt).Round(time.Second)
}

// live reports a record of a build still in progress.
func (r Record) live() bool { return r.Status == StatusRunning && pidAlive(r.PID) }

func pidAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// GenerateID makes a sortable id: 8 base36 digits of the millisecond
// clock, then 6 of randomness.
func GenerateID() string {
	ts := strconv.FormatUint(uint64(time.Now().UTC().UnixMilli()), 36)
	var b [8]byte
	rand.Read(b[2:])
	rnd := strconv.FormatUint(binary.BigEndian.Uint64(b[:]), 36)
	return fixed(ts, 8) + fixed(rnd, 6)
}

func fixed(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return strings.Repeat("0", n-len(s)) + s
}

// validID guards paths built from ids given on the command line.
func validID(id string) bool {
	if id == "" || len(id) > 128 || strings.HasPrefix(id, ".") {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// store reads and writes the records of one host.
type store struct{ ctx *plugin.Context }

func (s store) dir(app string) string {
	return filepath.Join(s.ctx.Env.PluginDataRoot(pluginName), app)
}

func (s store) recordPath(app, id string) string { return filepath.Join(s.dir(app), id+".json") }

func (s store) logPath(app, id string) string { return filepath.Join(s.dir(app), id+".log") }

func (s store) owner() *atomicfile.Owner {
	if uid, gid, ok := s.ctx.Env.Owner(); ok {
		return &atomicfile.Owner{UID: uid, GID: gid}
	}
	return nil
}

func (s store) write(r Record) error {
	if err := atomicfile.MkdirAll(s.dir(r.App), 0o755, s.owner()); err != nil {
		return fmt.Errorf("create builds data dir: %w", err)
	}
	body, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(s.recordPath(r.App, r.ID), body, 0o644, s.owner())
}

func (s store) read(app, id string) (Record, error) {
	var r Record
	if !validID(id) {
		return r, os.ErrNotExist
	}
	body, err := os.ReadFile(s.recordPath(app, id))
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return r, fmt.Errorf("parse build record %s: %w", id, err)
	}
	return r, nil
}

// all returns an app's records, newest first; unreadable ones are reported
// on warn and skipped.
func (s store) all(app string, warn func(string)) ([]Record, error) {
	ents, err := os.ReadDir(s.dir(app))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") || strings.HasPrefix(name, ".") {
			continue
		}
		r, err := s.read(app, strings.TrimSuffix(name, ".json"))
		if err != nil {
			if warn != nil {
				warn(fmt.Sprintf("Skipping unreadable build record %s/%s: %s", app, name, err))
			}
			continue
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].StartedAt.After(out[j].StartedAt) })
	return out, nil
}

// retention is the app's, else the global, else the default count.
func (s store) retention(app string, warn func(string)) int {
	props := s.ctx.Props()
	for _, scope := range []string{app, property.Global} {
		if scope == "" {
			continue
		}
		raw, _ := props.Get(pluginName, scope, "retention")
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			if warn != nil {
				warn(fmt.Sprintf("Ignoring non-integer builds retention %q for %s", raw, scope))
			}
			continue
		}
		if n < MinimumRetention {
			if warn != nil {
				warn(fmt.Sprintf("Ignoring builds retention %d below minimum %d for %s", n, MinimumRetention, scope))
			}
			continue
		}
		return n
	}
	return DefaultRetention
}

// reap marks running records whose process died as failed (exit -1).
func (s store) reap(app string, warn func(string)) error {
	recs, err := s.all(app, warn)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	code := -1
	for _, r := range recs {
		if r.Status != StatusRunning || pidAlive(r.PID) {
			continue
		}
		r.Status, r.FinishedAt, r.ExitCode = StatusFailed, &now, &code
		if err := s.write(r); err != nil && warn != nil {
			warn(fmt.Sprintf("Could not reap abandoned build %s/%s: %s", app, r.ID, err))
		}
	}
	return nil
}

// prune reaps abandoned records then deletes finished ones (record and
// log) beyond the retention count; live builds are never touched.
func (s store) prune(app string, warn func(string)) error {
	if err := s.reap(app, warn); err != nil {
		return err
	}
	recs, err := s.all(app, warn)
	if err != nil {
		return err
	}
	var done []Record
	for _, r := range recs {
		if !r.live() {
			done = append(done, r)
		}
	}
	keep := s.retention(app, warn)
	if len(done) <= keep {
		return nil
	}
	for _, r := range done[keep:] {
		for _, p := range []string{s.recordPath(app, r.ID), s.logPath(app, r.ID)} {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) && warn != nil {
				warn(fmt.Sprintf("Could not remove %s: %s", p, err))
			}
		}
	}
	return nil
}
