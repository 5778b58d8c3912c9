package setting

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

func setup(t *testing.T) (*plugin.Context, *bytes.Buffer) {
	dir := t.TempDir()
	e := env.LoadChild([]string{"DOKKU_ROOT=" + filepath.Join(dir, "home"), "DOKKU_LIB_PATH=" + filepath.Join(dir, "lib")})
	os.MkdirAll(filepath.Join(dir, "home", "myapp"), 0o755)
	var out bytes.Buffer
	return plugin.NewContext(e, plugin.NewRegistry("1")).WithIO(nil, &out, &out), &out
}

var spec = Spec{Plugin: "demo", Keys: map[string]Key{
	"both":   {},
	"app":    {Scope: AppOnly},
	"global": {Scope: GlobalOnly},
	"flag":   {Validate: Bool},
	"rev":    {KeepEmpty: true},
}}

func TestSettingWriteAndDelete(t *testing.T) {
	ctx, out := setup(t)
	if err := Run(ctx, spec, []string{"myapp", "both", "a", "b"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := ctx.Props().Get("demo", "myapp", "both"); v != "a b" || out.String() != "=====> Setting both to a b\n" {
		t.Fatalf("%q %q", v, out.String())
	}
	out.Reset()
	Run(ctx, spec, []string{"myapp", "both"})
	if ctx.Props().Exists("demo", "myapp", "both") || out.String() != "=====> Unsetting both\n" {
		t.Fatalf("unset: %q", out.String())
	}
	Run(ctx, spec, []string{"--global", "both", "g"})
	if v, _ := ctx.Props().Get("demo", property.Global, "both"); v != "g" {
		t.Fatal("global")
	}
	Run(ctx, spec, []string{"myapp", "rev", ""})
	if !ctx.Props().Exists("demo", "myapp", "rev") {
		t.Fatal("KeepEmpty must store an explicit empty value")
	}
}

func TestSettingErrors(t *testing.T) {
	ctx, _ := setup(t)
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"nope", "both", "x"}, 20, "App nope does not exist"},
		{[]string{"myapp", "bogus", "x"}, 1, "Invalid property specified, valid properties include: app, both, flag, global, rev"},
		{[]string{"--global", "app", "x"}, 1, "Property cannot be specified globally"},
		{[]string{"myapp", "global", "x"}, 1, "The key 'global' can only be set globally"},
		{[]string{"myapp", "flag", "maybe"}, 1, "Invalid value specified, valid values include: true, false"},
		{[]string{}, 1, "Please specify an app to run the command on"},
	}
	for _, c := range cases {
		err := Run(ctx, spec, c.args)
		var ee *ui.ExitError
		if !errors.As(err, &ee) || ee.Code != c.code || ee.Msg != c.msg {
			t.Errorf("%v: got %v", c.args, err)
		}
	}
}

func TestSettingQuiet(t *testing.T) {
	ctx, out := setup(t)
	e := ctx.Env.Clone()
	e.Set("DOKKU_QUIET_OUTPUT", "1")
	Run(ctx.WithEnv(e), spec, []string{"myapp", "both", "x"})
	if out.Len() != 0 {
		t.Fatalf("quiet: %q", out.String())
	}
}

func TestSettingValue(t *testing.T) {
	ctx, out := setup(t)
	var gotApp string
	s := Spec{Plugin: "demo", Keys: map[string]Key{
		"list": {Value: func(_ *plugin.Context, appName string, words []string) (string, error) {
			gotApp = appName
			if len(words) > 0 && words[0] == "bad" {
				return "", ui.Fail("bad word")
			}
			return strings.Join(words, ","), nil
		}},
		"flag": {Validate: Bool, Value: func(*plugin.Context, string, []string) (string, error) { return "maybe", nil }},
	}}
	if err := Run(ctx, s, []string{"myapp", "list", "a", "b"}); err != nil || gotApp != "myapp" || out.String() != "=====> Setting list to a,b\n" {
		t.Fatalf("%v %q %q", err, gotApp, out.String())
	}
	if v, _ := ctx.Props().Get("demo", "myapp", "list"); v != "a,b" {
		t.Fatalf("stored %q", v)
	}
	out.Reset()
	if err := Run(ctx, s, []string{"--global", "list"}); err != nil || gotApp != property.Global || out.String() != "=====> Unsetting list\n" {
		t.Fatalf("%v %q %q", err, gotApp, out.String())
	}
	if err := Run(ctx, s, []string{"myapp", "list", "bad"}); err == nil || err.Error() != "bad word" {
		t.Fatalf("error kept as is: %v", err)
	}
	// the value made is what gets validated
	if err := Run(ctx, s, []string{"myapp", "flag", "true"}); err == nil || err.Error() != "Invalid value specified, valid values include: true, false" {
		t.Fatalf("validated: %v", err)
	}
}

func TestSettingCommand(t *testing.T) {
	ctx, out := setup(t)
	if err := Command(spec)(ctx, []string{"demo:set", "myapp", "both", "x"}); err != nil || out.String() != "=====> Setting both to x\n" {
		t.Fatalf("%v %q", err, out.String())
	}
	if err := Command(spec)(ctx, nil); err == nil || err.Error() != "Please specify an app to run the command on" {
		t.Fatalf("no words: %v", err)
	}
}
