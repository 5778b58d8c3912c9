package script

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

// pluginFiles is a small community plugin: a command namespace, an install
// trigger recording its runs, and plugin.toml at version.
func pluginFiles(name, version string) map[string]string {
	return map[string]string{
		"plugin.toml": fmt.Sprintf("[plugin]\ndescription = \"%s test plugin\"\nversion = \"%s\"\n[plugin.config]\n", name, version),
		"commands": fmt.Sprintf(`#!/usr/bin/env bash
case "$1" in
  %[1]s:hello) echo "hello from %[1]s $2" ;;
  help) echo "    %[1]s:hello <x>, Say hello" ;;
  *) exit "$DOKKU_NOT_IMPLEMENTED_EXIT" ;;
esac
`, name),
		"install": "#!/usr/bin/env bash\necho \"install trigger of " + name + "\"\necho " + name + " >> \"$DOKKU_LIB_ROOT/install-runs\"\n",
	}
}

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		mode := os.FileMode(0o644)
		if strings.HasPrefix(content, "#!") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "safe.directory=*"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// gitPlugin makes a git repository holding a plugin at version.
func gitPlugin(t *testing.T, dir, name, version string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	writeTree(t, dir, pluginFiles(name, version))
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", version)
	return dir
}

func bumpPlugin(t *testing.T, dir, name, version string) {
	t.Helper()
	writeTree(t, dir, map[string]string{"plugin.toml": pluginFiles(name, version)["plugin.toml"]})
	git(t, dir, "commit", "-q", "-am", version)
}

type tarFile struct {
	name, body, link string
	typ              byte
}

