// Package appjson is the schema of an app's app.json as Dokku reads it
// (pipeline.md §3, §4.3, §9): deployment scripts, healthchecks, formation,
// env and cron. Parsing is lenient about unknown keys, strict about types.
package appjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
)

// AppJSON is the subset of app.json Dokku acts on.
type AppJSON struct {
	Scripts      Scripts                  `json:"scripts"`
	Healthchecks map[string][]Healthcheck `json:"healthchecks"`
	Formation    map[string]Formation     `json:"formation"`
	Env          map[string]EnvEntry      `json:"env"`
	Cron         []Cron                   `json:"cron"`
}

// Scripts holds the deployment tasks.
type Scripts struct {
	Dokku struct {
		Predeploy  string `json:"predeploy"`
		Postdeploy string `json:"postdeploy"`
	} `json:"dokku"`
	Postdeploy string `json:"postdeploy"`
}

// Healthcheck is one entry of healthchecks.<process-type>.
type Healthcheck struct {
	Type         string   `json:"type"` // startup (default), liveness, readiness
	Name         string   `json:"name"`
	Path         string   `json:"path"`
	Port         int      `json:"port"`
	Scheme       string   `json:"scheme"`
	Attempts     int      `json:"attempts"`
	Timeout      int      `json:"timeout"`
	Wait         int      `json:"wait"`
	InitialDelay int      `json:"initialDelay"`
	Content      string   `json:"content"`
	Command      []string `json:"command"`
	Uptime       int      `json:"uptime"`
	Listening    bool     `json:"listening"`
	Warn         bool     `json:"warn"`
	HTTPHeaders  []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"httpHeaders"`
}

// Formation is formation.<process-type>.
type Formation struct {
	Quantity    *int `json:"quantity"`
	MaxParallel *int `json:"max_parallel"`
}

// EnvEntry is env.<KEY>: a plain string or an object.
type EnvEntry struct {
	Description string `json:"description"`
	Value       string `json:"value"`
	Required    *bool  `json:"required"`
	Generator   string `json:"generator"`
	Sync        bool   `json:"sync"`
}

// UnmarshalJSON accepts both "KEY": "value" and "KEY": {...}.
func (e *EnvEntry) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*e = EnvEntry{Value: s}
		return nil
	}
	type plain EnvEntry
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*e = EnvEntry(p)
	return nil
}

// Cron is one cron entry.
type Cron struct {
	Command           string `json:"command"`
	Schedule          string `json:"schedule"`
	ConcurrencyPolicy string `json:"concurrency_policy"`
	Maintenance       bool   `json:"maintenance"`
}

// Parse decodes app.json content; empty (or blank) content is an empty
// AppJSON.
func Parse(b []byte) (*AppJSON, error) {
	a := &AppJSON{}
	if len(bytes.TrimSpace(b)) == 0 {
		return a, nil
	}
	if err := json.Unmarshal(b, a); err != nil {
		return nil, fmt.Errorf("Cannot parse app.json: %v", err)
	}
	return a, nil
}

// IsRequired reports whether an env entry must end up with a value: as in
// Heroku's app.json schema, entries are required unless "required": false.
func (e EnvEntry) IsRequired() bool { return e.Required == nil || *e.Required }

// EnvKeys returns the env entry names in order.
func (a *AppJSON) EnvKeys() []string { return slices.Sorted(maps.Keys(a.Env)) }

// FormationTypes returns the process types of formation in order.
func (a *AppJSON) FormationTypes() []string { return slices.Sorted(maps.Keys(a.Formation)) }

// MaxParallel is formation.<type>.max_parallel when positive, else 1: how
// many containers of the type the scheduler starts at once.
func (a *AppJSON) MaxParallel(processType string) int {
	if f, ok := a.Formation[processType]; ok && f.MaxParallel != nil && *f.MaxParallel > 0 {
		return *f.MaxParallel
	}
	return 1
}

// Read parses a file; a missing file is an empty AppJSON.
func Read(path string) (*AppJSON, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return &AppJSON{}, nil
	}
	if err != nil {
		return nil, err
	}
	return Parse(b)
}
