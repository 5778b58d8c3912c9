//go:build integration

package integration

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
	"github.com/godokku/dokku/internal/pipeline"
)

func TestBuildIntegrationPredeploy(t *testing.T) {
	base := dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := buildApp(t, r, "bpre")
	buildSetProp(t, r, "ps", app, "skip-deploy", "true")
	r.MustRun("config:set", "--no-restart", app, "TASK_VALUE=it's $set")
	dir := buildSource(t, map[string]string{
		"Dockerfile": "FROM " + base + "\nCMD [\"httpd\", \"-f\", \"-p\", \"5000\"]\n",
		"app.json":   `{"scripts": {"dokku": {"predeploy": "echo \"predeploy ran with $TASK_VALUE\" && touch /predeploy-marker"}}}`,
	})
	ctx := newBuildCtx(t, r)
	if err := pipeline.TriggerBuild(ctx.Context, app, dir, "rev"); err != nil {
		t.Fatalf("%v\n%s", err, ctx)
	}
	out := ctx.out.String()
	re := regexp.MustCompile(`-----> Checking for predeploy task\n       Executing predeploy task from app.json: .*\n=====> Start of ` + app + ` predeploy task \(([0-9a-f]{9})\) output\n       predeploy ran with it's \$set\n=====> End of ` + app + ` predeploy task \(([0-9a-f]{9})\) output\n`)
	m := re.FindStringSubmatch(out)
	if m == nil || m[1] != m[2] {
		t.Fatalf("predeploy output:\n%s", ctx)
	}
	img := buildInspect(t, "dokku/"+app+":latest")
	labels := buildLabels(img)
	if labels["com.dokku.predeploy-phase"] != "true" || labels["com.dokku.image-stage"] != "release" {
		t.Errorf("labels %v", labels)
	}
	cmd := img["Config"].(map[string]any)["Cmd"].([]any)
	if len(cmd) != 4 || cmd[0] != "httpd" {
		t.Errorf("the image CMD must survive the commit: %v", cmd)
	}
	if o, err := exec.Command("docker", "run", "--rm", "dokku/"+app+":latest", "ls", "/predeploy-marker").CombinedOutput(); err != nil {
		t.Errorf("predeploy effect not committed: %v %s", err, o)
	}
	// task containers are removed
	if o, _ := exec.Command("docker", "container", "ls", "-aq", "--filter", "label=dokku_phase_script=predeploy", "--filter", "label=com.dokku.app-name="+app).Output(); len(strings.TrimSpace(string(o))) > 0 {
		t.Errorf("task containers left: %s", o)
	}
	// no release task without a Procfile entry, no postdeploy scripts
	if !strings.Contains(out, "-----> Checking for release task\n       No release task found, skipping\n") {
		t.Errorf("release task check missing:\n%s", out)
	}
}

func TestBuildIntegrationPredeployFailure(t *testing.T) {
	base := dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := buildApp(t, r, "bprefail")
	buildSetProp(t, r, "ps", app, "skip-deploy", "true")
	dir := buildSource(t, map[string]string{
		"Dockerfile": "FROM " + base + "\n",
		"app.json":   `{"scripts": {"dokku": {"predeploy": "echo about to fail; exit 7"}}}`,
	})
	ctx := newBuildCtx(t, r)
	err := pipeline.TriggerBuild(ctx.Context, app, dir, "rev")
	if err == nil {
		t.Fatalf("a failing predeploy must fail the release\n%s", ctx)
	}
	if !strings.Contains(ctx.errb.String(), " !     Execution of predeploy task failed: echo about to fail; exit 7\n") {
		t.Errorf("failure message:\n%s", ctx)
	}
	if !strings.Contains(ctx.out.String(), "       about to fail\n") || strings.Contains(ctx.out.String(), "Skipping deployment") {
		t.Errorf("output:\n%s", ctx)
	}
	if buildLabels(buildInspect(t, "dokku/"+app+":latest"))["com.dokku.image-stage"] == "release" {
		t.Error("the image must not be released")
	}
	if o, _ := exec.Command("docker", "container", "ls", "-aq", "--filter", "label=com.dokku.app-name="+app).Output(); len(strings.TrimSpace(string(o))) > 0 {
		t.Errorf("task containers left: %s", o)
	}
}

