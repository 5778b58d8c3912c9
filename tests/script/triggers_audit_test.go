package script

// Trigger contracts (triggers.md) and pipeline order (pipeline.md) as a
// third-party plugin sees them: a recorder plugin that sorts before every
// core plugin logs "<trigger> [arg]..." for each trigger it is given, so
// the tests pin which triggers fire, in which order, with which arguments
// (empty placeholders included), whatever the core handlers then do.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

// trigAuditNames are the triggers the recorder answers. Triggers whose mere
// existence changes core behaviour (user-auth, user-auth-app,
// receive-branch, the deprecated per-builder variants, pre-deploy) are left
// out on purpose.
var trigAuditNames = []string{
	"post-create", "pre-delete", "scheduler-stop", "scheduler-post-delete", "post-delete",
	"scheduler-retire", "post-app-clone-setup", "post-app-clone", "post-app-rename-setup",
	"post-app-rename", "git-has-code", "receive-app", "post-config-update",
	"release-and-deploy", "pre-enable-vhost", "pre-disable-vhost", "post-domains-update",
	"app-maybe-create", "core-post-extract", "post-extract", "builder-detect",
	"pre-receive-app", "builder-set-property", "builder-build", "deploy-source-set",
	"deploy", "scheduler-deploy", "pre-start", "post-stop", "proxy-build-config",
	"post-proxy-ports-update", "ps-can-scale", "builds-record-start", "builds-record-finalize",
}

// trigAuditEnv is a scratch root with the recorder installed, `dokku` on
// PATH (the pre-receive hook calls it by name), a fake Docker daemon, and
// the null builder selected globally.
type trigAuditEnv struct {
	*dokkutest.Root
	log string
}

func newTrigAuditEnv(t *testing.T) *trigAuditEnv {
	t.Helper()
	r := dokkutest.New(t)
	binDir := filepath.Join(r.Dir, "bin")
	os.MkdirAll(binDir, 0o755)
	if err := os.Symlink(r.Bin, filepath.Join(binDir, "dokku")); err != nil {
		t.Fatal(err)
	}
	for i, kv := range r.Env {
		if strings.HasPrefix(kv, "PATH=") {
			r.Env[i] = "PATH=" + binDir + ":" + strings.TrimPrefix(kv, "PATH=")
		}
	}
	r.Env = append(r.Env, "DOCKER_HOST="+gitFakeDocker(t))
	log := r.Path("trigger-audit.log")
	files := map[string]string{}
	for _, name := range trigAuditNames {
		// Arguments are bracketed so empty placeholders show; stdin is
		// left alone (later handlers of the same trigger share it).
		files[name] = fmt.Sprintf("#!/bin/sh\nprintf '%%s' %q >> %q\nfor a in \"$@\"; do printf ' [%%s]' \"$a\" >> %q; done\necho >> %q\n", name, log, log, log)
	}
	r.AddPlugin("000-trigger-audit", files)
	r.MustRun("builder:set", "--global", "selected", "null")
	r.MustRun("builder:set", "--global", "skip-cleanup", "true")
	return &trigAuditEnv{Root: r, log: log}
}

// take returns the recorded lines since the last call and resets the log.
func (e *trigAuditEnv) take(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(e.log)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	os.Remove(e.log)
	return string(b)
}

func trigAuditExpect(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s: trigger sequence\n got:\n%s\nwant:\n%s", what, got, want)
	}
}

func TestTriggerContractAppLifecycle(t *testing.T) {
	e := newTrigAuditEnv(t)
	e.MustRun("apps:create", "lc")
	// domains' post-create without a global vhost: disable_app_vhost
	// --no-restart (pre-disable-vhost, quiet config_set NO_VHOST=1).
	trigAuditExpect(t, "apps:create", e.take(t), ""+
		"post-create [lc]\n"+
		"pre-disable-vhost [lc]\n"+
		"post-config-update [lc] [set] [NO_VHOST]\n")

	e.MustRun("apps:destroy", "--force", "lc")
	trigAuditExpect(t, "apps:destroy", e.take(t), ""+
		"pre-delete [lc] [latest]\n"+
		"scheduler-stop [docker-local] [lc] [true]\n"+
		"scheduler-post-delete [docker-local] [lc] [latest]\n"+
		"post-delete [lc] [latest]\n"+
		"scheduler-retire [docker-local] [lc]\n")
}

