package script

import (
	"archive/tar"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

// configRoot is a scratch root with the given apps (bare app directories,
// marked not deployed so that no restart is attempted unless a test asks).
func configRoot(t *testing.T, apps ...string) *dokkutest.Root {
	t.Helper()
	r := dokkutest.New(t)
	for _, a := range apps {
		configApp(t, r, a, false)
	}
	return r
}

func configApp(t *testing.T, r *dokkutest.Root, name string, deployed bool) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(r.Home, name), 0o755); err != nil {
		t.Fatal(err)
	}
	configProp(t, r, "common", name, "deployed", fmt.Sprint(deployed))
}

func configProp(t *testing.T, r *dokkutest.Root, plugin, app, key, value string) {
	t.Helper()
	p := filepath.Join(r.Lib, "config", plugin, app, key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(value), 0o600); err != nil {
		t.Fatal(err)
	}
}

func configEnvPath(r *dokkutest.Root, name string) string {
	return filepath.Join(r.Lib, "config", name, "ENV")
}

func configReadEnv(t *testing.T, r *dokkutest.Root, name string) string {
	t.Helper()
	b, err := os.ReadFile(configEnvPath(r, name))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

// configTrigger runs one core trigger entry of the config plugin directly.
func configTrigger(r *dokkutest.Root, stdin, trigger string, args ...string) *dokkutest.Result {
	return r.RunOpts(dokkutest.Opts{Stdin: stdin, Argv0: filepath.Join(r.Lib, "plugins", "enabled", "config", trigger)}, args...)
}

// configPlugn returns the options that run the binary as plugn.
func configPlugn(t *testing.T, r *dokkutest.Root) dokkutest.Opts {
	t.Helper()
	bin := filepath.Join(r.Dir, "bin")
	link := filepath.Join(bin, "plugn")
	if _, err := os.Lstat(link); err != nil {
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(r.Bin, link); err != nil {
			t.Fatal(err)
		}
	}
	return dokkutest.Opts{Argv0: link, Env: []string{"PLUGIN_PATH=" + filepath.Join(r.Lib, "plugins")}}
}

// configRecorder adds a shell plugin that logs the argv of the given
// triggers, one line per call ("trigger|arg|arg"), and exits with code.
func configRecorder(t *testing.T, r *dokkutest.Root, code int, triggers ...string) string {
	t.Helper()
	log := filepath.Join(r.Dir, "triggers.log")
	files := map[string]string{}
	for _, tr := range triggers {
		files[tr] = "#!/usr/bin/env bash\n(IFS='|'; echo \"" + tr + "|$*\") >> " + log + "\nexit " + fmt.Sprint(code) + "\n"
	}
	r.AddPlugin("01-cfgrec", files)
	return log
}

func configLog(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

// configExpectPrefix is configExpect where other plugins may add output
// after ours (a real release-and-deploy, for one).
func configExpectPrefix(t *testing.T, res *dokkutest.Result, code int, stdout, stderr string) {
	t.Helper()
	if res.Code != code || !strings.HasPrefix(res.Stdout, stdout) || !strings.HasPrefix(res.Stderr, stderr) {
		t.Fatalf("want exit %d stdout %q... stderr %q...\ngot %s", code, stdout, stderr, res)
	}
}

func configExpect(t *testing.T, res *dokkutest.Result, code int, stdout, stderr string) {
	t.Helper()
	if res.Code != code || res.Stdout != stdout || res.Stderr != stderr {
		t.Fatalf("want exit %d stdout %q stderr %q\ngot %s", code, stdout, stderr, res)
	}
}

// configTricky are values that must survive every path untouched.
var configTricky = map[string]string{
	"SQ":       `it's`,
	"DQ":       `say "hi"`,
	"SPACES":   "  two  words  ",
	"NEWLINE":  "line1\nline2\n",
	"SUBST":    "$(touch /tmp/pwned) `id` ${HOME} $HOME",
	"BANG":     "hello!world!!",
	"UNICODE":  "héllo wörld ✓ 日本",
	"TRAILBS":  `ends with \`,
	"LEADDQ":   `"starts`,
	"TRAILDQ":  `ends"`,
	"BOTHDQ":   `"both"`,
	"EQUALS":   "a=b==c",
	"EMPTY":    "",
	"INT":      "42",
	"ZEROPAD":  "007",
	"HASH":     "x # not a comment",
	"TAB":      "a\tb",
	"CRLF":     "a\r\nb",
	"BACKSL_N": `not\na newline`,
	"ONLYSQ":   "'",
}

func TestConfigRoundTrip(t *testing.T) {
	r := configRoot(t, "rt")
	args := []string{"config:set", "--no-restart", "rt"}
	for k, v := range configTricky {
		args = append(args, k+"="+v)
	}
	r.MustRun(args...)
	for k, v := range configTricky {
		res := r.MustRun("config:get", "rt", k)
		if res.Stdout != v+"\n" {
			t.Errorf("config:get %s = %q, want %q", k, res.Stdout, v+"\n")
		}
	}
	// json export
	var got map[string]string
	if err := json.Unmarshal([]byte(r.MustRun("config:export", "--format", "json", "rt").Stdout), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, configTricky) {
		t.Errorf("json export differs:\n%q\n%q", got, configTricky)
	}
	// json-list export
	var list []struct{ Name, Value string }
	if err := json.Unmarshal([]byte(r.MustRun("config:export", "--format=json-list", "rt").Stdout), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != len(configTricky) || !sort.SliceIsSorted(list, func(i, j int) bool { return list[i].Name < list[j].Name }) {
		t.Errorf("json-list: %q", list)
	}
	for _, e := range list {
		if configTricky[e.Name] != e.Value {
			t.Errorf("json-list %s = %q", e.Name, e.Value)
		}
	}
	// the shell formats are read back by bash without running anything
	marker := filepath.Join(r.Dir, "pwned")
	subst := strings.ReplaceAll(configTricky["SUBST"], "/tmp/pwned", marker)
	r.MustRun("config:set", "rt", "--no-restart", "SUBST="+subst)
	want := map[string]string{}
	for k, v := range configTricky {
		want[k] = v
	}
	want["SUBST"] = subst
	exports := r.MustRun("config:export", "rt").Stdout
	shell := r.MustRun("config:export", "--format", "shell", "rt").Stdout
	for name, script := range map[string]string{
		"exports": exports,
		"shell":   "set -a; " + shell + "\nset +a",
	} {
		prog := script + "\nfor k in " + strings.Join(sortedConfigKeys(want), " ") + `; do printf '%s=%s\0' "$k" "${!k}"; done`
		out, err := exec.Command("bash", "-c", prog).Output()
		if err != nil {
			t.Fatalf("%s: bash: %v", name, err)
		}
		for _, kv := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
			k, v, _ := strings.Cut(kv, "=")
			if want[k] != v {
				t.Errorf("%s: %s = %q, want %q", name, k, v, want[k])
			}
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("a value was executed by a shell")
	}
	// --encoded
	enc := []string{"config:set", "--encoded", "--no-restart", "rt"}
	for k, v := range configTricky {
		enc = append(enc, "ENC_"+k+"="+base64.StdEncoding.EncodeToString([]byte(v)))
	}
	r.MustRun(enc...)
	for k, v := range configTricky {
		if res := r.MustRun("config:get", "rt", "ENC_"+k); res.Stdout != v+"\n" {
			t.Errorf("encoded %s = %q", k, res.Stdout)
		}
	}
	// --quoted is shell-safe
	res := r.MustRun("config:get", "--quoted", "rt", "SQ")
	if res.Stdout != `'it'\''s'`+"\n" {
		t.Errorf("quoted: %q", res.Stdout)
	}
}

func sortedConfigKeys(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestConfigSetOutputAndFile(t *testing.T) {
	r := configRoot(t, "out")
	res := r.Run("config:set", "out", "zKey=true", "bKey=true", "BKEY=true", "aKey=a value", "LONG_KEY_NAME=007")
	configExpect(t, res, 0, "-----> Setting config vars\n"+
		"       BKEY:           true\n"+
		"       LONG_KEY_NAME:  007\n"+
		"       aKey:           a value\n"+
		"       bKey:           true\n"+
		"       zKey:           true\n", "")
	if got := configReadEnv(t, r, "out"); got != "BKEY=\"true\"\nLONG_KEY_NAME=\"007\"\naKey=\"a value\"\nbKey=\"true\"\nzKey=\"true\"\n" {
		t.Errorf("ENV file: %q", got)
	}
	fi, err := os.Stat(configEnvPath(r, "out"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("ENV mode: %v %v", fi, err)
	}
	configExpect(t, r.Run("config:show", "out"), 0, "=====> out env vars\n"+
		"BKEY:           true\nLONG_KEY_NAME:  007\naKey:           a value\nbKey:           true\nzKey:           true\n", "")
	configExpect(t, r.Run("config", "out"), 0, r.Run("config:show", "out").Stdout, "")
	configExpect(t, r.Run("--app", "out", "config:keys"), 0, "BKEY\nLONG_KEY_NAME\naKey\nbKey\nzKey\n", "")
	configExpect(t, r.Run("config:export", "--format", "docker-args", "out"), 0,
		"--env=BKEY='true' --env=LONG_KEY_NAME='007' --env=aKey='a value' --env=bKey='true' --env=zKey='true'\n", "")
	configExpect(t, r.Run("config:export", "--format", "pack-keys", "out"), 0,
		"--env BKEY --env LONG_KEY_NAME --env aKey --env bKey --env zKey\n", "")
	configExpect(t, r.Run("config:export", "--format", "docker-args-keys", "out"), 0,
		"--env=BKEY --env=LONG_KEY_NAME --env=aKey --env=bKey --env=zKey\n", "")
	configExpect(t, r.Run("config:export", "--format", "pretty", "out"), 0,
		"BKEY:           true\nLONG_KEY_NAME:  007\naKey:           a value\nbKey:           true\nzKey:           true\n", "")
	configExpect(t, r.Run("config:export", "--format", "envfile", "out"), 0, configReadEnv(t, r, "out"), "")
	configExpect(t, r.Run("config", "--shell", "out"), 0,
		"BKEY='true' LONG_KEY_NAME='007' aKey='a value' bKey='true' zKey='true'",
		" !     Deprecated: Use 'config:export --format shell' instead\n")
	configExpect(t, r.Run("config", "--export", "out"), 0,
		"export BKEY='true'\nexport LONG_KEY_NAME='007'\nexport aKey='a value'\nexport bKey='true'\nexport zKey='true'\n",
		" !     Deprecated: Use 'config:export --format exports' instead\n")
	configExpect(t, r.Run("config", "--shell", "--export", "out"), 1, "", " !     Only one of --shell and --export can be given\n")
	configExpect(t, r.Run("config:export", "--format", "yaml", "out"), 1, "", " !     Unknown export format: yaml\n")

	// unset, skip, clear
	configExpect(t, r.Run("config:unset", "out", "zKey", "NOPE"), 0,
		"-----> Unsetting zKey\n-----> Skipping NOPE, it is not set in the environment\n", "")
	configExpect(t, r.Run("config:get", "out", "zKey"), 1, "", "")
	configExpect(t, r.Run("config:clear", "out"), 0,
		"-----> Unsetting BKEY\n-----> Unsetting LONG_KEY_NAME\n-----> Unsetting aKey\n-----> Unsetting bKey\n", "")
	configExpect(t, r.Run("config:show", "out"), 0, "=====> out env vars\n\n", "")
	configExpect(t, r.Run("config:export", "--format", "json-list", "out"), 0, "null\n", "")
	configExpect(t, r.Run("config:export", "--format", "json", "out"), 0, "{}\n", "")
	configExpect(t, r.Run("config:export", "--format", "shell", "out"), 0, " ", "")
	configExpect(t, r.Run("config:keys", "out"), 0, "", "")

	// quiet
	configExpect(t, r.Run("--quiet", "config:set", "out", "Q=1"), 0, "", "")
	configExpect(t, r.Run("config:get", "out", "Q"), 0, "1\n", "")
}

func TestConfigErrors(t *testing.T) {
	r := configRoot(t, "errs")
	r.MustRun("config:set", "errs", "KEEP=1")
	before := configReadEnv(t, r, "errs")
	for _, c := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"config:set", "errs", "GOOD=1", "1BAD=x"}, 1, " !     Invalid key name: '1BAD'\n"},
		{[]string{"config:set", "errs", "GOOD=1", "BAD-KEY=x"}, 1, " !     Invalid key name: 'BAD-KEY'\n"},
		{[]string{"config:set", "errs", "=novalue"}, 1, " !     Invalid key name: ''\n"},
		{[]string{"config:set", "errs", "GOOD=1", "NOEQUALS"}, 1, " !     Invalid env pair: NOEQUALS\n"},
		{[]string{"config:set", "errs"}, 1, " !     At least one env pair must be given\n"},
		{[]string{"config:set", "--encoded", "errs", "A=!!!"}, 1, " !     illegal base64 data at input byte 0 for key 'A'\n"},
		{[]string{"config:set", "--encoded", "errs", "A=" + base64.StdEncoding.EncodeToString([]byte("a\x00b"))}, 1, " !     Invalid value for key 'A': it contains a NUL byte\n"},
		{[]string{"config:unset", "errs"}, 1, " !     At least one key must be given\n"},
		{[]string{"config:unset", "errs", "KEEP", "BAD.KEY"}, 1, " !     Invalid key name: 'BAD.KEY'\n"},
		{[]string{"config:get", "errs"}, 1, " !     Expected: key\n"},
		{[]string{"config:get", "errs", "A", "B"}, 1, " !     Unexpected argument(s): [B]\n"},
		{[]string{"config:get", "errs", "MISSING"}, 1, ""},
		{[]string{"config:get", "errs", "in-valid"}, 1, ""},
		{[]string{"config:set", "--bogus", "errs", "A=1"}, 1, " !     unknown flag: --bogus\n"},
		{[]string{"config:clear", "errs", "KEEP"}, 1, " !     Trailing argument(s): [KEEP]\n"},
		{[]string{"config:show"}, 1, " !     Please specify an app or --global\n"},
		{[]string{"config:set", "nosuchapp", "A=1"}, 20, " !     App nosuchapp does not exist\n"},
		{[]string{"config:get", "nosuchapp", "A"}, 20, " !     App nosuchapp does not exist\n"},
		{[]string{"config:show", "nosuchapp"}, 20, " !     App nosuchapp does not exist\n"},
		{[]string{"config:unset", "nosuchapp", "A"}, 20, " !     App nosuchapp does not exist\n"},
		{[]string{"config:clear", "nosuchapp"}, 20, " !     App nosuchapp does not exist\n"},
		{[]string{"config:export", "nosuchapp"}, 20, " !     App nosuchapp does not exist\n"},
		{[]string{"config:keys", "nosuchapp"}, 20, " !     App nosuchapp does not exist\n"},
		{[]string{"config:bundle", "nosuchapp"}, 20, " !     App nosuchapp does not exist\n"},
		{[]string{"config:import", "nosuchapp", "-"}, 20, " !     App nosuchapp does not exist\n"},
	} {
		res := r.Run(c.args...)
		if res.Code != c.code || res.Stderr != c.stderr || res.Stdout != "" {
			t.Errorf("want %d %q\ngot %s", c.code, c.stderr, res)
		}
	}
	if after := configReadEnv(t, r, "errs"); after != before {
		t.Fatalf("a refused command changed the ENV file: %q", after)
	}
	if _, err := os.Stat(configEnvPath(r, "nosuchapp")); err == nil {
		t.Fatal("an unknown app got an ENV file")
	}
}

func TestConfigConcurrentSet(t *testing.T) {
	r := configRoot(t, "race")
	var wg sync.WaitGroup
	errs := make(chan string, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res := r.Run("config:set", "--no-restart", "race", fmt.Sprintf("KEY_%02d=value %d", i, i))
			if res.Code != 0 {
				errs <- res.String()
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	keys := strings.Fields(r.MustRun("config:keys", "race").Stdout)
	if len(keys) != 20 {
		t.Fatalf("lost keys: %d left: %v", len(keys), keys)
	}
	for i := 0; i < 20; i++ {
		if got := r.MustRun("config:get", "race", fmt.Sprintf("KEY_%02d", i)).Stdout; got != fmt.Sprintf("value %d\n", i) {
			t.Errorf("KEY_%02d = %q", i, got)
		}
	}
}

func TestConfigGlobalAndMerged(t *testing.T) {
	r := configRoot(t, "mg")
	configExpect(t, r.Run("config:set", "--global", "G=global", "SHARED=from global"), 0,
		"-----> Setting config vars\n       G:       global\n       SHARED:  from global\n", "")
	r.MustRun("config:set", "mg", "SHARED=from app", "A=1")
	configExpect(t, r.Run("config:get", "--global", "G"), 0, "global\n", "")
	configExpect(t, r.Run("config:get", "mg", "G"), 1, "", "")
	configExpect(t, r.Run("config:show", "--global"), 0, "=====> --global env vars\nG:       global\nSHARED:  from global\n", "")
	configExpect(t, r.Run("config:show", "--merged", "mg"), 0, "=====> mg env vars\nA:       1\nG:       global\nSHARED:  from app\n", "")
	configExpect(t, r.Run("config:keys", "--merged", "mg"), 0, "A\nG\nSHARED\n", "")
	configExpect(t, r.Run("config:export", "--merged", "--format", "json", "mg"), 0, `{"A":"1","G":"global","SHARED":"from app"}`+"\n", "")
	if got := configReadEnv(t, r, "--global"); got != "G=\"global\"\nSHARED=\"from global\"\n" {
		t.Errorf("global ENV: %q", got)
	}
	configExpect(t, r.Run("config:unset", "--global", "G"), 0, "-----> Unsetting G\n", "")
	configExpect(t, r.Run("config:clear", "--global"), 0, "-----> Unsetting SHARED\n", "")
	// docker-args: stdin first, then every merged key; values never in argv
	r.MustRun("config:set", "--global", "G2=x")
	configExpect(t, configTrigger(r, "--label=a", "docker-args-deploy", "mg", "latest"), 0, "--label=a --env=A --env=G2 --env=SHARED", "")
	configExpect(t, configTrigger(r, "", "docker-args-run", "mg", "latest"), 0, " --env=A --env=G2 --env=SHARED", "")
	configExpect(t, configTrigger(r, "", "config-get", "mg", "SHARED"), 0, "from app", "")
	configExpect(t, configTrigger(r, "", "config-get", "--global", "G2"), 0, "x", "")
	configExpect(t, configTrigger(r, "", "config-get", "mg", "NOPE"), 0, "", "")
	configExpect(t, configTrigger(r, "", "config-get", "nosuch", "A"), 0, "", "")
	configExpect(t, configTrigger(r, "", "config-get-global", "G2"), 0, "x", "")
	configExpect(t, configTrigger(r, "", "config-export", "mg", "false", "true", "docker-args-keys"), 0, "--env=A --env=G2 --env=SHARED\n", "")
	configExpect(t, configTrigger(r, "", "config-export", "", "true", "false", "shell"), 0, "G2='x' ", "")
	configExpect(t, configTrigger(r, "", "config-export", "mg", "maybe", "false", "shell"), 1, "", " !     strconv.ParseBool: parsing \"maybe\": invalid syntax\n")
}

func TestConfigBundle(t *testing.T) {
	r := configRoot(t, "bun")
	r.MustRun("config:set", "bun", "B=two\nlines", "A=1")
	r.MustRun("config:set", "--global", "G=g")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"config:bundle", "bun"}, []string{"A=1", "B=two\nlines"}},
		{[]string{"config:bundle", "--merged", "bun"}, []string{"A=1", "B=two\nlines", "G=g"}},
		{[]string{"config:bundle", "--global"}, []string{"G=g"}},
	} {
		res := r.MustRun(c.args...)
		tr := tar.NewReader(strings.NewReader(res.Stdout))
		var got []string
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(tr)
			got = append(got, h.Name+"="+string(b))
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v: %q", c.args, got)
		}
	}
}

