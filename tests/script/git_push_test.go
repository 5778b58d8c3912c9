package script

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/godokku/dokku/internal/dokkutest"
)

func TestGitPushDeploysOverSSH(t *testing.T) {
	g := newGitEnv(t)
	s := g.startSSH(t)
	work := gitWorkTree(t, s, "master", "v1\n")
	rev := strings.TrimSpace(s.git(t, work, "rev-parse", "HEAD").out)

	// The first push creates the app (app-maybe-create) and deploys it.
	res := s.git(t, work, "push", s.url("hello"), "master")
	if res.code != 0 {
		t.Fatalf("push failed:\n%s", res.out)
	}
	out := plain(res.out)
	for _, want := range []string{"-----> probe saw " + rev, " * [new branch]      master -> master"} {
		if !strings.Contains(out, want) {
			t.Errorf("push output lacks %q:\n%s", want, out)
		}
	}
	// Build output lines start with \e[1G, overwriting git's "remote: ".
	if !strings.Contains(res.out, "remote: \x1b[1G-----> probe saw "+rev) {
		t.Errorf("build lines are not prefixed with \\e[1G:\n%q", res.out)
	}
	if got := g.probe("hello.rev"); got != rev+"\n" {
		t.Errorf("built revision %q, want %s", got, rev)
	}
	if got := g.probe("hello.tree"); got != "./index.html\n./sub\n./sub/nested.txt\n" {
		t.Errorf("extracted tree (no .git expected):\n%s", got)
	}
	if got := g.MustRun("config:get", "hello", "GIT_REV").Stdout; got != rev+"\n" {
		t.Errorf("GIT_REV = %q", got)
	}
	if got := g.MustRun("apps:report", "hello", "--app-deploy-source").Stdout; got != "git-push\n" {
		t.Errorf("deploy source %q", got)
	}
	if got := g.MustRun("apps:report", "hello", "--app-deploy-source-metadata").Stdout; got != rev+"\n" {
		t.Errorf("deploy source metadata %q", got)
	}
	head, _ := os.ReadFile(filepath.Join(g.Home, "hello", "refs", "heads", "master"))
	if strings.TrimSpace(string(head)) != rev {
		t.Errorf("branch head %q", head)
	}
	// The lock is gone, the build directory removed, the worktree pruned.
	if _, err := os.Stat(filepath.Join(g.Lib, "data", "apps", "hello", ".deploy.lock")); err == nil {
		t.Error("deploy lock left behind")
	}
	if left, _ := filepath.Glob(filepath.Join(g.Dir, "tmp", "dokku-*-git_build_app_repo.*")); len(left) > 0 {
		t.Errorf("build directories left: %v", left)
	}
	if _, err := os.Stat(filepath.Join(g.Home, "hello", "worktrees")); err == nil {
		t.Error("worktree bookkeeping left in the repository")
	}
	// The build was captured: a succeeded record and its log.
	var recs []map[string]any
	if err := json.Unmarshal([]byte(g.MustRun("builds:list", "hello", "--format", "json").Stdout), &recs); err != nil || len(recs) != 1 {
		t.Fatalf("builds:list: %v %v", recs, err)
	}
	if recs[0]["status"] != "succeeded" || recs[0]["source"] != "git-hook" || recs[0]["kind"] != "build" || recs[0]["exit_code"] != float64(0) {
		t.Errorf("build record %v", recs[0])
	}
	logOut := g.MustRun("builds:output", "hello", recs[0]["id"].(string)).Stdout
	if !strings.Contains(logOut, "\x1b[1G-----> probe saw "+rev) {
		t.Errorf("build log:\n%q", logOut)
	}

	// A second push deploys the new revision.
	rev2 := gitCommit(t, s, work, "v2\n")
	if res := s.git(t, work, "push", s.url("hello"), "master"); res.code != 0 {
		t.Fatalf("second push:\n%s", res.out)
	}
	if g.probe("hello.index") != "v2\n" || g.probe("hello.rev") != rev2+"\n" {
		t.Errorf("second build saw %q at %q", g.probe("hello.index"), g.probe("hello.rev"))
	}

	// git clone over ssh gets the pushed history.
	clone := filepath.Join(t.TempDir(), "clone")
	if res := s.git(t, "", "clone", "-q", s.url("hello"), clone); res.code != 0 {
		t.Fatalf("clone:\n%s", res.out)
	}
	if got := strings.TrimSpace(s.git(t, clone, "rev-parse", "HEAD").out); got != rev2 {
		t.Errorf("cloned HEAD %s, want %s", got, rev2)
	}
}

