package script

import (
	"archive/tar"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godokku/dokku/internal/dokkutest"
)

// shellAPIPlugin is a community plugin that sources the shell library and
// calls any function: `dokku shapi:call <fn> <args>...` (errexit on), or
// `shapi:rc <fn> <args>...` which prints the function's status.
var shellAPIPlugin = map[string]string{
	"commands": `#!/usr/bin/env bash
source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"
source "$PLUGIN_CORE_AVAILABLE_PATH/common/property-functions"
source "$PLUGIN_CORE_AVAILABLE_PATH/common/archive-functions"
case "$1" in
  shapi:call)
    shift
    "$@"
    ;;
  shapi:rc)
    shift
    set +e
    "$@"
    echo "rc=$?"
    ;;
  *)
    exit "$DOKKU_NOT_IMPLEMENTED_EXIT"
    ;;
esac
`,
}

func newShellAPIRoot(t *testing.T) *dokkutest.Root {
	t.Helper()
	r := dokkutest.New(t)
	r.AddPlugin("shapi", copyFiles(shellAPIPlugin))
	return r
}

func copyFiles(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func shellAPIExpect(t *testing.T, res *dokkutest.Result, code int, stdout, stderr string) {
	t.Helper()
	if res.Code != code || res.Stdout != stdout || res.Stderr != stderr {
		t.Errorf("want exit %d stdout %q stderr %q\ngot %s", code, stdout, stderr, res)
	}
}

func TestShellAPILibraryParses(t *testing.T) {
	r := dokkutest.New(t)
	common := filepath.Join(r.Lib, "core-plugins", "available", "common")
	for _, f := range []string{"functions", "property-functions", "archive-functions"} {
		p := filepath.Join(common, f)
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o755 {
			t.Fatalf("%s: %v %v", f, fi, err)
		}
		if out, err := exec.Command("bash", "-n", p).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", f, err, out)
		}
		b, _ := os.ReadFile(p)
		shellAPILint(t, f, string(b))
	}
	// Sourcing defines the documented API and prints nothing.
	want := []string{
		"dokku_log_info1", "dokku_log_info1_quiet", "dokku_log_info2", "dokku_log_info2_quiet",
		"dokku_log_verbose", "dokku_log_verbose_quiet", "dokku_log_warn", "dokku_log_warn_quiet",
		"dokku_log_fail", "dokku_log_fail_quiet", "dokku_log_exclaim", "dokku_log_exclaim_quiet",
		"dokku_log_quiet", "dokku_log_stderr", "dokku_log_exit", "dokku_log_exit_quiet",
		"dokku_col_log_info1", "dokku_col_log_info1_quiet", "dokku_col_log_info2", "dokku_col_log_info2_quiet",
		"dokku_col_log_msg", "dokku_col_log_msg_quiet", "dokku_container_log_verbose_quiet",
		"dokku_log_event", "dokku_log_plugn_trigger_call",
		"verify_app_name", "is_valid_app_name", "dokku_apps", "is_deployed", "dokku_version", "has_tty",
		"parse_args", "dokku_auth",
		"get_app_image_repo", "get_app_image_name", "get_deploying_app_image_name", "get_running_image_tag",
		"fn-verify-app-image", "get_image_builder_type", "is_image_herokuish_based", "is_image_cnb_based",
		"get_app_container_ids", "get_app_running_container_ids", "get_app_running_container_types",
		"is_container_status", "get_container_ports", "copy_from_image", "copy_dir_from_image",
		"extract_directive_from_dockerfile", "docker_cleanup", "fn-force-arm64-image", "fn-is-compose-installed",
		"get_docker_version", "fn-docker-args-split",
		"get_app_scheduler", "dokku_receive", "dokku_build", "dokku_release", "release_and_deploy", "cmd-deploy",
		"dokku_setup_build_capture", "acquire_app_deploy_lock", "release_app_deploy_lock",
		"acquire_advisory_lock", "release_advisory_lock",
		"suppress_output", "is_number", "is_abs_path", "is_val_in_list", "add_val_to_list",
		"remove_val_from_list", "merge_dedupe_list", "fn-in-array", "strip_inline_comments", "get_json_value",
		"get_ipv4_regex", "get_ipv6_regex", "fn-plugn-trigger-exists", "fn-migrate-config-to-property",
		"fn-registry-docker-config-dir",
		"fn-plugin-property-get", "fn-plugin-property-get-default", "fn-plugin-property-write",
		"fn-plugin-property-delete", "fn-plugin-property-exists", "fn-plugin-property-destroy",
		"fn-plugin-property-clone", "fn-plugin-property-get-all", "fn-plugin-property-get-all-by-prefix",
		"fn-plugin-property-list-add", "fn-plugin-property-list-get", "fn-plugin-property-list-get-by-index",
		"fn-plugin-property-list-get-by-value", "fn-plugin-property-list-length", "fn-plugin-property-list-remove",
		"fn-plugin-property-list-remove-by-prefix", "fn-plugin-property-list-set", "fn-plugin-property-setup",
		"fn-plugin-property-setup-app",
		"fn-archive-extract-tar", "fn-archive-extract-tar-stdin", "fn-archive-extract-zip",
		"fn-archive-computed-max-size", "fn-archive-computed-max-files",
	}
	script := `source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"
source "$PLUGIN_CORE_AVAILABLE_PATH/common/archive-functions"
declare -F | awk '{print $3}'`
	cmd := exec.Command("bash", "-c", script)
	cmd.Env = append(os.Environ(), "PLUGIN_CORE_AVAILABLE_PATH="+filepath.Join(r.Lib, "core-plugins", "available"))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil || errb.Len() != 0 {
		t.Fatalf("sourcing: %v %s", err, errb.String())
	}
	defined := map[string]bool{}
	for _, f := range strings.Fields(out.String()) {
		defined[f] = true
	}
	for _, f := range want {
		if !defined[f] {
			t.Errorf("function %s not defined", f)
		}
	}
}