func TestBuildIntegrationCleanup(t *testing.T) {
	base := dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := buildApp(t, r, "bclean")
	out, err := exec.Command("docker", "container", "create", "--label", "dokku", "--label", "com.dokku.app-name="+app, base, "true").Output()
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSpace(string(out))
	if o, err := exec.Command("docker", "container", "start", "-a", id).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, o)
	}
	res := r.MustRun("cleanup", app)
	if res.Stdout != "-----> Cleaning up...\n" {
		t.Fatalf("%s", res)
	}
	if exec.Command("docker", "container", "inspect", id).Run() == nil {
		t.Fatal("the exited container must be removed")
	}
	res = r.Run("cleanup", "no-such-app")
	if res.Code != 20 {
		t.Fatalf("%s", res)
	}
}

func TestBuildIntegrationAppJSONLifecycle(t *testing.T) {
	base := dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := buildApp(t, r, "blife")
	buildSetProp(t, r, "ps", app, "skip-deploy", "true")
	canScale := buildRecorder(r, "ps-can-scale")
	setScale := buildRecorder(r, "ps-set-scale")
	dir := buildSource(t, map[string]string{
		"Dockerfile": "FROM " + base + "\nCMD [\"sleep\", \"1\"]\n",
		"app.json": `{
		  "env": {"FROM_APPJSON": "default value", "TOKEN": {"generator": "secret"}, "OPTIONAL": {"required": false}},
		  "formation": {"web": {"quantity": 2}, "worker": {"quantity": 0}},
		  "scripts": {"dokku": {"predeploy": "echo \"pre sees $FROM_APPJSON\"", "postdeploy": "echo \"post sees $FROM_APPJSON\""},
		              "postdeploy": "echo first deploy only"}
		}`,
	})
	ctx := newBuildCtx(t, r)
	if err := pipeline.TriggerBuild(ctx.Context, app, dir, "rev"); err != nil {
		t.Fatalf("%v\n%s", err, ctx)
	}
	out := ctx.out.String()
	for _, want := range []string{
		"-----> Processing app.json env vars\n-----> Setting 2 env var(s) from app.json\n",
		"       pre sees default value\n",
		"-----> Checking for heroku.postdeploy task\n       Executing heroku.postdeploy task from app.json in ephemeral container: echo first deploy only\n",
		"       first deploy only\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, ctx)
		}
	}
	if res := r.MustRun("config:get", app, "FROM_APPJSON"); res.Stdout != "default value\n" {
		t.Errorf("config %s", res)
	}
	if res := r.MustRun("config:get", app, "TOKEN"); len(strings.TrimSpace(res.Stdout)) != 64 {
		t.Errorf("generated secret %q", res.Stdout)
	}
	if b, _ := os.ReadFile(canScale); string(b) != app+" false\n" {
		t.Errorf("ps-can-scale %q", b)
	}
	if b, _ := os.ReadFile(setScale); string(b) != app+" true true web=2 worker=0\n" {
		t.Errorf("ps-set-scale %q", b)
	}

	// the deploy promotes app.json (app-json's part of core-post-deploy;
	// the proxy's part needs nginx); post-deploy runs the postdeploy script
	ctx = newBuildCtx(t, r)
	if err := ctx.Registry.Get("app-json").Triggers["core-post-deploy"](ctx.Context, []string{app, "", "", "latest"}); err != nil {
		t.Fatal(err)
	}
	if err := ctx.Trigger("post-deploy", app, "", "", "latest"); err != nil {
		t.Fatalf("%v\n%s", err, ctx)
	}
	if !strings.Contains(ctx.out.String(), "-----> Checking for postdeploy task\n") || !strings.Contains(ctx.out.String(), "       post sees default value\n") {
		t.Errorf("postdeploy:\n%s", ctx)
	}

	// a second release: env is not reprocessed, the first-deploy script
	// does not run again
	ctx = newBuildCtx(t, r)
	if err := pipeline.ReleaseAndDeploy(ctx.Context, app, "", ""); err != nil {
		t.Fatalf("%v\n%s", err, ctx)
	}
	if strings.Contains(ctx.out.String(), "first deploy only") || strings.Contains(ctx.out.String(), "Setting") {
		t.Errorf("second release:\n%s", ctx)
	}
}

func TestBuildIntegrationReleaseTask(t *testing.T) {
	base := dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	ctx := newBuildCtx(t, r)
	if !ctx.TriggerExists("procfile-get-command") {
		t.Skip("no plugin answers procfile-get-command yet")
	}
	app := buildApp(t, r, "brel")
	buildSetProp(t, r, "ps", app, "skip-deploy", "true")
	dir := buildSource(t, map[string]string{
		"Dockerfile": "FROM " + base + "\n",
		"Procfile":   "web: httpd -f -p $PORT\nrelease: echo release task ran\n",
	})
	if err := pipeline.TriggerBuild(ctx.Context, app, dir, "rev"); err != nil {
		t.Fatalf("%v\n%s", err, ctx)
	}
	if !strings.Contains(ctx.out.String(), "       Executing release task from Procfile in ephemeral container: echo release task ran\n") ||
		!strings.Contains(ctx.out.String(), "       release task ran\n") {
		t.Fatalf("release task:\n%s", ctx)
	}
}

