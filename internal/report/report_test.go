package report

import (
	"bytes"
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
