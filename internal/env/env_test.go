package env

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func base(t *testing.T) (string, []string) {
	dir := t.TempDir()
	root := filepath.Join(dir, "home")
	os.MkdirAll(filepath.Join(root, ".dokkurc"), 0o755)
	return dir, []string{
		"DOKKU_ROOT=" + root,
		"DOKKU_DEFAULTS_FILE=" + filepath.Join(dir, "default-dokku"),
		"PATH=" + os.Getenv("PATH"),
	}
}

func TestEnvDefaults(t *testing.T) {
	_, environ := base(t)
	e, err := Load(environ)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"DOKKU_LIB_ROOT":             "/var/lib/dokku",
		"PLUGIN_PATH":                "/var/lib/dokku/plugins",
		"PLUGIN_AVAILABLE_PATH":      "/var/lib/dokku/plugins/available",
		"PLUGIN_ENABLED_PATH":        "/var/lib/dokku/plugins/enabled",
		"PLUGIN_CORE_PATH":           "/var/lib/dokku/core-plugins",
		"PLUGIN_CORE_AVAILABLE_PATH": "/var/lib/dokku/core-plugins/available",
		"PLUGIN_CORE_ENABLED_PATH":   "/var/lib/dokku/core-plugins/enabled",
		"DOKKU_SYSTEM_USER":          "dokku",
		"DOKKU_SYSTEM_GROUP":         "dokku",
		"DOKKU_API_VERSION":          "1",
		"DOKKU_NOT_IMPLEMENTED_EXIT": "10",
		"DOKKU_VALID_EXIT":           "0",
		"DOKKU_LOGS_DIR":             "/var/log/dokku",
		"DOKKU_EVENTS_LOGFILE":       "/var/log/dokku/events.log",
		"DOKKU_CONTAINER_LABEL":      "dokku",
		"DOCKER_BIN":                 "docker",
		"DOKKU_IMAGE":                "gliderlabs/herokuish:latest-24",
		"DOKKU_GLOBAL_RUN_ARGS":      "--label=org.label-schema.schema-version=1.0 --label=org.label-schema.vendor=dokku --label=dokku",
	}
	for k, v := range want {
		if got := e.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if e.Get("DOKKU_HOST_ROOT") != e.Root() || e.Get("DOKKU_PID") == "" {
		t.Errorf("host root %q pid %q", e.Get("DOKKU_HOST_ROOT"), e.Get("DOKKU_PID"))
	}
}

func TestEnvOverridesAndKeepPID(t *testing.T) {
	_, environ := base(t)
	e, err := Load(append(environ, "DOKKU_LIB_PATH=/x/lib", "PLUGIN_PATH=/y/plugins", "DOKKU_PID=42"))
	if err != nil {
		t.Fatal(err)
	}
	if e.LibRoot() != "/x/lib" || e.PluginPath() != "/y/plugins" || e.PluginEnabledPath() != "/y/plugins/enabled" || e.PluginCorePath() != "/x/lib/core-plugins" {
		t.Fatalf("lib %q plugins %q enabled %q core %q", e.LibRoot(), e.PluginPath(), e.PluginEnabledPath(), e.PluginCorePath())
	}
	if e.Get("DOKKU_PID") != "42" {
		t.Fatalf("DOKKU_PID must be inherited, got %q", e.Get("DOKKU_PID"))
	}
}

func TestEnvSimpleRCFiles(t *testing.T) {
	dir, environ := base(t)
	root := filepath.Join(dir, "home")
	os.WriteFile(filepath.Join(dir, "default-dokku"), []byte("# defaults\nexport DOKKU_LIB_PATH=/from/defaults\n"), 0o644)
	os.WriteFile(filepath.Join(root, "dokkurc"), []byte("export FROM_RC='a b'\nUNEXPORTED=1\n"), 0o644)
	os.WriteFile(filepath.Join(root, ".dokkurc", "DOKKU_EVENTS"), []byte("export DOKKU_EVENTS=1\n"), 0o644)
	e, err := Load(environ)
	if err != nil {
		t.Fatal(err)
	}
	if e.LibRoot() != "/from/defaults" || e.Get("FROM_RC") != "a b" || e.Get("DOKKU_EVENTS") != "1" {
		t.Fatalf("lib %q rc %q events %q", e.LibRoot(), e.Get("FROM_RC"), e.Get("DOKKU_EVENTS"))
	}
	if e.Get("UNEXPORTED") != "1" {
		t.Fatal("shell variable should be visible to the dispatcher")
	}
	for _, kv := range e.Environ() {
		if strings.HasPrefix(kv, "UNEXPORTED=") {
			t.Fatal("unexported variable leaked to children")
		}
	}
}

func TestEnvComplexRCUsesBash(t *testing.T) {
	dir, environ := base(t)
	root := filepath.Join(dir, "home")
	os.WriteFile(filepath.Join(root, "dokkurc"), []byte("if true; then export COMPUTED=\"$(echo hi)-$DOKKU_ROOT\"; fi\nDOKKU_LIB_PATH=/via/bash\n"), 0o644)
	e, err := Load(environ)
	if err != nil {
		t.Fatal(err)
	}
	if e.Get("COMPUTED") != "hi-"+root {
		t.Fatalf("COMPUTED = %q", e.Get("COMPUTED"))
	}
	if e.LibRoot() != "/via/bash" {
		t.Fatalf("unexported DOKKU_LIB_PATH must steer the lib root, got %q", e.LibRoot())
	}
}

func TestEnvUnreadableRC(t *testing.T) {
	dir, environ := base(t)
	rc := filepath.Join(dir, "home", "dokkurc")
	// A socket exists but cannot be opened, even by root.
	l, err := net.Listen("unix", rc)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = Load(environ)
	if err == nil || err.Error() != "Unable to read "+rc+" for sourcing" {
		t.Fatalf("got %v", err)
	}
}

func TestEnvSystemPath(t *testing.T) {
	e := New([]string{"DOKKU_SYSTEM_ROOT=/tmp/sys"})
	if e.SystemPath("/etc/nginx") != "/tmp/sys/etc/nginx" || e.RealSystem() {
		t.Fatal(e.SystemPath("/etc/nginx"))
	}
	if New(nil).SystemPath("/etc/nginx") != "/etc/nginx" {
		t.Fatal("default system root must be /")
	}
}

func TestEnvPlainValue(t *testing.T) {
	cases := map[string]struct {
		v  string
		ok bool
	}{
		`'a b'`: {"a b", true}, `"x y"`: {"x y", true}, `plain`: {"plain", true},
		`"$(id)"`: {"", false}, "`id`": {"", false}, `a b`: {"", false}, `'it'"s"`: {"", false},
	}
	for in, want := range cases {
		v, ok := plainValue(in)
		if v != want.v || ok != want.ok {
			t.Errorf("plainValue(%s) = %q,%v", in, v, ok)
		}
	}
}