// shellAPILint is a small shellcheck-style pass: every function declares a
// desc, no function is defined twice, no `local x=$(...)` masks a failure,
// and every "$1"-style use sits in a declare.
func shellAPILint(t *testing.T, name, src string) {
	t.Helper()
	fnRe := regexp.MustCompile(`(?m)^([a-zA-Z_][a-zA-Z0-9_:-]*)\(\) \{\n(.*)\n`)
	seen := map[string]bool{}
	for _, m := range fnRe.FindAllStringSubmatch(src, -1) {
		if seen[m[1]] {
			t.Errorf("%s: %s defined twice", name, m[1])
		}
		seen[m[1]] = true
		if m[1] != "plugn" && m[1] != "dokku" && !strings.Contains(m[2], `declare desc=`) {
			t.Errorf("%s: %s has no desc", name, m[1])
		}
	}
	if len(seen) == 0 {
		t.Errorf("%s: no functions found", name)
	}
	if regexp.MustCompile(`(?m)^\s*local [A-Za-z_]+=\$\(`).MatchString(src) {
		t.Errorf("%s: local VAR=$(...) masks the command's status", name)
	}
	if strings.Contains(src, "\t") {
		t.Errorf("%s: tabs (indent with two spaces)", name)
	}
}

func TestShellAPILogging(t *testing.T) {
	r := newShellAPIRoot(t)
	for _, c := range []struct {
		fn, out, err string
	}{
		{"dokku_log_info1", "-----> a b\n", ""},
		{"dokku_log_info2", "=====> a b\n", ""},
		{"dokku_log_verbose", "       a b\n", ""},
		{"dokku_log_warn", "", " !     a b\n"},
		{"dokku_log_exclaim", " !     a b\n", ""},
		{"dokku_log_stderr", "", "a b\n"},
		{"dokku_log_quiet", "a b\n", ""},
		{"dokku_log_info1_quiet", "-----> a b\n", ""},
		{"dokku_log_info2_quiet", "=====> a b\n", ""},
		{"dokku_log_verbose_quiet", "       a b\n", ""},
		{"dokku_log_warn_quiet", "", " !     a b\n"},
	} {
		shellAPIExpect(t, r.Run("shapi:call", c.fn, "a", "b"), 0, c.out, c.err)
	}
	// --quiet (anywhere on the line) silences the *_quiet variants only
	for _, c := range []struct {
		fn, out, err string
	}{
		{"dokku_log_info1", "-----> a\n", ""},
		{"dokku_log_warn", "", " !     a\n"},
		{"dokku_log_info1_quiet", "", ""},
		{"dokku_log_info2_quiet", "", ""},
		{"dokku_log_verbose_quiet", "", ""},
		{"dokku_log_warn_quiet", "", ""},
		{"dokku_log_exclaim_quiet", "", ""},
		{"dokku_log_quiet", "", ""},
		{"dokku_col_log_msg_quiet", "", ""},
	} {
		shellAPIExpect(t, r.Run("--quiet", "shapi:call", c.fn, "a"), 0, c.out, c.err)
	}
	shellAPIExpect(t, r.Run("shapi:call", "dokku_log_info1_quiet", "x", "--quiet"), 0, "", "")

	shellAPIExpect(t, r.Run("shapi:call", "dokku_col_log_info1", "a", "b"),
		0, fmt.Sprintf("%-6s %-18s %-25s %-25s %-25s\n", "----->", "a", "b", "", ""), "")
	shellAPIExpect(t, r.Run("shapi:call", "dokku_col_log_msg", "k", "v"),
		0, fmt.Sprintf("%-25s %-25s %-25s %-25s\n", "k", "v", "", ""), "")

	// dokku_log_fail: stderr, exit 1 or DOKKU_FAIL_EXIT_CODE; not silenced by --quiet
	shellAPIExpect(t, r.Run("shapi:call", "dokku_log_fail", "it broke"), 1, "", " !     it broke\n")
	shellAPIExpect(t, r.RunOpts(dokkutest.Opts{Env: []string{"DOKKU_FAIL_EXIT_CODE=42"}}, "shapi:call", "dokku_log_fail", "x"), 42, "", " !     x\n")
	shellAPIExpect(t, r.Run("--quiet", "shapi:call", "dokku_log_fail", "x"), 1, "", " !     x\n")
	shellAPIExpect(t, r.Run("--quiet", "shapi:call", "dokku_log_fail_quiet", "x"), 1, "", "")
	shellAPIExpect(t, r.Run("shapi:call", "dokku_log_exit", "bye"), 0, "", "bye\n")
	shellAPIExpect(t, r.Run("shapi:call", "dokku_version"), 0, "dokku version 0.38.27\n", "")
}

