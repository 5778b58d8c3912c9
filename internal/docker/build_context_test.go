package docker

import (
	"archive/tar"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestBuildIgnoreMatcher(t *testing.T) {
	m, err := NewIgnoreMatcher([]string{"# comment", "", "node_modules", "*.log", "!keep.log", "docs/**/*.md", "/tmp", "build/", "**/secret"})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{
		"node_modules":            true,
		"node_modules/x/y.js":     true,
		"app.log":                 true,
		"keep.log":                false,
		"sub/app.log":             false, // * does not cross directories
		"docs/a.md":               true,
		"docs/x/y/z.md":           true,
		"docs/readme.txt":         false,
		"tmp/file":                true,
		"build/out":               true,
		"a/b/secret":              true,
		"secret":                  true,
		"src/main.go":             false,
		"node_modules_other/file": false,
	}
	for p, want := range cases {
		if got := m.Excluded(p); got != want {
			t.Errorf("Excluded(%q) = %v, want %v", p, got, want)
		}
	}
	if _, err := NewIgnoreMatcher([]string{"!"}); err == nil {
		t.Error("a bare ! must be rejected")
	}
}

func tarNames(t *testing.T, r io.Reader) []string {
	t.Helper()
	var names []string
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Uid != 0 || h.Gid != 0 {
			t.Errorf("%s owned by %d:%d", h.Name, h.Uid, h.Gid)
		}
		names = append(names, h.Name)
	}
	sort.Strings(names)
	return names
}

func TestBuildContextTar(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Dockerfile", "FROM x\n")
	write(".dockerignore", "Dockerfile\n.dockerignore\nsecrets\n*.tmp\n")
	write("app/main.sh", "echo hi\n")
	write("secrets/key", "k")
	write("junk.tmp", "j")
	os.Symlink("app/main.sh", filepath.Join(dir, "link"))
	rc, err := ContextTar(dir, "", "")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got := strings.Join(tarNames(t, rc), " ")
	want := ".dockerignore Dockerfile app/ app/main.sh link"
	if got != want {
		t.Fatalf("context %q, want %q", got, want)
	}
}

func TestBuildSingleFileTar(t *testing.T) {
	got := tarNames(t, SingleFileTar("Dockerfile", "FROM a\n"))
	if len(got) != 1 || got[0] != "Dockerfile" {
		t.Fatal(got)
	}
}

func TestBuildContextDockerfileAppendix(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM x"), 0o644)
	rc, err := ContextTar(dir, "", "LABEL a=\"b\"\n")
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(rc)
	if _, err := tr.Next(); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(tr)
	if string(b) != "FROM x\nLABEL a=\"b\"\n" {
		t.Fatalf("%q", b)
	}
	if on, _ := os.ReadFile(filepath.Join(dir, "Dockerfile")); string(on) != "FROM x" {
		t.Fatal("the file on disk must not change")
	}
}

func TestBuildLabelInstruction(t *testing.T) {
	line, rest := LabelInstruction(map[string]string{"dokku": "", "com.dokku.app-name": "web", "odd": "a b", "q": `"x"`})
	if line != "LABEL com.dokku.app-name=\"web\" dokku=\"\"\n" {
		t.Fatalf("%q", line)
	}
	if len(rest) != 2 || rest["odd"] != "a b" || rest["q"] != `"x"` {
		t.Fatalf("%v", rest)
	}
}