func TestGitPushFailedBuildIsRejected(t *testing.T) {
	g := newGitEnv(t)
	s := g.startSSH(t)
	work := gitWorkTree(t, s, "master", "v1\n")
	rev := strings.TrimSpace(s.git(t, work, "rev-parse", "HEAD").out)
	if res := s.git(t, work, "push", s.url("app1"), "master"); res.code != 0 {
		t.Fatalf("push:\n%s", res.out)
	}
	g.setProbe("fail", true)
	gitCommit(t, s, work, "broken\n")
	res := s.git(t, work, "push", s.url("app1"), "master")
	if res.code == 0 {
		t.Fatalf("a failing build was accepted:\n%s", res.out)
	}
	out := plain(res.out)
	if !strings.Contains(out, "probe failing the build") || !strings.Contains(out, "pre-receive hook declined") {
		t.Errorf("rejection output:\n%s", out)
	}
	// The branch did not move; GIT_REV is the revision of the failed try,
	// as in Dokku (it is set before the build).
	head, _ := os.ReadFile(filepath.Join(g.Home, "app1", "refs", "heads", "master"))
	if strings.TrimSpace(string(head)) != rev {
		t.Errorf("branch moved to %s", head)
	}
	var recs []map[string]any
	json.Unmarshal([]byte(g.MustRun("builds:list", "app1", "--format", "json").Stdout), &recs)
	if len(recs) != 2 || recs[0]["status"] != "failed" || recs[0]["exit_code"] == float64(0) {
		t.Errorf("records %v", recs)
	}
	if _, err := os.Stat(filepath.Join(g.Lib, "data", "apps", "app1", ".deploy.lock")); err == nil {
		t.Error("deploy lock left after a failed build")
	}
	// Fixed, the next push goes through.
	g.setProbe("fail", false)
	if res := s.git(t, work, "push", s.url("app1"), "master"); res.code != 0 {
		t.Fatalf("push after the fix:\n%s", res.out)
	}
}

func TestGitPushDeployLock(t *testing.T) {
	g := newGitEnv(t)
	s := g.startSSH(t)
	work := gitWorkTree(t, s, "master", "v1\n")
	if res := s.git(t, work, "push", s.url("locked"), "master"); res.code != 0 {
		t.Fatalf("push:\n%s", res.out)
	}
	lockPath := filepath.Join(g.Lib, "data", "apps", "locked", ".deploy.lock")

	// Another process holds the flock: the push is refused with Dokku's words.
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	gitCommit(t, s, work, "v2\n")
	res := s.git(t, work, "push", s.url("locked"), "master")
	out := plain(res.out)
	if res.code == 0 || !strings.Contains(out, " !     locked currently has a deploy lock in place. Exiting...\n") ||
		!strings.Contains(out, " !     Run 'apps:unlock' to release the existing deploy lock\n") {
		t.Fatalf("push under a held lock:\n%s", out)
	}
	if g.Run("ps:rebuild", "locked").Code == 0 {
		t.Error("ps:rebuild ran under a held lock")
	}
	// A lock file without a holder (a killed deploy, apps:lock) does not block.
	f.Close()
	if _, err := os.Stat(lockPath); err != nil {
		t.Fatal("the test lock file is gone")
	}
	if res := s.git(t, work, "push", s.url("locked"), "master"); res.code != 0 {
		t.Fatalf("push with a stale lock file:\n%s", res.out)
	}
	if _, err := os.Stat(lockPath); err == nil {
		t.Error("the lock file was not removed on release")
	}
}

