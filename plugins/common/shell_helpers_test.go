package shellapi

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// shellEnv is a scratch Dokku tree for calling the helpers in-process.
type shellEnv struct {
	t   *testing.T
	dir string
	env *env.Env
	reg *plugin.Registry
}

func newShellEnv(t *testing.T, extra ...string) *shellEnv {
	t.Helper()
	dir := t.TempDir()
	vars := append([]string{
		"DOKKU_ROOT=" + filepath.Join(dir, "home"),
		"DOKKU_LIB_PATH=" + filepath.Join(dir, "lib"),
		"DOKKU_SYSTEM_USER=" + env.CurrentUser(),
		"DOKKU_SYSTEM_GROUP=nonexistent-group",
		"TMPDIR=" + dir,
		"USER=tester",
	}, extra...)
	e := env.LoadChild(vars)
	for _, d := range []string{e.Root(), e.PluginEnabledPath()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return &shellEnv{t: t, dir: dir, env: e, reg: plugin.NewRegistry("0.38.27", Plugin())}
}

type callResult struct {
	out, err string
	code     int
}

// call runs a helper handler like its entry point would: the error is
// rendered on stderr and turned into the exit code.
func (s *shellEnv) call(h plugin.Handler, stdin string, args ...string) callResult {
	s.t.Helper()
	var out, errb bytes.Buffer
	ctx := plugin.NewContext(s.env, s.reg).WithIO(strings.NewReader(stdin), &out, &errb)
	code := ui.Render(h(ctx, args), &errb)
	return callResult{out.String(), errb.String(), code}
}

func (s *shellEnv) mkApp(name string) {
	s.t.Helper()
	if err := os.MkdirAll(filepath.Join(s.env.Root(), name), 0o755); err != nil {
		s.t.Fatal(err)
	}
}

func (s *shellEnv) propPath(parts ...string) string {
	return filepath.Join(append([]string{s.env.ConfigRoot()}, parts...)...)
}

func newCtx(s *shellEnv) *plugin.Context {
	return plugin.NewContext(s.env, s.reg).WithIO(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
