// Package dokkutest runs the real dokku binary in a scratch root for
// script-level tests: every path root (DOKKU_ROOT, DOKKU_LIB_PATH,
// DOKKU_SYSTEM_ROOT, logs) lives in a temp dir and DOKKU_SYSTEM_USER is the
// current user, so no root is needed and nothing outside the dir changes.
package dokkutest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/godokku/dokku/internal/env"
)

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// ModuleRoot is the repository root.
func ModuleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Binary returns the path of a dokku binary built from this tree (once per
// test process; dokku-engine is built beside it), or $DOKKU_TEST_BINARY
// when set (its dokku-engine must sit beside it).
func Binary(t testing.TB) string {
	t.Helper()
	if b := os.Getenv("DOKKU_TEST_BINARY"); b != "" {
		return b
	}
	buildOnce.Do(func() {
		touchSources()
		dir, err := os.MkdirTemp("", "dokku-test-bin-")
		if err != nil {
			buildErr = err
			return
		}
		// The front (dokku) and, beside it, the engine it hands commands to.
		buildPath = filepath.Join(dir, "dokku")
		for out, pkg := range map[string]string{buildPath: "./cmd/dokku", filepath.Join(dir, env.EngineName): "./cmd/dokku-engine"} {
			cmd := exec.Command("go", "build", "-tags", "osusergo,netgo", "-o", out, pkg)
			cmd.Dir = ModuleRoot()
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
			if b, err := cmd.CombinedOutput(); err != nil {
				buildErr = errors.New("go build " + pkg + ": " + err.Error() + "\n" + string(b))
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

// touchSources stats every file the binary is built from. go test records
// the files a test process stats or opens and reuses a cached result only
// while they are unchanged; the build happens in a child process it cannot
// see, so without this an edited plugin could pass on a stale result.
func touchSources() {
	root := ModuleRoot()
	for _, f := range []string{"go.mod", "go.sum"} {
		os.Stat(filepath.Join(root, f))
	}
	for _, dir := range []string{"cmd", "internal", "plugins"} {
		filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasSuffix(path, "_test.go") {
				os.Stat(path)
			}
			return nil
		})
	}
}

// Root is a scratch Dokku installation.
type Root struct {
	T    testing.TB
	Dir  string // the temp dir holding everything
	Home string // DOKKU_ROOT
	Lib  string // DOKKU_LIB_ROOT
	Sys  string // DOKKU_SYSTEM_ROOT
	Bin  string
	Env  []string
}

// New creates a root with the core plugins installed.
func New(t testing.TB) *Root {
	t.Helper()
	dir := scratchDir(t)
	r := &Root{T: t, Dir: dir, Home: filepath.Join(dir, "home"), Lib: filepath.Join(dir, "lib"), Sys: filepath.Join(dir, "sys"), Bin: Binary(t)}
	for _, d := range []string{r.Home, r.Lib, r.Sys, filepath.Join(dir, "log"), filepath.Join(dir, "tmp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(r.Lib, "VERSION"), []byte("0.38.27\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	u, _ := user.Current()
	g, _ := user.LookupGroupId(u.Gid)
	group := u.Username
	if g != nil {
		group = g.Name
	}
	r.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + r.Home,
		"USER=" + u.Username,
		"LANG=C.UTF-8",
		"TMPDIR=" + filepath.Join(dir, "tmp"),
		"DOKKU_ROOT=" + r.Home,
		"DOKKU_LIB_PATH=" + r.Lib,
		"DOKKU_SYSTEM_ROOT=" + r.Sys,
		"DOKKU_SYSTEM_USER=" + u.Username,
		"DOKKU_SYSTEM_GROUP=" + group,
		"DOKKU_LOGS_DIR=" + filepath.Join(dir, "log"),
		"DOKKU_DEFAULTS_FILE=" + filepath.Join(dir, "etc-default-dokku"),
	}
	if os.Getenv("DOKKU_CORE_FASTPATH") != "" {
		r.Env = append(r.Env, "DOKKU_CORE_FASTPATH="+os.Getenv("DOKKU_CORE_FASTPATH"))
	}
	if res := r.Run("plugin:install", "--core"); res.Code != 0 {
		t.Fatalf("plugin:install --core: %s", res)
	}
	return r
}

// Result is one finished command.
type Result struct {
	Args           []string
	Stdout, Stderr string
	Code           int
}

func (r *Result) String() string {
	return "dokku " + strings.Join(r.Args, " ") + "\nexit " + strconv.Itoa(r.Code) + "\nstdout:\n" + r.Stdout + "\nstderr:\n" + r.Stderr
}

// Opts change one invocation.
type Opts struct {
	Stdin string
	Env   []string // extra KEY=VALUE pairs
	Dir   string
	Argv0 string // run through another path (a plugin entry, a plugn link)
}

// Run runs dokku with args.
func (r *Root) Run(args ...string) *Result { return r.RunOpts(Opts{}, args...) }

// RunOpts runs dokku with args and options.
func (r *Root) RunOpts(o Opts, args ...string) *Result {
	r.T.Helper()
	bin := r.Bin
	if o.Argv0 != "" {
		bin = o.Argv0
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(append([]string{}, r.Env...), o.Env...)
	cmd.Stdin = strings.NewReader(o.Stdin)
	cmd.Dir = o.Dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := &Result{Args: args, Stdout: out.String(), Stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		res.Code = ee.ExitCode()
	} else if err != nil {
		r.T.Fatalf("running dokku %v: %v", args, err)
	}
	return res
}

// MustRun runs and fails the test on a non-zero exit.
func (r *Root) MustRun(args ...string) *Result {
	r.T.Helper()
	res := r.Run(args...)
	if res.Code != 0 {
		r.T.Fatalf("unexpected failure: %s", res)
	}
	return res
}

// WriteFile writes a file below the root dir (rel path) with mode.
func (r *Root) WriteFile(rel, content string, mode os.FileMode) string {
	r.T.Helper()
	p := filepath.Join(r.Dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.T.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		r.T.Fatal(err)
	}
	return p
}

// AddPlugin installs and enables a community plugin made of files (name →
// content; content starting with "#!" is made executable).
func (r *Root) AddPlugin(name string, files map[string]string) string {
	r.T.Helper()
	dir := filepath.Join(r.Lib, "plugins", "available", name)
	if _, ok := files["plugin.toml"]; !ok {
		files["plugin.toml"] = "[plugin]\ndescription = \"" + name + " test plugin\"\nversion = \"0.1.0\"\n[plugin.config]\n"
	}
	for rel, content := range files {
		mode := os.FileMode(0o644)
		if strings.HasPrefix(content, "#!") {
			mode = 0o755
		}
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.T.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			r.T.Fatal(err)
		}
	}
	link := filepath.Join(r.Lib, "plugins", "enabled", name)
	os.Remove(link)
	if err := os.Symlink(dir, link); err != nil {
		r.T.Fatal(err)
	}
	return dir
}

// Path joins rel onto the root dir.
func (r *Root) Path(rel ...string) string { return filepath.Join(append([]string{r.Dir}, rel...)...) }