func TestGitPushConcurrent(t *testing.T) {
	g := newGitEnv(t)
	s := g.startSSH(t)
	work := gitWorkTree(t, s, "master", "v1\n")
	if res := s.git(t, work, "push", s.url("conc"), "master"); res.code != 0 {
		t.Fatalf("push:\n%s", res.out)
	}
	other := filepath.Join(t.TempDir(), "other")
	s.git(t, "", "clone", "-q", s.url("conc"), other)

	// First push holds in pre-receive-app while a second one arrives.
	g.setProbe("hold", true)
	rev1 := gitCommit(t, s, work, "first\n")
	done := make(chan gitResult, 1)
	go func() { done <- s.git(t, work, "push", s.url("conc"), "master") }()
	waitFor(t, func() bool { return g.probe("holding") != "" || fileExists(filepath.Join(g.Lib, "probe", "holding")) })
	gitCommit(t, s, other, "second\n")
	second := s.git(t, other, "push", s.url("conc"), "master")
	g.setProbe("hold", false)
	first := <-done
	if first.code != 0 {
		t.Fatalf("first push:\n%s", first.out)
	}
	if second.code == 0 || !strings.Contains(plain(second.out), "conc currently has a deploy lock in place. Exiting...") {
		t.Fatalf("second push:\n%s", second.out)
	}
	head, _ := os.ReadFile(filepath.Join(g.Home, "conc", "refs", "heads", "master"))
	if strings.TrimSpace(string(head)) != rev1 {
		t.Errorf("head %s, want the first push %s", head, rev1)
	}
	if out := s.git(t, "", "--git-dir", filepath.Join(g.Home, "conc"), "fsck", "--no-progress"); out.code != 0 {
		t.Errorf("repository corrupted:\n%s", out.out)
	}
}

// waitFor polls cond every 20ms for up to 30s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestGitPushRefusesBadNames(t *testing.T) {
	g := newGitEnv(t)
	s := g.startSSH(t)
	work := gitWorkTree(t, s, "master", "v1\n")
	before := listDir(t, g.Home)
	beforeParent := listDir(t, g.Dir)
	for _, name := range []string{"../x", "';id;'", "$(id)", "`id`", "a b", "UPPER", "/etc/passwd", "--global"} {
		// scp-like remote: the name reaches the server as typed, quoted by git.
		res := s.git(t, work, "push", s.user+"@127.0.0.1:"+name, "master")
		if res.code == 0 {
			t.Errorf("push to %q accepted:\n%s", name, res.out)
		}
		if strings.Contains(res.out, "uid=") {
			t.Errorf("push to %q ran a shell command:\n%s", name, res.out)
		}
	}
	if after := listDir(t, g.Home); after != before {
		t.Errorf("DOKKU_ROOT changed:\nbefore %s\nafter  %s", before, after)
	}
	if after := listDir(t, g.Dir); after != beforeParent {
		t.Errorf("the root's parent changed:\nbefore %s\nafter  %s", beforeParent, after)
	}
}

func listDir(t *testing.T, dir string) string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

func TestGitPushDeployBranch(t *testing.T) {
	g := newGitEnv(t)
	s := g.startSSH(t)
	work := gitWorkTree(t, s, "main", "v1\n")
	// Nothing set: the pushed branch becomes the deploy branch.
	res := s.git(t, work, "push", s.url("br"), "main")
	if res.code != 0 || !strings.Contains(res.out, "remote: \x1b[1G\x1b[K-----> Set main as deploy-branch") {
		t.Fatalf("first push of main:\n%q", res.out)
	}
	if got := g.MustRun("git:report", "br", "--git-deploy-branch").Stdout; got != "main\n" {
		t.Errorf("deploy-branch %q", got)
	}
	// Another branch is stored but not deployed.
	s.git(t, work, "checkout", "-q", "-b", "feature")
	rev := gitCommit(t, s, work, "feature\n")
	res = s.git(t, work, "push", s.url("br"), "feature")
	out := plain(res.out)
	if res.code != 0 || !strings.Contains(out, "-----> WARNING: deploy did not complete, you must push to main.\n") ||
		!strings.Contains(out, "-----> for example, try 'git push <dokku> feature:main'\n") {
		t.Fatalf("push of another branch:\n%s", out)
	}
	if g.probe("br.rev") == rev+"\n" {
		t.Error("a non-deploy branch was built")
	}
	// A tag named like the deploy branch deploys too; deleting the branch is refused.
	if res := s.git(t, work, "push", s.url("br"), "feature:main"); res.code != 0 || g.probe("br.rev") != rev+"\n" {
		t.Fatalf("push feature:main:\n%s", res.out)
	}
	res = s.git(t, work, "push", s.url("br"), ":main")
	if res.code == 0 || !strings.Contains(plain(res.out), "Refusing to delete the deploy branch main of br") {
		t.Errorf("deleting the deploy branch:\n%s", res.out)
	}
}

