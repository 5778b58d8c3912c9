//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestPushDeploy: git push over the real sshd deploys a Dockerfile app that
// nginx serves; a second push is served with no failed request; a failing
// build and a failing healthcheck are rejected while the previous version
// keeps answering; ps:rebuild redeploys the stored head; clone works.
func TestPushDeploy(t *testing.T) {
	k := pushKey(t)
	app, host := pushHost(t)
	src := pushSource(t, k, "v1\n")

	res := pushGit(t, k, src, "push", pushRemote(app), "master")
	if res.Code != 0 {
		t.Fatalf("first push:\n%s", res)
	}
	out := pushPlain(res.Stderr)
	for _, want := range []string{
		"-----> Cleaning up...",
		"-----> Building " + app + " from Dockerfile",
		"-----> Releasing " + app + "...",
		"=====> Processing deployment checks",
		"-----> Deploying " + app + " via the docker-local scheduler...",
		"       All checks successful (web.1)",
		"=====> Application deployed:",
		"       http://" + host,
		" * [new branch]      master -> master",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("push output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(res.Stderr, "remote: \x1b[1G-----> Building "+app+" from Dockerfile") {
		t.Errorf("build lines do not overwrite git's remote: prefix:\n%q", res.Stderr)
	}
	pushServes(t, host, "v1\n")
	rev := strings.TrimSpace(pushGit(t, k, src, "rev-parse", "HEAD").Stdout)
	if got := MustDokku(t, "config:get", app, "GIT_REV").Stdout; got != rev+"\n" {
		t.Errorf("GIT_REV %q, want %s", got, rev)
	}

	// Zero downtime: v1 or v2, never an error, while v2 replaces v1.
	pushCommit(t, k, src, map[string]string{"index.html": "v2\n"})
	load := pushStartLoad(host, "v1\n", "v2\n")
	res = pushGit(t, k, src, "push", pushRemote(app), "master")
	time.Sleep(200 * time.Millisecond)
	ok, failed, failures := load.Stop()
	if res.Code != 0 {
		t.Fatalf("second push:\n%s", res)
	}
	t.Logf("requests during the redeploy: %d ok, %d failed", ok, failed)
	if failed != 0 || ok < 20 {
		t.Errorf("requests during the redeploy: %d ok, %d failed: %v", ok, failed, failures)
	}
	pushServes(t, host, "v2\n")
	good := strings.TrimSpace(pushGit(t, k, src, "rev-parse", "HEAD").Stdout)

	// A failing build: rejected, v2 keeps answering, the branch stays.
	pushCommit(t, k, src, map[string]string{"Dockerfile": "FROM " + BaseImage(t) + "\nRUN exit 7\n"})
	res = pushGit(t, k, src, "push", pushRemote(app), "master")
	if res.Code == 0 || !strings.Contains(pushPlain(res.Stderr), " !     App build failed") {
		t.Errorf("failing build:\n%s", res)
	}
	pushServes(t, host, "v2\n")
	if pushHead(t, app) != good {
		t.Errorf("the branch moved on a failed build")
	}
	pushGit(t, k, src, "reset", "-q", "--hard", good)

	// A failing healthcheck: rejected, v2 keeps answering.
	pushCommit(t, k, src, map[string]string{
		"index.html": "v3\n",
		"app.json":   `{"healthchecks":{"web":[{"type":"startup","name":"never","path":"/index.html","content":"not there","attempts":2,"wait":1,"timeout":1}]}}`,
	})
	res = pushGit(t, k, src, "push", pushRemote(app), "master")
	if res.Code == 0 || !strings.Contains(pushPlain(res.Stderr), "failed checks (web.1)") {
		t.Errorf("failing healthcheck:\n%s", res)
	}
	pushServes(t, host, "v2\n")
	if pushHead(t, app) != good {
		t.Errorf("the branch moved on a failed healthcheck")
	}
	pushGit(t, k, src, "reset", "-q", "--hard", good)

	// ps:rebuild redeploys the stored head in a new container.
	before := pushContainer(t, app)
	if res := Dokku(t, "ps:rebuild", app); res.Code != 0 {
		t.Fatalf("ps:rebuild:\n%s", res)
	}
	if after := pushContainer(t, app); after == before {
		t.Error("ps:rebuild kept the old container")
	}
	pushServes(t, host, "v2\n")

	// git clone over ssh.
	clone := filepath.Join(t.TempDir(), "clone")
	if res := pushGit(t, k, "", "clone", "-q", pushRemote(app), clone); res.Code != 0 {
		t.Fatalf("clone:\n%s", res)
	}
	if b, _ := os.ReadFile(filepath.Join(clone, "index.html")); string(b) != "v2\n" {
		t.Errorf("cloned index.html %q", b)
	}

	// The builds were recorded, newest first.
	var recs []map[string]any
	if err := json.Unmarshal([]byte(MustDokku(t, "builds:list", app, "--format", "json").Stdout), &recs); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || recs[0]["source"] != "ps:rebuild" || recs[0]["status"] != "succeeded" || recs[1]["status"] != "failed" {
		t.Errorf("build records: %v", recs)
	}
}

// TestPushCreatesApp: the first push to an unknown app creates it.
func TestPushCreatesApp(t *testing.T) {
	k := pushKey(t)
	app := App(t)
	src := pushSource(t, k, "auto\n")
	if res := pushGit(t, k, src, "push", pushRemote(app), "master"); res.Code != 0 {
		t.Fatalf("push:\n%s", res)
	}
	ExpectCode(t, Dokku(t, "apps:exists", app), 0)
	AssertOwnerMode(t, filepath.Join(DokkuRoot, app, "hooks", "pre-receive"), DokkuUser, DokkuGroup, 0o755)
	if got := MustDokku(t, "apps:report", app, "--app-deploy-source").Stdout; got != "git-push\n" {
		t.Errorf("deploy source %q", got)
	}
}

// TestPushConcurrent: of two pushes to one app at once, one deploys and the
// other is refused with Dokku's lock message; the repository is intact.
func TestPushConcurrent(t *testing.T) {
	k := pushKey(t)
	app, host := pushHost(t)
	src := pushSource(t, k, "base\n")
	if res := pushGit(t, k, src, "push", pushRemote(app), "master"); res.Code != 0 {
		t.Fatalf("push:\n%s", res)
	}
	other := filepath.Join(t.TempDir(), "other")
	pushGit(t, k, "", "clone", "-q", pushRemote(app), other)
	// The first deploy takes a while (its build sleeps), the second arrives
	// while it holds the deploy lock.
	pushCommit(t, k, src, map[string]string{"index.html": "first\n", "Dockerfile": "FROM " + BaseImage(t) +
		"\nCOPY index.html /www/index.html\nRUN sleep 3\nCMD [\"httpd\", \"-f\", \"-p\", \"5000\", \"-h\", \"/www\"]\n"})
	pushCommit(t, k, other, map[string]string{"index.html": "second\n"})
	var first *Result
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); first = pushGit(t, k, src, "push", pushRemote(app), "master") }()
	lock := filepath.Join(LibRoot, "data", "apps", app, ".deploy.lock")
	Eventually(t, time.Minute, "the first deploy to take the lock", func() (bool, string) {
		_, err := os.Stat(lock)
		return err == nil, "no lock file"
	})
	second := pushGit(t, k, other, "push", pushRemote(app), "master")
	wg.Wait()
	if first.Code != 0 {
		t.Fatalf("first push:\n%s", first)
	}
	out := pushPlain(second.Stderr)
	if second.Code == 0 || !strings.Contains(out, " !     "+app+" currently has a deploy lock in place. Exiting...\n") ||
		!strings.Contains(out, " !     Run 'apps:unlock' to release the existing deploy lock\n") {
		t.Fatalf("second push:\n%s", second)
	}
	pushServes(t, host, "first\n")
	if res := Run(t, Opts{}, "git", "--git-dir", filepath.Join(DokkuRoot, app), "fsck", "--no-progress"); res.Code != 0 {
		t.Errorf("repository corrupted:\n%s", res)
	}
}

