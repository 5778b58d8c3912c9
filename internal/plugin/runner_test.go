package plugin

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/ui"
)

// tree builds a plugin tree with core plugins (Go triggers, entries
// symlinked to a file named dokku) and community shell plugins.
type tree struct {
	t   *testing.T
	env *env.Env
	reg *Registry
}

func newTree(t *testing.T, core ...*Plugin) *tree {
	dir := t.TempDir()
	e := env.LoadChild([]string{"DOKKU_ROOT=" + filepath.Join(dir, "home"), "DOKKU_LIB_PATH=" + filepath.Join(dir, "lib"), "PATH=" + os.Getenv("PATH")})
	exe := filepath.Join(dir, "bin", "dokku")
	os.MkdirAll(filepath.Dir(exe), 0o755)
	os.WriteFile(exe, []byte("#!/bin/sh\necho exec-of-core-entry >&2\nexit 99\n"), 0o755)
	reg := NewRegistry("0.38.27", core...)
	if err := WriteCore(e, reg, exe); err != nil {
		t.Fatal(err)
	}
	return &tree{t: t, env: e, reg: reg}
}

func (tr *tree) shell(name string, files map[string]string) {
	dir := filepath.Join(tr.env.PluginAvailablePath(), name)
	os.MkdirAll(dir, 0o755)
	if _, ok := files["plugin.toml"]; !ok {
		files["plugin.toml"] = "[plugin]\ndescription = \"x\"\nversion = \"1\"\n[plugin.config]\n"
	}
	for f, c := range files {
		mode := os.FileMode(0o644)
		if strings.HasPrefix(c, "#!") {
			mode = 0o755
		}
		os.WriteFile(filepath.Join(dir, f), []byte(c), mode)
	}
	if err := Enable(tr.env, name); err != nil {
		tr.t.Fatal(err)
	}
}

func (tr *tree) ctx(stdin string) (*Context, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	c := NewContext(tr.env, tr.reg).WithIO(strings.NewReader(stdin), &out, &errb)
	return c, &out, &errb
}

func goTrigger(name, msg string) *Plugin {
	return &Plugin{Name: name, Description: name, Triggers: map[string]Handler{
		"t": func(ctx *Context, args []string) error {
			in, _ := io.ReadAll(ctx.Stdin)
			fmt.Fprintf(ctx.Stdout, "%s%v[%s]\n", msg, args, in)
			return nil
		},
		"fail": func(ctx *Context, args []string) error { return ui.Fail("core says no") },
	}}
}

func TestRunnerOrderStdinAndOutput(t *testing.T) {
	tr := newTree(t, goTrigger("bbb-core", "core"))
	tr.shell("aaa-shell", map[string]string{"t": "#!/bin/sh\necho \"shell-a$*[$(cat)]\"\n"})
	tr.shell("ccc-shell", map[string]string{"t": "#!/bin/sh\necho \"shell-c$*[$(cat)]\"\n"})
	ctx, out, _ := tr.ctx("INPUT")
	if err := ctx.Trigger("t", "x", "y"); err != nil {
		t.Fatal(err)
	}
	want := "shell-ax y[INPUT]\ncore[x y][]\nshell-cx y[]\n"
	if out.String() != want {
		t.Fatalf("got %q want %q", out.String(), want)
	}
	ctx, _, _ = tr.ctx("")
	if v, _ := ctx.TriggerInput("t", "piped", "1"); v != "shell-a1[piped]\ncore[1][]\nshell-c1[]" {
		t.Fatalf("TriggerInput %q", v)
	}
}

func TestRunnerFailFast(t *testing.T) {
	tr := newTree(t, goTrigger("bbb-core", "core"))
	tr.shell("aaa-shell", map[string]string{"t": "#!/bin/sh\necho first\nexit 7\n"})
	ctx, out, _ := tr.ctx("")
	err := ctx.Trigger("t")
	if ui.Code(err) != 7 || !ui.Silent(err) || out.String() != "first\n" {
		t.Fatalf("code %d silent %v out %q", ui.Code(err), ui.Silent(err), out.String())
	}
	ctx, _, errb := tr.ctx("")
	err = ctx.Trigger("fail")
	if ui.Code(err) != 1 || errb.String() != " !     core says no\n" {
		t.Fatalf("in-process failure: %d %q", ui.Code(err), errb.String())
	}
}

func TestRunnerNonExecutableAndMissing(t *testing.T) {
	tr := newTree(t)
	tr.shell("aaa-shell", map[string]string{"t": "echo never\n"})
	ctx, out, errb := tr.ctx("")
	if err := ctx.Trigger("t"); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 || errb.String() != "Trigger 't' is not executable, skipping plugin (aaa-shell)\n" {
		t.Fatalf("%q %q", out.String(), errb.String())
	}
	if err := ctx.Trigger("nobody-implements-this"); err != nil {
		t.Fatal(err)
	}
	if err := ctx.Trigger("../escape"); err == nil {
		t.Fatal("trigger names with / must be refused")
	}
}

func TestRunnerTriggerExistsIgnoresEvents(t *testing.T) {
	tr := newTree(t)
	tr.shell("20_events", map[string]string{"user-auth": "#!/bin/sh\nexit 0\n"})
	ctx, _, _ := tr.ctx("")
	if ctx.TriggerExists("user-auth") {
		t.Fatal("20_events must be ignored")
	}
	tr.shell("auth", map[string]string{"user-auth": "#!/bin/sh\nexit 0\n"})
	ctx, _, _ = tr.ctx("")
	if !ctx.TriggerExists("user-auth") {
		t.Fatal("auth implements user-auth")
	}
}

