package script

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
	"github.com/godokku/dokku/internal/lock"
)

// schedRoot is a scratch root with one created (not deployed) app.
func schedRoot(t *testing.T, app string) *dokkutest.Root {
	t.Helper()
	r := dokkutest.New(t)
	r.MustRun("apps:create", app)
	return r
}

func schedRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

func schedExpect(t *testing.T, res *dokkutest.Result, code int, stdout, stderr string) {
	t.Helper()
	if res.Code != code || res.Stdout != stdout || res.Stderr != stderr {
		t.Errorf("want exit %d stdout %q stderr %q, got %s", code, stdout, stderr, res)
	}
}

// schedStage runs the extraction hooks of a build (DOKKU_PID fixed) on a
// source tree holding files.
func schedStage(t *testing.T, r *dokkutest.Root, app, pid string, files map[string]string) *dokkutest.Result {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return r.RunOpts(dokkutest.Opts{Env: []string{"DOKKU_PID=" + pid}}, "plugin:trigger", "core-post-extract", app, dir, "rev")
}

func TestSchedPsScaleAndProcfile(t *testing.T) {
	r := schedRoot(t, "psapp")
	scaleFile := filepath.Join(r.Lib, "config", "ps", "psapp", "scale")

	schedExpect(t, r.Run("ps:scale", "psapp"), 0, "-----> Scaling for psapp\nproctype: qty\n--------: ---\nweb:  1\n", "")
	schedExpect(t, r.Run("--quiet", "ps:scale", "psapp"), 0, "web:  1\n", "")
	schedExpect(t, r.Run("ps:scale", "--format", "json", "psapp"), 0, `[{"process_type":"web","quantity":1}]`+"\n", "")
	schedExpect(t, r.Run("ps:scale", "psapp", "--format", "yaml"), 1, "", " !     Invalid --format value specified, valid values: json, stdout\n")
	schedExpect(t, r.Run("ps:scale", "nope"), 20, "", " !     App nope does not exist\n")
	schedExpect(t, r.Run("ps:scale"), 1, "", " !     Please specify an app to run the command on\n")

	// without a Procfile any type scales; bad tuples change nothing
	schedExpect(t, r.Run("ps:scale", "psapp", "web"), 1, "-----> Scaling psapp processes: web\n", " !     Missing count for process type web\n")
	schedExpect(t, r.Run("ps:scale", "psapp", "web=-2"), 1, "-----> Scaling psapp processes: web=-2\n", " !     Invalid count for process type web\n")
	schedExpect(t, r.Run("ps:scale", "psapp", "../x=1"), 1, "-----> Scaling psapp processes: ../x=1\n", " !     Invalid process type name ../x\n")
	if got := schedRead(t, scaleFile); got != "web=1\n" {
		t.Fatalf("scale changed by failed commands: %q", got)
	}
	schedExpect(t, r.Run("ps:scale", "psapp", "worker=2", "web=3"), 0, "-----> Scaling psapp processes: worker=2 web=3\n", "")
	if got := schedRead(t, scaleFile); got != "worker=2\nweb=3\n" {
		t.Fatalf("scale %q", got)
	}
	schedExpect(t, r.Run("plugin:trigger", "ps-current-scale", "psapp"), 0, "web=3\nworker=2", "")

	// a build stages the Procfile as Procfile.<pid>; the release refreshes
	// the formation from it; core-post-deploy promotes it
	procfile := "# comment\nweb: ./server --port $PORT\nclock: ./tick $INTERVAL # every\n"
	schedExpect(t, schedStage(t, r, "psapp", "4242", map[string]string{"Procfile": procfile}), 0, "", "")
	staged := filepath.Join(r.Lib, "data", "ps", "psapp", "Procfile.4242")
	if schedRead(t, staged) != procfile {
		t.Fatalf("staged Procfile %q", schedRead(t, staged))
	}
	pidEnv := dokkutest.Opts{Env: []string{"DOKKU_PID=4242"}}
	if res := r.RunOpts(pidEnv, "plugin:trigger", "post-release-builder", "dockerfile", "psapp", "dokku/psapp:latest"); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	// new Procfile types join with 0; a scaled type the Procfile lost stays
	if got := schedRead(t, scaleFile); got != "worker=2\nweb=3\nclock=0\n" {
		t.Fatalf("scale after release %q", got)
	}
	schedExpect(t, r.RunOpts(pidEnv, "ps:scale", "psapp", "worker=1"), 1, "-----> Scaling psapp processes: worker=1\n", " !     worker is not a valid process name to scale up\n")
	// scaled to 0 it moves to scale.old, kept until a deploy retired it
	schedExpect(t, r.RunOpts(pidEnv, "ps:scale", "psapp", "worker=0"), 0, "-----> Scaling psapp processes: worker=0\n", "")
	if got := schedRead(t, scaleFile); got != "web=3\nclock=0\n" {
		t.Fatalf("scale after worker=0 %q", got)
	}
	schedExpect(t, r.RunOpts(pidEnv, "plugin:trigger", "ps-current-scale", "psapp"), 0, "clock=0\nweb=3\nworker=0", "")
	r.MustRun("config:set", "--no-restart", "psapp", "INTERVAL=5s")
	schedExpect(t, r.RunOpts(pidEnv, "plugin:trigger", "procfile-get-command", "psapp", "clock", "5000"), 0, "./tick 5s\n", "")
	schedExpect(t, r.RunOpts(pidEnv, "plugin:trigger", "procfile-get-command", "psapp", "web", "8080"), 0, "./server --port 8080\n", "")
	schedExpect(t, r.RunOpts(pidEnv, "plugin:trigger", "procfile-get-command", "psapp", "missing", ""), 0, "", "")
	// another build (another pid) does not see the staged file yet
	if res := r.Run("plugin:trigger", "procfile-exists", "psapp"); res.Code == 0 {
		t.Fatalf("procfile-exists before promotion: %s", res)
	}
	if res := r.RunOpts(pidEnv, "plugin:trigger", "core-post-deploy", "psapp", "", "", "latest"); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	if schedRead(t, filepath.Join(r.Lib, "data", "ps", "psapp", "Procfile")) != procfile || schedRead(t, staged) != "" {
		t.Fatalf("Procfile not promoted")
	}
	if res := r.Run("plugin:trigger", "procfile-exists", "psapp"); res.Code != 0 {
		t.Fatalf("procfile-exists: %s", res)
	}
	if got := schedRead(t, filepath.Join(r.Lib, "config", "ps", "psapp", "restore")); got != "true" {
		t.Fatalf("restore %q", got)
	}
	schedExpect(t, r.Run("plugin:trigger", "ps-current-scale", "psapp"), 0, "clock=0\nweb=3", "")

	// an invalid Procfile fails the build; a missing one is staged as such
	schedExpect(t, schedStage(t, r, "psapp", "4343", map[string]string{"Procfile": "web ./no-colon\n"}), 1, "", " !     Invalid Procfile: invalid line in procfile, line 1\n")
	schedExpect(t, schedStage(t, r, "psapp", "4444", map[string]string{"other": "x"}), 0, "", "")
	if _, err := os.Stat(filepath.Join(r.Lib, "data", "ps", "psapp", "Procfile.4444.missing")); err != nil {
		t.Fatalf("missing marker: %v", err)
	}
	// a Procfile symlink pointing outside the source tree is refused
	dir := t.TempDir()
	os.Symlink("/etc/passwd", filepath.Join(dir, "Procfile"))
	res := r.RunOpts(dokkutest.Opts{Env: []string{"DOKKU_PID=4545"}}, "plugin:trigger", "core-post-extract", "psapp", dir, "rev")
	if res.Code == 0 || !strings.Contains(res.Stderr, "outside the source tree") {
		t.Fatalf("symlink accepted: %s", res)
	}
	// procfile-path picks another file
	r.MustRun("ps:set", "psapp", "procfile-path", "deploy/Procfile.prod")
	schedExpect(t, schedStage(t, r, "psapp", "4646", map[string]string{"deploy/Procfile.prod": "web: ./prod\n"}), 0, "", "")
	if schedRead(t, filepath.Join(r.Lib, "data", "ps", "psapp", "Procfile.4646")) != "web: ./prod\n" {
		t.Fatalf("procfile-path not honoured")
	}

	// app.json formation forbids manual scaling
	r.MustRun("plugin:trigger", "ps-can-scale", "psapp", "false")
	schedExpect(t, r.Run("ps:scale", "psapp", "web=1"), 1, "", " !     App psapp contains an app.json file with a formations key and cannot be manually scaled\n")
	schedExpect(t, r.Run("ps:report", "psapp", "--ps-can-scale"), 0, "false\n", "")
	// ps-set-scale (app.json formation) replaces the formation
	r.MustRun("plugin:trigger", "ps-set-scale", "psapp", "true", "true", "web=2")
	if got := schedRead(t, scaleFile); got != "web=2\nclock=0\n" {
		t.Fatalf("ps-set-scale %q", got)
	}
}

