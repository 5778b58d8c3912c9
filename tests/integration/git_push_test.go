//go:build integration

package integration

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godokku/dokku/internal/dokkutest"
)

var gitANSI = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

func TestGitIntegrationPushDeploysAndRejects(t *testing.T) {
	g := newGitRoot(t)
	app := g.app(t, "gpush")
	src := g.source(t, "v1\n")

	res := g.git(t, src, "push", g.remote(app), "master")
	if res.code != 0 {
		t.Fatalf("first push:\n%s", res.out)
	}
	out := gitANSI.ReplaceAllString(res.out, "")
	for _, want := range []string{"-----> Building " + app + " from Dockerfile", "-----> Releasing " + app + "...",
		"-----> Deploying " + app + " via the docker-local scheduler...", "=====> Application deployed:"} {
		if !strings.Contains(out, want) {
			t.Errorf("push output lacks %q:\n%s", want, out)
		}
	}
	if got := g.get(t, app); got != "v1\n" {
		t.Fatalf("served %q after the first push", got)
	}

	// A new revision is served after the second push.
	g.commit(t, src, map[string]string{"index.html": "v2\n"})
	if res := g.git(t, src, "push", g.remote(app), "master"); res.code != 0 {
		t.Fatalf("second push:\n%s", res.out)
	}
	if got := g.get(t, app); got != "v2\n" {
		t.Fatalf("served %q after the second push", got)
	}
	head := strings.TrimSpace(g.git(t, src, "rev-parse", "HEAD").out)

	// A failing build is rejected; v2 keeps answering and the branch stays.
	g.commit(t, src, map[string]string{"Dockerfile": "FROM dokku-test/busybox:latest\nRUN exit 3\n"})
	res = g.git(t, src, "push", g.remote(app), "master")
	if res.code == 0 || !strings.Contains(res.out, "App build failed") {
		t.Fatalf("failing build accepted:\n%s", res.out)
	}
	if got := g.get(t, app); got != "v2\n" {
		t.Errorf("served %q after a failed build", got)
	}
	g.git(t, src, "reset", "-q", "--hard", head)

	// A failing healthcheck is rejected too; v2 keeps answering.
	g.commit(t, src, map[string]string{"index.html": "v3\n", "app.json": `{"healthchecks":{"web":[{"type":"startup","name":"content","path":"/index.html","content":"never there","attempts":2,"wait":1,"timeout":1}]}}`})
	res = g.git(t, src, "push", g.remote(app), "master")
	if res.code == 0 {
		t.Fatalf("failing healthcheck accepted:\n%s", res.out)
	}
	if got := g.get(t, app); got != "v2\n" {
		t.Errorf("served %q after a failed healthcheck", got)
	}
	if b, _ := os.ReadFile(filepath.Join(g.Home, app, "refs", "heads", "master")); strings.TrimSpace(string(b)) != head {
		t.Errorf("branch moved to %s after rejected pushes", b)
	}
	g.git(t, src, "reset", "-q", "--hard", head)

	// ps:rebuild redeploys the stored head.
	before := g.webIP(t, app)
	if res := g.Run("ps:rebuild", app); res.Code != 0 {
		t.Fatalf("ps:rebuild: %s", res)
	}
	if got := g.get(t, app); got != "v2\n" {
		t.Errorf("served %q after ps:rebuild", got)
	}
	cid, _ := os.ReadFile(filepath.Join(g.Home, app, "CONTAINER.web.1"))
	if g.webIP(t, app) == before && len(cid) == 0 {
		t.Error("ps:rebuild did not replace the container")
	}
	var recs []map[string]any
	json.Unmarshal([]byte(g.MustRun("builds:list", app, "--format", "json").Stdout), &recs)
	if len(recs) < 5 || recs[0]["source"] != "ps:rebuild" || recs[0]["status"] != "succeeded" {
		t.Errorf("build records: %v", recs)
	}
}

