//go:build integration

package integration

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
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

// schedApp creates a uniquely named app and removes its containers and
// images when the test ends.
func schedApp(t *testing.T, r *dokkutest.Root) string {
	t.Helper()
	b := make([]byte, 3)
	rand.Read(b)
	name := "sched-" + hex.EncodeToString(b)
	if res := r.Run("apps:create", name); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	t.Cleanup(func() {
		out, _ := exec.Command("docker", "container", "ls", "-aq", "--filter", "label=com.dokku.app-name="+name).Output()
		if ids := strings.Fields(string(out)); len(ids) > 0 {
			exec.Command("docker", append([]string{"container", "rm", "-f"}, ids...)...).Run()
		}
		out, _ = exec.Command("docker", "image", "ls", "-q", "--filter", "label=com.dokku.app-name="+name).Output()
		for _, id := range strings.Fields(string(out)) {
			exec.Command("docker", "image", "rm", "-f", id).Run()
		}
	})
	return name
}

// schedBuildImage builds dokku/<app>:latest as a release image serving
// body on $PORT with busybox httpd.
func schedBuildImage(t *testing.T, app, body string) {
	t.Helper()
	dir := t.TempDir()
	dockerfile := "FROM " + dokkutest.BaseImageName + "\n" +
		"RUN mkdir -p /www && printf '%s' '" + body + "' > /www/index.html && echo ok > /www/health\n" +
		"LABEL com.dokku.image-stage=release com.dokku.app-name=" + app + " com.dokku.builder-type=dockerfile dokku=\n" +
		`CMD ["/bin/sh", "-c", "exec httpd -f -p ${PORT:-5000} -h /www"]` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("docker", "build", "-q", "-t", "dokku/"+app+":latest", dir)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
}

func schedDeploy(t *testing.T, r *dokkutest.Root, app string, env ...string) *dokkutest.Result {
	t.Helper()
	return r.RunOpts(dokkutest.Opts{Env: env}, "plugin:trigger", "scheduler-deploy", "docker-local", app, "latest")
}

type schedContainer struct {
	ID     string
	Name   string
	Path   string
	Args   []string
	State  struct{ Running bool }
	Config struct {
		Env    []string
		Cmd    []string
		Labels map[string]string
	}
	HostConfig struct {
		Init          *bool
		RestartPolicy struct {
			Name              string
			MaximumRetryCount int
		}
	}
}

func schedInspect(t *testing.T, ref string) *schedContainer {
	t.Helper()
	out, err := exec.Command("docker", "container", "inspect", ref).Output()
	if err != nil {
		return nil
	}
	var cs []schedContainer
	if err := json.Unmarshal(out, &cs); err != nil || len(cs) != 1 {
		t.Fatalf("inspect %s: %v", ref, err)
	}
	return &cs[0]
}

func schedFile(t *testing.T, r *dokkutest.Root, app, name string) string {
	t.Helper()
	b, _ := os.ReadFile(filepath.Join(r.Home, app, name))
	return strings.TrimSpace(string(b))
}

