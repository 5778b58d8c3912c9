//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestE2EVersion(t *testing.T) {
	want := "dokku version " + DokkuVersion + "\n"
	for _, args := range [][]string{{"version"}, {"-v"}, {"--version"}} {
		if res := MustDokku(t, args...); res.Stdout != want {
			t.Errorf("dokku %v:\n%s", args, res)
		}
	}
	if res := DokkuAsUser(t, "version"); res.Code != 0 || res.Stdout != want {
		t.Errorf("dokku version as the dokku user:\n%s", res)
	}
}

func TestE2EHelp(t *testing.T) {
	installHello(t, helloGitRepo(t))

	// Without a TTY the dispatcher is quiet: only the command lines.
	plain := MustDokku(t, "help").Stdout
	lines := strings.Split(strings.TrimSuffix(plain, "\n"), "\n")
	appsAt, helloAt := -1, -1
	for i, l := range lines {
		switch {
		case regexp.MustCompile(`^    apps +Manage apps$`).MatchString(l):
			appsAt = i
		case regexp.MustCompile(`^    hello +Fixture plugin for the end-to-end tests$`).MatchString(l):
			helloAt = i
		case strings.Contains(l, ":"):
			t.Errorf("`dokku help` lists a subcommand line %q", l)
		case !strings.HasPrefix(l, "    "):
			t.Errorf("`dokku help` without a TTY printed a non-command line %q", l)
		}
	}
	if appsAt < 0 || helloAt < 0 || helloAt < appsAt {
		t.Errorf("`dokku help`: want the core apps line, then the community hello line:\n%s", plain)
	}
	if !regexp.MustCompile(`(?m)^    plugin +Manage installed plugins$`).MatchString(plain) {
		t.Errorf("`dokku help` lacks the plugin line:\n%s", plain)
	}

	// With a TTY the headers frame the two blocks.
	tty := DokkuWith(t, Opts{Env: []string{"DOKKU_FORCE_TTY=true"}}, "help")
	ExpectCode(t, tty, 0)
	for _, want := range []string{
		"Usage: dokku [--quiet|--trace|--force] COMMAND <app> [command-specific-options]\n\n" +
			"Primary help options, type \"dokku COMMAND:help\" for more details, or dokku help --all to see all commands.\n\n" +
			"Commands:\n\n",
		"\n\nCommunity plugin commands:\n\n",
	} {
		if !strings.Contains(tty.Stdout, want) {
			t.Errorf("`dokku help` on a TTY lacks %q:\n%s", want, tty.Stdout)
		}
	}
	if !strings.HasPrefix(tty.Stdout, "Usage: dokku ") {
		t.Errorf("`dokku help` on a TTY must start with the usage line:\n%s", tty.Stdout)
	}
	if i, j := strings.Index(tty.Stdout, "Community plugin commands:"), strings.Index(tty.Stdout, "    hello "); i < 0 || j < i {
		t.Errorf("the hello plugin must be listed under Community plugin commands:\n%s", tty.Stdout)
	}

	// --all lists every subcommand with its arguments, core and community.
	all := MustDokku(t, "help", "--all").Stdout
	for _, re := range []string{
		`(?m)^    apps:create <app> +Create a new app$`,
		`(?m)^    plugin:install .+ +Optionally download git-url`,
		`(?m)^    hello:greeting <app> +Print the GREETING config var of an app$`,
		`(?m)^    hello:world \[<app>\] +Greet the world or an app with its stored greeting$`,
	} {
		if !regexp.MustCompile(re).MatchString(all) {
			t.Errorf("`dokku help --all` lacks %s:\n%s", re, all)
		}
	}
	if i, j := strings.Index(all, "    apps:create"), strings.Index(all, "    hello:world"); i < 0 || j < i {
		t.Errorf("`dokku help --all`: core commands come before community ones:\n%s", all)
	}

	// <ns>:help of a community plugin is the plugin's own.
	if res := MustDokku(t, "hello:help"); !strings.HasPrefix(res.Stdout, "Usage: dokku hello[:COMMAND]\n") {
		t.Errorf("hello:help:\n%s", res)
	}
	// An unknown command: Dokku's two lines, exit 1.
	res := Dokku(t, "no-such-command:"+RunPrefix)
	want := " !     `no-such-command:" + RunPrefix + "` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n"
	if res.Code != 1 || res.Stderr != want {
		t.Errorf("unknown command:\n%s\nwant stderr:\n%s", res, want)
	}
}