func TestRunnerConfigExport(t *testing.T) {
	tr := newTree(t)
	tr.shell("cfg-plugin", map[string]string{
		"plugin.toml": "[plugin]\ndescription = \"x\"\nversion = \"1\"\n[plugin.config]\nsome-key = \"\"\n",
		"t":           "#!/bin/sh\necho \"$CONFIG_SOME_KEY\"\n",
	})
	if err := ConfigSet(tr.env, "cfg-plugin", "some-key", "stored"); err != nil {
		t.Fatal(err)
	}
	ctx, out, _ := tr.ctx("")
	ctx.Trigger("t")
	if out.String() != "stored\n" {
		t.Fatalf("%q", out.String())
	}
	e := tr.env.Clone()
	e.Set("CFG_PLUGIN_SOME_KEY", "from-env")
	ctx, out, _ = tr.ctx("")
	ctx.WithEnv(e).Trigger("t")
	if out.String() != "from-env\n" {
		t.Fatalf("%q", out.String())
	}
}

func TestRunnerBrokenPluginTomlDoesNotStopOthers(t *testing.T) {
	tr := newTree(t)
	tr.shell("broken", map[string]string{"plugin.toml": "[plugin\nthis is not toml", "t": "#!/bin/sh\necho broken-ran\n"})
	tr.shell("fine", map[string]string{"t": "#!/bin/sh\necho fine-ran\n"})
	ctx, out, _ := tr.ctx("")
	if err := ctx.Trigger("t"); err != nil {
		t.Fatal(err)
	}
	if out.String() != "broken-ran\nfine-ran\n" {
		t.Fatalf("%q", out.String())
	}
	infos := List(tr.env)
	var sawErr bool
	for _, i := range infos {
		if i.Name == "broken" && i.Err != nil {
			sawErr = true
		}
	}
	if !sawErr {
		t.Fatal("List must report the broken plugin.toml")
	}
}

func TestRunnerEntryParsing(t *testing.T) {
	reg := NewRegistry("1", &Plugin{Name: "apps"}, &Plugin{Name: "nginx-vhosts"})
	cases := map[string]Entry{
		"/var/lib/dokku/plugins/enabled/apps/subcommands/create":  {Kind: EntrySubcommand, Name: "create"},
		"/var/lib/dokku/plugins/enabled/apps/commands":            {Kind: EntryCommands},
		"/var/lib/dokku/plugins/enabled/nginx-vhosts/post-deploy": {Kind: EntryTrigger, Name: "post-deploy"},
		"/usr/bin/dokku":                {Kind: EntryNone},
		"dokku":                         {Kind: EntryNone},
		"/usr/local/bin/plugn":          {Kind: EntryNone},
		"/opt/other/subcommands/create": {Kind: EntryNone},
	}
	for argv0, want := range cases {
		got := reg.ParseEntry(argv0)
		if got.Kind != want.Kind || got.Name != want.Name {
			t.Errorf("%s -> %+v", argv0, got)
		}
	}
}

func TestRunnerWriteCoreLayout(t *testing.T) {
	p := &Plugin{Name: "apps", Summary: "Manage apps", Commands: []*Command{
		{Name: "apps:create", Run: func(*Context, []string) error { return nil }},
		{Name: "apps", Hidden: true, Run: func(*Context, []string) error { return nil }},
		{Name: "git-hook", ViaCommands: true, Run: func(*Context, []string) error { return nil }},
	}, Triggers: map[string]Handler{"post-create": nil}, Files: map[string]string{"functions": "#!/bin/bash\n"}}
	tr := newTree(t, p)
	dir := filepath.Join(tr.env.PluginCoreAvailablePath(), "apps")
	for _, f := range []string{"commands", "subcommands/create", "subcommands/default", "subcommands/help", "post-create"} {
		if !IsCoreEntry(filepath.Join(dir, f)) {
			t.Errorf("%s is not a core entry", f)
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, "subcommands", "git-hook")); err == nil {
		t.Error("ViaCommands commands must not get a subcommands file")
	}
	if fi, _ := os.Stat(filepath.Join(dir, "functions")); fi == nil || fi.Mode().Perm() != 0o755 {
		t.Error("functions file")
	}
	if !IsCore(tr.env, "apps") || !IsEnabled(tr.env, "apps") {
		t.Error("core plugin must be enabled and detected as core")
	}
	// A second write after dropping a trigger removes its stale entry, and
	// files that are not part of the registration (left by an older version
	// or by Dokku itself) disappear.
	os.WriteFile(filepath.Join(dir, "post-deploy"), []byte("#!/bin/bash\necho dokku-bash\n"), 0o755)
	delete(p.Triggers, "post-create")
	WriteCore(tr.env, tr.reg, filepath.Join(filepath.Dir(tr.env.PluginPath()), "..", "bin", "dokku"))
	for _, stale := range []string{"post-create", "post-deploy"} {
		if _, err := os.Lstat(filepath.Join(dir, stale)); err == nil {
			t.Errorf("stale entry %s survived a rewrite", stale)
		}
	}
	if ents, _ := os.ReadDir(tr.env.PluginCoreAvailablePath()); len(ents) != 1 {
		t.Errorf("staging directories left behind: %v", ents)
	}
}