func schedGet(t *testing.T, url string) string {
	t.Helper()
	c := &http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return "error: " + err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// schedWait polls cond for up to d.
func schedWait(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func schedSetProp(t *testing.T, r *dokkutest.Root, plugin, app, key, value string) {
	t.Helper()
	p := filepath.Join(r.Lib, "config", plugin, app, key)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(value), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestSchedIntegrationDeployLifecycle(t *testing.T) {
	dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := schedApp(t, r)
	// keep the default uptime check short; old containers retire after 1s
	schedSetProp(t, r, "checks", "--global", "default-wait", "1")
	r.MustRun("checks:set", app, "wait-to-retire", "1")
	secret := "it's a \"secret\" with $dollar `tick` and\nnewline  spaces"
	r.MustRun("config:set", "--no-restart", app, "SECRET="+secret, "PLAIN=value")

	// a missing image
	res := schedDeploy(t, r, app)
	if res.Code == 0 || res.Stderr != " !     App image (dokku/"+app+":latest) not found\n" {
		t.Fatalf("missing image: %s", res)
	}

	// first deploy
	schedBuildImage(t, app, "version-one")
	start := time.Now()
	res = schedDeploy(t, r, app)
	if res.Code != 0 {
		t.Fatalf("deploy: %s", res)
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("first deploy took %s", d)
	}
	for _, want := range []string{
		"-----> Deploying web (count=1)\n       Attempting pre-flight checks (web.1)\n-----> Executing 2 healthchecks\n",
		"       Running healthcheck name='default' type='uptime' uptime=1\n",
		"       Healthcheck succeeded name='default'\n",
		"       All checks successful (web.1)\n=====> Start of " + app + " container output (",
		"-----> Running post-deploy\n",
		"-----> Renaming containers\n",
	} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("missing %q in\n%s", want, res.Stdout)
		}
	}
	c := schedInspect(t, app+".web.1")
	if c == nil || !c.State.Running {
		t.Fatalf("no running %s.web.1\n%s", app, res)
	}
	labels := c.Config.Labels
	for k, v := range map[string]string{
		"com.dokku.app-name": app, "com.dokku.process-type": "web", "com.dokku.dyno": "web.1",
		"com.dokku.container-type": "deploy", "dokku": "", "org.label-schema.vendor": "dokku", "org.label-schema.schema-version": "1.0",
	} {
		if got, ok := labels[k]; !ok || got != v {
			t.Errorf("label %s = %q want %q", k, got, v)
		}
	}
	env := map[string]string{}
	for _, kv := range c.Config.Env {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	if env["SECRET"] != secret || env["PLAIN"] != "value" || env["DYNO"] != "web.1" || env["PORT"] != "5000" {
		t.Errorf("env %q", c.Config.Env)
	}
	all := c.Path + " " + strings.Join(c.Args, " ") + " " + strings.Join(c.Config.Cmd, " ")
	if strings.Contains(all, "secret") || strings.Contains(all, "dollar") {
		t.Errorf("config value in the command line: %s", all)
	}
	if c.HostConfig.Init == nil || !*c.HostConfig.Init || c.HostConfig.RestartPolicy.Name != "on-failure" || c.HostConfig.RestartPolicy.MaximumRetryCount != 10 {
		t.Errorf("host config %+v", c.HostConfig)
	}
	if schedFile(t, r, app, "CONTAINER.web.1") != c.ID || schedFile(t, r, app, "PORT.web.1") != "5000" {
		t.Errorf("state files: %q %q", schedFile(t, r, app, "CONTAINER.web.1"), schedFile(t, r, app, "PORT.web.1"))
	}
	ip := schedFile(t, r, app, "IP.web.1")
	if got := schedGet(t, "http://"+ip+":5000/"); got != "version-one" {
		t.Fatalf("serving %q", got)
	}
	if out := r.MustRun("ps:report", app, "--status-web.1").Stdout; out != "running (CID: "+c.ID[:11]+")\n" {
		t.Errorf("status %q", out)
	}
	if out := r.MustRun("plugin:trigger", "scheduler-app-status", "docker-local", app).Stdout; out != "1 true\n" {
		t.Errorf("app status %q", out)
	}
	if res := r.Run("plugin:trigger", "scheduler-is-deployed", "docker-local", app); res.Code != 0 {
		t.Errorf("not deployed: %s", res)
	}
	inspectOut := r.MustRun("ps:inspect", app).Stdout
	if strings.Contains(inspectOut, "dollar") || !strings.Contains(inspectOut, `"SECRET=XXXXXX"`) || !strings.Contains(inspectOut, `"DYNO=web.1"`) {
		t.Errorf("ps:inspect not sanitized:\n%s", inspectOut)
	}

	// a redeploy replaces the container and retires the old one
	schedBuildImage(t, app, "version-two")
	res = schedDeploy(t, r, app)
	if res.Code != 0 {
		t.Fatalf("redeploy: %s", res)
	}
	if !strings.Contains(res.Stdout, "       Scheduling old container shutdown in 1 seconds (web.1)\n") ||
		!strings.Contains(res.Stdout, "-----> Shutting down old containers in 1 seconds\n       "+c.ID+"\n") ||
		!regexp.MustCompile(`       Renaming container \(`+c.ID[:12]+`\) `+app+`\.web\.1 to `+app+`\.web\.1\.[0-9]+\n`).MatchString(res.Stdout) {
		t.Errorf("redeploy output:\n%s", res.Stdout)
	}
	c2 := schedInspect(t, app+".web.1")
	if c2 == nil || c2.ID == c.ID || schedFile(t, r, app, "CONTAINER.web.1") != c2.ID {
		t.Fatalf("new container not current")
	}
	ip = schedFile(t, r, app, "IP.web.1")
	if got := schedGet(t, "http://"+ip+":5000/"); got != "version-two" {
		t.Fatalf("serving %q after redeploy", got)
	}
	dead, _ := os.ReadFile(filepath.Join(r.Lib, "data", "scheduler-docker-local", "dead-containers"))
	if !strings.Contains(string(dead), app+" "+c.ID+" ") {
		// the detached retire may already have removed it: then it is gone
		if schedInspect(t, c.ID) != nil {
			t.Errorf("old container not registered: %q", dead)
		}
	}
	schedWait(t, 20*time.Second, "the old container to be removed", func() bool { return schedInspect(t, c.ID) == nil })

	// a failing healthcheck aborts and leaves the running version untouched
	appJSON := filepath.Join(r.Lib, "data", "app-json", app, "app.json")
	os.MkdirAll(filepath.Dir(appJSON), 0o755)
	os.WriteFile(appJSON, []byte(`{"healthchecks":{"web":[{"type":"startup","name":"ready","path":"/nope","attempts":2,"wait":1,"timeout":2}]}}`), 0o644)
	res = schedDeploy(t, r, app)
	if res.Code == 0 {
		t.Fatalf("failing check deployed: %s", res)
	}
	if !strings.Contains(res.Stderr, " !     Failure in name='ready': unexpected status code: 404\n") ||
		!strings.Contains(res.Stderr, " !     Could not start due to 1 failed checks (web.1)\n") ||
		!strings.Contains(res.Stdout, "=====> Start of "+app+" container output (") ||
		!strings.Contains(res.Stdout, "=====> End of "+app+" container output (") {
		t.Errorf("failure output:\n%s", res)
	}
	if schedFile(t, r, app, "CONTAINER.web.1") != c2.ID || schedGet(t, "http://"+ip+":5000/") != "version-two" {
		t.Errorf("running version changed by a failed deploy")
	}
	failed, _ := os.ReadFile(filepath.Join(r.Lib, "data", "scheduler-docker-local", app, "failed-containers"))
	if !strings.HasSuffix(strings.TrimSpace(string(failed)), " web.1") {
		t.Errorf("failed-containers %q", failed)
	}
	failedID := strings.Fields(string(failed))[0]
	schedWait(t, 20*time.Second, "the failed container to be removed", func() bool { return schedInspect(t, failedID) == nil })
	os.WriteFile(appJSON, []byte(`{"healthchecks":{"web":[{"type":"startup","name":"ready","path":"/health","content":"ok"}]}}`), 0o644)
	start = time.Now()
	res = schedDeploy(t, r, app)
	if res.Code != 0 || !strings.Contains(res.Stdout, "       Healthcheck succeeded name='ready'\n") {
		t.Fatalf("deploy with a passing http check: %s", res)
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("deploy with an http check took %s", d)
	}
	os.Remove(appJSON)

	// scale, stop, start, restart
	res = r.Run("ps:scale", app, "web=2")
	if res.Code != 0 || schedInspect(t, app+".web.2") == nil || schedFile(t, r, app, "IP.web.2") == "" {
		t.Fatalf("scale up: %s", res)
	}
	if out := r.MustRun("plugin:trigger", "network-get-listeners", app, "web").Stdout; len(strings.Fields(out)) != 2 {
		t.Errorf("listeners %q", out)
	}
	web2 := schedFile(t, r, app, "CONTAINER.web.2")
	res = r.Run("ps:scale", app, "web=1")
	if res.Code != 0 || schedFile(t, r, app, "CONTAINER.web.2") != "" || schedFile(t, r, app, "IP.web.2") != "" {
		t.Fatalf("scale down: %s", res)
	}
	schedWait(t, 20*time.Second, "web.2 to be retired", func() bool { return schedInspect(t, web2) == nil })

	res = r.Run("ps:stop", app)
	cur := schedFile(t, r, app, "CONTAINER.web.1")
	if res.Code != 0 || res.Stdout != "-----> Stopping "+app+"\n" {
		t.Fatalf("stop: %s", res)
	}
	if c := schedInspect(t, cur); c == nil || c.State.Running {
		t.Fatalf("still running after ps:stop")
	}
	if out := r.MustRun("ps:report", app, "--running").Stdout; out != "false\n" {
		t.Errorf("running %q", out)
	}
	if out := r.MustRun("ps:report", app, "--restore").Stdout; out != "false\n" {
		t.Errorf("restore %q", out)
	}
	res = r.Run("ps:start", app)
	if res.Code != 0 || !strings.Contains(res.Stderr, "App has been detected as not running, releasing") {
		t.Fatalf("start: %s", res)
	}
	if c := schedInspect(t, app+".web.1"); c == nil || !c.State.Running {
		t.Fatalf("not running after ps:start: %s", res)
	}
	before := schedFile(t, r, app, "CONTAINER.web.1")
	res = r.Run("ps:restart", app)
	if res.Code != 0 || schedFile(t, r, app, "CONTAINER.web.1") == before {
		t.Fatalf("restart: %s", res)
	}

	// ps:retire removes registered containers past their deadline
	out, err := exec.Command("docker", "run", "-d", "--init", "--label", "com.dokku.app-name="+app, dokkutest.BaseImageName, "sleep", "300").Output()
	if err != nil {
		t.Fatal(err)
	}
	stray := strings.TrimSpace(string(out))
	r.MustRun("plugin:trigger", "scheduler-register-retired", app, stray, "0")
	time.Sleep(1100 * time.Millisecond) // the deadline is in whole seconds
	// a deploy's delayed retire may be running: ps:retire waits for it
	// briefly and otherwise fails, so try a few times
	for i := 0; i < 10; i++ {
		if res = r.Run("ps:retire"); res.Code == 0 {
			break
		}
	}
	if res.Code != 0 || !strings.Contains(res.Stdout, "-----> Retiring old containers and images\n") {
		t.Fatalf("ps:retire: %s", res)
	}
	if schedInspect(t, stray) != nil {
		t.Fatalf("ps:retire left the container")
	}
	dead, _ = os.ReadFile(filepath.Join(r.Lib, "data", "scheduler-docker-local", "dead-containers"))
	if strings.Contains(string(dead), stray) {
		t.Errorf("retired container still registered")
	}

	// destroy removes every container of the app
	r.MustRun("apps:destroy", app, "--force")
	if out, _ := exec.Command("docker", "container", "ls", "-aq", "--filter", "label=com.dokku.app-name="+app, "--filter", "label=com.dokku.container-type=deploy").Output(); strings.TrimSpace(string(out)) != "" {
		t.Errorf("containers left after destroy: %s", out)
	}
}

func TestSchedIntegrationProcfileWorker(t *testing.T) {
	dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := schedApp(t, r)
	schedSetProp(t, r, "checks", "--global", "default-wait", "1")
	r.MustRun("checks:set", app, "wait-to-retire", "1")
	r.MustRun("config:set", "--no-restart", app, "SECRET=s3cr3t value")
	schedBuildImage(t, app, "procfile")
	procfile := "web: httpd -f -p $PORT -h /www\nworker: /bin/sh -c 'echo \"got:$SECRET:$DYNO\"; exec sleep 300'\n"
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Procfile"), []byte(procfile), 0o644)
	pid := []string{"DOKKU_PID=777"}
	if res := r.RunOpts(dokkutest.Opts{Env: pid}, "plugin:trigger", "core-post-extract", app, dir, "rev"); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	r.MustRun("ps:scale", "--skip-deploy", app, "web=1", "worker=2")
	res := schedDeploy(t, r, app, pid...)
	if res.Code != 0 {
		t.Fatalf("deploy: %s", res)
	}
	if !strings.Contains(res.Stdout, "-----> Deploying web (count=1)\n") || !strings.Contains(res.Stdout, "-----> Deploying worker (count=2)\n") {
		t.Errorf("output:\n%s", res.Stdout)
	}
	if _, err := os.Stat(filepath.Join(r.Lib, "data", "ps", app, "Procfile")); err != nil {
		t.Errorf("Procfile not promoted: %v", err)
	}
	web := schedInspect(t, app+".web.1")
	if web == nil || strings.Join(web.Config.Cmd, " ") != "httpd -f -p 5000 -h /www" {
		t.Fatalf("web cmd %+v", web)
	}
	for _, n := range []string{"1", "2"} {
		w := schedInspect(t, app+".worker."+n)
		if w == nil {
			t.Fatalf("no worker.%s", n)
		}
		cmd := strings.Join(w.Config.Cmd, " ")
		if strings.Contains(cmd, "s3cr3t") || !strings.Contains(cmd, "${SECRET}") {
			t.Errorf("worker cmd %q", cmd)
		}
		want := "got:s3cr3t value:worker." + n
		schedWait(t, 10*time.Second, "worker output", func() bool {
			out, _ := exec.Command("docker", "logs", w.ID).CombinedOutput()
			return strings.Contains(string(out), want)
		})
		if schedFile(t, r, app, "PORT.worker."+n) != "" {
			t.Errorf("a worker got a PORT file")
		}
	}
	// scaling the worker to 0 retires its containers and state
	if res := r.Run("ps:scale", app, "worker=0"); res.Code != 0 || schedFile(t, r, app, "CONTAINER.worker.1") != "" {
		t.Fatalf("scale worker=0: %s", res)
	}
	// checks:run runs the web checks against the running container
	res = r.Run("checks:run", app, "web")
	if res.Code != 0 || !strings.Contains(res.Stdout, "-----> Running checks for app ("+app+".web.1)\n") || !strings.Contains(res.Stdout, "All checks successful (web.1)") {
		t.Errorf("checks:run: %s", res)
	}
	// checks disabled: old containers are stopped before the new one starts
	r.MustRun("checks:disable", app, "web")
	old := schedFile(t, r, app, "CONTAINER.web.1")
	res = r.Run("ps:restart", app, "web")
	if res.Code != 0 || !strings.Contains(res.Stdout, "       Zero downtime is disabled, stopping currently running containers  (web)\n       Stopping "+old+" (web)\n") || strings.Contains(res.Stdout, "Attempting pre-flight checks") {
		t.Errorf("disabled checks restart: %s", res)
	}
}

func TestSchedIntegrationInterruptedDeploy(t *testing.T) {
	dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := schedApp(t, r)
	schedSetProp(t, r, "checks", "--global", "default-wait", "1")
	r.MustRun("checks:set", app, "wait-to-retire", "1")
	schedBuildImage(t, app, "stable")
	if res := schedDeploy(t, r, app); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	stable := schedFile(t, r, app, "CONTAINER.web.1")
	// the next deploy is killed while its checks run
	schedSetProp(t, r, "checks", "--global", "default-wait", "30")
	cmd := exec.Command(r.Bin, "plugin:trigger", "scheduler-deploy", "docker-local", app, "latest")
	cmd.Env = r.Env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	schedWait(t, 20*time.Second, "the upcoming container", func() bool {
		out, _ := exec.Command("docker", "container", "ls", "-q", "--filter", "label=com.dokku.app-name="+app, "--filter", "name=upcoming").Output()
		return strings.TrimSpace(string(out)) != ""
	})
	// SIGKILL the whole process group: no cleanup can run
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
	if schedFile(t, r, app, "CONTAINER.web.1") != stable {
		t.Fatalf("state changed by the killed deploy")
	}
	if c := schedInspect(t, stable); c == nil || !c.State.Running {
		t.Fatalf("the running container was touched")
	}
	// the next deploy is not blocked and cleans up the leftover container
	schedSetProp(t, r, "checks", "--global", "default-wait", "1")
	res := schedDeploy(t, r, app)
	if res.Code != 0 {
		t.Fatalf("deploy after a killed one: %s", res)
	}
	out, _ := exec.Command("docker", "container", "ls", "-aq", "--filter", "label=com.dokku.app-name="+app, "--filter", "name=upcoming").Output()
	if strings.TrimSpace(string(out)) != "" {
		t.Errorf("upcoming containers left: %s", out)
	}
}

func TestSchedIntegrationImageProcfile(t *testing.T) {
	dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := schedApp(t, r)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM "+dokkutest.BaseImageName+"\nWORKDIR /app\n"+
		"RUN printf 'web: httpd -f -p $PORT\\nworker: sleep 100\\n' > Procfile && printf '/ ok\\n' > CHECKS\n"+
		"LABEL com.dokku.app-name="+app+"\n"), 0o644)
	image := "dokku/" + app + ":source"
	cmd := exec.Command("docker", "build", "-q", "-t", image, dir)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	schedSetProp(t, r, "git", app, "source-image", image)
	pid := dokkutest.Opts{Env: []string{"DOKKU_PID=888"}}
	if res := r.RunOpts(pid, "plugin:trigger", "core-post-extract", app, t.TempDir(), "rev"); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	got, _ := os.ReadFile(filepath.Join(r.Lib, "data", "ps", app, "Procfile.888"))
	if string(got) != "web: httpd -f -p $PORT\nworker: sleep 100\n" {
		t.Errorf("Procfile from image %q", got)
	}
	got, _ = os.ReadFile(filepath.Join(r.Lib, "data", "scheduler-docker-local", app, "CHECKS.888"))
	if string(got) != "/ ok\n" {
		t.Errorf("CHECKS from image %q", got)
	}
}
