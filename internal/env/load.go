package env

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/godokku/dokku/internal/proc"
)

// DefaultsFile is the host-level defaults file sourced first by the
// dispatcher. DOKKU_DEFAULTS_FILE overrides it (development and tests).
const DefaultsFile = "/etc/default/dokku"

// ErrUnreadable is returned when an rc file exists but cannot be read; the
// message is the one the dispatcher prints.
type ErrUnreadable struct{ Path string }

func (e *ErrUnreadable) Error() string {
	return fmt.Sprintf("Unable to read %s for sourcing", e.Path)
}

// Load builds the dispatcher environment from the process environment.
func Load(environ []string) (*Env, error) {
	e := New(environ)
	if err := e.source(); err != nil {
		return nil, err
	}
	e.exportDefaults()
	return e, nil
}

// LoadChild builds the environment of a process started by dokku (a plugin
// entry point): no rc files are sourced again, only the defaults are filled.
func LoadChild(environ []string) *Env {
	e := New(environ)
	if _, ok := e.Lookup("DOKKU_ROOT"); !ok {
		e.Set("DOKKU_ROOT", homeOf("dokku"))
	}
	e.exportDefaults()
	return e
}

// source applies /etc/default/dokku, $DOKKU_ROOT/dokkurc and
// $DOKKU_ROOT/.dokkurc/* in the dispatcher's order.
func (e *Env) source() error {
	e.Set("DOCKER_BIN", "docker")
	defaults := e.Get("DOKKU_DEFAULTS_FILE")
	if defaults == "" {
		defaults = DefaultsFile
	}
	var pre, post []string
	if readable(defaults) {
		pre = append(pre, defaults)
	}
	root := e.Get("DOKKU_ROOT")
	if root == "" {
		root = homeOf("dokku")
	}
	rc := filepath.Join(root, "dokkurc")
	if _, err := os.Stat(rc); err == nil {
		if !readable(rc) {
			return &ErrUnreadable{rc}
		}
		post = append(post, rc)
	}
	if entries, err := os.ReadDir(filepath.Join(root, ".dokkurc")); err == nil {
		names := make([]string, 0, len(entries))
		for _, ent := range entries {
			names = append(names, ent.Name())
		}
		sort.Strings(names)
		for _, n := range names {
			p := filepath.Join(root, ".dokkurc", n)
			if !readable(p) {
				return &ErrUnreadable{p}
			}
			post = append(post, p)
		}
	}
	if len(pre)+len(post) == 0 {
		e.Default("DOKKU_ROOT", root)
		return nil
	}
	// Fast path: files made only of plain assignments are applied in Go;
	// anything else is handed to bash so its semantics are exact.
	var plan []assignment
	simple := true
	for _, group := range [][]string{pre, nil, post} {
		if group == nil {
			plan = append(plan, assignment{rootMarker: true})
			continue
		}
		for _, f := range group {
			as, ok := parseSimpleRC(f)
			if !ok {
				simple = false
			}
			plan = append(plan, as...)
		}
	}
	if simple {
		for _, a := range plan {
			switch {
			case a.rootMarker:
				e.Default("DOKKU_ROOT", root)
			case a.export && a.hasValue:
				e.Set(a.key, a.value)
			case a.export:
				if v, ok := e.Lookup(a.key); ok {
					e.Set(a.key, v)
				} else {
					e.Set(a.key, "")
				}
			default:
				e.SetShell(a.key, a.value)
			}
		}
		return nil
	}
	return e.sourceWithBash(pre, post, root)
}

type assignment struct {
	key, value       string
	export, hasValue bool
	rootMarker       bool
}

var (
	assignRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)(=(.*))?$`) })
	bareRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_./:,@%+=-]*$`) })
	commentRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[ \t]*(#.*)?$`) })
)

