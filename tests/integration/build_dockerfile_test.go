//go:build integration

package integration

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
	"github.com/godokku/dokku/internal/pipeline"
)

func TestBuildIntegrationDockerfile(t *testing.T) {
	base := dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := buildApp(t, r, "bdf")
	ports := buildRecorder(r, "ports-set-detected")
	r.AddPlugin("buildargs", map[string]string{
		"docker-args-build": "#!/bin/sh\ncat\nprintf ' --build-arg GREETING --build-arg \"LITERAL=a b\" --label user.label=yes -v /etc:/host --restart=always'\n",
	})
	dir := buildSource(t, map[string]string{
		"Dockerfile":    "FROM " + base + "\nARG GREETING=unset\nARG LITERAL\nRUN echo \"greeting=$GREETING literal=$LITERAL\" > /build-info\nCOPY . /app\nEXPOSE 3000\nEXPOSE 53/udp\nCMD [\"httpd\", \"-f\", \"-p\", \"3000\"]\n",
		".dockerignore": "secret.txt\n",
		"secret.txt":    "do not ship",
		"index.html":    "hello",
	})
	r.MustRun("config:set", "--no-restart", app, "GREETING=hello $world")

	res := r.Run("plugin:trigger", "builder-build", "dockerfile", app, dir)
	if res.Code != 0 {
		t.Fatalf("%s", res)
	}
	if !strings.HasPrefix(res.Stdout, "-----> Building "+app+" from Dockerfile\n") || !strings.Contains(res.Stdout, "Step 1/") {
		t.Fatalf("build output:\n%s", res)
	}
	img := buildInspect(t, "dokku/"+app+":latest")
	if img == nil {
		t.Fatal("dokku/<app>:latest was not built")
	}
	labels := buildLabels(img)
	for k, v := range map[string]string{
		"com.dokku.image-stage": "build", "com.dokku.builder-type": "dockerfile", "com.dokku.app-name": app,
		"dokku": "", "org.label-schema.schema-version": "1.0", "org.label-schema.vendor": "dokku", "user.label": "yes",
	} {
		if got, ok := labels[k]; !ok || got != v {
			t.Errorf("label %s = %q (present %v), want %q", k, got, ok, v)
		}
	}
	out, err := exec.Command("docker", "run", "--rm", "dokku/"+app+":latest", "sh", "-c", "cat /build-info; ls /app").CombinedOutput()
	if err != nil {
		t.Fatalf("%v %s", err, out)
	}
	if !strings.Contains(string(out), "greeting=hello $world literal=a b") {
		t.Errorf("build args: %q", out)
	}
	if strings.Contains(string(out), "secret.txt") || !strings.Contains(string(out), "index.html") {
		t.Errorf(".dockerignore not honoured: %q", out)
	}
	if b, _ := os.ReadFile(ports); string(b) != app+" http:3000:3000 udp:53:53\n" {
		t.Errorf("ports-set-detected got %q", b)
	}

	// the release relabels the image and runs the release hooks
	res = r.Run("plugin:trigger", "builder-release", "dockerfile", app, "latest")
	if res.Code != 0 {
		t.Fatalf("%s", res)
	}
	rel := buildLabels(buildInspect(t, "dokku/"+app+":latest"))
	if rel["com.dokku.image-stage"] != "release" || rel["com.dokku.builder-type"] != "dockerfile" || rel["user.label"] != "yes" {
		t.Errorf("release labels %v", rel)
	}
	cfg := buildInspect(t, "dokku/"+app+":latest")["Config"].(map[string]any)
	for _, e := range cfg["Env"].([]any) {
		if strings.HasPrefix(e.(string), "GREETING=") {
			t.Errorf("config must not be baked into the release image: %v", e)
		}
	}
}

func TestBuildIntegrationFailedBuildKeepsRelease(t *testing.T) {
	base := dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := buildApp(t, r, "bfail")
	buildSetProp(t, r, "builder", app, "skip-cleanup", "true")
	buildSetProp(t, r, "ps", app, "skip-deploy", "true")
	good := buildSource(t, map[string]string{"Dockerfile": "FROM " + base + "\nRUN echo v1 > /version\n"})
	ctx := newBuildCtx(t, r)
	if err := pipeline.TriggerBuild(ctx.Context, app, good, "rev1"); err != nil {
		t.Fatalf("%v\n%s", err, ctx)
	}
	if !strings.Contains(ctx.out.String(), "-----> Releasing "+app+"...\n") || !strings.Contains(ctx.out.String(), "-----> Skipping deployment\n") {
		t.Fatalf("release output:\n%s", ctx)
	}
	released := buildInspect(t, "dokku/"+app+":latest")
	if buildLabels(released)["com.dokku.image-stage"] != "release" {
		t.Fatalf("not released: %v", buildLabels(released))
	}

	bad := buildSource(t, map[string]string{"Dockerfile": "FROM " + base + "\nRUN echo building && exit 3\n"})
	ctx = newBuildCtx(t, r)
	err := pipeline.TriggerBuild(ctx.Context, app, bad, "rev2")
	if err == nil || err.Error() != "App build failed" {
		t.Fatalf("want App build failed, got %v\n%s", err, ctx)
	}
	if !strings.Contains(ctx.errb.String(), "returned a non-zero code: 3") {
		t.Errorf("the daemon's error must be shown:\n%s", ctx)
	}
	after := buildInspect(t, "dokku/"+app+":latest")
	if after == nil || after["Id"] != released["Id"] {
		t.Fatalf("latest must still be the released image %v, got %v", released["Id"], after["Id"])
	}
}