func TestShellAPIVerifyAppName(t *testing.T) {
	r := newShellAPIRoot(t)
	r.MustRun("apps:create", "real")
	os.MkdirAll(filepath.Join(r.Home, "legacy_app"), 0o755)
	naming := " !     App name must begin with lowercase alphanumeric character, and cannot include uppercase characters, colons, or underscores\n"

	shellAPIExpect(t, r.Run("shapi:rc", "verify_app_name", "real"), 0, "rc=0\n", "")
	shellAPIExpect(t, r.Run("shapi:rc", "verify_app_name", "legacy_app"), 0, "rc=0\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "verify_app_name", "ghost"), 20, "", " !     App ghost does not exist\n")
	shellAPIExpect(t, r.Run("shapi:call", "verify_app_name", "Ghost"), 1, "", naming)
	shellAPIExpect(t, r.Run("shapi:call", "verify_app_name", "a:b"), 1, "", naming)
	shellAPIExpect(t, r.Run("shapi:call", "verify_app_name", "../etc"), 1, "", naming)
	shellAPIExpect(t, r.Run("shapi:call", "verify_app_name", ""), 1, "", " !     Please specify an app to run the command on\n")
	shellAPIExpect(t, r.Run("shapi:rc", "is_valid_app_name", "new-app.1"), 0, "rc=0\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "is_valid_app_name", "legacy_app"), 1, "", naming)

	// with a user-auth-app implementation, apps outside its answer do not exist
	r.AddPlugin("auth", map[string]string{"user-auth-app": "#!/usr/bin/env bash\nshift 2\nfor a in \"$@\"; do [[ $a == real ]] && echo \"$a\"; done\ntrue\n"})
	shellAPIExpect(t, r.Run("shapi:rc", "verify_app_name", "real"), 0, "rc=0\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "verify_app_name", "legacy_app"), 20, "", " !     App legacy_app does not exist\n")
	shellAPIExpect(t, r.Run("shapi:call", "dokku_apps"), 0, "real\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "dokku_apps", "false"), 0, "legacy_app\nreal\n", "")
}

func TestShellAPIAppList(t *testing.T) {
	r := newShellAPIRoot(t)
	shellAPIExpect(t, r.Run("shapi:call", "dokku_apps"), 1, "", " !     You haven't deployed any applications yet\n")
	r.MustRun("apps:create", "b-app")
	r.MustRun("apps:create", "a-app")
	plugn := filepath.Join(filepath.Dir(r.Bin), "plugn")
	os.Symlink(r.Bin, plugn)
	res := r.RunOpts(dokkutest.Opts{Argv0: plugn, Env: []string{"PLUGIN_PATH=" + filepath.Join(r.Lib, "plugins")}}, "trigger", "app-list", "false")
	shellAPIExpect(t, res, 0, "a-app\nb-app\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "dokku_apps"), 0, "a-app\nb-app\n", "")
}

func TestShellAPIProperties(t *testing.T) {
	r := newShellAPIRoot(t)
	r.MustRun("apps:create", "app1")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-write", "myplug", "app1", "color", "dark blue"), 0, "", "")
	p := filepath.Join(r.Lib, "config", "myplug", "app1", "color")
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "dark blue" {
		t.Fatalf("property file %q %v", b, err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
	if fi, _ := os.Stat(filepath.Dir(p)); fi.Mode().Perm() != 0o755 {
		t.Fatalf("dir mode %v", fi.Mode())
	}
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-get", "myplug", "app1", "color"), 0, "dark blue\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-get", "myplug", "app1", "size", "M"), 0, "M\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-get-default", "myplug", "app1", "size", "L"), 0, "L\n", "")
	shellAPIExpect(t, r.Run("shapi:rc", "fn-plugin-property-exists", "myplug", "app1", "color"), 0, "rc=0\n", "")
	shellAPIExpect(t, r.Run("shapi:rc", "fn-plugin-property-exists", "myplug", "app1", "size"), 0, "rc=1\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-write", "myplug", "--global", "color", "red"), 0, "", "")
	if b, _ := os.ReadFile(filepath.Join(r.Lib, "config", "myplug", "--global", "color")); string(b) != "red" {
		t.Fatalf("global %q", b)
	}
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-get-all", "myplug", "app1"), 0, "color dark blue\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-delete", "myplug", "app1", "color"), 0, "", "")
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatal("not deleted")
	}

	for _, v := range []string{"web=1", "worker=2"} {
		shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-list-add", "myplug", "app1", "scale", v), 0, "", "")
	}
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-list-add", "myplug", "app1", "scale", "release=0", "1"), 0, "", "")
	if b, _ := os.ReadFile(filepath.Join(r.Lib, "config", "myplug", "app1", "scale")); string(b) != "release=0\nweb=1\nworker=2\n" {
		t.Fatalf("list file %q", b)
	}
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-list-get", "myplug", "app1", "scale"), 0, "release=0\nweb=1\nworker=2\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-list-length", "myplug", "app1", "scale"), 0, "3\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-list-get-by-index", "myplug", "app1", "scale", "2"), 0, "worker=2\n", "")
	shellAPIExpect(t, r.Run("shapi:rc", "fn-plugin-property-list-get-by-value", "myplug", "app1", "scale", "web=1"), 0, "rc=0\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-list-set", "myplug", "app1", "scale", "web=3", "1"), 0, "", "")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-list-remove", "myplug", "app1", "scale", "release=0"), 0, "", "")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-list-remove", "myplug", "app1", "scale", "nope"), 1, "", " !     Property not found, nothing was removed\n")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-list-remove-by-prefix", "myplug", "app1", "scale", "work"), 0, "", "")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-list-get", "myplug", "app1", "scale"), 0, "web=3\n", "")

	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-clone", "myplug", "app1", "app2"), 0, "", "")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-list-get", "myplug", "app2", "scale"), 0, "web=3\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-destroy", "myplug", "app2"), 0, "", "")
	if _, err := os.Stat(filepath.Join(r.Lib, "config", "myplug", "app2")); !os.IsNotExist(err) {
		t.Fatal("not destroyed")
	}
	shellAPIExpect(t, r.Run("shapi:call", "fn-plugin-property-setup-app", "other", "app1"), 0, "", "")
	if fi, err := os.Stat(filepath.Join(r.Lib, "config", "other", "app1")); err != nil || !fi.IsDir() {
		t.Fatal("setup-app", err)
	}

	// `../` in plugin, app or key names is refused and nothing is written
	for _, args := range [][]string{
		{"../escape", "app1", "k", "v"}, {"myplug", "../../..", "k", "v"}, {"myplug", "app1", "../k", "v"}, {"myplug", "app1", "..", "v"},
	} {
		res := r.Run(append([]string{"shapi:call", "fn-plugin-property-write"}, args...)...)
		if res.Code != 1 || !strings.HasPrefix(res.Stderr, " !     Invalid property path component") {
			t.Errorf("%v: %s", args, res)
		}
	}
	if _, err := os.Stat(filepath.Join(r.Lib, "escape")); !os.IsNotExist(err) {
		t.Fatal("escaped the config tree")
	}
}

