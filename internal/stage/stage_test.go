package stage

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCurrentAndPromote(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "Procfile")
	if got := Current(file, "7"); got != "" {
		t.Fatalf("nothing: %q", got)
	}
	os.WriteFile(file, []byte("old"), 0o644)
	if got := Current(file, "7"); got != file {
		t.Fatalf("promoted: %q", got)
	}
	os.WriteFile(file+".7", []byte("new"), 0o644)
	if got := Current(file, "7"); got != file+".7" {
		t.Fatalf("staged: %q", got)
	}
	if got := Current(file, "8"); got != file {
		t.Fatalf("another build: %q", got)
	}
	if err := Promote(file, "8"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(file); string(b) != "old" {
		t.Fatalf("nothing staged by 8: %q", b)
	}
	if err := Promote(file, "7"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(file); string(b) != "new" {
		t.Fatalf("promoted %q", b)
	}
	if _, err := os.Stat(file + ".7"); !os.IsNotExist(err) {
		t.Fatal("staged copy left")
	}
	os.WriteFile(file+".9.missing", nil, 0o644)
	if got := Current(file, "9"); got != "" {
		t.Fatalf("marker: %q", got)
	}
	if err := Promote(file, "9"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatal("marker must remove the file")
	}
	if _, err := os.Stat(file + ".9.missing"); !os.IsNotExist(err) {
		t.Fatal("marker left")
	}
}
