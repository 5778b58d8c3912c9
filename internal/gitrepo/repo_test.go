package gitrepo

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestGitValidBranchName(t *testing.T) {
	for _, ok := range []string{"master", "main", "feature/x", "release-1.2", "a@b", "v1"} {
		if !ValidBranchName(ok) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", "@", "-x", "a..b", "a b", "a~1", "a^", "a:b", "a?", "a*", "a[", `a\b`, "/a", "a/", "a.", "a//b", ".a", "a/.b", "a.lock", "a/b.lock/c", "a@{1}", "a\x01"} {
		if ValidBranchName(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
	// Agree with git itself on a sample.
	for _, n := range []string{"master", "a..b", "x/.y", "ok/fine"} {
		err := exec.Command("git", "check-ref-format", "--branch", n).Run()
		if (err == nil) != ValidBranchName(n) {
			t.Errorf("%q: git says %v", n, err)
		}
	}
}

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@e", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@e", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// pushRepo makes a bare repository with InitBare and pushes a commit with
// a file, a nested .git-less tree and a second branch to it.
func pushRepo(t *testing.T) (bare, sha string) {
	t.Helper()
	dir := t.TempDir()
	bare = filepath.Join(dir, "app")
	if err := InitBare(bare, nil); err != nil {
		t.Fatal(err)
	}
	if !IsRepo(bare) {
		t.Fatal("not a repo")
	}
	if has, err := HasObjects(bare); err != nil || has {
		t.Fatalf("new repo has objects: %v %v", has, err)
	}
	work := filepath.Join(dir, "work")
	os.MkdirAll(filepath.Join(work, "sub"), 0o755)
	os.WriteFile(filepath.Join(work, "index.html"), []byte("v1\n"), 0o644)
	os.WriteFile(filepath.Join(work, "sub", "f"), []byte("x\n"), 0o644)
	gitIn(t, work, "init", "-q", "-b", "master")
	gitIn(t, work, "add", ".")
	gitIn(t, work, "commit", "-q", "-m", "one")
	gitIn(t, work, "push", "-q", bare, "master", "master:other")
	return bare, gitIn(t, work, "rev-parse", "HEAD")
}

func TestGitInitReadRef(t *testing.T) {
	bare, sha := pushRepo(t)
	if got, ok := ReadRef(bare, "refs/heads/master"); !ok || got != sha {
		t.Errorf("loose ref: %q %v", got, ok)
	}
	if got, ok := ReadRef(bare, "HEAD"); !ok || got != sha {
		t.Errorf("HEAD: %q %v", got, ok)
	}
	gitIn(t, bare, "pack-refs", "--all")
	if got, ok := ReadRef(bare, "refs/heads/other"); !ok || got != sha {
		t.Errorf("packed ref: %q %v", got, ok)
	}
	for _, bad := range []string{"refs/heads/none", "refs/../config", "config"} {
		if _, ok := ReadRef(bare, bad); ok {
			t.Errorf("%q resolved", bad)
		}
	}
	if has, _ := HasObjects(bare); !has {
		t.Error("pushed repo reports no objects")
	}
	if err := WriteHook(bare, "/home/dokku", "app", nil); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(HookPath(bare))
	want := "#!/usr/bin/env bash\nset -e\nset -o pipefail\n\ncat | DOKKU_ROOT=\"/home/dokku\" dokku git-hook app\n"
	if string(b) != want {
		t.Errorf("hook:\n%s", b)
	}
	if fi, _ := os.Stat(HookPath(bare)); fi.Mode().Perm() != 0o755 {
		t.Errorf("hook mode %v", fi.Mode())
	}
	// git accepts the layout as a bare repository.
	if got := gitIn(t, bare, "rev-parse", "--is-bare-repository"); got != "true" {
		t.Errorf("is-bare: %s", got)
	}
}

func TestGitExtract(t *testing.T) {
	bare, sha := pushRepo(t)
	dest := t.TempDir()
	if err := Extract(context.Background(), ExtractOptions{Repo: bare, Rev: sha, Dest: dest, Env: os.Environ()}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "v1\n" {
		t.Errorf("index.html = %q", b)
	}
	if _, err := os.Stat(filepath.Join(dest, ".git")); err == nil {
		t.Error(".git left in the tree")
	}
	if _, err := os.Stat(filepath.Join(bare, "worktrees")); err == nil {
		t.Error("worktree bookkeeping left in the repository")
	}

	keep := t.TempDir()
	if err := Extract(context.Background(), ExtractOptions{Repo: bare, Rev: sha, Dest: keep, KeepGitDir: true, Branch: "main", Env: os.Environ()}); err != nil {
		t.Fatal(err)
	}
	if got := gitIn(t, keep, "rev-parse", "HEAD"); got != sha {
		t.Errorf("kept repo HEAD %s", got)
	}
	if got := gitIn(t, keep, "symbolic-ref", "HEAD"); got != "refs/heads/main" {
		t.Errorf("kept repo branch %s", got)
	}
	if got := gitIn(t, keep, "status", "--porcelain"); got != "" {
		t.Errorf("kept repo not clean: %s", got)
	}
	if err := Extract(context.Background(), ExtractOptions{Repo: bare, Rev: strings.Repeat("1", 40), Dest: t.TempDir(), Env: os.Environ()}); err == nil {
		t.Error("a missing revision extracted")
	}
}

func TestGitPruneWorktrees(t *testing.T) {
	bare, sha := pushRepo(t)
	gone := filepath.Join(t.TempDir(), "wt")
	gitIn(t, bare, "worktree", "add", "--detach", gone, sha)
	os.RemoveAll(gone)
	PruneWorktrees(bare)
	if _, err := os.Stat(filepath.Join(bare, "worktrees")); err == nil {
		t.Error("stale worktree kept")
	}
}

func TestGitCleanEnv(t *testing.T) {
	in := []string{"GIT_DIR=.", "GIT_QUARANTINE_PATH=/q", "GIT_OBJECT_DIRECTORY=/o", "PATH=/bin", "GIT_ALTERNATE_OBJECT_DIRECTORIES=/a"}
	if got := strings.Join(CleanEnv(in, true), " "); got != "GIT_OBJECT_DIRECTORY=/o PATH=/bin GIT_ALTERNATE_OBJECT_DIRECTORIES=/a" {
		t.Errorf("keep objects: %s", got)
	}
	if got := strings.Join(CleanEnv(in, false), " "); got != "PATH=/bin" {
		t.Errorf("scrubbed: %s", got)
	}
}

func TestGitExtractSubmodules(t *testing.T) {
	// A local submodule: git refuses file:// submodules unless allowed.
	allow := []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=protocol.file.allow", "GIT_CONFIG_VALUE_0=always"}
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib")
	os.MkdirAll(lib, 0o755)
	os.WriteFile(filepath.Join(lib, "lib.txt"), []byte("from the submodule\n"), 0o644)
	gitIn(t, lib, "init", "-q", "-b", "master")
	gitIn(t, lib, "add", ".")
	gitIn(t, lib, "commit", "-q", "-m", "lib")
	work := filepath.Join(dir, "work")
	os.MkdirAll(work, 0o755)
	os.WriteFile(filepath.Join(work, "app.txt"), []byte("app\n"), 0o644)
	gitIn(t, work, "init", "-q", "-b", "master")
	cmd := exec.Command("git", "-c", "protocol.file.allow=always", "submodule", "add", "-q", lib, "vendor/lib")
	cmd.Dir = work
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("submodule add: %v %s", err, out)
	}
	gitIn(t, work, "add", ".")
	gitIn(t, work, "commit", "-q", "-m", "app")
	bare := filepath.Join(dir, "app")
	InitBare(bare, nil)
	gitIn(t, work, "push", "-q", bare, "master")
	sha := gitIn(t, work, "rev-parse", "HEAD")

	dest := t.TempDir()
	if err := Extract(context.Background(), ExtractOptions{Repo: bare, Rev: sha, Dest: dest, Env: append(os.Environ(), allow...)}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "vendor", "lib", "lib.txt")); string(b) != "from the submodule\n" {
		t.Errorf("submodule content %q", b)
	}
	for _, p := range []string{".git", "vendor/lib/.git"} {
		if _, err := os.Lstat(filepath.Join(dest, p)); err == nil {
			t.Errorf("%s left in the tree", p)
		}
	}
	if _, err := os.Stat(filepath.Join(bare, "worktrees")); err == nil {
		t.Error("worktree bookkeeping left")
	}
}
