// Package env is the only reader of the process environment. It builds the
// environment a Dokku dispatcher establishes (runtime.md §1): defaults,
// /etc/default/dokku, $DOKKU_ROOT/dokkurc and $DOKKU_ROOT/.dokkurc/*, and the
// exported path roots. Everything else in the program asks an *Env.
package env

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Env is the environment of one dokku process: the variables exported to
// children, plus shell-only variables that were assigned (but not exported)
// by sourced rc files and still steer the dispatcher's own decisions.
type Env struct {
	vars  map[string]string // exported
	shell map[string]string // assigned but not exported
}

// New returns an Env holding exactly the given KEY=VALUE pairs.
func New(environ []string) *Env {
	e := &Env{vars: make(map[string]string, len(environ)+32), shell: map[string]string{}}
	for _, kv := range environ {
		if i := strings.IndexByte(kv, '='); i > 0 {
			e.vars[kv[:i]] = kv[i+1:]
		}
	}
	return e
}

// FromMap returns an Env with the given exported variables.
func FromMap(m map[string]string) *Env {
	e := &Env{vars: make(map[string]string, len(m)), shell: map[string]string{}}
	for k, v := range m {
		e.vars[k] = v
	}
	return e
}

// Clone returns an independent copy.
func (e *Env) Clone() *Env {
	c := &Env{vars: make(map[string]string, len(e.vars)+8), shell: make(map[string]string, len(e.shell))}
	for k, v := range e.vars {
		c.vars[k] = v
	}
	for k, v := range e.shell {
		c.shell[k] = v
	}
	return c
}

// Get returns the value of an exported or shell variable ("" when unset).
func (e *Env) Get(key string) string {
	v, _ := e.Lookup(key)
	return v
}

// Lookup reports whether the variable is set (exported or shell-only).
func (e *Env) Lookup(key string) (string, bool) {
	if v, ok := e.vars[key]; ok {
		return v, true
	}
	v, ok := e.shell[key]
	return v, ok
}

// Set exports a variable.
func (e *Env) Set(key, value string) {
	delete(e.shell, key)
	e.vars[key] = value
}

// SetShell assigns a variable without exporting it (children do not see it).
func (e *Env) SetShell(key, value string) {
	if _, ok := e.vars[key]; ok {
		e.vars[key] = value
		return
	}
	e.shell[key] = value
}

// Unset removes a variable entirely.
func (e *Env) Unset(key string) {
	delete(e.vars, key)
	delete(e.shell, key)
}

// Unexport keeps the value visible to this process but hides it from children.
func (e *Env) Unexport(key string) {
	if v, ok := e.vars[key]; ok {
		delete(e.vars, key)
		e.shell[key] = v
	}
}

// Default exports key=value unless key already holds a non-empty value
// (bash `${KEY:=value}` followed by export).
func (e *Env) Default(key, value string) string {
	if v, ok := e.Lookup(key); ok && v != "" {
		e.Set(key, v)
		return v
	}
	e.Set(key, value)
	return value
}

// Environ returns the exported variables as sorted KEY=VALUE strings.
func (e *Env) Environ() []string {
	out := make([]string, 0, len(e.vars))
	for k, v := range e.vars {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// With returns a copy of the exported environment with extra KEY=VALUE pairs
// appended (later pairs win when a child process reads them).
func (e *Env) With(extra ...string) []string {
	return append(e.Environ(), extra...)
}

// Bool reports whether a variable holds a value that Dokku treats as on:
// any non-empty value except "false" and "0".
func (e *Env) Bool(key string) bool {
	v := e.Get(key)
	return v != "" && v != "false" && v != "0"
}

// PID is DOKKU_PID, the process id of the dispatcher a command runs
// under (builds stage their files with it), else this process's.
func (e *Env) PID() string {
	if p := e.Get("DOKKU_PID"); p != "" {
		return p
	}
	return strconv.Itoa(os.Getpid())
}

// Path roots. Each is exported by Load, so plugins and children agree.

func (e *Env) Root() string                    { return e.Get("DOKKU_ROOT") }
func (e *Env) HostRoot() string                { return e.Get("DOKKU_HOST_ROOT") }
func (e *Env) LibRoot() string                 { return e.Get("DOKKU_LIB_ROOT") }
func (e *Env) PluginPath() string              { return e.Get("PLUGIN_PATH") }
func (e *Env) PluginAvailablePath() string     { return e.Get("PLUGIN_AVAILABLE_PATH") }
func (e *Env) PluginEnabledPath() string       { return e.Get("PLUGIN_ENABLED_PATH") }
func (e *Env) PluginCorePath() string          { return e.Get("PLUGIN_CORE_PATH") }
func (e *Env) PluginCoreAvailablePath() string { return e.Get("PLUGIN_CORE_AVAILABLE_PATH") }
func (e *Env) PluginCoreEnabledPath() string   { return e.Get("PLUGIN_CORE_ENABLED_PATH") }
func (e *Env) SystemUser() string              { return e.Get("DOKKU_SYSTEM_USER") }
func (e *Env) SystemGroup() string             { return e.Get("DOKKU_SYSTEM_GROUP") }
func (e *Env) LogsDir() string                 { return e.Get("DOKKU_LOGS_DIR") }

// AppRoot is $DOKKU_ROOT/<app>.
func (e *Env) AppRoot(app string) string { return filepath.Join(e.Root(), app) }

// ConfigRoot is $DOKKU_LIB_ROOT/config (properties and ENV files).
func (e *Env) ConfigRoot() string { return filepath.Join(e.LibRoot(), "config") }

// DataRoot is $DOKKU_LIB_ROOT/data (per-plugin data).
func (e *Env) DataRoot() string { return filepath.Join(e.LibRoot(), "data") }

// PluginDataRoot is $DOKKU_LIB_ROOT/data/<plugin>.
func (e *Env) PluginDataRoot(plugin string) string { return filepath.Join(e.DataRoot(), plugin) }

// Quiet reports DOKKU_QUIET_OUTPUT.
func (e *Env) Quiet() bool { return e.Get("DOKKU_QUIET_OUTPUT") != "" }

// Trace reports DOKKU_TRACE.
func (e *Env) Trace() bool { return e.Get("DOKKU_TRACE") != "" }

// Process is the environment of the running process, untouched.
func Process() *Env { return New(os.Environ()) }

// SystemPath maps an absolute host path (/etc/nginx/conf.d, /etc/sudoers.d
// ...) under $DOKKU_SYSTEM_ROOT, so that install steps and tests can run in
// a scratch tree. Unset means "/": the real system.
func (e *Env) SystemPath(p string) string {
	root := e.Get("DOKKU_SYSTEM_ROOT")
	if root == "" || root == "/" {
		return p
	}
	return filepath.Join(root, p)
}

// RealSystem reports whether system paths are the real ones (daemons may be
// reloaded, users created).
func (e *Env) RealSystem() bool {
	root := e.Get("DOKKU_SYSTEM_ROOT")
	return root == "" || root == "/"
}