func TestTriggerContractCloneRename(t *testing.T) {
	e := newTrigAuditEnv(t)
	e.MustRun("apps:create", "orig")
	e.take(t)
	e.MustRun("apps:clone", "orig", "copy")
	trigAuditExpect(t, "apps:clone", e.take(t), ""+
		"post-create [copy]\n"+
		"pre-disable-vhost [copy]\n"+
		"post-config-update [copy] [set] [NO_VHOST]\n"+
		"post-app-clone-setup [orig] [copy]\n"+
		"post-app-clone [orig] [copy]\n"+
		"git-has-code [copy]\n")

	e.MustRun("apps:rename", "copy", "moved")
	trigAuditExpect(t, "apps:rename", e.take(t), ""+
		"post-create [moved]\n"+
		"pre-disable-vhost [moved]\n"+
		"post-config-update [moved] [set] [NO_VHOST]\n"+
		"post-app-rename-setup [copy] [moved]\n"+
		"pre-delete [copy] [latest]\n"+
		"scheduler-stop [docker-local] [copy] [true]\n"+
		"scheduler-post-delete [docker-local] [copy] [latest]\n"+
		"post-delete [copy] [latest]\n"+
		"scheduler-retire [docker-local] [copy]\n"+
		"post-app-rename [copy] [moved]\n"+
		"git-has-code [moved]\n")
}

func TestTriggerContractConfig(t *testing.T) {
	e := newTrigAuditEnv(t)
	e.MustRun("apps:create", "cfg")
	e.take(t)
	e.MustRun("config:set", "cfg", "B=2", "A=1")
	e.MustRun("config:unset", "cfg", "A")
	e.MustRun("config:set", "--global", "G=1")
	e.MustRun("config:unset", "--global", "G")
	e.MustRun("config:clear", "cfg")
	// Keys only (sorted for set, as typed for unset), never values; the
	// global scope is "--global"; the app is not deployed, so no
	// release-and-deploy follows.
	trigAuditExpect(t, "config", e.take(t), ""+
		"post-config-update [cfg] [set] [A] [B]\n"+
		"post-config-update [cfg] [unset] [A]\n"+
		"post-config-update [--global] [set] [G]\n"+
		"post-config-update [--global] [unset] [G]\n"+
		"post-config-update [cfg] [clear]\n")
}

func TestTriggerContractDomainsAdd(t *testing.T) {
	e := newTrigAuditEnv(t)
	e.MustRun("apps:create", "dom")
	e.take(t)
	// vhost disabled (no global domain): domains_add enables it with
	// --no-restart before post-domains-update.
	e.MustRun("domains:add", "dom", "a.example.com", "b.example.com")
	trigAuditExpect(t, "domains:add", e.take(t), ""+
		"pre-enable-vhost [dom]\n"+
		"post-config-update [dom] [set] [NO_VHOST]\n"+
		"post-domains-update [dom] [add] [a.example.com] [b.example.com]\n")
	e.MustRun("domains:remove", "dom", "a.example.com")
	trigAuditExpect(t, "domains:remove", e.take(t), "post-domains-update [dom] [remove] [a.example.com]\n")
}

var trigAuditWorkDir = regexp.MustCompile(`\[[^\]]*/dokku-[0-9]+-git_build_app_repo\.[^\]]*\]`)

func TestTriggerContractGitPush(t *testing.T) {
	e := newTrigAuditEnv(t)
	e.MustRun("apps:create", "push")
	e.take(t)
	src := e.Path("src")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "index.html"), []byte("hi\n"), 0o644)
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = src
		cmd.Env = append(append([]string{}, e.Env...), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q", "-b", "master")
	git("add", "-A")
	git("commit", "-q", "-m", "init")
	rev := git("rev-parse", "HEAD")
	git("push", "-q", filepath.Join(e.Home, "push"), "master")

	got := trigAuditWorkDir.ReplaceAllString(e.take(t), "[<workdir>]")
	got = regexp.MustCompile(`builds-record-start \[push\] \[[0-9a-z-]+\] \[\d+\]`).ReplaceAllString(got, "builds-record-start [push] [<id>] [<pid>]")
	got = regexp.MustCompile(`builds-record-finalize \[push\] \[[0-9a-z-]+\]`).ReplaceAllString(got, "builds-record-finalize [push] [<id>]")
	// pipeline.md §1.1 and runtime.md §9.2: the git-hook capture records
	// the build; GIT_REV is stored quietly (config-set ->
	// post-config-update), git_build_app_repo fires app-maybe-create, then
	// the extraction hooks, builder detection, pre-receive-app,
	// dokku_receive (builder-set-property, builder-build); the null builder
	// makes no image so nothing is released; the deploy lock's release
	// finalizes the record before deploy-source-set, and the capture's end
	// finalizes it again (a no-op: the first terminal status stays).
	trigAuditExpect(t, "git push", got, ""+
		"builds-record-start [push] [<id>] [<pid>] [git-hook]\n"+
		"post-config-update [push] [set] [GIT_REV]\n"+
		"app-maybe-create [push]\n"+
		"core-post-extract [push] [<workdir>] ["+rev+"]\n"+
		"post-extract [push] [<workdir>] ["+rev+"]\n"+
		"builder-detect [push] [<workdir>]\n"+
		"pre-receive-app [push] [null] [<workdir>] ["+rev+"]\n"+
		"builder-set-property [push] [detected] [null]\n"+
		"builder-build [null] [push] [<workdir>]\n"+
		"builds-record-finalize [push] [<id>] [0]\n"+
		"deploy-source-set [push] [git-push] ["+rev+"]\n"+
		"builds-record-finalize [push] [<id>] [0]\n")
}

