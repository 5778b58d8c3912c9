package plugin

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/godokku/dokku/internal/env"
)

func TestPropertyTriggers(t *testing.T) {
	lib := t.TempDir()
	ctx := NewContext(env.New([]string{"DOKKU_LIB_ROOT=" + lib}), NewRegistry("1"))
	if err := InstallProperties("demo")(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(lib, "config", "demo")); err != nil || !fi.IsDir() {
		t.Fatalf("install: %v", err)
	}
	if err := InstallProperties("a/b")(ctx, nil); err == nil || err.Error() != `Unable to install the a/b plugin: Invalid property path component "a/b"` {
		t.Fatalf("install error: %v", err)
	}
	p := ctx.Props()
	p.Write("demo", "old", "k", "v")
	for _, h := range []Handler{CloneProperties("demo"), RenameProperties("demo")} {
		if err := h(ctx, []string{"old"}); err != nil {
			t.Fatalf("one argument: %v", err)
		}
	}
	if !p.Exists("demo", "old", "k") {
		t.Fatal("one argument changed something")
	}
	CloneProperties("demo")(ctx, []string{"old", "copy"})
	if v, _ := p.Get("demo", "copy", "k"); v != "v" || !p.Exists("demo", "old", "k") {
		t.Fatalf("clone: %q", v)
	}
	RenameProperties("demo")(ctx, []string{"old", "new"})
	if v, _ := p.Get("demo", "new", "k"); v != "v" || p.Exists("demo", "old", "k") {
		t.Fatalf("rename: %q", v)
	}
	if err := DestroyProperties("demo")(ctx, nil); err != nil {
		t.Fatal(err)
	}
	DestroyProperties("demo")(ctx, []string{"new"})
	if p.Exists("demo", "new", "k") || !p.Exists("demo", "copy", "k") {
		t.Fatal("destroy")
	}
}