func TestE2EAppsLifecycle(t *testing.T) {
	app := App(t)
	res := MustDokku(t, "apps:create", app)
	if !strings.Contains(res.Stdout, "-----> Creating "+app+"...\n") {
		t.Errorf("apps:create output:\n%s", res)
	}
	appDir := filepath.Join(DokkuRoot, app)
	AssertOwnerMode(t, appDir, DokkuUser, DokkuGroup, 0o755)
	ExpectCode(t, Dokku(t, "apps:exists", app), 0)
	if res := Dokku(t, "apps:create", app); res.Code == 0 || !strings.Contains(res.Stderr, "Name is already taken") {
		t.Errorf("creating an existing app must fail with `Name is already taken`:\n%s", res)
	}

	// apps:list, as root and as the dokku user, text and json.
	for _, res := range []*Result{MustDokku(t, "apps:list"), DokkuAsUser(t, "apps:list")} {
		ExpectCode(t, res, 0)
		if !strings.HasPrefix(res.Stdout, "=====> My Apps\n") || !regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(app)+`$`).MatchString(res.Stdout) {
			t.Errorf("apps:list:\n%s", res)
		}
	}
	var names []string
	if out := MustDokku(t, "apps:list", "--format", "json").Stdout; json.Unmarshal([]byte(out), &names) != nil || !contains(names, app) {
		t.Errorf("apps:list --format json: %q", out)
	}

	// apps:report: the layout, single flags, json.
	report := MustDokku(t, "apps:report", app).Stdout
	if !strings.HasPrefix(report, "=====> "+app+" app information\n") ||
		!regexp.MustCompile(`(?m)^       App dir: +`+regexp.QuoteMeta(appDir)+`$`).MatchString(report) ||
		!regexp.MustCompile(`(?m)^       App locked: +false$`).MatchString(report) {
		t.Errorf("apps:report:\n%s", report)
	}
	if got := MustDokku(t, "apps:report", app, "--app-dir").Stdout; got != appDir+"\n" {
		t.Errorf("apps:report --app-dir = %q", got)
	}
	created := strings.TrimSpace(MustDokku(t, "apps:report", app, "--app-created-at").Stdout)
	if ts, err := strconv.ParseInt(created, 10, 64); err != nil || time.Since(time.Unix(ts, 0)) > 10*time.Minute || time.Until(time.Unix(ts, 0)) > time.Minute {
		t.Errorf("apps:report --app-created-at = %q, want the creation time as a unix timestamp", created)
	}
	var obj map[string]any
	if out := MustDokku(t, "apps:report", app, "--format", "json").Stdout; json.Unmarshal([]byte(out), &obj) != nil || obj["dir"] != appDir {
		t.Errorf("apps:report --format json: %q", out)
	}
	AssertOwnerMode(t, filepath.Join(LibRoot, "config", "apps", app, "created-at"), DokkuUser, DokkuGroup, 0o600)

	// clone copies the config; rename moves it.
	MustDokku(t, "config:set", "--no-restart", app, "CARRIED=over and out")
	clone := App(t)
	res = MustDokku(t, "apps:clone", "--skip-deploy", app, clone)
	if !strings.Contains(res.Stdout, "-----> Cloning "+app+" to "+clone+"\n") {
		t.Errorf("apps:clone output:\n%s", res)
	}
	if got := MustDokku(t, "config:get", clone, "CARRIED").Stdout; got != "over and out\n" {
		t.Errorf("the clone's config: %q", got)
	}
	renamed := App(t)
	res = MustDokku(t, "apps:rename", "--skip-deploy", clone, renamed)
	if !strings.Contains(res.Stdout, "-----> Renaming "+clone+" to "+renamed+"\n") {
		t.Errorf("apps:rename output:\n%s", res)
	}
	ExpectCode(t, Dokku(t, "apps:exists", clone), 20)
	if _, err := os.Stat(filepath.Join(DokkuRoot, clone)); !os.IsNotExist(err) {
		t.Errorf("rename left %s behind (%v)", clone, err)
	}
	if got := MustDokku(t, "config:get", renamed, "CARRIED").Stdout; got != "over and out\n" {
		t.Errorf("the renamed app's config: %q", got)
	}

	// destroy asks for the app name; a wrong answer keeps the app.
	res = DokkuWith(t, Opts{Stdin: "not-the-name\n"}, "apps:destroy", renamed)
	if res.Code == 0 {
		t.Errorf("apps:destroy with a wrong confirmation succeeded:\n%s", res)
	}
	ExpectCode(t, Dokku(t, "apps:exists", renamed), 0)
	res = DokkuWith(t, Opts{Stdin: renamed + "\n"}, "apps:destroy", renamed)
	ExpectCode(t, res, 0)
	if !strings.Contains(res.Stdout, "-----> Destroying "+renamed+" (including all add-ons)\n") {
		t.Errorf("apps:destroy output:\n%s", res)
	}
	for _, p := range []string{filepath.Join(DokkuRoot, renamed), filepath.Join(LibRoot, "config", renamed), filepath.Join(LibRoot, "config", "apps", renamed)} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("destroy left %s behind (%v)", p, err)
		}
	}
	ExpectCode(t, Dokku(t, "apps:exists", renamed), 20)

	// --force after the app name skips the prompt.
	MustDokku(t, "apps:destroy", app, "--force")
	ExpectCode(t, Dokku(t, "apps:exists", app), 20)
	if res := Dokku(t, "apps:report", app); res.Code != 20 || !strings.Contains(res.Stderr, "App "+app+" does not exist") {
		t.Errorf("apps:report of a destroyed app:\n%s", res)
	}
}