// TestPushKilledDeploy: a deploy SIGKILLed halfway leaves the previous
// version serving and the next push deploys.
func TestPushKilledDeploy(t *testing.T) {
	k := pushKey(t)
	app, host := pushHost(t)
	src := pushSource(t, k, "before\n")
	if res := pushGit(t, k, src, "push", pushRemote(app), "master"); res.Code != 0 {
		t.Fatalf("push:\n%s", res)
	}
	// This version never passes its check: the deploy waits in it.
	pushCommit(t, k, src, map[string]string{"index.html": "killed\n", "app.json": `{"healthchecks":{"web":[{"type":"startup","name":"slow","path":"/missing","attempts":60,"wait":1,"timeout":1}]}}`})
	cmd := exec.Command("git", "push", pushRemote(app), "master")
	cmd.Dir = src
	cmd.Env = append(loginEnv(false), "GIT_SSH_COMMAND="+k.GitSSHCommand())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	Eventually(t, 2*time.Minute, "the deploy to reach its checks", func() (bool, string) {
		logs, _ := filepath.Glob(filepath.Join(LibRoot, "data", "builds", app, "*.log"))
		for _, l := range logs {
			b, _ := os.ReadFile(l)
			var rec struct {
				Status string
				PID    int
			}
			j, _ := os.ReadFile(strings.TrimSuffix(l, ".log") + ".json")
			json.Unmarshal(j, &rec)
			if rec.Status == "running" && strings.Contains(string(b), "Attempting pre-flight checks") {
				pid = rec.PID
				return true, ""
			}
		}
		return false, "no running deploy in its checks"
	})
	pgid, err := syscall.Getpgid(pid)
	if err != nil {
		t.Fatal(err)
	}
	if pgid <= 1 {
		t.Fatalf("unexpected process group %d", pgid)
	}
	syscall.Kill(-pgid, syscall.SIGKILL)
	cmd.Wait()
	pushServes(t, host, "before\n")

	pushCommit(t, k, src, map[string]string{"index.html": "after\n", "app.json": pushAppJSON})
	if res := pushGit(t, k, src, "push", pushRemote(app), "master"); res.Code != 0 {
		t.Fatalf("push after the killed deploy:\n%s", res)
	}
	pushServes(t, host, "after\n")
}