func TestGitRebuildAndRevEnvVar(t *testing.T) {
	g := newGitEnv(t)
	s := g.startSSH(t)
	work := gitWorkTree(t, s, "master", "v1\n")
	rev := strings.TrimSpace(s.git(t, work, "rev-parse", "HEAD").out)
	// rev-env-var renames GIT_REV; empty disables it.
	if res := s.git(t, work, "push", s.url("rb"), "master"); res.code != 0 {
		t.Fatalf("push:\n%s", res.out)
	}
	g.MustRun("config:unset", "--no-restart", "rb", "GIT_REV")
	res := g.Run("git:set", "rb", "rev-env-var", "")
	if res.Code != 0 || res.Stdout != "=====> Setting rev-env-var to \n" {
		t.Fatalf("git:set rev-env-var '': %s", res)
	}
	os.Remove(filepath.Join(g.Lib, "probe", "rb.rev"))
	// ps:rebuild builds the stored branch head, captured as a ps:rebuild build.
	if res := g.Run("ps:rebuild", "rb"); res.Code != 0 {
		t.Fatalf("ps:rebuild: %s", res)
	}
	if g.probe("rb.rev") != rev+"\n" {
		t.Errorf("rebuilt %q", g.probe("rb.rev"))
	}
	if got := g.MustRun("builds:report", "rb", "--build-source").Stdout; got != "ps:rebuild\n" {
		t.Errorf("rebuild source %q", got)
	}
	gitCommit(t, s, work, "v2\n")
	if res := s.git(t, work, "push", s.url("rb"), "master"); res.code != 0 {
		t.Fatalf("push:\n%s", res.out)
	}
	if got := g.Run("config:get", "rb", "GIT_REV"); got.Stdout != "" {
		t.Errorf("GIT_REV set although rev-env-var is empty: %q", got.Stdout)
	}
	g.MustRun("git:set", "rb", "rev-env-var", "SOURCE_SHA")
	rev3 := gitCommit(t, s, work, "v3\n")
	s.git(t, work, "push", s.url("rb"), "master")
	if got := g.MustRun("config:get", "rb", "SOURCE_SHA").Stdout; got != rev3+"\n" {
		t.Errorf("SOURCE_SHA %q", got)
	}
}

func TestGitHookWithoutSSH(t *testing.T) {
	g := newGitEnv(t)
	g.MustRun("apps:create", "direct")
	// No commits: ps:rebuild reports the empty branch.
	res := g.Run("ps:rebuild", "direct")
	if res.Code == 0 || !strings.Contains(res.Stderr, "Cannot build from 'master' as there are no commits stored at that branch.") {
		t.Errorf("rebuild without commits: %s", res)
	}
	// git-hook validates the app name before anything else.
	res = g.RunOpts(dokkutest.Opts{Stdin: "x y z\n"}, "git-hook", "../etc")
	if res.Code == 0 {
		t.Errorf("git-hook ../etc: %s", res)
	}
	// An invalid deploy branch only warns.
	os.MkdirAll(filepath.Join(g.Lib, "config", "git", "direct"), 0o755)
	os.WriteFile(filepath.Join(g.Lib, "config", "git", "direct", "deploy-branch"), []byte("bad..name"), 0o600)
	res = g.RunOpts(dokkutest.Opts{Stdin: ""}, "git-hook", "direct")
	if res.Code != 0 || !strings.Contains(res.Stdout, "\x1b[1G\x1b[K-----> WARNING: Invalid branch name 'bad..name' specified via DOKKU_DEPLOY_BRANCH.\n") {
		t.Errorf("invalid deploy branch: %s", res)
	}
}