func writeTarball(t *testing.T, path string, gz bool, files ...tarFile) string {
	t.Helper()
	var buf bytes.Buffer
	var zw *gzip.Writer
	var tw *tar.Writer
	if gz {
		zw = gzip.NewWriter(&buf)
		tw = tar.NewWriter(zw)
	} else {
		tw = tar.NewWriter(&buf)
	}
	for _, f := range files {
		h := &tar.Header{Name: f.name, Typeflag: f.typ, Linkname: f.link, Mode: 0o644}
		switch f.typ {
		case 0, tar.TypeReg:
			h.Typeflag, h.Size = tar.TypeReg, int64(len(f.body))
			if strings.HasPrefix(f.body, "#!") {
				h.Mode = 0o755
			}
		case tar.TypeDir:
			h.Mode = 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(f.body))
	}
	tw.Close()
	if zw != nil {
		zw.Close()
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pluginTar lists a plugin's files as archive entries under prefix.
func pluginTar(name, version, prefix string) []tarFile {
	files := pluginFiles(name, version)
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []tarFile
	if prefix != "" {
		out = append(out, tarFile{name: prefix + "/", typ: tar.TypeDir})
	}
	for _, k := range keys {
		out = append(out, tarFile{name: filepath.Join(prefix, k), body: files[k]})
	}
	return out
}

func available(r *dokkutest.Root, name ...string) string {
	return filepath.Join(append([]string{r.Lib, "plugins", "available"}, name...)...)
}

// listAll names every entry of a directory, hidden ones included.
func listAll(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func installRuns(r *dokkutest.Root) string {
	b, _ := os.ReadFile(filepath.Join(r.Lib, "install-runs"))
	return string(b)
}

func expectFail(t *testing.T, res *dokkutest.Result, code int, stderr string) {
	t.Helper()
	if res.Code != code || !strings.Contains(res.Stderr, stderr) {
		t.Fatalf("want exit %d and stderr containing %q: %s", code, stderr, res)
	}
}

func TestPluginInstallFromLocalGitPath(t *testing.T) {
	r := dokkutest.New(t)
	repo := gitPlugin(t, filepath.Join(t.TempDir(), "dokku-greeter"), "greeter", "0.1.0")

	res := r.MustRun("plugin:install", repo)
	want := "-----> Cloning plugin repo " + repo + " to " + available(r) + "/greeter\n-----> Plugin greeter enabled\n"
	if !strings.HasPrefix(res.Stdout, want) || !strings.Contains(res.Stdout, "install trigger of greeter\n") {
		t.Fatalf("output: %s", res)
	}
	if got := r.MustRun("greeter:hello", "x").Stdout; got != "hello from greeter x\n" {
		t.Fatalf("command: %q", got)
	}
	r.MustRun("plugin:installed", "greeter")
	if res := r.Run("plugin:installed", "nope"); res.Code != 1 || res.Stdout+res.Stderr != "" {
		t.Fatalf("installed nope: %s", res)
	}
	head := git(t, available(r, "greeter"), "rev-parse", "HEAD")

	// Reinstalling from the same origin only says so.
	bumpPlugin(t, repo, "greeter", "0.2.0")
	res = r.MustRun("plugin:install", repo)
	if !strings.Contains(res.Stdout, "Plugin (greeter) is already installed from "+repo+"\n") || strings.Contains(res.Stdout, "Plugin greeter enabled") {
		t.Fatalf("reinstall: %s", res)
	}
	if git(t, available(r, "greeter"), "rev-parse", "HEAD") != head {
		t.Fatal("reinstall changed the checkout")
	}
	// Another origin under the same name is refused.
	other := gitPlugin(t, filepath.Join(t.TempDir(), "greeter"), "greeter", "9.0.0")
	expectFail(t, r.Run("plugin:install", other), 1, "Plugin (greeter) is already installed from "+repo)
}

func TestPluginInstallFromFileURLAndUpdate(t *testing.T) {
	r := dokkutest.New(t)
	repo := gitPlugin(t, filepath.Join(t.TempDir(), "src"), "fileurl", "0.1.0")
	r.MustRun("plugin:install", "file://"+repo, "--name", "fileurl")
	r.AddPlugin("updwatch", map[string]string{"update": "#!/usr/bin/env bash\necho \"update trigger ran\"\n"})

	var list []map[string]any
	if err := json.Unmarshal([]byte(r.MustRun("plugin:list", "--format", "json").Stdout), &list); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range list {
		if p["name"] == "fileurl" {
			found = true
			if p["source_url"] != "file://"+repo || p["branch"] != "main" || len(p["committish"].(string)) != 40 || p["core"] != false || p["enabled"] != true {
				t.Fatalf("json entry %v", p)
			}
		}
	}
	if !found {
		t.Fatal("fileurl not listed")
	}

	// plugin:update <name> pulls new commits, then fires update.
	bumpPlugin(t, repo, "fileurl", "0.2.0")
	res := r.MustRun("plugin:update", "fileurl")
	if !strings.Contains(res.Stdout, "Plugin (fileurl) updated\n") || !strings.Contains(res.Stdout, "update trigger ran\n") {
		t.Fatalf("update: %s", res)
	}
	if !strings.Contains(r.MustRun("plugin:list").Stdout, "  fileurl              0.2.0 enabled    fileurl test plugin\n") {
		t.Fatal("version not updated")
	}
	// plugin:update without a name updates every community git plugin.
	bumpPlugin(t, repo, "fileurl", "0.3.0")
	res = r.MustRun("plugin:update")
	if !strings.Contains(res.Stdout, "Plugin (fileurl) updated\n") || !strings.Contains(r.MustRun("plugin:list").Stdout, "fileurl              0.3.0") {
		t.Fatalf("update all: %s", res)
	}

	expectFail(t, r.Run("plugin:update", "apps"), 1, "please update Dokku instead")
	expectFail(t, r.Run("plugin:update", "missing"), 1, "Specified plugin not enabled or installed")
	expectFail(t, r.Run("plugin:update", "file://"+repo), 1, "Invalid plugin name specified")
	r.MustRun("plugin:disable", "fileurl")
	expectFail(t, r.Run("plugin:update", "fileurl"), 1, "Specified plugin not enabled or installed")
}

func TestPluginInstallCommittishPins(t *testing.T) {
	r := dokkutest.New(t)
	repo := gitPlugin(t, filepath.Join(t.TempDir(), "pinme"), "pinme", "0.1.0")
	git(t, repo, "tag", "v0.1.0")
	bumpPlugin(t, repo, "pinme", "0.2.0")
	git(t, repo, "tag", "v0.2.0")
	bumpPlugin(t, repo, "pinme", "0.3.0")

	res := r.MustRun("plugin:install", repo, "--committish", "v0.1.0")
	if !strings.Contains(res.Stdout, "Plugin (pinme) updated and pinned to v0.1.0\n") {
		t.Fatalf("install: %s", res)
	}
	if !strings.Contains(r.MustRun("plugin:list").Stdout, "pinme                0.1.0 enabled") {
		t.Fatal("not pinned to v0.1.0")
	}
	if b, _ := os.ReadFile(available(r, "pinme", ".plugin_committish")); string(b) != "v0.1.0\n" {
		t.Fatalf(".plugin_committish %q", b)
	}
	// A pinned plugin stays put on a plain update.
	res = r.MustRun("plugin:update", "pinme")
	if !strings.Contains(res.Stdout, "Plugin pinned to v0.1.0\n") || !strings.Contains(r.MustRun("plugin:list").Stdout, "pinme                0.1.0") {
		t.Fatalf("pinned update: %s", res)
	}
	r.MustRun("plugin:update", "pinme", "v0.2.0")
	if !strings.Contains(r.MustRun("plugin:list").Stdout, "pinme                0.2.0") {
		t.Fatal("not moved to v0.2.0")
	}
	expectFail(t, r.Run("plugin:update", "pinme", "no-such-tag"), 1, "Unable to check out no-such-tag")
	if !strings.Contains(r.MustRun("plugin:list").Stdout, "pinme                0.2.0") {
		t.Fatal("failed update changed the plugin")
	}
	// A bad committish at install leaves nothing behind.
	expectFail(t, r.Run("plugin:install", repo, "--name", "pinbad", "--committish", "nope"), 1, "Unable to check out nope")
	if _, err := os.Lstat(available(r, "pinbad")); err == nil {
		t.Fatal("pinbad left behind")
	}
}

func TestPluginInstallFromTarballsAndDirectory(t *testing.T) {
	r := dokkutest.New(t)
	src := t.TempDir()
	nested := writeTarball(t, filepath.Join(src, "dokku-nested.tar.gz"), true, pluginTar("nested", "1.0.0", "nested-1.0.0")...)
	flat := writeTarball(t, filepath.Join(src, "flat.tgz"), true, pluginTar("flat", "1.1.0", "")...)
	plain := writeTarball(t, filepath.Join(src, "plain.tar"), false, pluginTar("plain", "1.2.0", "")...)
	dir := filepath.Join(src, "dirplugin")
	writeTree(t, dir, pluginFiles("dirplugin", "1.3.0"))

	res := r.MustRun("plugin:install", nested)
	if !strings.Contains(res.Stdout, "-----> Plugin nested enabled\n") || !strings.Contains(res.Stdout, "install trigger of nested\n") {
		t.Fatalf("nested: %s", res)
	}
	if _, err := os.Stat(available(r, "nested", "commands")); err != nil {
		t.Fatal("single top-level directory not flattened")
	}
	r.MustRun("plugin:install", "file://"+flat)
	before := installRuns(r)
	r.MustRun("plugin:install", plain, "--skip-install-trigger")
	if installRuns(r) != before {
		t.Fatal("--skip-install-trigger fired install")
	}
	r.MustRun("plugin:install", dir)
	for _, name := range []string{"nested", "flat", "plain", "dirplugin"} {
		if got := r.MustRun(name+":hello", "y").Stdout; got != "hello from "+name+" y\n" {
			t.Fatalf("%s: %q", name, got)
		}
	}
	list := r.MustRun("plugin:list").Stdout
	for _, l := range []string{"  nested               1.0.0 enabled ", "  flat                 1.1.0 enabled ", "  plain                1.2.0 enabled ", "  dirplugin            1.3.0 enabled "} {
		if !strings.Contains(list, l) {
			t.Fatalf("list lacks %q:\n%s", l, list)
		}
	}
	// Not git: a second install of the name is an error, not a no-op.
	expectFail(t, r.Run("plugin:install", nested), 1, "Plugin (nested) already exists")
	expectFail(t, r.Run("plugin:install", dir, "--name", "other", "--committish", "v1"), 1, "--committish flag can only be used with a git source")
}

func TestPluginInstallRefusesMaliciousTarballs(t *testing.T) {
	r := dokkutest.New(t)
	src := t.TempDir()
	outside := filepath.Join(t.TempDir(), "outside")
	os.Mkdir(outside, 0o755)
	secret := filepath.Join(src, "secret")
	os.WriteFile(secret, []byte("secret"), 0o600)
	relSecret, _ := filepath.Rel(available(r, "x"), secret)

	cases := map[string][]tarFile{
		"dotdot":          {{name: "plugin.toml", body: "[plugin]\n"}, {name: "../evil", body: "x"}},
		"absolute":        {{name: "plugin.toml", body: "[plugin]\n"}, {name: filepath.Join(outside, "abs"), body: "x"}},
		"symlink-through": {{name: "link", link: outside, typ: tar.TypeSymlink}, {name: "link/pwned", body: "x"}},
		"symlink-escape":  {{name: "up", link: "../../../../../../../..", typ: tar.TypeSymlink}},
		"hardlink-escape": {{name: "plugin.toml", body: "[plugin]\n"}, {name: "h", link: relSecret, typ: tar.TypeLink}},
		"device":          {{name: "plugin.toml", body: "[plugin]\n"}, {name: "null", typ: tar.TypeChar}},
		"fifo":            {{name: "p", typ: tar.TypeFifo}},
	}
	beforeAvail := listAll(t, available(r))
	beforePlugins := listAll(t, filepath.Join(r.Lib, "plugins"))
	for name, files := range cases {
		tarball := writeTarball(t, filepath.Join(src, name+".tar.gz"), true, files...)
		res := r.Run("plugin:install", tarball)
		if res.Code != 1 || !strings.Contains(res.Stderr, " !     Refusing plugin archive") {
			t.Errorf("%s: %s", name, res)
		}
		if got := listAll(t, available(r)); fmt.Sprint(got) != fmt.Sprint(beforeAvail) {
			t.Errorf("%s: available/ changed: %v", name, got)
		}
	}
	if got := listAll(t, filepath.Join(r.Lib, "plugins")); fmt.Sprint(got) != fmt.Sprint(beforePlugins) {
		t.Errorf("plugins/ changed: %v", got)
	}
	if ents := listAll(t, outside); len(ents) != 0 {
		t.Errorf("written outside: %v", ents)
	}
	if b, _ := os.ReadFile(secret); string(b) != "secret" {
		t.Error("secret changed")
	}
}

func TestPluginInstallInvalidArguments(t *testing.T) {
	r := dokkutest.New(t)
	dir := filepath.Join(t.TempDir(), "valid")
	writeTree(t, dir, pluginFiles("valid", "1.0.0"))
	before := listAll(t, available(r))

	for _, args := range [][]string{
		{"YABBA_DABBA_DOO", "XXXX", "YYYY"},
		{"ZXZX", "--random-flag"},
		{dir, "--random-flag"},
		{"/path/to/nonexistent/dir"},
		{"ftp://example.com/x.tar.gz"},
		{"--name", "x"},
		{dir, "--name"},
	} {
		expectFail(t, r.Run(append([]string{"plugin:install"}, args...)...), 1, " !     Please retry with valid arguments\n")
	}
	for _, name := range []string{"../x", "a/b", ".hidden", "a b"} {
		expectFail(t, r.Run("plugin:install", dir, "--name", name), 1, " !     Invalid plugin name specified\n")
	}
	expectFail(t, r.Run("plugin:install", dir, "--name", "apps"), 1, "Plugin (apps) is a core plugin")
	if got := listAll(t, available(r)); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("available/ changed: %v", got)
	}
	if _, err := os.Lstat(filepath.Join(r.Lib, "plugins", "x")); err == nil {
		t.Fatal("../x created")
	}
	expectFail(t, r.Run("plugin:list", "--format", "nonsense"), 1, "Invalid output format")
}

func TestPluginCorePluginsProtected(t *testing.T) {
	r := dokkutest.New(t)
	expectFail(t, r.Run("plugin:disable", "apps"), 1, " !     Cannot disable a core plugin\n")
	expectFail(t, r.Run("plugin:uninstall", "apps"), 1, " !     Cannot uninstall a core plugin\n")
	expectFail(t, r.Run("plugin:disable"), 1, " !     Please specify a plugin to disable\n")
	expectFail(t, r.Run("plugin:uninstall", "nothere"), 1, " !     Plugin (nothere) is not currently installed\n")
	expectFail(t, r.Run("plugin:enable", "nothere"), 1, " !     Plugin does not exist\n")
	expectFail(t, r.Run("plugin:enable", "apps"), 1, " !     Plugin already enabled\n")
	if _, err := os.Stat(filepath.Join(r.Lib, "plugins", "enabled", "apps")); err != nil {
		t.Fatal("apps no longer enabled")
	}
}

func TestPluginEnableDisableToggleCommands(t *testing.T) {
	r := dokkutest.New(t)
	r.AddPlugin("toggle", pluginFiles("toggle", "0.1.0"))
	r.MustRun("toggle:hello", "a")

	res := r.MustRun("plugin:disable", "toggle")
	if !strings.HasPrefix(res.Stdout, "-----> Plugin toggle disabled\n") {
		t.Fatalf("disable: %s", res)
	}
	expectFail(t, r.Run("toggle:hello", "a"), 1, "`toggle:hello a` is not a dokku command.")
	if !strings.Contains(r.MustRun("plugin:list").Stdout, "  toggle               0.1.0 disabled   toggle test plugin\n") {
		t.Fatal("not listed as disabled")
	}
	expectFail(t, r.Run("plugin:disable", "toggle"), 1, "Plugin already disabled")

	res = r.MustRun("plugin:enable", "toggle")
	if !strings.HasPrefix(res.Stdout, "-----> Plugin toggle enabled\n") {
		t.Fatalf("enable: %s", res)
	}
	r.MustRun("toggle:hello", "a")
	if res := r.MustRun("--quiet", "plugin:disable", "toggle"); res.Stdout != "" {
		t.Fatalf("quiet disable spoke: %q", res.Stdout)
	}
}

func TestPluginUninstallFiresTrigger(t *testing.T) {
	r := dokkutest.New(t)
	record := `#!/usr/bin/env bash
echo "$(basename "$(dirname "$0")") saw uninstall $*" >> "$DOKKU_LIB_ROOT/uninstall-log"
`
	r.AddPlugin("observer", map[string]string{"uninstall": record})
	dir := filepath.Join(t.TempDir(), "victim")
	writeTree(t, dir, pluginFiles("victim", "0.1.0"))
	writeTree(t, dir, map[string]string{"uninstall": record})
	r.MustRun("plugin:install", dir)

	res := r.MustRun("plugin:uninstall", "victim")
	if !strings.HasPrefix(res.Stdout, "-----> Plugin victim uninstalled\n") {
		t.Fatalf("uninstall: %s", res)
	}
	log, _ := os.ReadFile(filepath.Join(r.Lib, "uninstall-log"))
	if string(log) != "observer saw uninstall victim\nvictim saw uninstall victim\n" {
		t.Fatalf("uninstall log %q", log)
	}
	for _, p := range []string{available(r, "victim"), filepath.Join(r.Lib, "plugins", "enabled", "victim")} {
		if _, err := os.Lstat(p); err == nil {
			t.Fatalf("%s left behind", p)
		}
	}
	if strings.Contains(r.MustRun("plugin:list").Stdout, "victim") {
		t.Fatal("still listed")
	}
	// A failing uninstall trigger keeps the plugin.
	r.AddPlugin("stubborn", map[string]string{"uninstall": "#!/usr/bin/env bash\n[[ $1 == stubborn ]] && exit 3\nexit 0\n"})
	if res := r.Run("plugin:uninstall", "stubborn"); res.Code != 3 {
		t.Fatalf("failing trigger: %s", res)
	}
	if _, err := os.Stat(available(r, "stubborn")); err != nil {
		t.Fatal("stubborn removed despite its trigger failing")
	}
}

func TestPluginListFormats(t *testing.T) {
	r := dokkutest.New(t)
	r.AddPlugin("listed", pluginFiles("listed", "2.0.0"))
	out := r.MustRun("plugin:list").Stdout
	if !strings.HasPrefix(out, "plugn: 0.38.27\n  00_dokku-standard    0.38.27 enabled    dokku core standard plugin\n") {
		t.Fatalf("stdout:\n%s", out)
	}
	if !strings.Contains(out, "\n  listed               2.0.0 enabled    listed test plugin\n") {
		t.Fatalf("community line:\n%s", out)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.MustRun("plugin:list", "--format", "json").Stdout), &list); err != nil {
		t.Fatal(err)
	}
	byName := map[string]map[string]any{}
	for _, p := range list {
		byName[p["name"].(string)] = p
	}
	if p := byName["apps"]; p["core"] != true || p["enabled"] != true || p["source_url"] != "" || p["version"] != "0.38.27" {
		t.Fatalf("apps: %v", p)
	}
	if p := byName["listed"]; p["core"] != false || p["description"] != "listed test plugin" || p["committish"] != "" {
		t.Fatalf("listed: %v", p)
	}
	if len(byName) != strings.Count(out, "\n")-1 {
		t.Fatalf("json has %d plugins, stdout %d", len(byName), strings.Count(out, "\n")-1)
	}
	// plugin:list and plugin:help need no root; the bare namespace is help.
	if help := r.MustRun("plugin").Stdout; help != r.MustRun("plugin:help").Stdout || !strings.Contains(help, "Manage installed plugins") {
		t.Fatalf("help: %q", help)
	}
}

func TestPluginCorruptTomlIsolated(t *testing.T) {
	r := dokkutest.New(t)
	broken := pluginFiles("broken", "0.1.0")
	broken["plugin.toml"] = "[plugin\ndescription = oops"
	broken["post-test-trigger"] = "#!/usr/bin/env bash\necho broken-trigger\n"
	r.AddPlugin("broken", broken)
	good := pluginFiles("good", "1.0.0")
	good["post-test-trigger"] = "#!/usr/bin/env bash\necho good-trigger \"$1\"\n"
	r.AddPlugin("good", good)
	noToml := pluginFiles("notoml", "1.0.0")
	r.AddPlugin("notoml", noToml)
	os.Remove(available(r, "notoml", "plugin.toml"))

	res := r.MustRun("plugin:list")
	if !strings.Contains(res.Stdout, "  good                 1.0.0 enabled    good test plugin\n") ||
		!strings.Contains(res.Stdout, "  broken                     enabled    \n") ||
		!strings.Contains(res.Stdout, "  notoml                     enabled    \n") {
		t.Fatalf("list: %s", res)
	}
	if !strings.Contains(res.Stderr, "Unable to read plugin.toml of plugin broken") || !strings.Contains(res.Stderr, "plugin notoml") {
		t.Fatalf("list stderr: %s", res)
	}
	r.MustRun("plugin:list", "--format", "json")
	if got := r.MustRun("good:hello", "z").Stdout; got != "hello from good z\n" {
		t.Fatalf("good command: %q", got)
	}
	if got := r.MustRun("broken:hello", "z").Stdout; got != "hello from broken z\n" {
		t.Fatalf("broken command: %q", got)
	}
	if got := r.MustRun("plugin:trigger", "post-test-trigger", "arg").Stdout; got != "broken-trigger\ngood-trigger arg\n" {
		t.Fatalf("trigger: %q", got)
	}
	help := r.MustRun("help").Stdout
	if !strings.Contains(help, "good:hello") || !strings.Contains(help, "broken:hello") {
		t.Fatalf("help:\n%s", help)
	}
}

// plugnBin puts a `plugn` link to the binary first in PATH, as a host has.
func plugnBin(t *testing.T, r *dokkutest.Root) (string, []string) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bin")
	os.Mkdir(bin, 0o755)
	plugn := filepath.Join(bin, "plugn")
	if err := os.Symlink(r.Bin, plugn); err != nil {
		t.Fatal(err)
	}
	return plugn, []string{"PATH=" + bin + ":" + os.Getenv("PATH")}
}