func TestShellAPIPropTool(t *testing.T) {
	r := dokkutest.New(t)
	prop := filepath.Join(r.Lib, "core-plugins", "available", "common", "prop")
	run := func(args ...string) *dokkutest.Result { return r.RunOpts(dokkutest.Opts{Argv0: prop}, args...) }
	shellAPIExpect(t, run("set", "checks", "app", "wait", "5"), 0, "", "")
	shellAPIExpect(t, run("get", "checks", "app", "wait"), 0, "5\n", "")
	shellAPIExpect(t, run("get", "checks", "app", "none"), 0, "", "")
	shellAPIExpect(t, run("get-with-default", "checks", "app", "none", "10"), 0, "10\n", "")
	shellAPIExpect(t, run("exists", "checks", "app", "none"), 1, "", "")
	shellAPIExpect(t, run("rpush", "checks", "app", "l", "x"), 0, "", "")
	shellAPIExpect(t, run("lrange", "checks", "app", "l"), 0, "x\n", "")
	shellAPIExpect(t, run("get", "../checks", "app", "wait"), 1, "", " !     Invalid property path component \"../checks\"\n")
	shellAPIExpect(t, run("set", "checks", "app/..", "wait", "1"), 1, "", " !     Invalid property path component \"app/..\"\n")
	shellAPIExpect(t, run("bogus"), 1, "", " !     Invalid prop command call: bogus\n")
}

