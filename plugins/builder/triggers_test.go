package builder

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestBuildApplyBuildDir(t *testing.T) {
	dir := t.TempDir()
	work := filepath.Join(dir, "src")
	for rel, content := range map[string]string{"README": "r", "apps/web/Dockerfile": "FROM x", "apps/web/.hidden": "h", "apps/other/x": "x"} {
		p := filepath.Join(work, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), 0o644)
	}
	if err := ApplyBuildDir(work, "apps/web"); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(work)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if strings.Join(names, " ") != ".hidden Dockerfile" {
		t.Fatalf("work dir holds %v", names)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".dokku-build-dir-*"))
	if len(leftovers) != 0 {
		t.Fatalf("temp dirs left: %v", leftovers)
	}
	for _, bad := range []string{"missing", "../src", "/etc", "Dockerfile"} {
		err := ApplyBuildDir(work, bad)
		if err == nil || err.Error() != "Specified build-dir not found in sourcecode working directory: "+bad {
			t.Errorf("ApplyBuildDir(%q) = %v", bad, err)
		}
	}
}