// parseSimpleRC parses a file made only of comments, blank lines and
// `[export] KEY=VALUE` lines whose VALUE needs no shell expansion.
func parseSimpleRC(path string) ([]assignment, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var out []assignment
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if commentRe().MatchString(line) {
			continue
		}
		m := assignRe().FindStringSubmatch(line)
		if m == nil {
			return nil, false
		}
		a := assignment{key: m[2], export: m[1] != ""}
		if m[3] == "" {
			if !a.export {
				return nil, false
			}
			out = append(out, a)
			continue
		}
		v, ok := plainValue(m[4])
		if !ok {
			return nil, false
		}
		a.value, a.hasValue = v, true
		out = append(out, a)
	}
	return out, true
}

// plainValue unquotes a value that bash would take literally.
func plainValue(raw string) (string, bool) {
	switch {
	case len(raw) >= 2 && raw[0] == '\'' && raw[len(raw)-1] == '\'':
		in := raw[1 : len(raw)-1]
		if strings.ContainsRune(in, '\'') {
			return "", false
		}
		return in, true
	case len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"':
		in := raw[1 : len(raw)-1]
		if strings.ContainsAny(in, "\"$`\\!") {
			return "", false
		}
		return in, true
	case bareRe().MatchString(raw):
		return raw, true
	}
	return "", false
}

// shellVarsOfInterest are read back from bash even when not exported,
// because the dispatcher itself consults them.
var shellVarsOfInterest = []string{
	"DOKKU_ROOT", "DOKKU_LIB_PATH", "PLUGIN_PATH", "PLUGIN_AVAILABLE_PATH", "PLUGIN_ENABLED_PATH",
	"PLUGIN_CORE_PATH", "PLUGIN_CORE_AVAILABLE_PATH", "PLUGIN_CORE_ENABLED_PATH",
	"DOKKU_SYSTEM_USER", "DOKKU_SYSTEM_GROUP", "DOKKU_LOGS_DIR", "DOKKU_EVENTS_LOGFILE",
	"DOKKU_HOST_ROOT", "DOKKU_IMAGE", "DOKKU_CNB_BUILDER", "DOCKER_BIN", "DOKKU_TRACE",
	"DOKKU_QUIET_OUTPUT", "DOKKU_EVENTS", "DOKKU_LOGS_HOST_DIR",
}

func (e *Env) sourceWithBash(pre, post []string, root string) error {
	var script strings.Builder
	script.WriteString("set +e\n")
	for _, f := range pre {
		fmt.Fprintf(&script, "source %s\n", shellQuote(f))
	}
	fmt.Fprintf(&script, "export DOKKU_ROOT=${DOKKU_ROOT:=%s}\n", shellQuote(root))
	for _, f := range post {
		fmt.Fprintf(&script, "source %s\n", shellQuote(f))
	}
	script.WriteString("env -0\nprintf '\\0@@shell@@\\0'\n")
	script.WriteString("for __v in " + strings.Join(shellVarsOfInterest, " ") + "; do [[ -v $__v ]] && printf '%s=%s\\0' \"$__v\" \"${!__v}\"; done\ntrue\n")
	outS, err := proc.Output(context.Background(), proc.Cmd{
		Name: "bash", Args: []string{"-c", script.String()}, Env: e.Environ(),
		Stderr: os.Stderr, Timeout: 30 * time.Second,
	})
	if err != nil {
		return fmt.Errorf("sourcing dokku rc files: %w", err)
	}
	parts := bytes.SplitN([]byte(outS), []byte("\x00@@shell@@\x00"), 2)
	exported := New(nil)
	for _, kv := range bytes.Split(parts[0], []byte{0}) {
		if i := bytes.IndexByte(kv, '='); i > 0 {
			exported.vars[string(kv[:i])] = string(kv[i+1:])
		}
	}
	// bash adds a few variables of its own; keep them out.
	for _, k := range []string{"SHLVL", "_", "PWD", "OLDPWD"} {
		if v, ok := e.vars[k]; ok {
			exported.vars[k] = v
		} else {
			delete(exported.vars, k)
		}
	}
	e.vars = exported.vars
	if len(parts) == 2 {
		for _, kv := range bytes.Split(parts[1], []byte{0}) {
			if i := bytes.IndexByte(kv, '='); i > 0 {
				k, v := string(kv[:i]), string(kv[i+1:])
				if _, ok := e.vars[k]; !ok {
					e.shell[k] = v
				}
			}
		}
	}
	return nil
}