func TestPluginPlugnTriggerOrder(t *testing.T) {
	for _, fast := range []string{"1", "0"} {
		t.Run("fastpath="+fast, func(t *testing.T) {
			r := dokkutest.New(t)
			_, pathEnv := plugnBin(t, r)
			logFile := filepath.Join(r.Dir, "order.log")
			env := append(pathEnv, "DOKKU_EVENTS=1", "DOKKU_EVENTS_LOGFILE="+logFile, "DOKKU_CORE_FASTPATH="+fast)
			step := func(name string) string {
				return "#!/usr/bin/env bash\necho \"" + name + " $*\" | tee -a \"$DOKKU_EVENTS_LOGFILE\"\n"
			}
			// 10_first sorts before the core 20_events, zz_last after every plugin.
			r.AddPlugin("10_first", map[string]string{"git-pre-pull": step("10_first")})
			r.AddPlugin("zz_last", map[string]string{"git-pre-pull": step("zz_last")})
			r.AddPlugin("caller", map[string]string{"commands": `#!/usr/bin/env bash
[[ "$1" == caller:run ]] || exit "$DOKKU_NOT_IMPLEMENTED_EXIT"
plugn trigger git-pre-pull "$2"
`})
			res := r.RunOpts(dokkutest.Opts{Env: env}, "caller:run", "myapp")
			if res.Code != 0 || res.Stdout != "10_first myapp\nzz_last myapp\n" {
				t.Fatalf("caller: %s", res)
			}
			b, _ := os.ReadFile(logFile)
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			if len(lines) != 3 || lines[0] != "10_first myapp" || !strings.Contains(lines[1], "INVOKED: git-pre-pull( myapp )") || lines[2] != "zz_last myapp" {
				t.Fatalf("order:\n%s", b)
			}
			// plugin:trigger walks the same list; a failing handler stops it
			// with its exit code.
			r.AddPlugin("15_fail", map[string]string{"git-pre-pull": "#!/usr/bin/env bash\necho failing >&2\nexit 7\n"})
			res = r.RunOpts(dokkutest.Opts{Env: env}, "plugin:trigger", "git-pre-pull", "again")
			if res.Code != 7 || res.Stdout != "10_first again\n" || res.Stderr != "failing\n" {
				t.Fatalf("plugin:trigger: %s", res)
			}
		})
	}
}

