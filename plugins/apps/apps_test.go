package apps

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// appsContext is a context on a scratch root with no plugins enabled (every
// trigger is a no-op) and captured output.
func appsContext(t *testing.T) (*plugin.Context, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	e := env.FromMap(map[string]string{
		"DOKKU_ROOT":          filepath.Join(dir, "home"),
		"DOKKU_LIB_ROOT":      filepath.Join(dir, "lib"),
		"PLUGIN_ENABLED_PATH": filepath.Join(dir, "lib", "plugins", "enabled"),
		"DOKKU_SYSTEM_USER":   "nobody-here",
		"DOKKU_SYSTEM_GROUP":  "nobody-here",
	})
	for _, d := range []string{e.Root(), e.PluginEnabledPath()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	ctx := plugin.NewContext(e, plugin.NewRegistry("0.38.27", Plugin())).WithIO(strings.NewReader(""), &out, &errb)
	return ctx, &out, &errb
}

func TestAppsReadAnswer(t *testing.T) {
	for in, want := range map[string]string{
		"app\n": "app", "  app  \nrest": "app", "app": "app", "": "", "\n": "", "a b\n": "", "app\r\n": "app",
	} {
		if got := readAnswer(strings.NewReader(in)); got != want {
			t.Errorf("readAnswer(%q) = %q, want %q", in, got, want)
		}
	}
	// Only the first line is consumed.
	r := strings.NewReader("app\nleft over\n")
	readAnswer(r)
	if r.Len() != len("left over\n") {
		t.Fatalf("consumed too much: %d left", r.Len())
	}
}

func TestAppsPositionals(t *testing.T) {
	got := positionals([]string{"--quiet", "x", "--app", "y", "-z", "--", "--trace", "--app=q", "w"})
	if strings.Join(got, ",") != "x,-z,w" {
		t.Fatalf("positionals = %v", got)
	}
}

func TestAppsCreateAndDestroyInProcess(t *testing.T) {
	ctx, out, _ := appsContext(t)
	if err := createApp(ctx, "unit"); err != nil {
		t.Fatal(err)
	}
	if out.String() != "-----> Creating unit...\n" {
		t.Fatalf("stdout %q", out.String())
	}
	if v, _ := ctx.Props().Get(pluginName, "unit", propCreatedAt); v == "" {
		t.Fatal("created-at missing")
	}
	err := createApp(ctx, "unit")
	if ui.Code(err) != 1 || err.Error() != "Name is already taken" {
		t.Fatalf("second create: %v", err)
	}
	if err := lockApp(ctx, "unit"); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := destroyApp(ctx, "unit", true); err != nil {
		t.Fatal(err)
	}
	// No plugin is enabled here, so the apps post-delete is called directly.
	if err := triggerPostDelete(ctx, []string{"unit", "latest"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{ctx.Env.AppRoot("unit"), dataDir(ctx, "unit"), filepath.Join(ctx.Env.ConfigRoot(), "apps", "unit")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s survived", p)
		}
	}
}

func TestAppsConcurrentCreateInProcess(t *testing.T) {
	ctx, _, _ := appsContext(t)
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = createApp(ctx.WithIO(nil, &bytes.Buffer{}, &bytes.Buffer{}), "same")
		}(i)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if err.Error() != "Name is already taken" {
			t.Fatalf("unexpected error %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d creates won", ok)
	}
}

func TestAppsRemoveAppDirSymlink(t *testing.T) {
	dir := t.TempDir()
	storage := filepath.Join(dir, "storage")
	os.MkdirAll(filepath.Join(storage, "sub"), 0o755)
	os.WriteFile(filepath.Join(storage, "sub", "f"), []byte("x"), 0o644)
	link := filepath.Join(dir, "app")
	if err := os.Symlink(storage, link); err != nil {
		t.Fatal(err)
	}
	if err := removeAppDir(link); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(link); !os.IsNotExist(err) {
		t.Fatal("link survived")
	}
	if ents, err := os.ReadDir(storage); err != nil || len(ents) != 0 {
		t.Fatalf("storage not emptied: %v %v", ents, err)
	}
	if err := removeAppDir(filepath.Join(dir, "missing")); err != nil {
		t.Fatal(err)
	}
}

func TestAppsMaybeCreateDisabled(t *testing.T) {
	ctx, out, errb := appsContext(t)
	if err := ctx.Props().Write(pluginName, "--global", propDisableAutocreation, "true"); err != nil {
		t.Fatal(err)
	}
	err := maybeCreateApp(ctx, "nope")
	if err == nil || err.Error() != "Re-enable app auto-creation or create an app with 'dokku apps:create nope'" {
		t.Fatalf("err = %v", err)
	}
	if errb.String() != " !     App auto-creation disabled.\n" || out.Len() != 0 {
		t.Fatalf("output %q %q", out.String(), errb.String())
	}
	ctx.Props().Delete(pluginName, "--global", propDisableAutocreation)
	if err := maybeCreateApp(ctx, "yes"); err != nil || out.Len() != 0 {
		t.Fatalf("maybe-create: %v, stdout %q", err, out.String())
	}
}