func TestGitIntegrationConfigReachesContainer(t *testing.T) {
	g := newGitRoot(t)
	app := g.app(t, "genv")
	g.MustRun("apps:create", app)
	values := map[string]string{
		"QUOTED":  `it's "quoted"`,
		"SPACED":  "two  words ",
		"DOLLAR":  "$HOME and ${PATH} and $(id) `id`",
		"NEWLINE": "line1\nline2",
	}
	args := []string{"config:set", "--no-restart", app}
	for k, v := range values {
		args = append(args, k+"="+v)
	}
	g.MustRun(args...)
	src := g.source(t, "env\n")
	if res := g.git(t, src, "push", g.remote(app), "master"); res.code != 0 {
		t.Fatalf("push:\n%s", res.out)
	}
	cid := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(g.Home, app, "CONTAINER.web.1")))))
	for k, v := range values {
		out, err := exec.Command("docker", "exec", cid, "sh", "-c", `printf '%s' "$`+k+`"`).Output()
		if err != nil || string(out) != v {
			t.Errorf("%s in the container = %q (%v), want %q", k, out, err, v)
		}
	}
	inspect := string(must(exec.Command("docker", "inspect", "--format", "{{json .Config.Cmd}} {{json .Args}} {{json .Path}} {{json .Config.Entrypoint}}", cid).Output()))
	for _, v := range values {
		if strings.Contains(inspect, strings.Split(v, "\n")[0]) {
			t.Errorf("a config value shows in the container's command: %s", inspect)
		}
	}
	if rev := g.MustRun("config:get", app, "GIT_REV").Stdout; len(strings.TrimSpace(rev)) != 40 {
		t.Errorf("GIT_REV %q", rev)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		return nil
	}
	return b
}

func TestGitIntegrationKilledDeploy(t *testing.T) {
	g := newGitRoot(t)
	app := g.app(t, "gkill")
	src := g.source(t, "v1\n")
	if res := g.git(t, src, "push", g.remote(app), "master"); res.code != 0 {
		t.Fatalf("first push:\n%s", res.out)
	}
	// The second deploy's app never starts answering: its check keeps
	// failing while we kill the deploy halfway.
	g.commit(t, src, map[string]string{"index.html": "v2\n", "app.json": `{"healthchecks":{"web":[{"type":"startup","name":"slow","path":"/missing","attempts":60,"wait":1,"timeout":1}]}}`})
	cmd := exec.Command("git", "push", g.remote(app), "master")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GIT_SSH_COMMAND="+g.sshCommand())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for the pre-flight checks of the new container, then SIGKILL the
	// whole deploy (the git-hook dokku process and everything it started).
	deadline := time.Now().Add(2 * time.Minute)
	var pid int
	for pid == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the deploy did not reach its checks")
		}
		logs, _ := filepath.Glob(filepath.Join(g.Lib, "data", "builds", app, "*.log"))
		for _, l := range logs {
			b, _ := os.ReadFile(l)
			if strings.Contains(string(b), "Attempting pre-flight checks") {
				rec, _ := os.ReadFile(strings.TrimSuffix(l, ".log") + ".json")
				var r struct {
					Status string
					PID    int
				}
				json.Unmarshal(rec, &r)
				if r.Status == "running" {
					pid = r.PID
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	pgid, err := syscall.Getpgid(pid)
	if err != nil {
		t.Fatal(err)
	}
	syscall.Kill(-pgid, syscall.SIGKILL)
	cmd.Wait()
	// The old version keeps answering and the lock does not block.
	if got := g.get(t, app); got != "v1\n" {
		t.Errorf("served %q after the killed deploy", got)
	}
	g.commit(t, src, map[string]string{"index.html": "v3\n", "app.json": `{"healthchecks":{"web":[{"type":"startup","name":"index","path":"/index.html","attempts":20,"wait":1,"timeout":2}]}}`})
	res := g.git(t, src, "push", "--force", g.remote(app), "master")
	if res.code != 0 {
		t.Fatalf("push after the killed deploy:\n%s", res.out)
	}
	if got := g.get(t, app); got != "v3\n" {
		t.Errorf("served %q after the next push", got)
	}
	// The killed build's directory was swept by the next build.
	if left, _ := filepath.Glob(filepath.Join(g.Dir, "tmp", "dokku-*-git_build_app_repo.*")); len(left) != 0 {
		t.Errorf("build directories left: %v", left)
	}
	// The killed build's record was reaped by the next build: failed, exit -1.
	var recs []map[string]any
	json.Unmarshal([]byte(g.MustRun("builds:list", app, "--format", "json").Stdout), &recs)
	if len(recs) != 3 || recs[1]["status"] != "failed" || recs[1]["exit_code"] != float64(-1) {
		t.Errorf("records after the killed deploy: %v", recs)
	}
}

// gitImage builds a local image serving content (no registry: from-image
// finds it present and does not pull).
func gitImage(t *testing.T, tag, content string) {
	t.Helper()
	dir := buildSource(t, map[string]string{
		"Dockerfile": "FROM dokku-test/busybox:latest\nCOPY index.html /www/index.html\nCMD [\"httpd\", \"-f\", \"-p\", \"5000\", \"-h\", \"/www\"]\n",
		"index.html": content,
	})
	if out, err := exec.Command("docker", "build", "-q", "-t", tag, dir).CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("docker", "image", "rm", "-f", tag).Run() })
}