// TestPushConfigValues: config values with quotes, spaces, $ and newlines
// reach the container exactly and never show in a command line.
func TestPushConfigValues(t *testing.T) {
	k := pushKey(t)
	app, host := pushHost(t)
	values := map[string]string{
		"E2E_QUOTES":  `it's "quoted"`,
		"E2E_SPACES":  "  two  words  ",
		"E2E_DOLLAR":  "$HOME ${PATH} $(id) `id`",
		"E2E_NEWLINE": "first line\nsecond line",
	}
	args := []string{"config:set", "--no-restart", app}
	for key, v := range values {
		args = append(args, key+"="+v)
	}
	MustDokku(t, args...)
	// Watch every command line while the deploy runs.
	stop := make(chan struct{})
	leaked := make(chan string, 1)
	go func() {
		for {
			select {
			case <-stop:
				close(leaked)
				return
			default:
			}
			procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
			for _, p := range procs {
				b, _ := os.ReadFile(p)
				line := strings.ReplaceAll(string(b), "\x00", " ")
				for _, v := range values {
					if strings.Contains(line, strings.Split(strings.TrimSpace(v), "\n")[0]) {
						select {
						case leaked <- line:
						default:
						}
					}
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	src := pushSource(t, k, "env\n")
	res := pushGit(t, k, src, "push", pushRemote(app), "master")
	close(stop)
	if l := <-leaked; l != "" {
		t.Errorf("a config value was on a command line: %q", l)
	}
	if res.Code != 0 {
		t.Fatalf("push:\n%s", res)
	}
	pushServes(t, host, "env\n")
	cid := pushContainer(t, app)
	for key, v := range values {
		got := pushDockerOut(t, "exec", cid, "sh", "-c", `printf '%s' "$`+key+`"`)
		if got != v {
			t.Errorf("%s = %q in the container, want %q", key, got, v)
		}
	}
	var insp []struct {
		Path   string
		Args   []string
		Config struct{ Cmd, Entrypoint []string }
	}
	json.Unmarshal([]byte(pushDockerOut(t, "inspect", cid)), &insp)
	if len(insp) != 1 {
		t.Fatal("docker inspect")
	}
	all := insp[0].Path + " " + strings.Join(insp[0].Args, " ") + " " + strings.Join(insp[0].Config.Cmd, " ") + " " + strings.Join(insp[0].Config.Entrypoint, " ")
	for _, v := range values {
		if strings.Contains(all, strings.Split(strings.TrimSpace(v), "\n")[0]) {
			t.Errorf("a config value is in the container's command: %s", all)
		}
	}

	// config:set without --no-restart redeploys a deployed app (the
	// config-redeploy source): a new container carries the new value.
	res = MustDokku(t, "config:set", app, "E2E_LATER=set later")
	if !strings.Contains(res.Stdout, "-----> Releasing "+app+"...") || !strings.Contains(res.Stdout, "=====> Application deployed:") {
		t.Errorf("config:set did not redeploy:\n%s", res)
	}
	after := pushContainer(t, app)
	if after == cid {
		t.Error("config:set kept the old container")
	}
	if got := pushDockerOut(t, "exec", after, "sh", "-c", `printf '%s' "$E2E_LATER"`); got != "set later" {
		t.Errorf("E2E_LATER = %q after config:set", got)
	}
	pushServes(t, host, "env\n")
}

// TestPushRefusesBadNames: paths and shell syntax in the pushed name are
// refused and nothing is created.
func TestPushRefusesBadNames(t *testing.T) {
	k := pushKey(t)
	src := pushSource(t, k, "x\n")
	list := func(dir string) string {
		ents, _ := os.ReadDir(dir)
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		return strings.Join(names, " ")
	}
	before, beforeParent := list(DokkuRoot), list(filepath.Dir(DokkuRoot))
	for _, name := range []string{"../x", "';id;'", "$(id)", "`id`", "../../tmp/x", RunPrefix + "-UPPER"} {
		res := pushGit(t, k, src, "push", pushRemote(name), "master")
		if res.Code == 0 {
			t.Errorf("push to %q accepted:\n%s", name, res)
		}
		if strings.Contains(res.Stdout+res.Stderr, "uid=") {
			t.Errorf("push to %q ran id:\n%s", name, res)
		}
	}
	if after := list(DokkuRoot); after != before {
		t.Errorf("%s changed:\nbefore %s\nafter  %s", DokkuRoot, before, after)
	}
	if after := list(filepath.Dir(DokkuRoot)); after != beforeParent {
		t.Errorf("%s changed", filepath.Dir(DokkuRoot))
	}
}
