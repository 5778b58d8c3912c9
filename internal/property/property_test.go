package property

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func store(t *testing.T) *Store { return &Store{Root: t.TempDir()} }

func TestPropertyScalar(t *testing.T) {
	s := store(t)
	if v, err := s.Get("apps", "a", "k"); v != "" || err != nil {
		t.Fatalf("missing: %q %v", v, err)
	}
	if err := s.Write("apps", "a", "k", "line1\nline2 "); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(s.Root, "apps", "a", "k")
	b, _ := os.ReadFile(p)
	if string(b) != "line1\nline2 " {
		t.Fatalf("raw content %q", b)
	}
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
	di, _ := os.Stat(filepath.Dir(p))
	if di.Mode().Perm() != 0o755 {
		t.Fatalf("dir mode %v", di.Mode())
	}
	if !s.Exists("apps", "a", "k") || s.Exists("apps", "a", "nope") {
		t.Fatal("Exists")
	}
	if err := s.Delete("apps", "a", "k"); err != nil || s.Exists("apps", "a", "k") {
		t.Fatal("Delete")
	}
	if err := s.Delete("apps", "a", "k"); err != nil {
		t.Fatal("deleting a missing property is not an error")
	}
}

func TestPropertyComputed(t *testing.T) {
	s := store(t)
	if s.Computed("ps", "a", "k", "def") != "def" {
		t.Fatal("default")
	}
	s.Write("ps", Global, "k", "global")
	if s.Computed("ps", "a", "k", "def") != "global" {
		t.Fatal("global")
	}
	s.Write("ps", "a", "k", "app")
	if s.Computed("ps", "a", "k", "def") != "app" || s.Computed("ps", Global, "k", "def") != "global" {
		t.Fatal("app")
	}
}

func TestPropertyInvalidNames(t *testing.T) {
	s := store(t)
	for _, c := range [][3]string{{"..", "a", "k"}, {"p", "../x", "k"}, {"p", "a", "../../etc/passwd"}, {"p/q", "a", "k"}, {"p", "a", ""}, {"p", ".", "k"}} {
		if err := s.Write(c[0], c[1], c[2], "v"); err == nil {
			t.Errorf("Write(%q) should fail", c)
		}
		if _, err := s.Get(c[0], c[1], c[2]); err == nil {
			t.Errorf("Get(%q) should fail", c)
		}
	}
	if ents, _ := os.ReadDir(filepath.Dir(s.Root)); len(ents) != 1 {
		t.Fatal("something was written outside the store")
	}
}

func TestPropertyCloneRenameDestroy(t *testing.T) {
	s := store(t)
	s.Write("p", "old", "a", "1")
	s.ListWrite("p", "old", "l", []string{"x", "y"})
	if err := s.Clone("p", "old", "new"); err != nil {
		t.Fatal(err)
	}
	all, _ := s.GetAll("p", "new")
	if all["a"] != "1" || all["l"] != "x\ny\n" {
		t.Fatalf("clone %v", all)
	}
	if err := s.Rename("p", "new", "newer"); err != nil || s.Exists("p", "new", "a") || !s.Exists("p", "newer", "a") {
		t.Fatal("rename")
	}
	s.Destroy("p", "old")
	if s.Exists("p", "old", "a") || !s.Exists("p", "newer", "a") {
		t.Fatal("destroy")
	}
}

func TestPropertyLists(t *testing.T) {
	s := store(t)
	s.ListAdd("p", "a", "l", "one", 0)
	s.ListAdd("p", "a", "l", "three", 0)
	s.ListAdd("p", "a", "l", "two", 2)
	l, _ := s.ListGet("p", "a", "l")
	if fmt.Sprint(l) != "[one two three]" {
		t.Fatal(l)
	}
	s.ListSet("p", "a", "l", "TWO", 1)
	s.ListSet("p", "a", "l", "four", 9)
	l, _ = s.ListGet("p", "a", "l")
	if fmt.Sprint(l) != "[one TWO three four]" {
		t.Fatal(l)
	}
	if err := s.ListRemove("p", "a", "l", "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	s.ListRemove("p", "a", "l", "TWO")
	s.ListRemoveByPrefix("p", "a", "l", "th")
	l, _ = s.ListGet("p", "a", "l")
	if fmt.Sprint(l) != "[one four]" || !s.ListIsMember("p", "a", "l", "four") {
		t.Fatal(l)
	}
	if v, _ := s.ListIndex("p", "a", "l", 1); v != "four" {
		t.Fatal(v)
	}
	b, _ := os.ReadFile(filepath.Join(s.Root, "p", "a", "l"))
	if string(b) != "one\nfour\n" {
		t.Fatalf("%q", b)
	}
}

func TestPropertyMap(t *testing.T) {
	s := store(t)
	s.MapSet("p", "a", "m", "k1", "v1")
	s.MapSet("p", "a", "m", "k2", "v2")
	s.MapSet("p", "a", "m", "k1", "")
	m, err := s.MapGet("p", "a", "m")
	if err != nil || len(m) != 1 || m["k2"] != "v2" {
		t.Fatal(m, err)
	}
}

// Concurrent list appends from many goroutines lose nothing (the app dir
// flock serialises read-modify-write).
func TestPropertyConcurrentListAdd(t *testing.T) {
	s := store(t)
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if err := s.ListAdd("p", "a", "l", fmt.Sprint(i), 0); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	l, _ := s.ListGet("p", "a", "l")
	if len(l) != 40 {
		t.Fatalf("lost entries: %d", len(l))
	}
}

func TestPropertyKeysSkipTempFiles(t *testing.T) {
	s := store(t)
	s.Write("p", "a", "k", "v")
	os.WriteFile(filepath.Join(s.Root, "p", "a", ".tmp-k.1.1"), []byte("x"), 0o600)
	keys, _ := s.Keys("p", "a")
	if fmt.Sprint(keys) != "[k]" {
		t.Fatal(keys)
	}
}