// hardValues cover everything a shell or an env-file format could mangle.
var hardValues = map[string]string{
	"QUOTES":    `it's "quoted" and 'single'`,
	"SPACES":    "  leading and trailing  ",
	"MULTILINE": "line1\n\tline2\nline3",
	"SHELLISH":  "$(id) `id` ${HOME} $HOME; echo pwned && exit 1 | cat",
	"BANG":      "!history !! and !$",
	"UNICODE":   "ünïcødé ✓ 日本語 🚀",
	"BACKSLASH": `C:\path\to\ and a trailing \`,
	"EQUALS":    "a=b=c==",
	"DQ_EDGES":  `"wrapped in double quotes"`,
	"URL":       "postgres://user:p%40ss@db:5432/name?sslmode=require&x=1#frag",
}

func TestE2EConfigRoundTrip(t *testing.T) {
	app := NewApp(t)
	// What the app starts with (e.g. NO_VHOST=1 when the host has no global
	// domain) stays beside the values set here.
	want := map[string]string{}
	if out := MustDokku(t, "config:export", "--format", "json", app).Stdout; json.Unmarshal([]byte(out), &want) != nil {
		t.Fatalf("config:export --format json of a new app: %q", out)
	}
	for k, v := range hardValues {
		want[k] = v
	}
	allKeys := make([]string, 0, len(want))
	for k := range want {
		allKeys = append(allKeys, k)
	}
	sort.Strings(allKeys)

	keys := make([]string, 0, len(hardValues))
	for k := range hardValues {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	args := []string{"config:set", "--no-restart", app}
	for _, k := range keys {
		args = append(args, k+"="+hardValues[k])
	}
	res := MustDokku(t, args...)
	if !strings.HasPrefix(res.Stdout, "-----> Setting config vars\n") {
		t.Errorf("config:set output:\n%s", res)
	}

	for _, k := range keys {
		if got := MustDokku(t, "config:get", app, k).Stdout; got != hardValues[k]+"\n" {
			t.Errorf("config:get %s = %q, want %q", k, got, hardValues[k]+"\n")
		}
		if got := DokkuAsUser(t, "config:get", app, k).Stdout; got != hardValues[k]+"\n" {
			t.Errorf("config:get %s as the dokku user = %q", k, got)
		}
	}
	if res := Dokku(t, "config:get", app, "NOT_SET"); res.Code != 1 || res.Stdout != "" {
		t.Errorf("config:get of a missing key: want exit 1 and no output:\n%s", res)
	}

	// The default export is shell: evaluating it reproduces every value.
	exported := MustDokku(t, "config:export", app).Stdout
	script := `eval "$(cat)"; for k in "$@"; do printf '%s\0' "${!k}"; done`
	ev := Run(t, Opts{Stdin: exported}, "bash", append([]string{"-c", script, "bash"}, keys...)...)
	ExpectCode(t, ev, 0)
	got := strings.Split(strings.TrimSuffix(ev.Stdout, "\x00"), "\x00")
	for i, k := range keys {
		if i >= len(got) || got[i] != hardValues[k] {
			t.Errorf("config:export, evaluated by bash: %s = %q, want %q\nexport:\n%s", k, at(got, i), hardValues[k], exported)
		}
	}
	var obj map[string]string
	if out := MustDokku(t, "config:export", "--format", "json", app).Stdout; json.Unmarshal([]byte(out), &obj) != nil || !sameMap(obj, want) {
		t.Errorf("config:export --format json = %q", out)
	}
	if out := MustDokku(t, "config:keys", app).Stdout; out != strings.Join(allKeys, "\n")+"\n" {
		t.Errorf("config:keys = %q", out)
	}

	// The ENV file belongs to dokku and nobody else can read it.
	AssertOwnerMode(t, filepath.Join(LibRoot, "config", app, "ENV"), DokkuUser, DokkuGroup, 0o600)

	MustDokku(t, "config:unset", "--no-restart", app, "BANG")
	ExpectCode(t, Dokku(t, "config:get", app, "BANG"), 1)

	// Global values merge under the app's.
	global := strings.ToUpper(strings.ReplaceAll(RunPrefix, "-", "_")) + "_GLOBAL"
	t.Cleanup(func() { Dokku(t, "config:unset", "--no-restart", "--global", global) })
	MustDokku(t, "config:set", "--no-restart", "--global", global+"=from global")
	if got := MustDokku(t, "config:get", "--global", global).Stdout; got != "from global\n" {
		t.Errorf("config:get --global = %q", got)
	}
	var merged map[string]string
	if out := MustDokku(t, "config:export", "--merged", "--format", "json", app).Stdout; json.Unmarshal([]byte(out), &merged) != nil || merged[global] != "from global" || merged["QUOTES"] != hardValues["QUOTES"] {
		t.Errorf("config:export --merged lacks the global or the app value: %q", out)
	}
}

func TestE2EEvents(t *testing.T) {
	rc := filepath.Join(DokkuRoot, ".dokkurc", "DOKKU_EVENTS")
	logFile := filepath.Join(LogsDir, "events.log")
	t.Cleanup(func() { Dokku(t, "events:off") })

	MustDokku(t, "events:on")
	if got := ReadFile(t, rc); !strings.Contains(got, "export DOKKU_EVENTS=1") {
		t.Errorf("%s = %q", rc, got)
	}
	app := NewApp(t)
	line := "INVOKED: post-create( " + app + " )"
	Eventually(t, 10*time.Second, "the post-create event in "+logFile, func() (bool, string) {
		b, err := os.ReadFile(logFile)
		return err == nil && strings.Contains(string(b), line), "last lines: " + tail(string(b), 3)
	})
	fi, err := os.Stat(logFile)
	if err != nil || fi.Mode().Perm() != 0o664 {
		t.Errorf("%s must be 0664: %v %v", logFile, fi, err)
	}
	if res := MustDokku(t, "events"); !strings.Contains(res.Stdout, line) {
		t.Errorf("`dokku events` does not show the event:\n%s", res)
	}
	if res := MustDokku(t, "events:list"); !regexp.MustCompile(`(?m)\bpost-create\b`).MatchString(res.Stdout) {
		t.Errorf("events:list:\n%s", res)
	}

	MustDokku(t, "events:off")
	if _, err := os.Stat(rc); !os.IsNotExist(err) {
		t.Errorf("events:off left %s (%v)", rc, err)
	}
	quiet := NewApp(t)
	if b, _ := os.ReadFile(logFile); strings.Contains(string(b), quiet) {
		t.Errorf("events were logged after events:off: %s", tail(string(b), 3))
	}
	if res := MustDokku(t, "events:list"); !strings.Contains(res.Stdout+res.Stderr, "Events logger disabled") {
		t.Errorf("events:list when off:\n%s", res)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return "<missing>"
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