func TestConfigImport(t *testing.T) {
	r := configRoot(t, "imp")
	r.MustRun("config:set", "imp", "OLD=1", "KEEP=k")
	res := r.RunOpts(dokkutest.Opts{Stdin: "# comment\nexport NEW='a b'\nQ=\"x\\ny\"\n"}, "config:import", "imp")
	configExpect(t, res, 0, "-----> Setting config vars\n       NEW:  a b\n       Q:    x\ny\n", "")
	configExpect(t, r.Run("config:keys", "imp"), 0, "KEEP\nNEW\nOLD\nQ\n", "")
	file := r.WriteFile("in.json", `{"J": "v\"1", "N": 5, "B": true, "KEEP": "k"}`, 0o644)
	res = r.Run("config:import", "--format", "json", "--replace", "imp", file)
	configExpect(t, res, 0, "-----> Setting config vars\n       B:     true\n       J:     v\"1\n       KEEP:  k\n       N:     5\n"+
		"-----> Unsetting NEW\n-----> Unsetting OLD\n-----> Unsetting Q\n", "")
	configExpect(t, r.Run("config:export", "--format", "json", "imp"), 0, `{"B":"true","J":"v\"1","KEEP":"k","N":"5"}`+"\n", "")
	before := configReadEnv(t, r, "imp")
	for _, c := range []struct {
		stdin, format string
		stderr        string
	}{
		{`{"1X": "a"}`, "json", " !     Invalid key name: '1X'\n"},
		{`{"A": {"b": 1}}`, "json", " !     Unable to parse stdin as json: the value of \"A\" is not a string\n"},
		{`["A"]`, "json", " !     Unable to parse stdin as json: json: cannot unmarshal array"},
		{"A=\"open\n", "envfile", " !     Unable to parse stdin as envfile: unterminated quoted value \"open\n"},
		{"", "envfile", " !     At least one env pair must be given\n"},
		{"A=1", "yaml", " !     Unknown import format: yaml\n"},
	} {
		res := r.RunOpts(dokkutest.Opts{Stdin: c.stdin}, "config:import", "--format", c.format, "imp", "-")
		if res.Code != 1 || !strings.HasPrefix(res.Stderr, c.stderr) || strings.Count(res.Stderr, "\n") != 1 {
			t.Errorf("%q: %s", c.stdin, res)
		}
	}
	// over ssh a path would read a server file the caller may not own
	res = r.RunOpts(dokkutest.Opts{Env: []string{"SSH_CONNECTION=1.2.3.4 5 6.7.8.9 22"}}, "config:import", "imp", file)
	configExpect(t, res, 1, "", " !     Reading a file on the server is not allowed over ssh; pass - and send the file on stdin\n")
	if after := configReadEnv(t, r, "imp"); after != before {
		t.Fatalf("refused import changed ENV: %q", after)
	}
}

