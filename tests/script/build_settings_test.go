package script

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

// buildRoot is a scratch root holding bare app directories.
func buildRoot(t *testing.T, apps ...string) *dokkutest.Root {
	t.Helper()
	r := dokkutest.New(t)
	for _, a := range apps {
		if err := os.MkdirAll(filepath.Join(r.Home, a), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func buildProp(t *testing.T, r *dokkutest.Root, plugin, app, key string) (string, bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.Lib, "config", plugin, app, key))
	if os.IsNotExist(err) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b), true
}

func buildMust(t *testing.T, r *dokkutest.Root, args ...string) *dokkutest.Result {
	t.Helper()
	return r.MustRun(args...)
}

func TestBuildBuilderSetAndReport(t *testing.T) {
	r := buildRoot(t, "web")
	res := buildMust(t, r, "builder:set", "web", "selected", "null")
	if res.Stdout != "=====> Setting selected to null\n" {
		t.Fatalf("%s", res)
	}
	if v, _ := buildProp(t, r, "builder", "web", "selected"); v != "null" {
		t.Fatalf("selected = %q", v)
	}
	buildMust(t, r, "builder:set", "--global", "build-dir", "apps/web")
	res = buildMust(t, r, "builder:report", "web")
	want := "=====> web builder information\n" +
		"       Builder build dir:             \n" +
		"       Builder computed build dir:    apps/web\n" +
		"       Builder computed selected:     null\n" +
		"       Builder computed skip cleanup: false\n" +
		"       Builder detected:              \n" +
		"       Builder global build dir:      apps/web\n" +
		"       Builder global selected:       \n" +
		"       Builder global skip cleanup:   \n" +
		"       Builder selected:              null\n" +
		"       Builder skip cleanup:          \n"
	if res.Stdout != want {
		t.Fatalf("report:\n%s\nwant:\n%s", res.Stdout, want)
	}
	if res := buildMust(t, r, "builder:report", "web", "--builder-selected"); res.Stdout != "null\n" {
		t.Fatalf("%s", res)
	}
	res = buildMust(t, r, "builder:report", "web", "--format", "json")
	var m map[string]string
	if err := json.Unmarshal([]byte(res.Stdout), &m); err != nil || m["computed-build-dir"] != "apps/web" || m["builder-selected"] != "null" {
		t.Fatalf("json %s (%v)", res.Stdout, err)
	}

	res = r.Run("builder:set", "web", "skip-cleanup", "maybe")
	if res.Code != 1 || res.Stderr != " !     Invalid value specified, valid values include: true, false\n" {
		t.Fatalf("%s", res)
	}
	res = r.Run("builder:set", "web", "colour", "blue")
	if res.Code != 1 || !strings.Contains(res.Stderr, "Invalid property specified, valid properties include: build-dir, detected, selected, skip-cleanup") {
		t.Fatalf("%s", res)
	}
	res = r.Run("builder:set", "--global", "detected", "x")
	if res.Code != 1 || res.Stderr != " !     Property cannot be specified globally\n" {
		t.Fatalf("%s", res)
	}
	res = r.Run("builder:set", "missing", "selected", "x")
	if res.Code != 20 {
		t.Fatalf("%s", res)
	}
	res = buildMust(t, r, "builder:set", "web", "selected")
	if res.Stdout != "=====> Unsetting selected\n" {
		t.Fatalf("%s", res)
	}
	if _, ok := buildProp(t, r, "builder", "web", "selected"); ok {
		t.Fatal("selected must be deleted")
	}
	if res := r.Run("builder:help"); !strings.Contains(res.Stdout, "builder:set <app> <property> (<value>)") {
		t.Fatalf("%s", res)
	}
}

