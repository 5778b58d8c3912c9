package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
)

// testCtx is a context on a scratch tree with no plugins enabled.
func testCtx(t *testing.T, apps ...string) (*plugin.Context, *bytes.Buffer, *bytes.Buffer, string) {
	t.Helper()
	dir := t.TempDir()
	home, lib := filepath.Join(dir, "home"), filepath.Join(dir, "lib")
	for _, d := range []string{home, filepath.Join(lib, "plugins", "enabled")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range apps {
		if err := os.MkdirAll(filepath.Join(home, a), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	e := env.FromMap(map[string]string{
		"DOKKU_ROOT":          home,
		"DOKKU_LIB_ROOT":      lib,
		"PLUGIN_PATH":         filepath.Join(lib, "plugins"),
		"PLUGIN_ENABLED_PATH": filepath.Join(lib, "plugins", "enabled"),
	})
	var out, errb bytes.Buffer
	ctx := plugin.NewContext(e, plugin.NewRegistry("test", Plugin())).WithIO(strings.NewReader(""), &out, &errb)
	return ctx, &out, &errb, dir
}

func TestConfigUpdateConcurrentInProcess(t *testing.T) {
	ctx, _, _, _ := testCtx(t, "app")
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			err := Update(ctx, "app", func(m map[string]string) (bool, error) {
				m[fmt.Sprintf("K%d", i)] = fmt.Sprint(i)
				return true, nil
			})
			if err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	m, err := Load(ctx, "app")
	if err != nil || len(m) != 50 {
		t.Fatalf("%d keys, %v", len(m), err)
	}
}

func TestConfigUpdateFailureWritesNothing(t *testing.T) {
	ctx, _, _, _ := testCtx(t, "app")
	if err := SetMany(ctx, "app", map[string]string{"A": "1"}, false); err != nil {
		t.Fatal(err)
	}
	p, _ := Path(ctx, "app")
	before, _ := os.ReadFile(p)
	err := Update(ctx, "app", func(m map[string]string) (bool, error) {
		m["B"] = "2"
		return true, fmt.Errorf("boom")
	})
	if err == nil {
		t.Fatal("expected the error")
	}
	if after, _ := os.ReadFile(p); !bytes.Equal(before, after) {
		t.Fatalf("file changed: %q", after)
	}
	if err := SetMany(ctx, "app", map[string]string{"OK": "1", "9no": "x"}, false); err == nil || err.Error() != "Invalid key name: '9no'" {
		t.Fatalf("invalid key: %v", err)
	}
	if after, _ := os.ReadFile(p); !bytes.Equal(before, after) {
		t.Fatalf("file changed by a refused set: %q", after)
	}
}

func TestConfigNameValidation(t *testing.T) {
	ctx, _, _, _ := testCtx(t)
	for _, n := range []string{"", "..", "a/b", "."} {
		if _, err := Path(ctx, n); err == nil {
			t.Errorf("%q accepted", n)
		}
		if err := Update(ctx, n, func(map[string]string) (bool, error) { return true, nil }); err == nil {
			t.Errorf("Update(%q) accepted", n)
		}
	}
}

func TestConfigMergedPrecedence(t *testing.T) {
	ctx, out, _, _ := testCtx(t, "app")
	if err := SetMany(ctx, Global, map[string]string{"A": "global", "G": "1"}, true); err != nil {
		t.Fatal(err)
	}
	if err := SetMany(ctx, "app", map[string]string{"A": "app"}, false); err != nil {
		t.Fatal(err)
	}
	m, err := Merged(ctx, "app")
	if err != nil || m["A"] != "app" || m["G"] != "1" || len(m) != 2 {
		t.Fatalf("%v %v", m, err)
	}
	if strings.Contains(out.String(), "Restarting") {
		t.Fatalf("global set restarted something: %q", out.String())
	}
}

func TestConfigRestartRules(t *testing.T) {
	ctx, out, _, _ := testCtx(t, "app")
	props := ctx.Props()
	props.Write("common", "app", "deployed", "true")
	if err := SetMany(ctx, "app", map[string]string{"A": "1"}, true); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out.String(), "-----> Restarting app app\n") {
		t.Fatalf("no restart: %q", out.String())
	}
	out.Reset()
	props.Write("ps", "app", "restore", "false")
	SetMany(ctx, "app", map[string]string{"A": "2"}, true)
	props.Delete("ps", "app", "restore")
	SetMany(ctx, "app", map[string]string{"A": "3"}, false)
	props.Write("common", "app", "deployed", "false")
	SetMany(ctx, "app", map[string]string{"A": "4"}, true)
	if strings.Contains(out.String(), "Restarting") {
		t.Fatalf("unexpected restart: %q", out.String())
	}
}

func TestConfigMigrateUnit(t *testing.T) {
	ctx, _, errb, dir := testCtx(t, "a")
	home := filepath.Join(dir, "home")
	os.WriteFile(filepath.Join(home, "a", "ENV"), []byte("export X='1'\n"), 0o600)
	os.WriteFile(filepath.Join(home, "ENV"), []byte("B=\"broken\n"), 0o600)
	if err := MigrateEnvFiles(ctx); err != nil {
		t.Fatal(err)
	}
	// the unparsable global file is left in place, unrecorded, with a warning
	if _, err := os.Stat(filepath.Join(home, "ENV")); err != nil {
		t.Fatal("broken legacy file was moved")
	}
	if v, _ := ctx.Props().Get("config", Global, envMigratedProperty); v != "" {
		t.Fatalf("broken global recorded as migrated")
	}
	if !strings.Contains(errb.String(), "Not migrating "+filepath.Join(home, "ENV")) {
		t.Fatalf("stderr %q", errb.String())
	}
	if v, ok, _ := Get(ctx, "a", "X"); !ok || v != "1" {
		t.Fatalf("X = %q %v", v, ok)
	}
	// running again is a no-op
	if err := MigrateEnvFiles(ctx); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := Get(ctx, "a", "X"); !ok || v != "1" {
		t.Fatalf("X = %q %v after rerun", v, ok)
	}
}
