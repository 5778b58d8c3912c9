package script

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

// appsNoDocker keeps the destroy path's cleanup away from the real daemon.
var appsNoDocker = []string{"DOCKER_HOST=unix:///nonexistent/docker.sock"}

func appsRun(r *dokkutest.Root, stdin string, args ...string) *dokkutest.Result {
	r.T.Helper()
	return appsStripCleanup(r.RunOpts(dokkutest.Opts{Stdin: stdin, Env: appsNoDocker}, args...))
}

// appsStripCleanup drops the output of the forced cleanup destroy runs (the
// build pipeline's, against an unreachable daemon here), so destroy output
// can be compared exactly.
func appsStripCleanup(res *dokkutest.Result) *dokkutest.Result {
	res.Stdout = strings.ReplaceAll(res.Stdout, "-----> Cleaning up...\n", "")
	var keep []string
	for _, l := range strings.SplitAfter(res.Stderr, "\n") {
		if !strings.HasPrefix(l, " !     Cleanup incomplete") {
			keep = append(keep, l)
		}
	}
	res.Stderr = strings.Join(keep, "")
	return res
}

// appsRoot is a scratch root where only the plugins under test (and the
// ones named) are enabled: other core plugins answer triggers such as
// post-create with output of their own, which these tests do not pin.
func appsRoot(t *testing.T, keep ...string) *dokkutest.Root {
	t.Helper()
	r := dokkutest.New(t)
	appsIsolate(t, r, keep...)
	return r
}