func TestBuildBuilderTriggers(t *testing.T) {
	r := buildRoot(t, "web")
	src := r.WriteFile("src/Dockerfile", "FROM scratch\n", 0o644)
	dir := filepath.Dir(src)
	// nothing selected: the dockerfile builder detects the Dockerfile
	res := buildMust(t, r, "plugin:trigger", "builder-detect", "web", dir)
	if res.Stdout != "dockerfile\n" {
		t.Fatalf("%s", res)
	}
	buildMust(t, r, "builder:set", "--global", "selected", "null")
	if res := buildMust(t, r, "plugin:trigger", "builder-detect", "web", dir); !strings.HasPrefix(res.Stdout, "null\n") {
		t.Fatalf("the selected builder comes first: %s", res)
	}
	buildMust(t, r, "plugin:trigger", "builder-set-property", "web", "detected", "dockerfile")
	if res := buildMust(t, r, "plugin:trigger", "builder-get-property", "web", "detected"); res.Stdout != "dockerfile\n" {
		t.Fatalf("%s", res)
	}
	if res := buildMust(t, r, "plugin:trigger", "builder-get-property", "web", "selected"); res.Stdout != "null\n" {
		t.Fatalf("global fallback: %s", res)
	}
	res = r.Run("plugin:trigger", "builder-get-property", "web", "nope")
	if res.Code != 1 || !strings.Contains(res.Stderr, "Invalid logs property specified") {
		t.Fatalf("%s", res)
	}
}

func TestBuildBuilderBuildDir(t *testing.T) {
	r := buildRoot(t, "web")
	r.WriteFile("src/README", "top", 0o644)
	r.WriteFile("src/apps/web/Dockerfile", "FROM scratch\n", 0o644)
	dir := r.Path("src")
	buildMust(t, r, "builder:set", "web", "build-dir", "/apps/web/")
	buildMust(t, r, "plugin:trigger", "core-post-extract", "web", dir, "abc")
	if _, err := os.Stat(filepath.Join(dir, "Dockerfile")); err != nil {
		t.Fatal("build-dir contents must be the new root")
	}
	if _, err := os.Stat(filepath.Join(dir, "README")); !os.IsNotExist(err) {
		t.Fatal("files outside build-dir must be gone")
	}
	buildMust(t, r, "builder:set", "web", "build-dir", "nope")
	res := r.Run("plugin:trigger", "core-post-extract", "web", dir, "abc")
	if res.Code == 0 || !strings.Contains(res.Stderr, " !     Specified build-dir not found in sourcecode working directory: nope\n") {
		t.Fatalf("%s", res)
	}
}

func TestBuildDockerfileSettings(t *testing.T) {
	r := buildRoot(t, "web")
	res := r.Run("builder-dockerfile:set", "web")
	if res.Code != 1 || res.Stderr != " !     No key specified\n" {
		t.Fatalf("%s", res)
	}
	res = r.Run("builder-dockerfile:set", "web", "path", "x")
	if res.Code != 1 || res.Stderr != " !     Invalid key specified, valid keys include: dockerfile-path\n" {
		t.Fatalf("%s", res)
	}
	buildMust(t, r, "builder-dockerfile:set", "web", "dockerfile-path", "docker/Dockerfile.prod")
	res = buildMust(t, r, "dockerfile:report", "web")
	want := "=====> web builder-dockerfile information\n" +
		"       Builder dockerfile computed dockerfile path: docker/Dockerfile.prod\n" +
		"       Builder dockerfile dockerfile path:          docker/Dockerfile.prod\n" +
		"       Builder dockerfile global dockerfile path:   \n"
	if res.Stdout != want {
		t.Fatalf("%q", res.Stdout)
	}
	// core-post-extract moves the custom Dockerfile into place
	r.WriteFile("src/docker/Dockerfile.prod", "FROM prod\n", 0o644)
	dir := r.Path("src")
	buildMust(t, r, "plugin:trigger", "core-post-extract", "web", dir, "rev")
	if b, err := os.ReadFile(filepath.Join(dir, "Dockerfile")); err != nil || string(b) != "FROM prod\n" {
		t.Fatalf("Dockerfile %q %v", b, err)
	}
	buildMust(t, r, "builder-dockerfile:set", "web", "dockerfile-path", "../../etc/passwd")
	res = r.Run("plugin:trigger", "core-post-extract", "web", dir, "rev")
	if res.Code == 0 || !strings.Contains(res.Stderr, "Invalid dockerfile-path specified: ../../etc/passwd") {
		t.Fatalf("%s", res)
	}
}

func TestBuildNullBuilderHelp(t *testing.T) {
	r := buildRoot(t)
	res := buildMust(t, r, "help")
	if !strings.Contains(res.Stdout, "builder-null") || !strings.Contains(res.Stdout, "No-op builder plugin") {
		t.Fatalf("%s", res)
	}
}
