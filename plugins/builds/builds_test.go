package builds_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godokku/dokku/internal/dokkutest"
	"github.com/godokku/dokku/plugins/builds"
)

func TestBuildsGenerateID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-z]{14}$`)
	a := builds.GenerateID()
	time.Sleep(2 * time.Millisecond)
	b := builds.GenerateID()
	if !re.MatchString(a) || !re.MatchString(b) {
		t.Fatalf("ids %q %q", a, b)
	}
	if a[:8] > b[:8] {
		t.Errorf("ids do not sort by time: %s %s", a, b)
	}
	if a == b {
		t.Error("duplicate ids")
	}
}

type record struct {
	ID, App, Kind, Status, Source string
	PID                           int
	ExitCode                      *int `json:"exit_code"`
}

func readRecord(t *testing.T, r *dokkutest.Root, app, id string) (record, map[string]any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.Lib, "data", "builds", app, id+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec record
	var raw map[string]any
	json.Unmarshal(b, &rec)
	json.Unmarshal(b, &raw)
	return rec, raw
}

func TestBuildsRecordLifecycle(t *testing.T) {
	r := dokkutest.New(t)
	r.MustRun("apps:create", "web")
	trig := func(args ...string) *dokkutest.Result {
		return r.Run(append([]string{"plugin:trigger"}, args...)...)
	}
	id := strings.TrimSpace(trig("builds-generate-id").Stdout)
	if len(id) != 14 {
		t.Fatalf("generated id %q", id)
	}
	// A live process owns the record while it runs.
	sleeper := exec.Command("sleep", "30")
	sleeper.Start()
	defer sleeper.Process.Kill()
	pid := strconv.Itoa(sleeper.Process.Pid)
	if res := trig("builds-record-start", "web", id, pid, "git-hook"); res.Code != 0 {
		t.Fatal(res)
	}
	rec, raw := readRecord(t, r, "web", id)
	if rec.Status != "running" || rec.Kind != "build" || rec.Source != "git-hook" || rec.PID != sleeper.Process.Pid {
		t.Errorf("started record %+v", rec)
	}
	if _, ok := raw["finished_at"]; ok {
		t.Error("finished_at on a running record")
	}
	os.WriteFile(filepath.Join(r.Lib, "data", "builds", "web", id+".log"), []byte("line one\nline two\n"), 0o644)
	if got := r.MustRun("builds:report", "web", "--build-status").Stdout; got != "running\n" {
		t.Errorf("status %q", got)
	}
	list := r.MustRun("builds:list").Stdout
	if !strings.HasPrefix(list, "App  Build ID        Kind   PID") || !strings.Contains(list, "web  "+id+"  build  "+pid+"  git-hook  ") {
		t.Errorf("running builds:\n%s", list)
	}
	if res := trig("builds-record-finalize", "web", id, "0"); res.Code != 0 {
		t.Fatal(res)
	}
	rec, _ = readRecord(t, r, "web", id)
	if rec.Status != "succeeded" || rec.ExitCode == nil || *rec.ExitCode != 0 {
		t.Errorf("finalized record %+v", rec)
	}
	// Idempotent: a later finalize does not change a finished record.
	trig("builds-record-finalize", "web", id, "3")
	if rec, _ = readRecord(t, r, "web", id); rec.Status != "succeeded" {
		t.Errorf("finalize rewrote a finished record: %+v", rec)
	}
	if got := r.MustRun("builds:output", "web", id).Stdout; got != "line one\nline two\n" {
		t.Errorf("output %q", got)
	}
	info := r.MustRun("builds:info", "web", id).Stdout
	for _, want := range []string{"Build ID:   " + id + "\n", "Status:     succeeded\n", "Exit Code:  0\n", "Log:        " + filepath.Join(r.Lib, "data", "builds", "web", id+".log") + "\n"} {
		if !strings.Contains(info, want) {
			t.Errorf("info lacks %q:\n%s", want, info)
		}
	}
	// A record whose process died shows as abandoned and is reaped by prune.
	dead := exec.Command("true")
	dead.Run()
	id2 := strings.TrimSpace(trig("builds-generate-id").Stdout)
	trig("builds-record-start", "web", id2, strconv.Itoa(dead.Process.Pid), "ps:restart")
	if got := r.MustRun("builds:report", "web", "--build-status").Stdout; got != "abandoned\n" {
		t.Errorf("dead build status %q", got)
	}
	if got := r.MustRun("builds:list", "web", "--status", "abandoned", "--format", "json").Stdout; !strings.Contains(got, `"display_status":"abandoned"`) || !strings.Contains(got, `"kind":"deploy"`) {
		t.Errorf("abandoned filter: %s", got)
	}
	r.MustRun("builds:prune", "web")
	if rec, _ := readRecord(t, r, "web", id2); rec.Status != "failed" || rec.ExitCode == nil || *rec.ExitCode != -1 {
		t.Errorf("reaped record %+v", rec)
	}
	// Errors.
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"builds:info", "web", "nope"}, "No build record found for web/nope"},
		{[]string{"builds:info", "web"}, "Please specify a build id"},
		{[]string{"builds:list", "web", "--kind", "x"}, `Invalid --kind value "x" (allowed: build, deploy)`},
		{[]string{"builds:list", "--format", "xml"}, "Invalid format specified, supported formats: json, stdout"},
		{[]string{"builds:output", "web", "../../etc/passwd"}, "no such build ../../etc/passwd for app web"},
		{[]string{"builds:set", "web", "retention", "0"}, "Invalid retention 0: must be >= 1"},
		{[]string{"builds:set", "web", "color", "red"}, `Invalid property "color" (allowed: retention)`},
	} {
		res := r.Run(c.args...)
		if res.Code != 1 || res.Stderr != " !     "+c.err+"\n" {
			t.Errorf("%v: %s", c.args, res)
		}
	}
	if res := r.Run("builds:output", "web"); res.Code != 0 || res.Stdout != "-----> App not currently deploying\n" {
		t.Errorf("output without a deploy: %s", res)
	}
}

func TestBuildsRetention(t *testing.T) {
	r := dokkutest.New(t)
	r.MustRun("apps:create", "ret")
	r.MustRun("builds:set", "ret", "retention", "2")
	if got := r.MustRun("builds:report", "ret", "--builds-computed-retention").Stdout; got != "2\n" {
		t.Errorf("computed retention %q", got)
	}
	var ids []string
	for i := 0; i < 4; i++ {
		id := strings.TrimSpace(r.MustRun("plugin:trigger", "builds-generate-id").Stdout)
		ids = append(ids, id)
		r.MustRun("plugin:trigger", "builds-record-start", "ret", id, "1", "git-hook")
		os.WriteFile(filepath.Join(r.Lib, "data", "builds", "ret", id+".log"), []byte("x"), 0o644)
		r.MustRun("plugin:trigger", "builds-record-finalize", "ret", id, strconv.Itoa(i%2))
		time.Sleep(5 * time.Millisecond)
	}
	ents, _ := os.ReadDir(filepath.Join(r.Lib, "data", "builds", "ret"))
	if len(ents) != 4 { // two records, two logs
		t.Errorf("after pruning to 2: %d files", len(ents))
	}
	for _, id := range ids[:2] {
		if _, err := os.Stat(filepath.Join(r.Lib, "data", "builds", "ret", id+".json")); err == nil {
			t.Errorf("old record %s kept", id)
		}
	}
	var j map[string]string
	json.Unmarshal([]byte(r.MustRun("builds:report", "ret", "--format", "json").Stdout), &j)
	if j["retention"] != "2" || j["builds-retention"] != "2" || j["build-id"] != ids[3] || j["build-status"] != "failed" {
		t.Errorf("json report %v", j)
	}
}
