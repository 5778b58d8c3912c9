package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

func ctxWith(out, errb *bytes.Buffer, quiet bool) *plugin.Context {
	e := env.New(nil)
	if quiet {
		e.Set("DOKKU_QUIET_OUTPUT", "1")
	}
	return plugin.NewContext(e, nil).WithIO(nil, out, errb)
}

var values = map[string]string{
	"--ps-restart-policy":        "on-failure:10",
	"--deployed":                 "true",
	"--ps-computed-stop-timeout": "30",
}

func TestReportStdoutLayout(t *testing.T) {
	var out, errb bytes.Buffer
	s := Spec{Namespace: "ps", Type: "ps"}
	if err := Render(ctxWith(&out, &errb, false), s, "node-js-app", values, "", "stdout"); err != nil {
		t.Fatal(err)
	}
	want := "=====> node-js-app ps information\n" +
		"       Deployed:                      true\n" +
		"       Ps computed stop timeout:      30\n" +
		"       Ps restart policy:             on-failure:10\n"
	if out.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
	}
	out.Reset()
	Render(ctxWith(&out, &errb, true), s, "node-js-app", values, "", "stdout")
	if out.String()[:7] != "       " {
		t.Fatal("--quiet drops the header only")
	}
}

func TestReportWidthGrowsWithLongFlags(t *testing.T) {
	var out, errb bytes.Buffer
	long := map[string]string{"--nginx-computed-x-forwarded-proto-value": "$scheme", "--nginx-hsts": "true"}
	Render(ctxWith(&out, &errb, true), Spec{Type: "nginx"}, "a", long, "", "stdout")
	want := "       Nginx computed x forwarded proto value: $scheme\n" +
		"       Nginx hsts:                             true\n"
	if out.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestReportJSONAndFlags(t *testing.T) {
	var out, errb bytes.Buffer
	ctx := ctxWith(&out, &errb, false)
	Render(ctx, Spec{Type: "ps", LegacyJSONKeys: true}, "a", values, "", "json")
	want := `{"computed-stop-timeout":"30","deployed":"true","ps-computed-stop-timeout":"30","ps-restart-policy":"on-failure:10","restart-policy":"on-failure:10"}` + "\n"
	if out.String() != want {
		t.Fatalf("%s", out.String())
	}
	out.Reset()
	if err := Render(ctx, Spec{Type: "ps"}, "a", values, "--ps-restart-policy", "stdout"); err != nil || out.String() != "on-failure:10\n" {
		t.Fatalf("single flag: %v %q", err, out.String())
	}
	err := Render(ctx, Spec{Type: "ps"}, "a", values, "--nope", "stdout")
	if ui.Code(err) != 1 || err.Error() != "Invalid flag passed, valid flags: --deployed, --ps-computed-stop-timeout, --ps-restart-policy" {
		t.Fatalf("%v", err)
	}
	if err := Render(ctx, Spec{Type: "ps"}, "a", values, "--deployed", "json"); err == nil {
		t.Fatal("json with an info flag must fail")
	}
}

func TestReportCommandAndTrigger(t *testing.T) {
	var out, errb bytes.Buffer
	ctx := ctxWith(&out, &errb, true)
	var seen []string
	s := Spec{Namespace: "x", Type: "x", Collect: func(_ *plugin.Context, app string) (map[string]string, error) {
		seen = append(seen, app)
		return map[string]string{"--x-a": "1"}, nil
	}}
	// the command drops its command word
	if err := Command(s)(ctx, []string{"x:report", "--global", "--x-a"}); err != nil || out.String() != "1\n" {
		t.Fatalf("command: %v %q", err, out.String())
	}
	// the trigger reports its first argument only, and nothing without one
	out.Reset()
	if err := Trigger(s)(ctx, nil); err != nil || out.Len() != 0 {
		t.Fatalf("trigger without args: %v %q", err, out.String())
	}
	if err := Trigger(s)(ctx, []string{"--global", "--x-a"}); err != nil || out.String() != "       X a:                           1\n" {
		t.Fatalf("trigger: %v %q", err, out.String())
	}
	if len(seen) != 2 || seen[0] != "--global" || seen[1] != "--global" {
		t.Fatalf("collected %v", seen)
	}
}

func TestReportAppTrigger(t *testing.T) {
	root := t.TempDir()
	os.Mkdir(filepath.Join(root, "myapp"), 0o755)
	var out, errb bytes.Buffer
	ctx := plugin.NewContext(env.New([]string{"DOKKU_ROOT=" + root}), plugin.NewRegistry("1")).WithIO(nil, &out, &errb)
	var seen []string
	s := Spec{Namespace: "x", Type: "x", Collect: func(_ *plugin.Context, app string) (map[string]string, error) {
		seen = append(seen, app)
		return map[string]string{"--x-a": "1"}, nil
	}}
	if err := AppTrigger(s)(ctx, []string{"nope"}); ui.Code(err) != 20 || len(seen) != 0 {
		t.Fatalf("unknown app: %v %v", err, seen)
	}
	if err := AppTrigger(s)(ctx, nil); err == nil || len(seen) != 0 {
		t.Fatalf("no app: %v %v", err, seen)
	}
	if err := AppTrigger(s)(ctx, []string{"myapp", "--x-a"}); err != nil || out.String() != "=====> myapp x information\n       X a:                           1\n" {
		t.Fatalf("report: %v %q", err, out.String())
	}
}