func TestShellAPIListUtilities(t *testing.T) {
	r := newShellAPIRoot(t)
	for _, c := range []struct {
		args []string
		out  string
	}{
		{[]string{"is_val_in_list", "b", "a,b,c"}, "true\n"},
		{[]string{"is_val_in_list", "bb", "a,b,c"}, "false\n"},
		{[]string{"is_val_in_list", "b", "a b c", " "}, "true\n"},
		{[]string{"add_val_to_list", "d", "a,b"}, "a,b,d\n"},
		{[]string{"add_val_to_list", "d", ""}, "d\n"},
		{[]string{"remove_val_from_list", "b", "a,b,c,bb"}, "a,c,bb\n"},
		{[]string{"remove_val_from_list", "a", "a"}, "\n"},
		{[]string{"merge_dedupe_list", "c,a,b,a,c"}, "a b c\n"},
		{[]string{"merge_dedupe_list", "x;y;x", ";"}, "x y\n"},
		{[]string{"strip_inline_comments", "web: run --x # a comment"}, "web: run --x\n"},
		{[]string{"get_app_image_repo", "app"}, "dokku/app\n"},
		{[]string{"get_app_image_name", "app"}, "dokku/app:latest\n"},
	} {
		shellAPIExpect(t, r.Run(append([]string{"shapi:call"}, c.args...)...), 0, c.out, "")
	}
	for _, c := range []struct {
		args []string
		rc   string
	}{
		{[]string{"fn-in-array", "b", "a", "b"}, "0"},
		{[]string{"fn-in-array", "z", "a", "b"}, "1"},
		{[]string{"is_number", "123"}, "0"},
		{[]string{"is_number", "12a"}, "1"},
		{[]string{"is_abs_path", "/x"}, "0"},
		{[]string{"is_abs_path", "x"}, "1"},
	} {
		shellAPIExpect(t, r.Run(append([]string{"shapi:rc"}, c.args...)...), 0, "rc="+c.rc+"\n", "")
	}
	res := r.RunOpts(dokkutest.Opts{Stdin: `{"healthchecks":{"web":[{"path":"/"}]},"name":"x"}`}, "shapi:call", "get_json_value", ".name")
	shellAPIExpect(t, res, 0, "x\n", "")
	res = r.Run("shapi:call", "fn-docker-args-split", `--label "a b" -e X='y z' --flag`)
	if res.Code != 0 || res.Stdout != "--label\x00a b\x00-e\x00X=y z\x00--flag\x00" {
		t.Errorf("docker args split: %s", res)
	}
	shellAPIExpect(t, r.Run("shapi:call", "fn-docker-args-split", "  "), 0, "", "")
	shellAPIExpect(t, r.Run("shapi:rc", "fn-docker-args-split", `--label "unbalanced`), 0, "rc=1\n", "xargs: unmatched double quote; by default quotes are special to xargs unless you use the -0 option\n")

	ipv4 := r.Run("shapi:call", "get_ipv4_regex").Stdout
	ipv6 := r.Run("shapi:call", "get_ipv6_regex").Stdout
	for addr, re := range map[string]string{"10.0.0.1": ipv4, "::1": ipv6, "2001:db8::8a2e:370:7334": ipv6, "fe80::1%eth0": ipv6} {
		if !regexp.MustCompile("^(" + strings.TrimSpace(re) + ")$").MatchString(addr) {
			t.Errorf("%s does not match %s", addr, re)
		}
	}
}

