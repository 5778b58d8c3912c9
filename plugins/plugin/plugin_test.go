package pluginmgr

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
)

func TestPluginParseInstallArgs(t *testing.T) {
	cases := []struct {
		args []string
		want installOptions
	}{
		{nil, installOptions{}},
		{[]string{"--core"}, installOptions{core: true}},
		{[]string{"--core", "extra"}, installOptions{core: true, extra: []string{"extra"}}},
		{[]string{"https://x/y.git", "--committish", "v1", "--name", "n"}, installOptions{source: "https://x/y.git", committish: "v1", name: "n"}},
		{[]string{"--name=n", "--committish=v1", "src", "--skip-install-trigger", "--quiet"}, installOptions{source: "src", committish: "v1", name: "n", skipTrigger: true}},
		{[]string{"src", "legacy-name"}, installOptions{source: "src", name: "legacy-name", extra: []string{"legacy-name"}}},
	}
	for _, c := range cases {
		got, err := parseInstallArgs(c.args)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v: %+v %v, want %+v", c.args, got, err, c.want)
		}
	}
	for _, bad := range [][]string{
		{"src", "--random-flag"},
		{"-x"},
		{"src", "--name"},
		{"src", "--name", "--core"},
		{"a", "b", "c"},
		{"src", "legacy", "--name", "n"},
		{"--name", "n"},
		{"--committish", "v1"},
	} {
		if _, err := parseInstallArgs(bad); !errors.Is(err, plugin.ErrInvalidSource) {
			t.Errorf("%v accepted: %v", bad, err)
		}
	}
}

func TestPluginSudoPlugnArgv(t *testing.T) {
	e := env.New([]string{"DOKKU_SYSTEM_USER=dokku"})
	if argv := sudoPlugnArgv(e, 1000, "alice", []string{"x"}); argv != nil {
		t.Fatalf("non-root switched: %v", argv)
	}
	if argv := sudoPlugnArgv(e, 0, "dokku", []string{"x"}); argv != nil {
		t.Fatalf("system user switched to itself: %v", argv)
	}
	if argv := sudoPlugnArgv(env.New([]string{"DOKKU_SYSTEM_USER=root"}), 0, "root", []string{"x"}); argv != nil {
		t.Fatalf("root system user: %v", argv)
	}
	argv := sudoPlugnArgv(e, 0, "root", []string{"post-deploy", "app"})
	exe, _ := os.Executable()
	want := []string{"sudo", "-u", "dokku", "-E", "-H", "bash", "-c", `exec -a plugn "$0" "$@"`, exe, "trigger", "post-deploy", "app"}
	if !reflect.DeepEqual(argv, want) {
		t.Fatalf("%q", argv)
	}
}

func TestPluginWriteCompletion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "var", "cache", "dokku-completion")
	help := "Usage: dokku ...\n\nCommands:\n\n    plugin:list [--format stdout|json]  Print\n    apps:create <app>   Create\nCommunity plugin commands:\n\n    zz:x  y\n"
	if err := writeCompletion(path, help); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != "apps:create\nplugin:list\nzz:x\n" {
		t.Fatalf("%q", b)
	}
}

func TestPluginChownTree(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	uid, gid, ok := env.LookupIDs("nobody", "nogroup")
	if !ok {
		t.Skip("no nobody user")
	}
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "a", "b"), 0o755)
	os.WriteFile(filepath.Join(root, "a", "f"), nil, 0o644)
	outside := filepath.Join(t.TempDir(), "outside")
	os.WriteFile(outside, nil, 0o644)
	os.Symlink(outside, filepath.Join(root, "a", "link"))
	if err := chownTree(root, uid, gid); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{root, filepath.Join(root, "a", "b"), filepath.Join(root, "a", "f"), filepath.Join(root, "a", "link")} {
		fi, _ := os.Lstat(p)
		if st := fi.Sys().(*syscall.Stat_t); int(st.Uid) != uid || int(st.Gid) != gid {
			t.Errorf("%s not chowned", p)
		}
	}
	fi, _ := os.Stat(outside)
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != 0 {
		t.Error("followed a symlink out of the tree")
	}
	if err := chownTree(filepath.Join(root, "missing"), uid, gid); err != nil {
		t.Fatalf("missing root: %v", err)
	}
}

func TestPluginHelpLines(t *testing.T) {
	p := Plugin()
	lines := p.HelpLines()
	if len(lines) != 8 {
		t.Fatalf("%d help lines", len(lines))
	}
	for i := 1; i < len(lines); i++ {
		if lines[i-1] > lines[i] {
			t.Fatalf("help not sorted: %q > %q", lines[i-1], lines[i])
		}
	}
	if !strings.HasPrefix(lines[2], "    plugin:install [--core|--git-url] [--committish branch|commit|commit]") {
		t.Fatalf("%q", lines[2])
	}
}