// TestTriggerContractAnswers pins the output and exit-code contracts of
// triggers core plugins implement (triggers.md "out:" and "answer").
func TestTriggerContractAnswers(t *testing.T) {
	e := newTrigAuditEnv(t)
	e.MustRun("apps:create", "ans")
	e.MustRun("config:set", "--no-restart", "ans", "K=v")
	cases := []struct {
		args         []string
		code         int
		stdout, errs string
	}{
		{[]string{"config-get", "ans", "K"}, 0, "v", ""},
		{[]string{"config-get", "ans", "MISSING"}, 0, "", ""},
		{[]string{"config-get", "--global", "MISSING"}, 0, "", ""},
		{[]string{"ps-current-scale", "ans"}, 0, "web=1", ""},
		{[]string{"proxy-is-enabled", "ans"}, 0, "true\n", ""},
		{[]string{"proxy-type", "ans"}, 0, "nginx\n", ""},
		{[]string{"scheduler-detect", "ans"}, 0, "docker-local\n", ""},
		{[]string{"app-exists", "ans"}, 0, "", ""},
		{[]string{"app-exists", "nope"}, 20, "", " !     App nope does not exist\n"},
		{[]string{"git-has-code", "ans"}, 1, "", ""},
		{[]string{"domains-vhost-enabled", "ans"}, 1, "", ""},
		{[]string{"scheduler-is-deployed", "docker-local", "ans"}, 1, "", ""},
		{[]string{"checks-get-property", "ans", "wait-to-retire"}, 0, "60\n", ""},
		{[]string{"procfile-exists", "ans"}, 1, "", ""},
	}
	for _, c := range cases {
		res := e.Run(append([]string{"plugin:trigger"}, c.args...)...)
		if res.Code != c.code || res.Stdout != c.stdout || res.Stderr != c.errs {
			t.Errorf("trigger %v: got exit %d stdout %q stderr %q; want exit %d stdout %q stderr %q",
				c.args, res.Code, res.Stdout, res.Stderr, c.code, c.stdout, c.errs)
		}
	}
}

// TestTriggerContractDomainsRestartArg: domains-enable/domains-disable
// ($APP $RESTART_APP) restart only when RESTART_APP is "true"; a missing or
// any other value stores NO_VHOST with --no-restart (Dokku's handlers).
func TestTriggerContractDomainsRestartArg(t *testing.T) {
	e := newTrigAuditEnv(t)
	log := e.Path("config-set.log")
	e.AddPlugin("000-trigger-audit-config", map[string]string{
		"config-set": fmt.Sprintf("#!/bin/sh\necho \"config-set $*\" >> %q\n", log),
	})
	e.MustRun("domains:set-global", "example.com")
	e.MustRun("apps:create", "rst")
	read := func() string {
		b, _ := os.ReadFile(log)
		os.Remove(log)
		return string(b)
	}
	read()
	for _, c := range []struct{ trigger, arg, want string }{
		{"domains-disable", "", "config-set --no-restart rst NO_VHOST=1\n"},
		{"domains-enable", "false", "config-set --no-restart rst NO_VHOST=0\n"},
		{"domains-disable", "--no-restart", "config-set --no-restart rst NO_VHOST=1\n"},
		{"domains-enable", "true", "config-set rst NO_VHOST=0\n"},
		{"domains-disable", "true", "config-set rst NO_VHOST=1\n"},
	} {
		args := []string{"plugin:trigger", c.trigger, "rst"}
		if c.arg != "" {
			args = append(args, c.arg)
		}
		e.MustRun(args...)
		if got := read(); got != c.want {
			t.Errorf("%s rst %q: got %q, want %q", c.trigger, c.arg, got, c.want)
		}
	}
}