func TestShellAPITriggerExistsAndSuppress(t *testing.T) {
	r := newShellAPIRoot(t)
	shellAPIExpect(t, r.Run("shapi:rc", "fn-plugn-trigger-exists", "receive-branch"), 0, "rc=1\n", "")
	shellAPIExpect(t, r.Run("shapi:rc", "fn-plugn-trigger-exists", "app-list"), 0, "rc=0\n", "")
	shellAPIExpect(t, r.Run("shapi:rc", "fn-plugn-trigger-exists", "../commands"), 0, "rc=1\n", "")
	r.AddPlugin("brancher", map[string]string{"receive-branch": "#!/usr/bin/env bash\ntrue\n"})
	shellAPIExpect(t, r.Run("shapi:rc", "fn-plugn-trigger-exists", "receive-branch"), 0, "rc=0\n", "")

	shellAPIExpect(t, r.Run("shapi:rc", "suppress_output", "bash", "-c", "echo out; echo err >&2"), 0, "rc=0\n", "")
	shellAPIExpect(t, r.Run("shapi:rc", "suppress_output", "bash", "-c", "echo out; echo err >&2; exit 3"), 0, "out\nerr\nrc=3\n", "")
	ents, _ := os.ReadDir(filepath.Join(r.Dir, "tmp"))
	for _, e := range ents {
		if strings.Contains(e.Name(), "suppress_output") {
			t.Errorf("temp file left: %s", e.Name())
		}
	}
}

func TestShellAPIDeployLock(t *testing.T) {
	r := newShellAPIRoot(t)
	r.MustRun("apps:create", "locky")
	lockFile := filepath.Join(r.Lib, "data", "apps", "locky", ".deploy.lock")
	// hold the lock from another process, then ask for it exclusively
	holder := exec.Command("flock", lockFile, "sleep", "30")
	holder.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	os.MkdirAll(filepath.Dir(lockFile), 0o755)
	if err := holder.Start(); err != nil {
		t.Skip("flock not available:", err)
	}
	stop := func() {
		syscall.Kill(-holder.Process.Pid, syscall.SIGKILL)
		holder.Wait()
	}
	defer stop()
	deadline := time.Now().Add(10 * time.Second)
	for exec.Command("flock", "-n", lockFile, "true").Run() == nil {
		if time.Now().After(deadline) {
			t.Fatal("lock holder never took the lock")
		}
		time.Sleep(20 * time.Millisecond)
	}
	shellAPIExpect(t, r.Run("shapi:call", "acquire_app_deploy_lock", "locky", "exclusive"), 1, "",
		" !     locky currently has a deploy lock in place. Exiting...\nRun 'apps:unlock' to release the existing deploy lock\n")
	stop()
	script := "acquire_app_deploy_lock locky exclusive; test -f \"$DOKKU_LIB_ROOT/data/apps/locky/.deploy.lock\"; release_app_deploy_lock locky; test ! -e \"$DOKKU_LIB_ROOT/data/apps/locky/.deploy.lock\"; echo released"
	shellAPIExpect(t, r.Run("shapi:call", "bash", "-c", `source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"; `+script), 0, "released\n", "")
}

func shellAPITar(t *testing.T, entries ...[3]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e[0], Mode: 0o644, Typeflag: tar.TypeReg, Size: int64(len(e[1]))}
		if e[2] != "" {
			h = &tar.Header{Name: e[0], Mode: 0o777, Typeflag: tar.TypeSymlink, Linkname: e[2]}
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e[1]))
	}
	tw.Close()
	return buf.Bytes()
}