// exportDefaults exports the dispatcher's variables (runtime.md §1).
func (e *Env) exportDefaults() {
	root := e.Default("DOKKU_ROOT", homeOf("dokku"))
	e.Default("DOKKU_HOST_ROOT", root)
	e.Set("DOKKU_DISTRO", osReleaseID())
	e.Default("DOCKER_BIN", "docker")
	e.Default("DOKKU_IMAGE", "gliderlabs/herokuish:latest-24")
	e.Default("DOKKU_CNB_BUILDER", "heroku/builder:24")
	lib := e.Get("DOKKU_LIB_PATH")
	if lib == "" {
		lib = "/var/lib/dokku"
	}
	e.Set("DOKKU_LIB_ROOT", lib)
	pp := e.Default("PLUGIN_PATH", filepath.Join(lib, "plugins"))
	e.Default("PLUGIN_AVAILABLE_PATH", filepath.Join(pp, "available"))
	e.Default("PLUGIN_ENABLED_PATH", filepath.Join(pp, "enabled"))
	cp := e.Default("PLUGIN_CORE_PATH", filepath.Join(lib, "core-plugins"))
	e.Default("PLUGIN_CORE_AVAILABLE_PATH", filepath.Join(cp, "available"))
	e.Default("PLUGIN_CORE_ENABLED_PATH", filepath.Join(cp, "enabled"))
	e.Default("DOKKU_SYSTEM_GROUP", "dokku")
	e.Default("DOKKU_SYSTEM_USER", "dokku")
	e.Set("DOKKU_API_VERSION", "1")
	e.Set("DOKKU_NOT_IMPLEMENTED_EXIT", "10")
	e.Set("DOKKU_VALID_EXIT", "0")
	e.Default("DOKKU_PID", strconv.Itoa(os.Getpid()))
	logs := e.Default("DOKKU_LOGS_DIR", "/var/log/dokku")
	e.Default("DOKKU_LOGS_HOST_DIR", logs)
	e.Default("DOKKU_EVENTS_LOGFILE", filepath.Join(logs, "events.log"))
	e.Set("DOKKU_CONTAINER_LABEL", "dokku")
	labels := "--label=org.label-schema.schema-version=1.0 --label=org.label-schema.vendor=dokku --label=dokku"
	e.Set("DOKKU_GLOBAL_BUILD_ARGS", labels)
	e.Set("DOKKU_GLOBAL_RUN_ARGS", labels)
}

func readable(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// homeOf returns a user's home directory from /etc/passwd without cgo.
func homeOf(user string) string {
	if h := passwdField(user, 5); h != "" {
		return h
	}
	return "/home/" + user
}

// passwdFile is /etc/passwd, read once per process: the dispatcher looks
// up the dokku user's home and the current user several times per command,
// and no command adds users.
var passwdFile = sync.OnceValues(func() ([]byte, error) { return os.ReadFile("/etc/passwd") })

// passwdField returns field n (0-based) of user's /etc/passwd entry.
func passwdField(user string, n int) string {
	data, err := passwdFile()
	if err != nil {
		return ""
	}
	prefix := user + ":"
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, prefix) {
			f := strings.Split(line, ":")
			if len(f) > n {
				return f[n]
			}
		}
	}
	return ""
}

func osReleaseID() string {
	data, err := os.ReadFile("/etc/os-release")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "ID="); ok {
			return strings.Trim(v, `"'`)
		}
	}
	return ""
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// IsUnreadable reports whether err is an rc file read failure.
func IsUnreadable(err error) bool {
	var u *ErrUnreadable
	return errors.As(err, &u)
}