func TestConfigInvalidAndMalformedFiles(t *testing.T) {
	r := configRoot(t, "bad")
	if err := os.MkdirAll(filepath.Dir(configEnvPath(r, "bad")), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(configEnvPath(r, "bad"), []byte("A.B=2\nGOOD=1\nexport OLD='x'\n"), 0o600)
	res := r.Run("config:get", "bad", "GOOD")
	configExpect(t, res, 0, "1\n", "-----> Deleting invalid key A.B from config for bad\n")
	if got := configReadEnv(t, r, "bad"); got != "GOOD=1\nOLD=\"x\"\n" {
		t.Errorf("rewritten: %q", got)
	}
	broken := "GOOD=1\nB=\"never closed\nC=3\n"
	os.WriteFile(configEnvPath(r, "bad"), []byte(broken), 0o600)
	for _, args := range [][]string{{"config:get", "bad", "GOOD"}, {"config:set", "bad", "X=1"}, {"config:clear", "bad"}} {
		res := r.Run(args...)
		if res.Code != 1 || !strings.HasPrefix(res.Stderr, " !     Unable to parse "+configEnvPath(r, "bad")+": ") {
			t.Errorf("%v: %s", args, res)
		}
	}
	if got := configReadEnv(t, r, "bad"); got != broken {
		t.Fatalf("malformed file was changed: %q", got)
	}
}

func TestConfigPostConfigUpdateAndRestart(t *testing.T) {
	r := configRoot(t, "plain")
	configApp(t, r, "live", true)
	log := configRecorder(t, r, 0, "post-config-update", "release-and-deploy")

	configExpect(t, r.Run("config:set", "plain", "B=2", "A=1"), 0, "-----> Setting config vars\n       A:  1\n       B:  2\n", "")
	configExpectPrefix(t, r.Run("config:set", "live", "X=1"), 0, "-----> Setting config vars\n       X:  1\n-----> Restarting app live\n", "")
	r.MustRun("config:set", "--no-restart", "live", "Y=1")
	r.MustRun("config:unset", "live", "X", "NOPE")
	r.MustRun("config:unset", "live", "NOPE")
	r.MustRun("config:clear", "--no-restart", "live")
	r.MustRun("config:set", "--global", "G=1")
	r.MustRun("config:unset", "--global", "G")
	configProp(t, r, "ps", "live", "restore", "false")
	configExpect(t, r.Run("config:set", "live", "Z=1"), 0, "-----> Setting config vars\n       Z:  1\n", "")
	want := strings.Join([]string{
		"post-config-update|plain|set|A|B",
		"post-config-update|live|set|X",
		"release-and-deploy|live||config-redeploy",
		"post-config-update|live|set|Y",
		"post-config-update|live|unset|X|NOPE",
		"release-and-deploy|live||config-redeploy",
		"release-and-deploy|live||config-redeploy",
		"post-config-update|live|clear",
		"post-config-update|--global|set|G",
		"post-config-update|--global|unset|G",
		"post-config-update|live|set|Z",
	}, "\n") + "\n"
	if got := configLog(t, log); got != want {
		t.Fatalf("trigger log:\n%s\nwant:\n%s", got, want)
	}
}

func TestConfigTriggerFailuresAreWarnings(t *testing.T) {
	r := dokkutest.New(t)
	configApp(t, r, "live", true)
	configRecorder(t, r, 3, "post-config-update", "release-and-deploy")
	configExpect(t, r.Run("config:set", "live", "X=1"), 0,
		"-----> Setting config vars\n       X:  1\n-----> Restarting app live\n",
		" !     Failure while triggering post-config-update: exit status 3\n !     Failure while restarting app: exit status 3\n")
	configExpect(t, r.Run("config:get", "live", "X"), 0, "1\n", "")
}

func TestConfigSetUnsetTriggers(t *testing.T) {
	r := configRoot(t, "tr")
	configExpect(t, configTrigger(r, "", "config-set", "--no-restart", "tr", "A=1", "B=x=y"), 0,
		"-----> Setting config vars\n       A:  1\n       B:  x=y\n", "")
	configExpect(t, configTrigger(r, "", "config-unset", "tr", "A", "false"), 0, "-----> Unsetting A\n", "")
	configExpect(t, configTrigger(r, "", "config-unset", "--global", "NOPE"), 0, "-----> Skipping NOPE, it is not set in the environment\n", "")
	configExpect(t, configTrigger(r, "", "config-set", "nosuch", "A=1"), 20, "", " !     App nosuch does not exist\n")
	configExpect(t, configTrigger(r, "", "config-set", "tr", "1A=1"), 1, "", " !     Invalid key name: '1A'\n")
	// through plugn, as shell plugins fire it
	res := r.RunOpts(configPlugn(t, r), "trigger", "config-get", "tr", "B")
	configExpect(t, res, 0, "x=y", "")
}

func TestConfigLifecycleTriggers(t *testing.T) {
	r := configRoot(t, "src", "dst", "ren", "gone")
	configExpect(t, configTrigger(r, "", "post-create", "src"), 0, "", "")
	if fi, err := os.Stat(filepath.Join(r.Lib, "config", "src")); err != nil || !fi.IsDir() {
		t.Fatalf("post-create: %v", err)
	}
	r.MustRun("config:set", "src", "A=1", "B=2")
	r.MustRun("config:set", "dst", "B=old", "C=3")
	configExpect(t, configTrigger(r, "", "post-app-clone-setup", "src", "dst"), 0, "", "")
	configExpect(t, r.Run("config:export", "--format", "json", "dst"), 0, `{"A":"1","B":"2","C":"3"}`+"\n", "")
	configExpect(t, r.Run("config:export", "--format", "json", "src"), 0, `{"A":"1","B":"2"}`+"\n", "")

	configExpect(t, configTrigger(r, "", "post-app-rename-setup", "src", "ren"), 0, "", "")
	configExpect(t, r.Run("config:export", "--format", "json", "ren"), 0, `{"A":"1","B":"2"}`+"\n", "")
	if _, err := os.Stat(configEnvPath(r, "src")); !os.IsNotExist(err) {
		t.Errorf("rename left the old ENV: %v", err)
	}

	r.MustRun("config:set", "gone", "A=1")
	configProp(t, r, "config", "gone", "env-migrated", "true")
	configExpect(t, configTrigger(r, "", "post-delete", "gone", "latest"), 0, "", "")
	if _, err := os.Stat(filepath.Join(r.Lib, "config", "gone")); !os.IsNotExist(err) {
		t.Errorf("post-delete left config/gone: %v", err)
	}
	if _, err := os.Stat(filepath.Join(r.Lib, "config", "config", "gone")); !os.IsNotExist(err) {
		t.Errorf("post-delete left the properties: %v", err)
	}
	// an app named like a plugin never takes the plugin's properties along
	configApp(t, r, "ps", false)
	configProp(t, r, "ps", "other", "restore", "true")
	r.MustRun("config:set", "ps", "A=1")
	configExpect(t, configTrigger(r, "", "post-delete", "ps", "latest"), 0, "", "")
	if _, err := os.Stat(filepath.Join(r.Lib, "config", "ps", "other", "restore")); err != nil {
		t.Fatalf("post-delete of app ps removed ps properties: %v", err)
	}
	if _, err := os.Stat(configEnvPath(r, "ps")); !os.IsNotExist(err) {
		t.Errorf("post-delete left ps ENV: %v", err)
	}
}

func TestConfigMigration(t *testing.T) {
	r := configRoot(t, "old1", "old2", "fresh")
	// an upgraded host: the legacy files predate the first config install
	os.Remove(filepath.Join(r.Lib, "config", "config", "--global", "env-migrated"))
	os.WriteFile(filepath.Join(r.Home, "ENV"), []byte("export GLOBAL_OLD='g'\n"), 0o600)
	os.WriteFile(filepath.Join(r.Home, "old1", "ENV"), []byte("export OLD='one two'\nexport SHARED='legacy'\nexport bad.key='x'\n"), 0o600)
	os.WriteFile(filepath.Join(r.Home, "old2", "ENV"), []byte("OTHER=\"2\"\n"), 0o600)
	// a value already in the new place that the legacy file overrides
	r.MustRun("config:set", "old1", "SHARED=new", "NEWONLY=1")

	res := configTrigger(r, "", "config-migrate-env")
	configExpect(t, res, 0, "", "-----> Deleting invalid key bad.key from config for old1\n")
	configExpect(t, r.Run("config:export", "--format", "json", "old1"), 0, `{"NEWONLY":"1","OLD":"one two","SHARED":"legacy"}`+"\n", "")
	configExpect(t, r.Run("config:get", "old2", "OTHER"), 0, "2\n", "")
	configExpect(t, r.Run("config:get", "--global", "GLOBAL_OLD"), 0, "g\n", "")
	for _, p := range []string{filepath.Join(r.Home, "ENV"), filepath.Join(r.Home, "old1", "ENV"), filepath.Join(r.Home, "old2", "ENV")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s still there", p)
		}
		if _, err := os.Stat(p + ".migrated"); err != nil {
			t.Errorf("%s.migrated missing", p)
		}
	}
	for _, n := range []string{"--global", "old1", "old2", "fresh"} {
		b, err := os.ReadFile(filepath.Join(r.Lib, "config", "config", n, "env-migrated"))
		if err != nil || string(b) != "true" {
			t.Errorf("env-migrated of %s: %q %v", n, b, err)
		}
	}
	// once only: later changes are not overwritten by a stale legacy file
	r.MustRun("config:set", "old1", "OLD=changed")
	os.WriteFile(filepath.Join(r.Home, "old1", "ENV"), []byte("export OLD='one two'\n"), 0o600)
	os.WriteFile(filepath.Join(r.Home, "old2", "ENV"), []byte("OTHER=\"2\"\n"), 0o600)
	res = configTrigger(r, "", "install")
	configExpect(t, res, 0, "", " !     Not importing already-migrated ENV file "+filepath.Join(r.Home, "old1", "ENV")+": the current config takes precedence for OLD\n"+
		" !     Preserved at "+filepath.Join(r.Home, "old1", "ENV.migrated")+"; apply any values still needed with dokku config:set\n")
	configExpect(t, r.Run("config:get", "old1", "OLD"), 0, "changed\n", "")
	if _, err := os.Stat(filepath.Join(r.Home, "old2", "ENV")); !os.IsNotExist(err) {
		t.Errorf("agreeing stale file was not removed")
	}
}