func TestShellAPIArchive(t *testing.T) {
	r := newShellAPIRoot(t)
	good := r.WriteFile("good.tar", string(shellAPITar(t, [3]string{"src/app.py", "print(1)\n", ""})), 0o644)
	dest := r.Path("dest")
	os.MkdirAll(dest, 0o755)
	res := r.Run("shapi:call", "fn-archive-extract-tar", good, dest, "tar", "1")
	if res.Code != 0 || !strings.Contains(res.Stderr, "event=extraction_completed archive_type=tar source="+good) {
		t.Fatalf("%s", res)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "app.py")); string(b) != "print(1)\n" {
		t.Fatalf("extracted %q", b)
	}

	evil := r.WriteFile("evil.tar", string(shellAPITar(t, [3]string{"ok.txt", "x", ""}, [3]string{"../../escaped.txt", "x", ""})), 0o644)
	dest2 := r.Path("dest2")
	os.MkdirAll(dest2, 0o755)
	res = r.Run("shapi:call", "fn-archive-extract-tar", evil, dest2)
	if res.Code != 1 || !strings.HasSuffix(res.Stderr, " !     Archive contains entries with parent directory traversal\n") ||
		!strings.Contains(res.Stderr, "event=rejected_path_traversal archive_type=tar source="+evil+" details=parent directory traversal detected\n") {
		t.Fatalf("%s", res)
	}
	if ents, _ := os.ReadDir(dest2); len(ents) != 0 {
		t.Fatalf("extracted %v", ents)
	}
	if _, err := os.Stat(r.Path("escaped.txt")); !os.IsNotExist(err) {
		t.Fatal("traversal escaped")
	}

	link := r.WriteFile("link.tar", string(shellAPITar(t, [3]string{"etc", "", "/etc"})), 0o644)
	res = r.Run("shapi:call", "fn-archive-extract-tar", link, dest2)
	if res.Code != 1 || !strings.HasSuffix(res.Stderr, " !     Archive contains symlinks with absolute targets\n") {
		t.Fatalf("%s", res)
	}

	res = r.RunOpts(dokkutest.Opts{Stdin: string(shellAPITar(t, [3]string{"piped.txt", "p", ""}))}, "shapi:call", "fn-archive-extract-tar-stdin", dest2)
	if res.Code != 0 {
		t.Fatalf("%s", res)
	}
	if b, _ := os.ReadFile(filepath.Join(dest2, "piped.txt")); string(b) != "p" {
		t.Fatalf("stdin extraction %q", b)
	}

	shellAPIExpect(t, r.Run("shapi:call", "fn-archive-computed-max-size"), 0, "1073741824\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "fn-archive-computed-max-files"), 0, "10000\n", "")
	os.MkdirAll(filepath.Join(r.Lib, "config", "git", "--global"), 0o755)
	os.WriteFile(filepath.Join(r.Lib, "config", "git", "--global", "archive-max-files"), []byte("5"), 0o600)
	shellAPIExpect(t, r.Run("shapi:call", "fn-archive-computed-max-files"), 0, "5\n", "")
}

