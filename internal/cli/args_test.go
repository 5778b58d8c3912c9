package cli

import (
	"fmt"
	"testing"

	"github.com/godokku/dokku/internal/env"
)

func TestCLIParseGlobalFlags(t *testing.T) {
	e := env.New(nil)
	parseGlobalFlags(e, []string{"--quiet", "apps:destroy", "x", "--force", "--app", "myapp", "--trace", "--label=a"})
	for k, v := range map[string]string{
		"DOKKU_QUIET_OUTPUT": "1", "DOKKU_TRACE": "1", "DOKKU_APPS_FORCE_DELETE": "1", "DOKKU_APP_NAME": "myapp",
		"DOKKU_GLOBAL_FLAGS": "--quiet --force --app=myapp --trace --label=a",
	} {
		if e.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, e.Get(k), v)
		}
	}
	e2 := env.New([]string{"DOKKU_GLOBAL_FLAGS=--keep"})
	parseGlobalFlags(e2, []string{"--quiet"})
	if e2.Get("DOKKU_GLOBAL_FLAGS") != "--keep" {
		t.Error("DOKKU_GLOBAL_FLAGS must not be overwritten")
	}
}

func TestCLIStripLeadingFlags(t *testing.T) {
	cases := []struct{ in, want []string }{
		{[]string{"apps:list"}, []string{"apps:list"}},
		{[]string{"--quiet", "apps:list", "--force"}, []string{"apps:list", "--force"}},
		{[]string{"--app", "x", "config:show"}, []string{"config:show"}},
		{[]string{"--version"}, []string{"--version"}},
		{[]string{"--quiet", "--version"}, []string{"--version"}},
		// compat: each removal shifts the front, so --version is lost here, as in Dokku.
		{[]string{"--version", "--quiet"}, []string{"--quiet"}},
		{[]string{"--trace", "--app", "a", "--quiet", "ps:report"}, []string{"ps:report"}},
		// compat: bash `shift 2` past the end removes nothing.
		{[]string{"--app"}, []string{"--app"}},
		{[]string{"--quiet", "--app"}, []string{"--app"}},
	}
	for _, c := range cases {
		if got := stripLeadingFlags(c.in); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%v -> %v, want %v", c.in, got, c.want)
		}
	}
}

func TestCLIRootOnly(t *testing.T) {
	for cmd, want := range map[string]bool{
		"plugin:install": true, "plugin:update": true, "plugin:list": false, "plugin:help": false,
		"ssh-keys:add": true, "ssh-keys:remove": true, "ssh-keys:list": false,
		"scheduler-k3s:initialize": true, "myplugin:foo": false, "apps:list": false,
	} {
		if rootOnly(cmd) != want {
			t.Errorf("rootOnly(%s) != %v", cmd, want)
		}
	}
}

func TestCLISplitXargs(t *testing.T) {
	cases := map[string][]string{
		`config:set app KEY="a b" K2='c d'`: {"config:set", "app", "KEY=a b", "K2=c d"},
		`a\ b c`:                            {"a b", "c"},
		`  spaced   out  `:                  {"spaced", "out"},
		`x "" y`:                            {"x", "", "y"},
		`mix'ed'"quo"tes`:                   {"mixedquotes"},
		"nl\nsep":                           {"nl", "sep"},
	}
	for in, want := range cases {
		got, err := splitXargs(in)
		if err != nil || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Errorf("splitXargs(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`a 'b`, `a "b`, "a 'b\nc'"} {
		if _, err := splitXargs(bad); err == nil {
			t.Errorf("splitXargs(%q) should fail", bad)
		}
	}
}

func TestCLISSHArgs(t *testing.T) {
	got, _ := sshArgs("git-receive-pack", "git-receive-pack 'app'")
	if fmt.Sprintf("%q", got) != `["git-receive-pack" "'app'"]` {
		t.Errorf("git words keep quotes: %q", got)
	}
	got, _ = sshArgs("config:set", `config:set app K="v w"`)
	if fmt.Sprintf("%q", got) != `["config:set" "app" "K=v w"]` {
		t.Errorf("%q", got)
	}
}

func TestCLIResolveName(t *testing.T) {
	cases := []struct {
		args          []string
		name, cmd, a0 string
	}{
		{[]string{"apps:list"}, "apps:list", "apps:list", "apps:list"},
		{[]string{"events:list"}, "20_events:list", "events:list", "events:list"},
		{[]string{"events"}, "20_events", "events", "events"},
		{[]string{"nginx:report", "x"}, "nginx-vhosts:report", "nginx:report", "nginx:report"},
		{[]string{"docker-local:report"}, "scheduler-docker-local:report", "scheduler-docker-local:report", "scheduler-docker-local:report"},
		{[]string{"pack:set"}, "builder-pack:set", "builder-pack:set", "builder-pack:set"},
		{[]string{"urls", "x"}, "00_dokku-standard", "urls", "urls"},
		{[]string{"report"}, "00_dokku-standard", "report", "report"},
	}
	for _, c := range cases {
		name, cmd, args := resolveName(c.args)
		if name != c.name || cmd != c.cmd || args[0] != c.a0 {
			t.Errorf("%v -> %s %s %s", c.args, name, cmd, args[0])
		}
	}
}

func TestCLIHelpArgText(t *testing.T) {
	cases := map[string]string{
		"    apps, Manage apps":                              "    apps, Manage apps",
		"    config:set [--encoded] <app> KEY=VAL, Set vars": "    config:set, Set vars",
		"    run <app> <cmd>, Run a command":                 "    run, Run a command",
		"    enter (<app>|--container-id x), Enter":          "    enter, Enter",
		"    logs --tail, Show logs":                         "    logs --tail, Show logs",
		"    a [x], b, c":                                    "    a, c",
	}
	for in, want := range cases {
		if got := argText().ReplaceAllLiteralString(in, ","); got != want {
			t.Errorf("%q -> %q, want %q", in, got, want)
		}
	}
}