func TestSchedPsSetReportAndTriggers(t *testing.T) {
	r := schedRoot(t, "psset")
	schedExpect(t, r.Run("ps:set", "psset", "restart-policy", "sometimes"), 1, "", " !     Invalid restart-policy specified\n")
	schedExpect(t, r.Run("ps:set", "psset", "restart-policy", "on-failure:x"), 1, "", " !     Invalid restart-policy specified\n")
	schedExpect(t, r.Run("ps:set", "psset", "restart-policy", "unless-stopped"), 0, "=====> Setting restart-policy to unless-stopped\n", "")
	schedExpect(t, r.Run("ps:set", "psset", "stop-timeout-seconds", "-5"), 1, "", " !     Invalid stop-timeout-seconds specified, must be a non-negative integer\n")
	schedExpect(t, r.Run("ps:set", "--global", "stop-timeout-seconds", "45"), 0, "=====> Setting stop-timeout-seconds to 45\n", "")
	schedExpect(t, r.Run("ps:set", "--global", "start-cmd", "x"), 1, "", " !     Property cannot be specified globally\n")
	schedExpect(t, r.Run("ps:set", "psset", "bogus", "x"), 1, "", " !     Invalid property specified, valid properties include: dockerfile-start-cmd, procfile-path, restart-policy, restore, skip-deploy, start-cmd, stop-timeout-seconds\n")
	schedExpect(t, r.Run("ps:set", "psset", "procfile-path", "../Procfile"), 1, "", " !     Invalid procfile-path specified, must be relative to the source tree\n")
	schedExpect(t, r.Run("ps:set", "psset", "start-cmd", "bin/start --fast"), 0, "=====> Setting start-cmd to bin/start --fast\n", "")

	schedExpect(t, r.RunOpts(dokkutest.Opts{Stdin: " --env=A "}, "plugin:trigger", "docker-args-process-deploy", "psset", "dockerfile", "latest", "web", "1"),
		0, " --env=A  --restart=unless-stopped ", "")
	schedExpect(t, r.Run("plugin:trigger", "ps-get-property", "psset", "stop-timeout-seconds"), 0, "45\n", "")
	schedExpect(t, r.Run("plugin:trigger", "ps-get-property", "psset", "restart-policy"), 0, "unless-stopped\n", "")
	schedExpect(t, r.Run("plugin:trigger", "ps-get-property", "psset", "nope"), 1, "", " !     Invalid ps property specified: nope\n")

	schedExpect(t, r.Run("ps:report", "psset", "--ps-computed-stop-timeout-seconds"), 0, "45\n", "")
	schedExpect(t, r.Run("ps:report", "psset", "--ps-start-cmd"), 0, "bin/start --fast\n", "")
	schedExpect(t, r.Run("ps:report", "psset", "--deployed"), 0, "false\n", "")
	schedExpect(t, r.Run("ps:report", "psset", "--processes"), 0, "0\n", "")
	res := r.Run("ps:report", "psset", "--format", "json")
	var data map[string]string
	if err := json.Unmarshal([]byte(res.Stdout), &data); err != nil || res.Code != 0 {
		t.Fatalf("%v %s", err, res)
	}
	for k, want := range map[string]string{
		"restart-policy": "unless-stopped", "ps-restart-policy": "unless-stopped", "computed-stop-timeout-seconds": "45",
		"global-stop-timeout-seconds": "45", "restore": "true", "deployed": "false", "running": "false", "can-scale": "true",
		"computed-procfile-path": "Procfile",
	} {
		if data[k] != want {
			t.Errorf("json %s = %q want %q", k, data[k], want)
		}
	}
	res = r.Run("ps:report", "--global")
	if res.Code != 0 || !strings.Contains(res.Stdout, "=====> --global ps information\n") || !strings.Contains(res.Stdout, "       Ps global stop timeout seconds:   45\n") || strings.Contains(res.Stdout, "Deployed") {
		t.Errorf("global report: %s", res)
	}

	// ps:stop/start/restart of an app that was never deployed only warn
	schedExpect(t, r.Run("ps:stop", "psset"), 0, "", " !     App psset has not been deployed\n")
	schedExpect(t, r.Run("ps:restart", "psset"), 0, "", " !     App psset has not been deployed\n")
	schedExpect(t, r.Run("ps:start", "psset"), 0, "", " !     App psset has not been deployed\n")
	schedExpect(t, r.Run("ps:restart", "--all", "web"), 1, "", " !     Unable to restart all apps when specifying a process name\n")
	schedExpect(t, r.Run("ps:stop", "--all"), 0, "-----> Running stop against app psset\n", " !     Running stop in serial mode\n !     App psset has not been deployed\n")
	schedExpect(t, r.Run("ps:stop", "--parallel", "x", "--all"), 1, "", " !     invalid argument \"x\" for \"--parallel\" flag\n")
	schedExpect(t, r.Run("ps:restore", "psset"), 0, "", " !     App psset has not been deployed\n")
	// post-stop clears restore; ps:restore honours it
	r.MustRun("plugin:trigger", "post-stop", "psset")
	schedExpect(t, r.Run("ps:report", "psset", "--restore"), 0, "false\n", "")
	os.MkdirAll(filepath.Join(r.Lib, "config", "common", "psset"), 0o755)
	if err := os.WriteFile(filepath.Join(r.Lib, "config", "common", "psset", "deployed"), []byte("true"), 0o600); err != nil {
		t.Fatal(err)
	}
	schedExpect(t, r.Run("ps:restore", "psset"), 0, "", " !     Skipping ps:restore for psset as restore property is false\n")

	// ps:retire refuses to run while another holds the lock
	l, err := lock.Exclusive(filepath.Join(r.Lib, "data", "ps", "retire"))
	if err != nil {
		t.Fatal(err)
	}
	schedExpect(t, r.Run("ps:retire"), 1, "", " !     Failed to acquire ps:retire lock\n")
	l.Release()

	// the install trigger scheduled ps:retire every 5 minutes
	cron := schedRead(t, filepath.Join(r.Sys, "etc", "cron.d", "dokku-retire"))
	unit := schedRead(t, filepath.Join(r.Sys, "etc", "systemd", "system", "dokku-retire.timer"))
	if !strings.Contains(cron, "*/5 * * * * ") && !strings.Contains(unit, "OnCalendar=*:0/5") {
		t.Errorf("no retire schedule: cron %q unit %q", cron, unit)
	}
	// ...and ps:restore at boot
	bootCron := schedRead(t, filepath.Join(r.Sys, "etc", "cron.d", "dokku-redeploy"))
	bootUnit := schedRead(t, filepath.Join(r.Sys, "etc", "systemd", "system", "dokku-redeploy.service"))
	if !strings.Contains(bootCron, "@reboot ") && !strings.Contains(bootUnit, "ps:restore --parallel -1") {
		t.Errorf("no boot-time restore: cron %q unit %q", bootCron, bootUnit)
	}

	// destroy drops the app's ps state
	r.MustRun("apps:destroy", "psset", "--force")
	for _, p := range []string{filepath.Join(r.Lib, "config", "ps", "psset"), filepath.Join(r.Lib, "data", "ps", "psset")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s left behind", p)
		}
	}
}

func TestSchedPsHelp(t *testing.T) {
	r := dokkutest.New(t)
	res := r.MustRun("ps:help")
	for _, want := range []string{
		"Usage: dokku ps[:COMMAND]\n\nManage app processes\n\nAdditional commands:\n",
		"    ps:scale [--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]",
		"Get/Set how many instances of a given process to run",
		"    ps:restart [--parallel count] [--all|<app>] [<process-name>]",
	} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("missing %q in\n%s", want, res.Stdout)
		}
	}
	if strings.Contains(res.Stdout, "ps:retire") {
		t.Errorf("hidden ps:retire listed")
	}
}