func TestShellAPIImageHelpersWithoutDocker(t *testing.T) {
	r := newShellAPIRoot(t)
	r.MustRun("apps:create", "img")
	// a Docker endpoint that does not answer: image predicates say no
	env := []string{"DOCKER_HOST=unix://" + r.Path("no-docker.sock")}
	shellAPIExpect(t, r.RunOpts(dokkutest.Opts{Env: env}, "shapi:rc", "is_image_herokuish_based", "dokku/img:latest", "img"), 0, "rc=1\n", "")
	shellAPIExpect(t, r.RunOpts(dokkutest.Opts{Env: env}, "shapi:rc", "is_image_cnb_based", "dokku/img:latest"), 0, "rc=1\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "get_app_scheduler", "img"), 0, "docker-local", "")
	shellAPIExpect(t, r.Run("shapi:call", "get_app_container_ids", "img"), 0, "\n", "")
	os.WriteFile(filepath.Join(r.Home, "img", "CONTAINER.web.1"), []byte("abc\n"), 0o644)
	os.WriteFile(filepath.Join(r.Home, "img", "CONTAINER.worker.1"), []byte("def\n"), 0o644)
	shellAPIExpect(t, r.Run("shapi:call", "get_app_container_ids", "img", "web"), 0, " abc \n", "")
	shellAPIExpect(t, r.Run("shapi:call", "get_app_container_ids", "img"), 0, " abc  def \n", "")
	os.MkdirAll(filepath.Join(r.Lib, "config", "common", "img"), 0o755)
	os.WriteFile(filepath.Join(r.Lib, "config", "common", "img", "deployed"), []byte("true"), 0o600)
	shellAPIExpect(t, r.Run("shapi:call", "get_app_running_container_types", "img"), 0, "web worker\n", "")
	os.WriteFile(filepath.Join(r.Lib, "config", "common", "img", "deployed"), []byte("false"), 0o600)
	shellAPIExpect(t, r.Run("shapi:call", "get_app_running_container_types", "img"), 1, "", " !     App img has not been deployed\n")
	df := r.WriteFile("Dockerfile", "FROM x\nEXPOSE 80 443/tcp\nCMD [\"a\"]\nCMD [\"b\"]\n", 0o644)
	shellAPIExpect(t, r.Run("shapi:call", "extract_directive_from_dockerfile", df, "CMD"), 0, "CMD [\"b\"]\n", "")
	shellAPIExpect(t, r.Run("shapi:call", "get_dockerfile_exposed_ports", df), 0, "80 443/tcp\n", "")
}

// The bash fast path of property reads agrees with the prop helper.
func TestShellAPIPropertyReadsMatchHelper(t *testing.T) {
	r := newShellAPIRoot(t)
	dir := filepath.Join(r.Lib, "config", "fast", "app")
	os.MkdirAll(filepath.Join(dir, "adir"), 0o755)
	for k, v := range map[string]string{"plain": "v", "trailing": "v\n\n", "empty": "", "spaces": "  a  b  ", "multi": "a\nb"} {
		os.WriteFile(filepath.Join(dir, k), []byte(v), 0o600)
	}
	prop := filepath.Join(r.Lib, "core-plugins", "available", "common", "prop")
	for _, key := range []string{"plain", "trailing", "empty", "spaces", "multi", "missing", "adir"} {
		for _, def := range []string{"", "dflt"} {
			bash := r.Run("shapi:rc", "fn-plugin-property-get", "fast", "app", key, def)
			helper := r.RunOpts(dokkutest.Opts{Argv0: prop}, "get-with-default", "fast", "app", key, def)
			want := helper.Stdout + "rc=" + fmt.Sprint(helper.Code) + "\n"
			if bash.Stdout != want || bash.Stderr != helper.Stderr {
				t.Errorf("%s/%q: bash %q %q, prop %q %q", key, def, bash.Stdout, bash.Stderr, want, helper.Stderr)
			}
		}
		bash := r.Run("shapi:rc", "fn-plugin-property-exists", "fast", "app", key)
		helper := r.RunOpts(dokkutest.Opts{Argv0: prop}, "exists", "fast", "app", key)
		if bash.Stdout != "rc="+fmt.Sprint(helper.Code)+"\n" {
			t.Errorf("exists %s: bash %q prop %d", key, bash.Stdout, helper.Code)
		}
	}
	res := r.Run("shapi:call", "fn-plugin-property-get", "fast", "../app", "plain")
	if res.Code != 1 || res.Stderr != " !     Invalid property path component \"../app\"\n" {
		t.Errorf("%s", res)
	}
}

func TestShellAPIMigrateConfigToProperty(t *testing.T) {
	r := newShellAPIRoot(t)
	os.MkdirAll(filepath.Join(r.Home, "mig"), 0o755)
	os.MkdirAll(filepath.Join(r.Home, "other"), 0o755)
	r.MustRun("config:set", "--no-restart", "mig", "DOKKU_OLD_SETTING=on", "KEEP=1")
	r.MustRun("config:set", "--no-restart", "--global", "DOKKU_OLD_GLOBAL=g")
	res := r.Run("shapi:call", "fn-migrate-config-to-property", "myplug", "setting", "DOKKU_OLD_SETTING", "DOKKU_OLD_GLOBAL")
	shellAPIExpect(t, res, 0,
		"-----> Migrating deprecated global DOKKU_OLD_GLOBAL to myplug setting property.\n"+
			"-----> Migrating deprecated DOKKU_OLD_SETTING to myplug setting property for mig.\n", "")
	for path, want := range map[string]string{"mig/setting": "on", "--global/setting": "g"} {
		if b, err := os.ReadFile(filepath.Join(r.Lib, "config", "myplug", path)); err != nil || string(b) != want {
			t.Errorf("%s: %q %v", path, b, err)
		}
	}
	if _, err := os.Stat(filepath.Join(r.Lib, "config", "myplug", "other")); !os.IsNotExist(err) {
		t.Error("property written for an app without the variable")
	}
	shellAPIExpect(t, r.Run("config:get", "mig", "DOKKU_OLD_SETTING"), 1, "", "")
	shellAPIExpect(t, r.Run("config:get", "mig", "KEEP"), 0, "1\n", "")
	shellAPIExpect(t, r.Run("config:get", "--global", "DOKKU_OLD_GLOBAL"), 1, "", "")
	// a second run finds nothing left to migrate
	shellAPIExpect(t, r.Run("shapi:call", "fn-migrate-config-to-property", "myplug", "setting", "DOKKU_OLD_SETTING", "DOKKU_OLD_GLOBAL"), 0, "", "")
}
