package sigil

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
	"time"
)

// Options describe one rendering.
type Options struct {
	// Name is the template name used in error messages (sigil uses the base
	// name of the -f file, "<inline>" or "<stdin>").
	Name string
	// Vars are the KEY=VALUE pairs.
	Vars map[string]string
	// Env is the environment the template sees (var, sh); Vars override it.
	Env map[string]string
	// Path is the template search path (sigil's SIGIL_PATH plus the
	// directory of the template file).
	Path []string
	// WorkDir is the directory relative paths are looked up in first; empty
	// means the process working directory.
	WorkDir string
	// Stdin is what the stdin function reads.
	Stdin io.Reader
	// Posix runs POSIX variable expansion before template parsing (-p).
	Posix bool
	// Timeout bounds sh and httpget calls (default 60s).
	Timeout time.Duration
}

// Render renders template text.
func Render(text string, o Options) (string, error) {
	if o.Name == "" {
		o.Name = "<inline>"
	}
	r := newRenderer(o)
	env := r.mergedEnv(o.Vars)
	return r.execute(text, o.Vars, env, o.Name)
}

// RenderFile renders the template in path: its directory joins the search
// path and its base name names it, as `sigil -f path` does.
func RenderFile(path string, o Options) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	o.Path = append([]string{filepath.Dir(abs)}, o.Path...)
	if o.Name == "" {
		o.Name = filepath.Base(path)
	}
	return Render(string(data), o)
}

// SqueezeBlank collapses runs of empty lines into one, as `cat -s` does
// (Dokku pipes every sigil rendering through it). Lines holding only
// whitespace are not empty.
func SqueezeBlank(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	prevEmpty := false
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		var line string
		if i < 0 {
			line, s = s, ""
		} else {
			line, s = s[:i+1], s[i+1:]
		}
		empty := line == "\n"
		if empty && prevEmpty {
			continue
		}
		prevEmpty = empty
		b.WriteString(line)
	}
	return b.String()
}

// ParseVars splits KEY=VALUE arguments as the sigil command does: arguments
// without "=" are ignored.
func ParseVars(args []string) map[string]string {
	vars := make(map[string]string, len(args))
	for _, a := range args {
		if k, v, ok := strings.Cut(a, "="); ok {
			vars[k] = v
		}
	}
	return vars
}

type renderer struct {
	path    []string
	workDir string
	stdin   io.Reader
	posix   bool
	timeout time.Duration
	base    map[string]string
	left    string
	right   string
	depth   int
}

func newRenderer(o Options) *renderer {
	r := &renderer{
		path:    append([]string(nil), o.Path...),
		workDir: o.WorkDir,
		stdin:   o.Stdin,
		posix:   o.Posix,
		timeout: o.Timeout,
		base:    o.Env,
		left:    "{{",
		right:   "}}",
	}
	if r.timeout <= 0 {
		r.timeout = 60 * time.Second
	}
	if r.stdin == nil {
		r.stdin = strings.NewReader("")
	}
	if d := o.Env["SIGIL_DELIMS"]; d != "" {
		if l, rr, ok := strings.Cut(d, ","); ok && l != "" && rr != "" {
			r.left, r.right = l, rr
		}
	}
	if d := o.Vars["SIGIL_DELIMS"]; d != "" {
		if l, rr, ok := strings.Cut(d, ","); ok && l != "" && rr != "" {
			r.left, r.right = l, rr
		}
	}
	return r
}

// mergedEnv is the base environment with vars exported on top.
func (r *renderer) mergedEnv(vars map[string]string) map[string]string {
	env := make(map[string]string, len(r.base)+len(vars))
	for k, v := range r.base {
		env[k] = v
	}
	for k, v := range vars {
		env[k] = v
	}
	return env
}

// maxDepth bounds include/render recursion (a template including itself).
const maxDepth = 64

// execute is sigil.Execute: declare the variables, apply the line
// continuation, parse and run.
func (r *renderer) execute(text string, vars map[string]string, env map[string]string, name string) (string, error) {
	if r.depth >= maxDepth {
		return "", fmt.Errorf("template: %s: include depth exceeds %d", name, maxDepth)
	}
	r.depth++
	defer func() { r.depth-- }()
	if r.posix {
		var err error
		text, err = ExpandPosix(text, func(k string) (string, bool) {
			v, ok := env[k]
			return v, ok
		})
		if err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
	}
	keys := make([]string, 0, len(vars))
	for k := range vars {
		if isIdentifier(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var decl strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&decl, "%s $%s := .%s %s", r.left, k, k, r.right)
	}
	// compat: sigil joins `\}}` + newline + `{{` into `}}{{`.
	text = strings.ReplaceAll(text, "\\"+r.right+"\n"+r.left, r.right+r.left)
	tmpl, err := template.New(name).Funcs(r.funcs(env)).Delims(r.left, r.right).Parse(decl.String() + text)
	if err != nil {
		return "", err
	}
	data := make(map[string]interface{}, len(vars))
	for k, v := range vars {
		data[k] = v
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// lookPath is sigil.LookPath: absolute paths must exist; relative ones are
// searched in the working directory, then the template path.
func (r *renderer) lookPath(file string) (string, error) {
	if strings.HasPrefix(file, "/") {
		if _, err := os.Stat(file); err == nil {
			return file, nil
		}
	} else {
		cwd := r.workDir
		if cwd == "" {
			cwd, _ = os.Getwd()
		}
		for _, dir := range append([]string{cwd}, r.path...) {
			p := filepath.Join(dir, file)
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("Not found in path: %s %v", file, r.path)
}

// resolveDir makes a relative directory argument relative to WorkDir.
func (r *renderer) resolveDir(p string) string {
	if filepath.IsAbs(p) || r.workDir == "" {
		return p
	}
	return filepath.Join(r.workDir, p)
}