func TestConfigShellFunctions(t *testing.T) {
	r := configRoot(t, "sh")
	opts := configPlugn(t, r)
	r.AddPlugin("cfgsh", map[string]string{"commands": `#!/usr/bin/env bash
source "$PLUGIN_AVAILABLE_PATH/config/functions"
case "$1" in
  cfgsh:call)
    shift
    fn="$1"
    shift
    "$fn" "$@"
    echo "rc=$?"
    ;;
  cfgsh:get-or)
    value="$(config_get "$2" "$3" || echo "<unset>")"
    printf '[%s]\n' "$value"
    ;;
  *) exit "$DOKKU_NOT_IMPLEMENTED_EXIT" ;;
esac
`})
	run := func(args ...string) *dokkutest.Result {
		o := opts
		o.Argv0 = ""
		o.Env = append(append([]string{}, opts.Env...), "PATH="+filepath.Join(r.Dir, "bin")+":"+os.Getenv("PATH"))
		return r.RunOpts(o, append([]string{"cfgsh:call"}, args...)...)
	}
	v := configTricky["SUBST"] + " " + configTricky["NEWLINE"] + configTricky["SQ"]
	configExpect(t, run("config_set", "--no-restart", "sh", "V="+v, "W=1"), 0, "-----> Setting config vars\n       V:  "+strings.TrimSpace(v)+"\n       W:  1\nrc=0\n", "")
	configExpect(t, run("config_get", "sh", "V"), 0, v+"\nrc=0\n", "")
	configExpect(t, run("config_get", "--global", "V"), 1, "", "")
	configExpect(t, r.Run("cfgsh:get-or", "sh", "MISSING"), 0, "[<unset>]\n", "")
	configExpect(t, r.Run("cfgsh:get-or", "nosuch", "V"), 0, "[<unset>]\n", "")
	configExpect(t, run("config_keys", "sh"), 0, "V\nW\nrc=0\n", "")
	configExpect(t, run("config_export", "app", "sh", "--format", "docker-args-keys"), 0, "--env=V --env=W\nrc=0\n", "")
	configExpect(t, run("config_set", "--global", "G=1"), 0, "-----> Setting config vars\n       G:  1\nrc=0\n", "")
	configExpect(t, run("config_export", "global", "--format", "shell"), 0, "G='1' rc=0\n", "")
	configExpect(t, run("config_export", "app", "sh", "--merged", "--format", "docker-args-keys"), 0, "--env=G --env=V --env=W\nrc=0\n", "")
	configExpect(t, run("config_unset", "sh", "W"), 0, "-----> Unsetting W\nrc=0\n", "")
	configExpect(t, run("config_all", "config", "sh"), 0, "=====> sh env vars\nV:  "+strings.TrimSpace(v)+"\nrc=0\n", "")
	res := run("config_bundle", "sh")
	if res.Code != 0 || !strings.Contains(res.Stdout, v) {
		t.Errorf("bundle: %s", res)
	}
	configExpect(t, run("fn-config-set", "sh", "true", "F=from trigger"), 0, "-----> Setting config vars\n       F:  from trigger\nrc=0\n", "")
	configExpect(t, run("config_clear", "sh"), 0, "-----> Unsetting F\n-----> Unsetting V\nrc=0\n", "")
	configExpect(t, run("config_set", "sh", "1BAD=x"), 1, "", " !     Invalid key name: '1BAD'\n")
}

func TestConfigHelp(t *testing.T) {
	r := configRoot(t)
	res := r.MustRun("config:help")
	if !strings.HasPrefix(res.Stdout, "Usage: dokku config[:COMMAND]\n\nManage global and app-specific config vars\n\nAdditional commands:\n") {
		t.Fatalf("%s", res)
	}
	for _, l := range []string{
		"    config (<app>|--global)  ",
		"    config:set [--encoded] [--no-restart] (<app>|--global) KEY1=VALUE1 [KEY2=VALUE2 ...]  Set one or more config vars\n",
		"    config:get [--quoted] (<app>|--global) KEY",
	} {
		if !strings.Contains(res.Stdout, l) {
			t.Errorf("help lacks %q:\n%s", l, res.Stdout)
		}
	}
	if !strings.Contains(r.MustRun("help").Stdout, "    config") {
		t.Error("config missing from dokku help")
	}
	configExpect(t, r.Run("config"), 1, "", " !     Please specify an app or --global\n")
}