// appsIsolate disables the core plugins other than 00_dokku-standard,
// 20_events, apps and keep (plugin:install --core enables them again). The
// plugin plugin stays: without it the dispatcher rewrites the core tree.
func appsIsolate(t *testing.T, r *dokkutest.Root, keep ...string) {
	t.Helper()
	kept := map[string]bool{"00_dokku-standard": true, "20_events": true, "apps": true, "plugin": true}
	for _, k := range keep {
		kept[k] = true
	}
	dir := filepath.Join(r.Lib, "plugins", "enabled")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		link := filepath.Join(dir, e.Name())
		if target, err := filepath.EvalSymlinks(link); err == nil && !kept[e.Name()] && strings.Contains(target, "core-plugins") {
			if err := os.Remove(link); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func appsExpect(t *testing.T, res *dokkutest.Result, code int, stdout, stderr string) {
	t.Helper()
	if res.Code != code || res.Stdout != stdout || res.Stderr != stderr {
		t.Fatalf("want exit %d stdout %q stderr %q, got %s", code, stdout, stderr, res)
	}
}

// appsTrigger fires a trigger through the binary's plugn face.
func appsTrigger(r *dokkutest.Root, stdin string, args ...string) *dokkutest.Result {
	r.T.Helper()
	link := r.Path("plugn")
	if _, err := os.Lstat(link); err != nil {
		if err := os.Symlink(r.Bin, link); err != nil {
			r.T.Fatal(err)
		}
	}
	env := append([]string{"PLUGIN_PATH=" + filepath.Join(r.Lib, "plugins")}, appsNoDocker...)
	return appsStripCleanup(r.RunOpts(dokkutest.Opts{Argv0: link, Stdin: stdin, Env: env}, append([]string{"trigger"}, args...)...))
}

// appsRecorder installs a community plugin whose triggers append
// "<trigger> <args> [SKIP_REBUILD=..]" to a log; git-has-code answers code.
func appsRecorder(t *testing.T, r *dokkutest.Root, gitHasCode int, triggers ...string) string {
	t.Helper()
	log := r.Path("triggers.log")
	files := map[string]string{}
	for _, tr := range triggers {
		body := fmt.Sprintf("#!/bin/sh\necho \"%s $* SKIP_REBUILD=$SKIP_REBUILD\" >> %s\n", tr, log)
		if tr == "git-has-code" {
			body += fmt.Sprintf("exit %d\n", gitHasCode)
		}
		files[tr] = body
	}
	r.AddPlugin("zz-apps-recorder", files)
	return log
}

func appsLog(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func appsProp(r *dokkutest.Root, app, key string) (string, bool) {
	b, err := os.ReadFile(filepath.Join(r.Lib, "config", "apps", app, key))
	return string(b), err == nil
}

func appsHomeEntries(t *testing.T, r *dokkutest.Root) []string {
	t.Helper()
	ents, err := os.ReadDir(r.Home)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestAppsCreateListExists(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	appsExpect(t, r.Run("apps:list"), 0, "=====> My Apps\n", " !     You haven't deployed any applications yet\n")
	appsExpect(t, r.Run("apps:list", "--format", "json"), 0, "[]\n", "")

	appsExpect(t, r.Run("apps:create", "hello"), 0, "-----> Creating hello...\n", "")
	appsExpect(t, r.Run("--quiet", "apps:create", "web.example"), 0, "", "")
	if fi, err := os.Stat(filepath.Join(r.Home, "hello")); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o755 {
		t.Fatalf("app dir: %v %v", fi, err)
	}
	if v, ok := appsProp(r, "hello", "created-at"); !ok || !regexp.MustCompile(`^[0-9]+$`).MatchString(v) {
		t.Fatalf("created-at = %q", v)
	}
	if _, err := os.Stat(filepath.Join(r.Lib, "data", "apps", "hello")); err != nil {
		t.Fatalf("data dir: %v", err)
	}

	appsExpect(t, r.Run("apps:list"), 0, "=====> My Apps\nhello\nweb.example\n", "")
	appsExpect(t, r.Run("apps"), 0, "=====> My Apps\nhello\nweb.example\n", "")
	appsExpect(t, r.Run("--quiet", "apps:list"), 0, "hello\nweb.example\n", "")
	appsExpect(t, r.Run("apps:list", "--quiet"), 0, "hello\nweb.example\n", "")
	appsExpect(t, r.Run("apps:list", "--format", "json"), 0, "[\"hello\",\"web.example\"]\n", "")
	appsExpect(t, r.Run("apps:list", "--format=json"), 0, "[\"hello\",\"web.example\"]\n", "")
	appsExpect(t, r.Run("apps:list", "--format", "yaml"), 1, "", " !     Invalid --format value specified, valid values: json, stdout\n")

	appsExpect(t, r.Run("apps:exists", "hello"), 0, "", "")
	appsExpect(t, r.Run("apps:exists", "nope"), 20, "", " !     App nope does not exist\n")
	appsExpect(t, r.Run("apps:exists"), 1, "", " !     Please specify an app to run the command on\n")
	appsExpect(t, r.Run("--app", "hello", "apps:exists"), 0, "", "")

	appsExpect(t, r.Run("apps:create", "hello"), 1, "", " !     Name is already taken\n")
}

func TestAppsInvalidNames(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	const rule = " !     App name must begin with lowercase alphanumeric character, and cannot include uppercase characters, colons, or underscores\n"
	for _, name := range []string{"Hello", "..", ".", "a/b", "../x", "-x", "a_b", "a:b", "a b", "$(id)", "-", strings.Repeat("a", 300)} {
		res := r.Run("apps:create", name)
		if res.Code != 1 || res.Stdout != "" || res.Stderr != rule {
			t.Errorf("create %q: %s", name, res)
		}
	}
	appsExpect(t, r.Run("apps:create", ""), 1, "", " !     Please specify an app to run the command on\n")
	appsExpect(t, r.Run("apps:create"), 1, "", " !     Please specify an app to run the command on\n")
	appsExpect(t, r.Run("apps:create", "--"), 1, "", " !     Please specify an app to run the command on\n")
	if got := appsHomeEntries(t, r); len(got) != 0 {
		t.Fatalf("invalid names created %v", got)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, "x")); err == nil {
		t.Fatal("../x escaped the root")
	}
	if ents, _ := os.ReadDir(filepath.Join(r.Lib, "config", "apps")); len(ents) != 0 {
		t.Fatalf("properties written for invalid names: %v", ents)
	}
	// Unknown apps exit 20 everywhere an existing app is needed.
	for _, cmd := range [][]string{
		{"apps:destroy", "nope"}, {"apps:lock", "nope"}, {"apps:locked", "nope"}, {"apps:unlock", "nope"},
		{"apps:report", "nope"}, {"apps:rename", "nope", "other"}, {"apps:clone", "nope", "other"},
	} {
		res := appsRun(r, "", cmd...)
		if res.Code != 20 || res.Stderr != " !     App nope does not exist\n" {
			t.Errorf("%v: %s", cmd, res)
		}
	}
}

func TestAppsConcurrentCreate(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	for round := 0; round < 3; round++ {
		name := fmt.Sprintf("race%d", round)
		const n = 6
		results := make([]*dokkutest.Result, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				results[i] = r.Run("apps:create", name)
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, res := range results {
			switch {
			case res.Code == 0 && res.Stdout == "-----> Creating "+name+"...\n":
				ok++
			case res.Code == 1 && res.Stderr == " !     Name is already taken\n":
			default:
				t.Fatalf("unexpected result: %s", res)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d creates succeeded", round, ok)
		}
	}
}

func TestAppsDestroy(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	log := appsRecorder(t, r, 0, "pre-delete", "scheduler-stop", "scheduler-post-delete", "post-delete", "scheduler-retire")
	r.MustRun("apps:create", "doomed")
	r.MustRun("apps:create", "keeper")
	r.MustRun("apps:lock", "doomed")
	r.MustRun("apps:lock", "keeper")
	warn := " !     WARNING: Potentially Destructive Action\n !     This command will destroy app doomed.\n !     To proceed, type \"doomed\"\n"
	abort := "Confirmation did not match test. Aborted.\n"
	for _, answer := range []string{"", "\n", "wrong\n", "doomed extra\n", "Doomed\n"} {
		appsExpect(t, appsRun(r, answer, "apps:destroy", "doomed"), 1, "> ", warn+abort)
	}
	if _, err := os.Stat(filepath.Join(r.Home, "doomed")); err != nil {
		t.Fatal("aborted destroy removed the app")
	}
	if got := appsLog(t, log); got != nil {
		t.Fatalf("aborted destroy fired triggers: %v", got)
	}

	res := appsRun(r, "doomed\n", "apps:destroy", "doomed")
	appsExpect(t, res, 0, "> -----> Destroying doomed (including all add-ons)\n-----> Retiring old containers and images\n", warn)
	want := []string{
		"pre-delete doomed latest SKIP_REBUILD=",
		"scheduler-stop docker-local doomed true SKIP_REBUILD=",
		"scheduler-post-delete docker-local doomed latest SKIP_REBUILD=",
		"post-delete doomed latest SKIP_REBUILD=",
		"scheduler-retire docker-local doomed SKIP_REBUILD=",
	}
	if got := appsLog(t, log); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("trigger order:\n%s", strings.Join(got, "\n"))
	}
	for _, p := range []string{filepath.Join(r.Home, "doomed"), filepath.Join(r.Lib, "config", "apps", "doomed"), filepath.Join(r.Lib, "data", "apps", "doomed")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s survived destroy", p)
		}
	}
	for _, p := range []string{filepath.Join(r.Home, "keeper"), filepath.Join(r.Lib, "config", "apps", "keeper", "created-at"), filepath.Join(r.Lib, "data", "apps", "keeper", ".deploy.lock")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("destroy touched another app: %v", err)
		}
	}

	// --force after the name, before it, as a global flag, and through the env.
	for i, form := range [][]string{
		{"apps:destroy", "a0", "--force"},
		{"apps:destroy", "--force", "a1"},
		{"--force", "apps:destroy", "a2"},
	} {
		r.MustRun("apps:create", fmt.Sprintf("a%d", i))
		appsExpect(t, appsRun(r, "", form...), 0, fmt.Sprintf("-----> Destroying a%d (including all add-ons)\n-----> Retiring old containers and images\n", i), "")
	}
	r.MustRun("apps:create", "a3")
	res = appsStripCleanup(r.RunOpts(dokkutest.Opts{Env: append([]string{"DOKKU_APPS_FORCE_DELETE=1"}, appsNoDocker...)}, "apps:destroy", "a3"))
	appsExpect(t, res, 0, "-----> Destroying a3 (including all add-ons)\n-----> Retiring old containers and images\n", "")
	if got := appsHomeEntries(t, r); strings.Join(got, " ") != "keeper" {
		t.Fatalf("apps left: %v", got)
	}
}

func TestAppsDestroyAbortedByPreDelete(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	r.AddPlugin("zz-apps-veto", map[string]string{"pre-delete": "#!/bin/sh\necho 'not today' >&2\nexit 3\n"})
	r.MustRun("apps:create", "stay")
	res := appsRun(r, "", "--force", "apps:destroy", "stay")
	appsExpect(t, res, 3, "-----> Destroying stay (including all add-ons)\n", "not today\n")
	if _, err := os.Stat(filepath.Join(r.Home, "stay")); err != nil {
		t.Fatal("a failed pre-delete must keep the app")
	}
}

func TestAppsLock(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	r.MustRun("apps:create", "locky")
	lock := filepath.Join(r.Lib, "data", "apps", "locky", ".deploy.lock")
	appsExpect(t, r.Run("apps:locked", "locky"), 1, "", " !     Deploy lock does not exist\n")
	appsExpect(t, r.Run("apps:unlock", "locky"), 1, "", " !     Unable to remove deploy lock\n")
	appsExpect(t, r.Run("apps:lock", "locky"), 0, "-----> Deploy lock created\n", "")
	if _, err := os.Stat(lock); err != nil {
		t.Fatal(err)
	}
	appsExpect(t, r.Run("apps:lock", "locky"), 0, "-----> Deploy lock created\n", "")
	appsExpect(t, r.Run("apps:locked", "locky"), 0, "Deploy lock exists\n", "")
	appsExpect(t, r.Run("--quiet", "apps:locked", "locky"), 0, "", "")
	appsExpect(t, r.Run("apps:report", "locky", "--app-locked"), 0, "true\n", "")
	appsExpect(t, r.Run("apps:unlock", "locky"), 0, "-----> Deploy lock removed\n",
		" !     A deploy may be in progress.\n !     Removing the app lock will not stop in progress deploys.\n")
	if _, err := os.Stat(lock); !os.IsNotExist(err) {
		t.Fatal("lock file survived unlock")
	}
	appsExpect(t, r.Run("apps:report", "locky", "--app-locked"), 0, "false\n", "")
}

func TestAppsReport(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	appsExpect(t, r.Run("apps:report"), 0, "", " !     You haven't deployed any applications yet\n")
	r.MustRun("apps:create", "rep")
	r.MustRun("apps:create", "rep2")
	r.WriteFile("lib/config/apps/rep/created-at", "1635126111", 0o600)
	r.WriteFile("lib/config/apps/rep2/created-at", "1635126000", 0o600)
	if res := appsTrigger(r, "", "deploy-source-set", "rep", "git-push", "cd7b8afc"); res.Code != 0 {
		t.Fatalf("deploy-source-set: %s", res)
	}
	dir := filepath.Join(r.Home, "rep")
	want := "=====> rep app information\n" +
		"       App created at:                  1635126111\n" +
		"       App deploy source:               git-push\n" +
		"       App deploy source metadata:      cd7b8afc\n" +
		"       App dir:                         " + dir + "\n" +
		"       App global disable autocreation: \n" +
		"       App locked:                      false\n"
	appsExpect(t, r.Run("apps:report", "rep"), 0, want, "")
	appsExpect(t, r.Run("--quiet", "apps:report", "rep"), 0, strings.SplitN(want, "\n", 2)[1], "")
	all := r.Run("apps:report")
	if all.Code != 0 || !strings.HasPrefix(all.Stdout, want+"=====> rep2 app information\n") {
		t.Fatalf("all apps: %s", all)
	}

	res := r.Run("apps:report", "rep", "--format", "json")
	var got map[string]string
	if err := json.Unmarshal([]byte(res.Stdout), &got); err != nil || res.Code != 0 {
		t.Fatalf("json: %v %s", err, res)
	}
	wantJSON := map[string]string{
		"created-at": "1635126111", "deploy-source": "git-push", "deploy-source-metadata": "cd7b8afc",
		"dir": dir, "global-disable-autocreation": "", "locked": "false",
	}
	for k, v := range wantJSON {
		if got[k] != v || got["app-"+k] != v {
			t.Errorf("json %s: %q / legacy %q, want %q", k, got[k], got["app-"+k], v)
		}
	}
	if len(got) != 2*len(wantJSON) {
		t.Errorf("json keys: %v", got)
	}

	appsExpect(t, r.Run("apps:report", "rep", "--app-dir"), 0, dir+"\n", "")
	appsExpect(t, r.Run("apps:report", "rep", "--app-deploy-source-metadata"), 0, "cd7b8afc\n", "")
	appsExpect(t, r.Run("apps:report", "rep", "--app-bogus"), 1, "",
		" !     Invalid flag passed, valid flags: --app-created-at, --app-deploy-source, --app-deploy-source-metadata, --app-dir, --app-global-disable-autocreation, --app-locked\n")
	appsExpect(t, r.Run("apps:report", "rep", "--app-dir", "--format", "json"), 1, "", " !     --format flag cannot be specified when specifying an info flag\n")
	appsExpect(t, r.Run("apps:report", "rep", "--format", "xml"), 1, "", " !     Invalid --format value specified, valid values: json, stdout\n")
	// compat: Go reports print nothing for several info flags.
	appsExpect(t, r.Run("apps:report", "rep", "--app-dir", "--app-locked"), 0, "", "")

	r.MustRun("apps:set", "--global", "disable-autocreation", "true")
	appsExpect(t, r.Run("apps:report", "--global"), 0,
		"=====> --global app information\n       App global disable autocreation: true\n", "")
	appsExpect(t, r.Run("apps:report", "rep", "--app-global-disable-autocreation"), 0, "true\n", "")

	// the report trigger prints the stdout block of one app.
	trig := appsTrigger(r, "", "report", "rep2")
	if trig.Code != 0 || !strings.HasPrefix(trig.Stdout, "=====> rep2 app information\n       App created at:                  1635126000\n") {
		t.Fatalf("report trigger: %s", trig)
	}
}

func TestAppsSet(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	r.MustRun("apps:create", "setty")
	appsExpect(t, r.Run("apps:set", "--global", "disable-autocreation", "true"), 0, "=====> Setting disable-autocreation to true\n", "")
	if v, _ := appsProp(r, "--global", "disable-autocreation"); v != "true" {
		t.Fatalf("property = %q", v)
	}
	appsExpect(t, r.Run("apps:set", "setty", "disable-autocreation", "true"), 1, "", " !     The key 'disable-autocreation' can only be set globally\n")
	appsExpect(t, r.Run("apps:set", "--global", "disable-autocreation", "maybe"), 1, "", " !     Invalid value specified, valid values include: true, false\n")
	appsExpect(t, r.Run("apps:set", "--global", "bogus", "1"), 1, "",
		" !     Invalid property specified, valid properties include: deploy-source, deploy-source-metadata, disable-autocreation\n")
	appsExpect(t, r.Run("apps:set", "--global", "deploy-source", "git"), 1, "", " !     Property cannot be specified globally\n")
	appsExpect(t, r.Run("apps:set", "nope", "deploy-source", "git"), 20, "", " !     App nope does not exist\n")
	appsExpect(t, r.Run("apps:set", "setty", "deploy-source", "git"), 0, "=====> Setting deploy-source to git\n", "")
	appsExpect(t, r.Run("apps:report", "setty", "--app-deploy-source"), 0, "git\n", "")
	appsExpect(t, r.Run("apps:set", "--global", "disable-autocreation"), 0, "=====> Unsetting disable-autocreation\n", "")
	if _, ok := appsProp(r, "--global", "disable-autocreation"); ok {
		t.Fatal("unset left the property")
	}
}

func TestAppsTriggers(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	r.AddPlugin("zz-apps-noisy", map[string]string{"post-create": "#!/bin/sh\necho \"post-create output for $1\"\n"})

	// app-maybe-create: quiet creation, nothing to do for an existing app.
	appsExpect(t, appsTrigger(r, "", "app-maybe-create", "pushed"), 0, "", "")
	appsExpect(t, appsTrigger(r, "", "app-maybe-create", "pushed"), 0, "", "")
	if _, err := os.Stat(filepath.Join(r.Home, "pushed")); err != nil {
		t.Fatal("app-maybe-create did not create the app")
	}
	appsExpect(t, appsTrigger(r, "", "app-maybe-create", "Bad"), 1, "",
		" !     App name must begin with lowercase alphanumeric character, and cannot include uppercase characters, colons, or underscores\n")

	r.MustRun("apps:set", "--global", "disable-autocreation", "true")
	appsExpect(t, appsTrigger(r, "", "app-maybe-create", "refused"), 1, "",
		" !     App auto-creation disabled.\n !     Re-enable app auto-creation or create an app with 'dokku apps:create refused'\n")
	appsExpect(t, appsTrigger(r, "", "app-maybe-create", "pushed"), 0, "", "")
	if _, err := os.Stat(filepath.Join(r.Home, "refused")); !os.IsNotExist(err) {
		t.Fatal("disabled autocreation created the app")
	}

	appsExpect(t, appsTrigger(r, "", "app-exists", "pushed"), 0, "", "")
	appsExpect(t, appsTrigger(r, "", "app-exists", "refused"), 20, "", " !     App refused does not exist\n")

	appsExpect(t, appsTrigger(r, "", "app-create", "made"), 0, "-----> Creating made...\npost-create output for made\n", "")
	appsExpect(t, appsTrigger(r, "made\n", "app-destroy", "made"), 0,
		"> -----> Destroying made (including all add-ons)\n-----> Retiring old containers and images\n",
		" !     WARNING: Potentially Destructive Action\n !     This command will destroy app made.\n !     To proceed, type \"made\"\n")

	appsExpect(t, appsTrigger(r, "", "deploy-source-set", "pushed", "docker-image", "busybox:latest"), 0, "", "")
	if v, _ := appsProp(r, "pushed", "deploy-source-metadata"); v != "busybox:latest" {
		t.Fatalf("deploy-source-metadata = %q", v)
	}
	appsExpect(t, appsTrigger(r, "", "deploy-source-set", "ghost", "git-push", "abc"), 20, "", " !     App ghost does not exist\n")
}

func TestAppsInstallMigratesCreatedAt(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	if err := os.Mkdir(filepath.Join(r.Home, "legacy"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.MustRun("plugin:install", "--core")
	if v, ok := appsProp(r, "legacy", "created-at"); !ok || !regexp.MustCompile(`^[0-9]+$`).MatchString(v) {
		t.Fatalf("created-at = %q", v)
	}
}

func TestAppsInstallMigratesAutocreation(t *testing.T) {
	t.Parallel()
	r := appsRoot(t, "config")
	r.MustRun("config:set", "--global", "DOKKU_DISABLE_APP_AUTOCREATION=true")
	r.MustRun("plugin:install", "--core")
	appsIsolate(t, r, "config")
	if v, _ := appsProp(r, "--global", "disable-autocreation"); v != "true" {
		t.Fatalf("disable-autocreation = %q", v)
	}
	if res := r.Run("config:get", "--global", "DOKKU_DISABLE_APP_AUTOCREATION"); res.Stdout != "" {
		t.Fatalf("legacy config value kept: %s", res)
	}
	appsExpect(t, appsTrigger(r, "", "app-maybe-create", "blocked"), 1, "",
		" !     App auto-creation disabled.\n !     Re-enable app auto-creation or create an app with 'dokku apps:create blocked'\n")
}

func appsRenameSetup(t *testing.T, gitHasCode int) (*dokkutest.Root, string) {
	r := appsRoot(t)
	log := appsRecorder(t, r, gitHasCode, "post-app-rename-setup", "post-app-rename", "post-app-clone-setup",
		"post-app-clone", "git-has-code", "receive-app", "post-delete")
	r.MustRun("apps:create", "old")
	if res := appsTrigger(r, "", "deploy-source-set", "old", "git-push", "abc123"); res.Code != 0 {
		t.Fatal(res)
	}
	r.WriteFile("lib/config/apps/old/created-at", "1600000000", 0o600)
	return r, log
}

func TestAppsRename(t *testing.T) {
	t.Parallel()
	r, log := appsRenameSetup(t, 0)
	res := appsRun(r, "", "apps:rename", "old", "new")
	appsExpect(t, res, 0, "-----> Renaming old to new\n-----> Creating new...\n-----> Destroying old (including all add-ons)\n-----> Retiring old containers and images\n", "")
	want := []string{
		"post-app-rename-setup old new SKIP_REBUILD=",
		"post-delete old latest SKIP_REBUILD=",
		"post-app-rename old new SKIP_REBUILD=true",
		"git-has-code new SKIP_REBUILD=",
		"receive-app new SKIP_REBUILD=",
	}
	if got := appsLog(t, log); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("triggers:\n%s", strings.Join(got, "\n"))
	}
	if _, err := os.Stat(filepath.Join(r.Home, "old")); !os.IsNotExist(err) {
		t.Fatal("old app survived rename")
	}
	if _, err := os.Stat(filepath.Join(r.Lib, "config", "apps", "old")); !os.IsNotExist(err) {
		t.Fatal("old properties survived rename")
	}
	for key, v := range map[string]string{"deploy-source": "git-push", "deploy-source-metadata": "abc123", "created-at": "1600000000"} {
		if got, _ := appsProp(r, "new", key); got != v {
			t.Errorf("new %s = %q, want %q", key, got, v)
		}
	}
	appsExpect(t, appsRun(r, "", "apps:rename", "new", "new"), 1, "", " !     Name is already taken\n")
	appsExpect(t, appsRun(r, "", "apps:rename", "new", "Bad"), 1, "",
		" !     App name must begin with lowercase alphanumeric character, and cannot include uppercase characters, colons, or underscores\n")
	appsExpect(t, appsRun(r, "", "apps:rename", "new"), 1, "", " !     Please specify an new app name\n")
	appsExpect(t, appsRun(r, "", "apps:rename"), 1, "", " !     Please specify an app to run the command on\n")
}

func TestAppsRenameSkipDeployAndNoCode(t *testing.T) {
	t.Parallel()
	r, log := appsRenameSetup(t, 1)
	appsExpect(t, appsRun(r, "", "--quiet", "apps:rename", "old", "mid"), 0, "-----> Destroying old (including all add-ons)\n-----> Retiring old containers and images\n", "")
	got := strings.Join(appsLog(t, log), "\n")
	if !strings.Contains(got, "git-has-code mid") || strings.Contains(got, "receive-app") {
		t.Fatalf("no-code rename rebuilt:\n%s", got)
	}
	os.Remove(log)
	if res := appsRun(r, "", "apps:rename", "--skip-deploy", "mid", "last"); res.Code != 0 {
		t.Fatal(res)
	}
	got = strings.Join(appsLog(t, log), "\n")
	if strings.Contains(got, "git-has-code") || strings.Contains(got, "receive-app") || !strings.Contains(got, "post-app-rename mid last SKIP_REBUILD=true") {
		t.Fatalf("--skip-deploy:\n%s", got)
	}
}

func TestAppsClone(t *testing.T) {
	t.Parallel()
	r, log := appsRenameSetup(t, 0)
	r.MustRun("apps:lock", "old")
	res := appsRun(r, "", "apps:clone", "old", "copy")
	appsExpect(t, res, 0, "-----> Cloning old to copy\n-----> Creating copy...\n", "")
	want := []string{
		"post-app-clone-setup old copy SKIP_REBUILD=",
		"post-app-clone old copy SKIP_REBUILD=true",
		"git-has-code copy SKIP_REBUILD=",
		"receive-app copy SKIP_REBUILD=",
	}
	if got := appsLog(t, log); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("triggers:\n%s", strings.Join(got, "\n"))
	}
	for key, v := range map[string]string{"deploy-source": "git-push", "deploy-source-metadata": "abc123"} {
		for _, a := range []string{"old", "copy"} {
			if got, _ := appsProp(r, a, key); got != v {
				t.Errorf("%s %s = %q, want %q", a, key, got, v)
			}
		}
	}
	// The deploy lock belongs to the old app only.
	appsExpect(t, r.Run("apps:locked", "copy"), 1, "", " !     Deploy lock does not exist\n")
	appsExpect(t, appsRun(r, "", "apps:clone", "old", "copy"), 1, "", " !     Name is already taken\n")
	appsExpect(t, appsRun(r, "", "apps:clone", "--ignore-existing", "old", "copy"), 0, "", " !     Name is already taken\n")
	os.Remove(log)
	appsExpect(t, appsRun(r, "", "apps:clone", "old", "copy2", "--skip-deploy"), 0, "-----> Cloning old to copy2\n-----> Creating copy2...\n", "")
	if got := strings.Join(appsLog(t, log), "\n"); strings.Contains(got, "receive-app") {
		t.Fatalf("--skip-deploy rebuilt:\n%s", got)
	}
	list := r.Run("--quiet", "apps:list").Stdout
	if list != "copy\ncopy2\nold\n" {
		t.Fatalf("apps: %q", list)
	}
}

func TestAppsHelp(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	want := `Usage: dokku apps[:COMMAND]

Manage apps

Additional commands:
    apps:clone <old-app> <new-app>             Clones an app
    apps:create <app>                          Create a new app
    apps:destroy <app>                         Permanently destroy an app
    apps:exists <app>                          Checks if an app exists
    apps:list [--format stdout|json]           List your apps
    apps:lock <app>                            Locks an app for deployment
    apps:locked <app>                          Checks if an app is locked for deployment
    apps:rename <old-app> <new-app>            Rename an app
    apps:report [<app>] [<flag>]               Display report about an app
    apps:set [--global] <app> <key> (<value>)  Set or clear an apps property for an app
    apps:unlock <app>                          Unlocks an app for deployment
    
`
	appsExpect(t, r.Run("apps:help"), 0, want, "")
	help := r.Run("help")
	if !regexp.MustCompile(`(?m)^    apps +Manage apps$`).MatchString(help.Stdout) {
		t.Fatalf("dokku help: %s", help)
	}
	all := r.Run("help", "--all").Stdout
	for _, l := range []string{"apps:clone <old-app> <new-app>", "apps:set [--global] <app> <key> (<value>)"} {
		if !strings.Contains(all, l) {
			t.Errorf("help --all lacks %q", l)
		}
	}
}

// TestAppsLifecycleAllPlugins runs create, lock, rename and destroy with
// every core plugin enabled: whatever they add, the apps plugin's own state
// appears and disappears with the app.
// The docker-local scheduler talks to the real daemon here (names are
// unique to the test process, so nothing of anyone else's is touched).
func TestAppsLifecycleAllPlugins(t *testing.T) {
	t.Parallel()
	r := dokkutest.New(t)
	id := strconv.Itoa(os.Getpid())
	full, fuller, other := "apps-lc-"+id, "apps-lc2-"+id, "apps-lc3-"+id
	for _, cmd := range [][]string{
		{"apps:create", full}, {"apps:create", other}, {"apps:lock", full},
		{"apps:rename", "--skip-deploy", full, fuller}, {"--force", "apps:destroy", fuller},
	} {
		if res := r.Run(cmd...); res.Code != 0 {
			t.Fatalf("%v: %s", cmd, res)
		}
	}
	for _, a := range []string{full, fuller} {
		for _, p := range []string{r.Path("home", a), r.Path("lib", "config", "apps", a), r.Path("lib", "data", "apps", a)} {
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Errorf("%s survived", p)
			}
		}
	}
	if _, ok := appsProp(r, other, "created-at"); !ok {
		t.Fatal("destroy touched another app")
	}
	if got := r.Run("--quiet", "apps:list").Stdout; got != other+"\n" {
		t.Fatalf("apps: %q", got)
	}
}