func TestBuildIntegrationPredeployCommitKeepsProcess(t *testing.T) {
	base := dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	process := func(ref string) (string, string) {
		cfg := buildInspect(t, ref)["Config"].(map[string]any)
		ep, _ := json.Marshal(cfg["Entrypoint"])
		cmd, _ := json.Marshal(cfg["Cmd"])
		return string(ep), string(cmd)
	}

	// no ENTRYPOINT, no CMD: the task's shell command must not stick
	plain := buildApp(t, r, "bplain")
	buildSetProp(t, r, "ps", plain, "skip-deploy", "true")
	dir := buildSource(t, map[string]string{
		"Dockerfile": "FROM " + base + "\n",
		"app.json":   `{"scripts": {"dokku": {"predeploy": "touch /m1"}}}`,
	})
	ctx := newBuildCtx(t, r)
	if err := pipeline.TriggerBuild(ctx.Context, plain, dir, "rev"); err != nil {
		t.Fatalf("%v\n%s", err, ctx)
	}
	if ep, cmd := process("dokku/" + plain + ":latest"); (ep != "null" && ep != "[]") || (cmd != "null" && cmd != "[]") {
		t.Errorf("entrypoint %s cmd %s", ep, cmd)
	}

	// an ENTRYPOINT receives the task's words and survives the commit
	ent := buildApp(t, r, "bentry")
	buildSetProp(t, r, "ps", ent, "skip-deploy", "true")
	dir = buildSource(t, map[string]string{
		"Dockerfile": "FROM " + base + "\nCOPY entry.sh /entry.sh\nRUN chmod +x /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"serve\", \"now\"]\n",
		"entry.sh":   "#!/bin/sh\necho \"entry got: $*\"\nexec \"$@\"\n",
		"app.json":   `{"scripts": {"dokku": {"predeploy": "touch '/m 2'"}}}`,
	})
	ctx = newBuildCtx(t, r)
	if err := pipeline.TriggerBuild(ctx.Context, ent, dir, "rev"); err != nil {
		t.Fatalf("%v\n%s", err, ctx)
	}
	if !strings.Contains(ctx.out.String(), "       entry got: touch /m 2\n") {
		t.Errorf("output:\n%s", ctx)
	}
	if ep, cmd := process("dokku/" + ent + ":latest"); ep != `["/entry.sh"]` || cmd != `["serve","now"]` {
		t.Errorf("entrypoint %s cmd %s", ep, cmd)
	}
	if o, err := exec.Command("docker", "run", "--rm", "--entrypoint", "ls", "dokku/"+ent+":latest", "/m 2").CombinedOutput(); err != nil {
		t.Errorf("not committed: %v %s", err, o)
	}
}

func TestBuildIntegrationAppJSONFromImage(t *testing.T) {
	base := dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := buildApp(t, r, "bimg")
	src := buildSource(t, map[string]string{
		"Dockerfile": "FROM " + base + "\nWORKDIR /srv\nCOPY app.json /srv/app.json\nLABEL com.dokku.app-name=" + app + "\n",
		"app.json":   `{"scripts": {"dokku": {"predeploy": "from the image"}}}`,
	})
	image := "dokku/" + app + ":source"
	if out, err := exec.Command("docker", "build", "-q", "-t", image, src).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	r.AddPlugin("srcimage", map[string]string{
		"git-get-property": "#!/bin/sh\n[ \"$2\" = source-image ] && echo " + image + "\nexit 0\n",
	})
	empty := t.TempDir()
	pid := dokkutest.Opts{Env: []string{"DOKKU_PID=99"}}
	if res := r.RunOpts(pid, "plugin:trigger", "core-post-extract", app, empty, "rev"); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	res := r.RunOpts(pid, "plugin:trigger", "app-json-get-content", app)
	if res.Stdout != `{"scripts":{"dokku":{"predeploy":"from the image"}}}` {
		t.Fatalf("%s", res)
	}
	if o, _ := exec.Command("docker", "container", "ls", "-aq", "--filter", "ancestor="+image).Output(); len(strings.TrimSpace(string(o))) > 0 {
		t.Errorf("copy containers left: %s", o)
	}
}
