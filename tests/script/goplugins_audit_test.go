package script

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

// Dokku's Go plugins print <ns>:help through CommandUsage: the header, then
// the help lines columnised with a 4-space prefix; a help text ending in a
// newline leaves a last "    " line, the builds text does not.
func TestGoPluginsHelpLayout(t *testing.T) {
	r := dokkutest.New(t)
	want := "Usage: dokku app-json[:COMMAND]\n\nManage app-json settings for an app\n\nAdditional commands:\n" +
		"    app-json:report [<app>] [<flag>]         Displays a app-json report for one or more apps\n" +
		"    app-json:set <app> <property> (<value>)  Set or clear a app-json property for an app\n" +
		"    \n"
	for _, cmd := range []string{"app-json:help", "app-json"} {
		if res := r.MustRun(cmd); res.Stdout != want {
			t.Errorf("%s:\n%q", cmd, res.Stdout)
		}
	}
	res := r.MustRun("builds:help")
	if !strings.HasPrefix(res.Stdout, "Usage: dokku builds[:COMMAND]\n\nManage running and historical builds\n\nAdditional commands:\n    builds:cancel <app>  ") {
		t.Errorf("builds header:\n%q", res.Stdout)
	}
	if !strings.HasSuffix(res.Stdout, "    builds:set [--global|<app>] <key> [<value>]                                    Set or clear a builds property\n") {
		t.Errorf("builds:help must end on its last command line:\n%q", res.Stdout)
	}
	if res := r.MustRun("ps:help"); !strings.HasSuffix(res.Stdout, "Stop an app\n    \n") {
		t.Errorf("ps:help tail:\n%q", res.Stdout)
	}
	if res := r.MustRun("registry:help"); !strings.HasSuffix(res.Stdout, "Set or clear a registry property for an app\n    \n") {
		t.Errorf("registry:help tail:\n%q", res.Stdout)
	}
}

// app-json:report shows the global appjson-path with its default filled in,
// and the --global report holds that one flag.
func TestGoPluginsAppJSONReport(t *testing.T) {
	r := dokkutest.New(t)
	r.MustRun("apps:create", "web")
	want := "=====> web app-json information\n" +
		"       App json appjson path:          \n" +
		"       App json computed appjson path: app.json\n" +
		"       App json global appjson path:   app.json\n"
	if res := r.MustRun("app-json:report", "web"); res.Stdout != want {
		t.Errorf("%q", res.Stdout)
	}
	want = "=====> --global app-json information\n" +
		"       App json global appjson path:  app.json\n"
	if res := r.MustRun("app-json:report", "--global"); res.Stdout != want {
		t.Errorf("%q", res.Stdout)
	}
	r.MustRun("app-json:set", "--global", "appjson-path", "deploy/app.json")
	var j map[string]string
	json.Unmarshal([]byte(r.MustRun("app-json:report", "web", "--format", "json").Stdout), &j)
	if j["app-json-global-appjson-path"] != "deploy/app.json" || j["computed-appjson-path"] != "deploy/app.json" || j["appjson-path"] != "" {
		t.Errorf("json %v", j)
	}
	if res := r.MustRun("app-json:report", "--global", "--app-json-global-appjson-path"); res.Stdout != "deploy/app.json\n" {
		t.Errorf("%q", res.Stdout)
	}
	if res := r.Run("app-json:report", "--global", "--app-json-computed-appjson-path"); res.Code != 1 ||
		res.Stderr != " !     Invalid flag passed, valid flags: --app-json-global-appjson-path\n" {
		t.Errorf("%s", res)
	}
}

// builds:set verifies the app first, then the key (an absent key included).
func TestGoPluginsBuildsSetOrder(t *testing.T) {
	r := dokkutest.New(t)
	r.MustRun("apps:create", "web")
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"builds:set", "nope", "color", "red"}, 20, "App nope does not exist"},
		{[]string{"builds:set", "web"}, 1, `Invalid property "" (allowed: retention)`},
		{[]string{"builds:set", "--global"}, 1, `Invalid property "" (allowed: retention)`},
		{[]string{"builds:set", "--global", "color", "x"}, 1, `Invalid property "color" (allowed: retention)`},
		{[]string{"builds:set"}, 1, "Please specify an app to run the command on"},
	} {
		res := r.Run(c.args...)
		if res.Code != c.code || res.Stderr != " !     "+c.err+"\n" || res.Stdout != "" {
			t.Errorf("%v: %s", c.args, res)
		}
	}
	if res := r.MustRun("builds:set", "--global", "retention", "4"); res.Stdout != "=====> Setting retention to 4\n" {
		t.Errorf("%s", res)
	}
	if res := r.MustRun("builds:set", "web", "retention"); res.Stdout != "=====> Unsetting retention\n" {
		t.Errorf("%s", res)
	}
}