func TestBuildIntegrationNullBuilder(t *testing.T) {
	base := dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := buildApp(t, r, "bnull")
	r.MustRun("builder:set", app, "selected", "null")
	buildSetProp(t, r, "ps", app, "skip-deploy", "true")
	dir := buildSource(t, map[string]string{"Dockerfile": "FROM " + base + "\n"})
	ctx := newBuildCtx(t, r)
	if err := pipeline.TriggerBuild(ctx.Context, app, dir, "rev"); err != nil {
		t.Fatalf("%v\n%s", err, ctx)
	}
	if strings.Contains(ctx.out.String(), "Building") || buildInspect(t, "dokku/"+app+":latest") != nil {
		t.Fatalf("the null builder must not build:\n%s", ctx)
	}
	if v, _ := os.ReadFile(r.Lib + "/config/builder/" + app + "/detected"); string(v) != "null" {
		t.Errorf("detected = %q", v)
	}
	// an image put in place some other way is still released (cleanup
	// would prune it: no container uses it)
	r.MustRun("builder:set", app, "skip-cleanup", "true")
	if out, err := exec.Command("docker", "build", "-q", "-t", "dokku/"+app+":latest", "--label", "com.dokku.builder-type=dockerfile", "--label", "com.dokku.app-name="+app, dir).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	ctx = newBuildCtx(t, r)
	if err := pipeline.TriggerBuild(ctx.Context, app, dir, "rev"); err != nil {
		t.Fatalf("%v\n%s", err, ctx)
	}
	if buildLabels(buildInspect(t, "dokku/"+app+":latest"))["com.dokku.image-stage"] != "release" {
		t.Fatalf("existing image not released:\n%s", ctx)
	}
}

func TestBuildIntegrationNoBuilder(t *testing.T) {
	r := dokkutest.New(t)
	app := buildApp(t, r, "bnone")
	dir := buildSource(t, map[string]string{"README": "no build instructions"})
	ctx := newBuildCtx(t, r)
	err := pipeline.TriggerBuild(ctx.Context, app, dir, "rev")
	if err == nil || !strings.Contains(err.Error(), "No builder detected for "+app) || !strings.Contains(err.Error(), "dockerfile, null") {
		t.Fatalf("%v", err)
	}
}

func TestBuildIntegrationReleaseAndDeploy(t *testing.T) {
	base := dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := buildApp(t, r, "bdeploy")
	buildSetProp(t, r, "scheduler", app, "selected", "fake")
	deployed := buildRecorder(r, "scheduler-deploy")
	dir := buildSource(t, map[string]string{"Dockerfile": "FROM " + base + "\n"})
	ctx := newBuildCtx(t, r)
	if err := pipeline.TriggerBuild(ctx.Context, app, dir, "rev"); err != nil {
		t.Fatalf("%v\n%s", err, ctx)
	}
	out := ctx.out.String()
	if !strings.Contains(out, "-----> Releasing "+app+"...\n") ||
		!strings.Contains(out, "-----> Deploying "+app+" via the fake scheduler...\n=====> Application deployed:\n") ||
		!strings.HasSuffix(out, "\n\n") {
		t.Fatalf("output:\n%s", ctx)
	}
	if b, _ := os.ReadFile(deployed); string(b) != "fake "+app+" latest \n" {
		t.Fatalf("scheduler-deploy got %q", b)
	}
	if v, _ := os.ReadFile(r.Lib + "/config/builder/" + app + "/detected"); string(v) != "dockerfile" {
		t.Errorf("detected = %q", v)
	}
	// the deploy trigger hands an image to the scheduler without a release
	os.Remove(deployed)
	if res := r.Run("plugin:trigger", "deploy", app, "latest", "web"); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	if b, _ := os.ReadFile(deployed); string(b) != "fake "+app+" latest web\n" {
		t.Fatalf("deploy trigger: %q", b)
	}
}

func TestBuildIntegrationUnavailableBuilder(t *testing.T) {
	r := dokkutest.New(t)
	app := buildApp(t, r, "bunav")
	r.MustRun("builder:set", app, "selected", "pack")
	dir := buildSource(t, map[string]string{"project.toml": ""})
	ctx := newBuildCtx(t, r)
	err := pipeline.TriggerBuild(ctx.Context, app, dir, "rev")
	if err == nil || err.Error() != "The pack builder is not available for "+app+"; available builders: dockerfile, null" {
		t.Fatalf("%v", err)
	}
}
