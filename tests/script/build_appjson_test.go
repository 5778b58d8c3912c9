package script

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

func appJSONStaged(r *dokkutest.Root, app, pid string) string {
	return filepath.Join(r.Lib, "data", "app-json", app, "app.json."+pid)
}

func TestBuildAppJSONStaging(t *testing.T) {
	r := buildRoot(t, "web")
	dir := r.Path("src")
	r.WriteFile("src/app.json", `{"scripts": {"dokku": {"predeploy": "echo hi"}}, "formation": {"web": {"max_parallel": 4}}}`, 0o644)
	pid := dokkutest.Opts{Env: []string{"DOKKU_PID=4242"}}
	if res := r.RunOpts(pid, "plugin:trigger", "core-post-extract", "web", dir, "rev"); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	staged := appJSONStaged(r, "web", "4242")
	if _, err := os.Stat(staged); err != nil {
		t.Fatal("app.json must be staged as app.json.<DOKKU_PID>")
	}
	// the staged copy is what the running build sees
	res := r.RunOpts(pid, "plugin:trigger", "app-json-get-content", "web")
	if res.Stdout != `{"scripts":{"dokku":{"predeploy":"echo hi"}},"formation":{"web":{"max_parallel":4}}}` {
		t.Fatalf("%s", res)
	}
	if res := r.RunOpts(pid, "plugin:trigger", "app-json-process-deploy-parallelism", "web", "web"); res.Stdout != "4\n" {
		t.Fatalf("%s", res)
	}
	if res := r.RunOpts(pid, "plugin:trigger", "app-json-process-deploy-parallelism", "web", "worker"); res.Stdout != "1\n" {
		t.Fatalf("%s", res)
	}
	// other processes do not see it before the deploy promotes it
	if res := r.Run("plugin:trigger", "app-json-get-content", "web"); res.Stdout != "{}" {
		t.Fatalf("%s", res)
	}
	if res := r.RunOpts(pid, "plugin:trigger", "core-post-deploy", "web", "", "", "latest"); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	final := filepath.Join(r.Lib, "data", "app-json", "web", "app.json")
	if _, err := os.Stat(final); err != nil {
		t.Fatal("core-post-deploy must promote the staged app.json")
	}
	if v, _ := buildProp(t, r, "common", "web", "deployed"); v != "true" {
		t.Fatalf("deployed = %q", v)
	}

	// a build without app.json stages a .missing marker; the deploy removes
	// the previous copy
	os.Remove(filepath.Join(dir, "app.json"))
	pid2 := dokkutest.Opts{Env: []string{"DOKKU_PID=555"}}
	r.RunOpts(pid2, "plugin:trigger", "core-post-extract", "web", dir, "rev")
	if _, err := os.Stat(appJSONStaged(r, "web", "555") + ".missing"); err != nil {
		t.Fatal("missing marker expected")
	}
	if res := r.RunOpts(pid2, "plugin:trigger", "app-json-get-content", "web"); res.Stdout != "{}" {
		t.Fatalf("a build without app.json has none: %s", res)
	}
	r.RunOpts(pid2, "plugin:trigger", "core-post-deploy", "web", "", "", "latest")
	if _, err := os.Stat(final); !os.IsNotExist(err) {
		t.Fatal("the deployed app.json must be removed")
	}
}

func TestBuildAppJSONValidation(t *testing.T) {
	r := buildRoot(t, "web")
	dir := r.Path("src")
	r.WriteFile("src/app.json", `{"formation": {"web": {"quantity": "two"}}}`, 0o644)
	res := r.Run("plugin:trigger", "core-post-extract", "web", dir, "rev")
	if res.Code == 0 || !strings.Contains(res.Stderr, " !     Cannot parse app.json: ") {
		t.Fatalf("%s", res)
	}
	// a validator plugin's stderr becomes the error
	r.WriteFile("src/app.json", `{}`, 0o644)
	r.AddPlugin("cronish", map[string]string{"app-json-is-valid": "#!/bin/sh\necho \"cron entry 1 is bad ($1)\" >&2\nexit 1\n"})
	res = r.Run("plugin:trigger", "core-post-extract", "web", dir, "rev")
	if res.Code == 0 || !strings.Contains(res.Stderr, " !     cron entry 1 is bad (web)") {
		t.Fatalf("%s", res)
	}
}

func TestBuildAppJSONPathAndLinks(t *testing.T) {
	r := buildRoot(t, "web")
	dir := r.Path("src")
	r.WriteFile("src/app.json", `{"scripts": {"dokku": {"predeploy": "default"}}}`, 0o644)
	r.WriteFile("src/deploy/app.prod.json", `{"scripts": {"dokku": {"predeploy": "prod"}}}`, 0o644)
	buildMust(t, r, "app-json:set", "web", "appjson-path", "deploy/app.prod.json")
	res := buildMust(t, r, "app-json:report", "web")
	want := "=====> web app-json information\n" +
		"       App json appjson path:          deploy/app.prod.json\n" +
		"       App json computed appjson path: deploy/app.prod.json\n" +
		"       App json global appjson path:   app.json\n"
	if res.Stdout != want {
		t.Fatalf("%q", res.Stdout)
	}
	pid := dokkutest.Opts{Env: []string{"DOKKU_PID=7"}}
	buildMustOpts(t, r, pid, "plugin:trigger", "core-post-extract", "web", dir, "rev")
	if b, _ := os.ReadFile(filepath.Join(dir, "app.json")); !strings.Contains(string(b), "prod") {
		t.Fatal("the custom app.json replaces app.json in the source")
	}
	if b, _ := os.ReadFile(appJSONStaged(r, "web", "7")); !strings.Contains(string(b), "prod") {
		t.Fatal("the custom app.json is staged")
	}
	// an app.json pointing outside the source tree is refused
	buildMust(t, r, "app-json:set", "web", "appjson-path")
	os.Remove(filepath.Join(dir, "app.json"))
	secret := r.WriteFile("secret.json", `{"x":"host secret"}`, 0o600)
	os.Symlink(secret, filepath.Join(dir, "app.json"))
	res = r.RunOpts(pid, "plugin:trigger", "core-post-extract", "web", dir, "rev")
	if res.Code == 0 || !strings.Contains(res.Stderr, "app.json must be a file inside the source tree") {
		t.Fatalf("%s", res)
	}
}

func buildMustOpts(t *testing.T, r *dokkutest.Root, o dokkutest.Opts, args ...string) *dokkutest.Result {
	t.Helper()
	res := r.RunOpts(o, args...)
	if res.Code != 0 {
		t.Fatalf("unexpected failure: %s", res)
	}
	return res
}

func TestBuildAppJSONPostdeployWithoutScript(t *testing.T) {
	r := buildRoot(t, "web")
	// no app.json: nothing to run, and no Docker needed to say so
	res := r.RunOpts(dokkutest.Opts{Env: []string{"DOCKER_HOST=unix:///nonexistent.sock"}},
		"plugin:trigger", "post-deploy", "web", "", "", "latest")
	if !strings.Contains(res.Stdout, "-----> Checking for postdeploy task\n       No postdeploy task found, skipping\n") {
		t.Fatalf("%s", res)
	}
}