func TestPluginPlugnFace(t *testing.T) {
	r := dokkutest.New(t)
	plugn, pathEnv := plugnBin(t, r)
	pp := filepath.Join(r.Lib, "plugins")
	run := func(env []string, args ...string) *dokkutest.Result {
		return r.RunOpts(dokkutest.Opts{Argv0: plugn, Env: append(append([]string{}, pathEnv...), env...)}, args...)
	}
	if res := run(nil, "version"); res.Code != 2 || res.Stderr != "!! PLUGIN_PATH is not set in environment\n" {
		t.Fatalf("no PLUGIN_PATH: %s", res)
	}
	withPath := []string{"PLUGIN_PATH=" + pp}
	if res := run(withPath, "version"); res.Stdout != "plugn: 0.38.27\n" {
		t.Fatalf("version: %s", res)
	}
	if res := run(withPath, "list"); !strings.HasPrefix(res.Stdout, "  00_dokku-standard    0.38.27 enabled    dokku core standard plugin\n") {
		t.Fatalf("list: %s", res)
	}
	r.AddPlugin("cfg", map[string]string{
		"plugin.toml": "[plugin]\ndescription = \"cfg\"\nversion = \"0.0.1\"\n[plugin.config]\nsome-key = \"\"\n",
		"cfg.sh":      "export CFG_LOADED=1\n",
		"show":        "#!/usr/bin/env bash\necho \"key=$CONFIG_SOME_KEY\"\n",
	})
	run(withPath, "config-set", "cfg", "some-key", `va"l`)
	if res := run(withPath, "config-get", "cfg", "some-key"); res.Stdout != "va\"l\n" {
		t.Fatalf("config-get: %s", res)
	}
	if res := run(withPath, "config-export", "cfg"); res.Stdout != `export CONFIG_SOME_KEY="${CFG_SOME_KEY:-"va\"l"}"`+"\n" {
		t.Fatalf("config-export: %s", res)
	}
	if res := run(withPath, "trigger", "show"); res.Stdout != "key=va\"l\n" {
		t.Fatalf("trigger with config: %s", res)
	}
	if res := run(append(withPath, "CFG_SOME_KEY=fromenv"), "trigger", "show"); res.Stdout != "key=fromenv\n" {
		t.Fatalf("trigger with env config: %s", res)
	}
	if res := run(withPath, "source"); res.Stdout != "source "+filepath.Join(pp, "enabled", "cfg", "cfg.sh")+"\n" {
		t.Fatalf("source: %s", res)
	}
	// PLUGIN_PATH decides what is walked, whatever PLUGIN_ENABLED_PATH says.
	r.AddPlugin("community", map[string]string{"only-here": "#!/usr/bin/env bash\necho community\n"})
	core := []string{"PLUGIN_PATH=" + filepath.Join(r.Lib, "core-plugins"), "PLUGIN_ENABLED_PATH=" + filepath.Join(pp, "enabled")}
	if res := run(core, "trigger", "only-here"); res.Code != 0 || res.Stdout != "" {
		t.Fatalf("core walk: %s", res)
	}
	if res := run(withPath, "trigger", "only-here"); res.Stdout != "community\n" {
		t.Fatalf("community walk: %s", res)
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	if res := run([]string{"PLUGIN_PATH=" + fresh}, "init"); res.Stdout != "Initialized empty Plugn plugin path in "+fresh+"\n" {
		t.Fatalf("init: %s", res)
	}
	for _, p := range []string{"available", "enabled", "config.toml"} {
		if _, err := os.Stat(filepath.Join(fresh, p)); err != nil {
			t.Fatalf("init: %v", err)
		}
	}
	// install / update / uninstall through plugn.
	repo := gitPlugin(t, filepath.Join(t.TempDir(), "viaplugn"), "viaplugn", "0.1.0")
	if res := run([]string{"PLUGIN_PATH=" + fresh}, "install", repo); res.Code != 0 {
		t.Fatalf("plugn install: %s", res)
	}
	if res := run([]string{"PLUGIN_PATH=" + fresh}, "enable", "viaplugn"); res.Code != 0 {
		t.Fatalf("plugn enable: %s", res)
	}
	bumpPlugin(t, repo, "viaplugn", "0.2.0")
	if res := run([]string{"PLUGIN_PATH=" + fresh}, "update", "viaplugn"); res.Stdout != "Plugin (viaplugn) updated\n" {
		t.Fatalf("plugn update: %s", res)
	}
	if res := run([]string{"PLUGIN_PATH=" + fresh}, "list"); res.Stdout != "  viaplugn             0.2.0 enabled    viaplugn test plugin\n" {
		t.Fatalf("plugn list: %s", res)
	}
	if res := run([]string{"PLUGIN_PATH=" + fresh}, "uninstall", "viaplugn"); res.Code != 0 {
		t.Fatalf("plugn uninstall: %s", res)
	}
	if ents := listAll(t, filepath.Join(fresh, "available")); len(ents) != 0 {
		t.Fatalf("left: %v", ents)
	}
}

// TestPluginHelpLayout pins plugin:help to Dokku's bash help-functions
// layout: lines sorted and aligned by `column -c2 -t -s,`, which keeps the
// leading space of each description (three spaces after the widest command)
// and prints no trailing prefix-only line.
func TestPluginHelpLayout(t *testing.T) {
	r := dokkutest.New(t)
	want := "Usage: dokku plugin[:COMMAND]\n\nManage installed plugins\n\nAdditional commands:\n"
	lines := []string{
		"    plugin:disable <name>, Disable an installed plugin (third-party only)",
		"    plugin:enable <name>, Enable a previously disabled plugin",
		"    plugin:install [--core|--git-url] [--committish branch|commit|commit] [--name custom-plugin-name] [--skip-install-trigger], Optionally download git-url (and pin to the specified branch/commit/tag) & run install trigger for active plugins (or only core ones)",
		"    plugin:install-dependencies [--core], Run install-dependencies trigger for active plugins (or only core ones)",
		"    plugin:list [--format stdout|json], Print active plugins",
		"    plugin:trigger <args...>, Trigger an arbitrary plugin hook",
		"    plugin:uninstall <name>, Uninstall a plugin (third-party only)",
		"    plugin:update [name [branch|commit|tag]], Optionally update named plugin from git (and pin to the specified branch/commit/tag) & run update trigger for active plugins",
	}
	width := 0
	for _, l := range lines {
		width = max(width, strings.Index(l, ","))
	}
	for _, l := range lines {
		i := strings.Index(l, ",")
		want += l[:i] + strings.Repeat(" ", width-i+2) + l[i+1:] + "\n"
	}
	for _, args := range [][]string{{"plugin:help"}, {"plugin"}} {
		for _, fast := range []string{"1", "0"} {
			res := r.RunOpts(dokkutest.Opts{Env: []string{"DOKKU_CORE_FASTPATH=" + fast}}, args...)
			if res.Code != 0 || res.Stdout != want || res.Stderr != "" {
				t.Fatalf("fastpath %s: %s\nwant:\n%s", fast, res, want)
			}
		}
	}
}
