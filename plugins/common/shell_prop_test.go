package shellapi

import (
	"os"
	"strings"
	"testing"
)

func TestShellPropScalar(t *testing.T) {
	s := newShellEnv(t)
	if r := s.call(runProp, "", "set", "nginx", "app1", "bind-address-ipv4", "1.2.3.4"); r.code != 0 || r.out != "" || r.err != "" {
		t.Fatalf("set: %+v", r)
	}
	p := s.propPath("nginx", "app1", "bind-address-ipv4")
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "1.2.3.4" {
		t.Fatalf("file: %q %v", b, err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
	cases := []struct {
		args []string
		out  string
		code int
	}{
		{[]string{"get", "nginx", "app1", "bind-address-ipv4"}, "1.2.3.4\n", 0},
		{[]string{"get", "nginx", "app1", "missing"}, "", 0},
		{[]string{"get-with-default", "nginx", "app1", "missing", "dflt"}, "dflt\n", 0},
		{[]string{"get-with-default", "nginx", "app1", "bind-address-ipv4", "dflt"}, "1.2.3.4\n", 0},
		{[]string{"get-with-default", "nginx", "app1", "missing"}, "", 0},
		{[]string{"exists", "nginx", "app1", "bind-address-ipv4"}, "", 0},
		{[]string{"exists", "nginx", "app1", "missing"}, "", 1},
	}
	for _, c := range cases {
		r := s.call(runProp, "", c.args...)
		if r.out != c.out || r.code != c.code || r.err != "" {
			t.Errorf("%v: %+v", c.args, r)
		}
	}

	// an existing empty value is not replaced by the default
	s.call(runProp, "", "set", "nginx", "app1", "empty", "")
	if r := s.call(runProp, "", "get-with-default", "nginx", "app1", "empty", "dflt"); r.out != "" || r.code != 0 {
		t.Errorf("empty value: %+v", r)
	}

	s.call(runProp, "", "set", "nginx", "app1", "access-log-path", "/var/log/x")
	s.call(runProp, "", "set", "nginx", "app1", "multi", "a\nb\n")
	r := s.call(runProp, "", "get-all", "nginx", "app1")
	want := "access-log-path /var/log/x\nbind-address-ipv4 1.2.3.4\nempty \nmulti a\nb\n"
	if r.out != want || r.code != 0 {
		t.Errorf("get-all: %q", r.out)
	}
	r = s.call(runProp, "", "get-all-by-prefix", "nginx", "app1", "b")
	if r.out != "bind-address-ipv4 1.2.3.4\n" {
		t.Errorf("get-all-by-prefix: %q", r.out)
	}

	if r := s.call(runProp, "", "del", "nginx", "app1", "bind-address-ipv4"); r.code != 0 {
		t.Fatalf("del: %+v", r)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("still there: %v", err)
	}
	if r := s.call(runProp, "", "del", "nginx", "app1", "bind-address-ipv4"); r.code != 0 {
		t.Fatalf("del missing: %+v", r)
	}
}

func TestShellPropCloneDestroySetup(t *testing.T) {
	s := newShellEnv(t)
	s.call(runProp, "", "set", "ps", "old", "restart-policy", "always")
	s.call(runProp, "", "rpush", "ps", "old", "scale", "web=1")
	if r := s.call(runProp, "", "clone", "ps", "old", "new"); r.code != 0 {
		t.Fatalf("clone: %+v", r)
	}
	if r := s.call(runProp, "", "get", "ps", "new", "restart-policy"); r.out != "always\n" {
		t.Fatalf("cloned: %+v", r)
	}
	if r := s.call(runProp, "", "lrange", "ps", "new", "scale"); r.out != "web=1\n" {
		t.Fatalf("cloned list: %+v", r)
	}
	if r := s.call(runProp, "", "destroy", "ps", "old"); r.code != 0 {
		t.Fatal(r)
	}
	if _, err := os.Stat(s.propPath("ps", "old")); !os.IsNotExist(err) {
		t.Fatal("old not destroyed")
	}
	if r := s.call(runProp, "", "setup-app", "checks", "app2"); r.code != 0 {
		t.Fatal(r)
	}
	if fi, err := os.Stat(s.propPath("checks", "app2")); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o755 {
		t.Fatalf("setup-app: %v %v", fi, err)
	}
	if r := s.call(runProp, "", "setup", "cron"); r.code != 0 {
		t.Fatal(r)
	}
	if fi, err := os.Stat(s.propPath("cron")); err != nil || !fi.IsDir() {
		t.Fatal("setup", err)
	}
	if r := s.call(runProp, "", "destroy", "ps", "_all_"); r.code != 0 {
		t.Fatal(r)
	}
	if _, err := os.Stat(s.propPath("ps")); !os.IsNotExist(err) {
		t.Fatal("plugin tree not destroyed")
	}
}

func TestShellPropLists(t *testing.T) {
	s := newShellEnv(t)
	for _, v := range []string{"a", "c"} {
		if r := s.call(runProp, "", "rpush", "ports", "app", "map", v, ""); r.code != 0 {
			t.Fatal(r)
		}
	}
	s.call(runProp, "", "rpush", "ports", "app", "map", "b", "2")
	b, _ := os.ReadFile(s.propPath("ports", "app", "map"))
	if string(b) != "a\nb\nc\n" {
		t.Fatalf("list file %q", b)
	}
	check := func(args []string, out string, code int) {
		t.Helper()
		r := s.call(runProp, "", args...)
		if r.out != out || r.code != code {
			t.Errorf("%v: %+v", args, r)
		}
	}
	check([]string{"lrange", "ports", "app", "map"}, "a\nb\nc\n", 0)
	check([]string{"llen", "ports", "app", "map"}, "3\n", 0)
	check([]string{"llen", "ports", "app", "nothing"}, "0\n", 0)
	check([]string{"lindex", "ports", "app", "map", "1"}, "b\n", 0)
	check([]string{"lindex", "ports", "app", "map", "7"}, "", 1)
	check([]string{"lismember", "ports", "app", "map", "c"}, "", 0)
	check([]string{"lismember", "ports", "app", "map", "zz"}, "", 1)
	check([]string{"lset", "ports", "app", "map", "B", "1"}, "", 0)
	check([]string{"lset", "ports", "app", "map", "d", "9"}, "", 0)
	check([]string{"lrange", "ports", "app", "map"}, "a\nB\nc\nd\n", 0)
	check([]string{"lrem", "ports", "app", "map", "c"}, "", 0)
	r := s.call(runProp, "", "lrem", "ports", "app", "map", "c")
	if r.code != 1 || r.err != " !     Property not found, nothing was removed\n" {
		t.Errorf("lrem missing: %+v", r)
	}
	s.call(runProp, "", "rpush", "ports", "app", "map", "http:80:5000")
	s.call(runProp, "", "rpush", "ports", "app", "map", "http:8080:5000")
	check([]string{"lrem-by-prefix", "ports", "app", "map", "http:"}, "", 0)
	check([]string{"lrange", "ports", "app", "map"}, "a\nB\nd\n", 0)
	check([]string{"lwrite", "ports", "app", "map", "x", "y"}, "", 0)
	check([]string{"lrange", "ports", "app", "map"}, "x\ny\n", 0)
	check([]string{"lwrite", "ports", "app", "map"}, "", 0)
	check([]string{"llen", "ports", "app", "map"}, "0\n", 0)
	if r := s.call(runProp, "", "rpush", "ports", "app", "map", "bad\nvalue"); r.code != 1 {
		t.Errorf("newline accepted: %+v", r)
	}
	if r := s.call(runProp, "", "rpush", "ports", "app", "map", "v", "x"); r.code != 1 || !strings.Contains(r.err, "Invalid index") {
		t.Errorf("bad index: %+v", r)
	}
}

func TestShellPropRefusesTraversal(t *testing.T) {
	s := newShellEnv(t)
	for _, args := range [][]string{
		{"set", "../evil", "app", "key", "v"},
		{"set", "plugin", "../app", "key", "v"},
		{"set", "plugin", "app", "../../key", "v"},
		{"set", "plugin", "..", "key", "v"},
		{"get", "plugin", "app", ".."},
		{"destroy", "..", "app"},
		{"clone", "plugin", "app", "../x"},
		{"rpush", "p", "a/b", "k", "v"},
		{"exists", "p", "a", "../k"},
	} {
		r := s.call(runProp, "", args...)
		if r.code != 1 || !strings.HasPrefix(r.err, " !     Invalid property path component") || strings.Count(r.err, "\n") != 1 {
			t.Errorf("%v: %+v", args, r)
		}
	}
	ents, _ := os.ReadDir(s.env.LibRoot())
	for _, e := range ents {
		if e.Name() != "config" && e.Name() != "plugins" {
			t.Errorf("unexpected %s written outside the config tree", e.Name())
		}
	}
}

func TestShellPropUsageErrors(t *testing.T) {
	s := newShellEnv(t)
	for args, msg := range map[string]string{
		"":                     " !     Usage: prop <op> <plugin> <app> [<key>] [<value>...]\n",
		"frobnicate":           " !     Invalid prop command call: frobnicate\n",
		"get nginx":            " !     Missing app argument for prop get\n",
		"lindex nginx app key": " !     Missing index argument for prop lindex\n",
		"del a b c d":          " !     Too many arguments for prop del\n",
	} {
		r := s.call(runProp, "", strings.Fields(args)...)
		if r.code != 1 || r.err != msg {
			t.Errorf("%q: %+v", args, r)
		}
	}
}