func TestGitIntegrationFromImageAndLoadImage(t *testing.T) {
	g := newGitRoot(t)
	app := g.app(t, "gimg")
	g.MustRun("apps:create", app)
	buildDir := filepath.Join(g.Dir, "extra")
	os.MkdirAll(buildDir, 0o755)
	os.WriteFile(filepath.Join(buildDir, "app.json"), []byte(`{"healthchecks":{"web":[{"type":"startup","name":"index","path":"/index.html","attempts":20,"wait":1,"timeout":2}]}}`), 0o644)

	tag := app + "-src:v1"
	gitImage(t, tag, "from image v1\n")
	res := g.Run("git:from-image", "--build-dir", buildDir, app, tag)
	if res.Code != 0 {
		t.Fatalf("git:from-image: %s", res)
	}
	if got := g.get(t, app); got != "from image v1\n" {
		t.Errorf("served %q", got)
	}
	if got := g.MustRun("git:report", app, "--git-source-image").Stdout; got != tag+"\n" {
		t.Errorf("source-image %q", got)
	}
	if got := g.MustRun("apps:report", app, "--app-deploy-source").Stdout; got != "docker-image\n" {
		t.Errorf("deploy source %q", got)
	}
	dockerfile := string(must(exec.Command("git", "--git-dir", filepath.Join(g.Home, app), "show", "HEAD:Dockerfile").Output()))
	if dockerfile != "FROM "+tag+"\nLABEL com.dokku.docker-image-labeler/alternate-tags=[\""+tag+"\"]\n" {
		t.Errorf("generated Dockerfile:\n%s", dockerfile)
	}
	// The same image again: nothing to commit.
	if res := g.Run("git:from-image", "--build-dir", buildDir, app, tag); res.Code == 0 || !strings.Contains(res.Stderr, "No changes detected, skipping git commit") {
		t.Errorf("unchanged from-image: %s", res)
	}

	// load-image: docker save | dokku git:load-image.
	tag2 := app + "-src:v2"
	gitImage(t, tag2, "loaded v2\n")
	saved := must(exec.Command("docker", "save", tag2).Output())
	exec.Command("docker", "image", "rm", "-f", tag2).Run()
	res = g.RunOpts(dokkutest.Opts{Stdin: string(saved)}, "git:load-image", "--build-dir", buildDir, app, tag2)
	if res.Code != 0 {
		t.Fatalf("git:load-image: %s", res)
	}
	if got := g.get(t, app); got != "loaded v2\n" {
		t.Errorf("served %q after load-image", got)
	}
	if got := g.MustRun("builds:report", app, "--build-source").Stdout; got != "git:load-image\n" {
		t.Errorf("build source %q", got)
	}
	// A later git push clears source-image.
	src := g.source(t, "pushed\n")
	if res := g.git(t, src, "push", "--force", g.remote(app), "master"); res.code != 0 {
		t.Fatalf("push:\n%s", res.out)
	}
	if got := g.MustRun("git:report", app, "--git-source-image").Stdout; got != "\n" {
		t.Errorf("source-image after a push %q", got)
	}
}
