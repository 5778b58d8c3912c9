package plugin

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godokku/dokku/internal/env"
)

func TestInstallDefaultName(t *testing.T) {
	wd, _ := os.Getwd()
	cases := map[string]string{
		"https://github.com/dokku/dokku-postgres.git":   "postgres",
		"https://github.com/dokku/dokku-postgres.git/":  "postgres",
		"git@github.com:dokku/dokku-letsencrypt.git":    "letsencrypt",
		"git@github.com:letsencrypt":                    "letsencrypt",
		"ssh://git@example.com:2222/x/my-plugin":        "my-plugin",
		"https://example.com/p/foo.tar.gz?token=abc":    "foo",
		"https://example.com/p/Foo.TGZ":                 "Foo",
		"file:///srv/plugins/bar.tar":                   "bar",
		"/srv/plugins/baz/":                             "baz",
		"/srv/plugins/baz/.git":                         "baz",
		"./relative/qux":                                "qux",
		".":                                             filepath.Base(wd),
		"https://example.com/":                          "",
		"file:///srv/plugins/dokku-plain-dir-plugin123": "plain-dir-plugin123",
	}
	for in, want := range cases {
		if got := DefaultName(in); got != want {
			t.Errorf("DefaultName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestInstallValidName(t *testing.T) {
	for _, ok := range []string{"postgres", "00_x", "a.b-c_d", "X1"} {
		if err := ValidInstallName(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", ".", "..", "../x", "a/b", ".hidden", "-x", "a b", "a\nb", "x$y", strings.Repeat("a", 101)} {
		if ValidInstallName(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestInstallParseSource(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	os.MkdirAll(filepath.Join(repo, ".git"), 0o755)
	plain := filepath.Join(dir, "plain")
	os.Mkdir(plain, 0o755)
	tarball := filepath.Join(dir, "p.tar.gz")
	os.WriteFile(tarball, nil, 0o644)
	other := filepath.Join(dir, "readme.txt")
	os.WriteFile(other, nil, 0o644)

	type want struct {
		kind      SourceKind
		url, path string
	}
	cases := map[string]want{
		"https://github.com/dokku/dokku-postgres.git": {SourceGit, "https://github.com/dokku/dokku-postgres.git", ""},
		"http://example.com/x/plugin":                 {SourceGit, "http://example.com/x/plugin", ""},
		"https://example.com/x/plugin.tgz":            {SourceTarball, "https://example.com/x/plugin.tgz", ""},
		"ssh://git@example.com/x.git":                 {SourceGit, "ssh://git@example.com/x.git", ""},
		"git://example.com/x.git":                     {SourceGit, "git://example.com/x.git", ""},
		"git@github.com:dokku/dokku-redis.git":        {SourceGit, "git@github.com:dokku/dokku-redis.git", ""},
		"file://" + repo:                              {SourceGit, "file://" + repo, ""},
		"file://" + plain:                             {SourceDir, "", plain},
		"file://" + tarball:                           {SourceTarball, "", tarball},
		repo:                                          {SourceGit, repo, ""},
		plain + "/":                                   {SourceDir, "", plain},
		tarball:                                       {SourceTarball, "", tarball},
	}
	for in, w := range cases {
		s, err := ParseSource(in)
		if err != nil || s.Kind != w.kind || s.URL != w.url || s.Path != w.path {
			t.Errorf("ParseSource(%q) = %+v, %v; want %+v", in, s, err, w)
		}
	}
	for _, bad := range []string{"", "YABBA_DABBA_DOO", "/path/to/nonexistent/dir", other, "ftp://example.com/x.tar.gz", "--random-flag", "file://host/x", "https:///nohost", "file://" + filepath.Join(dir, "missing.tar.gz")} {
		if _, err := ParseSource(bad); !errors.Is(err, ErrInvalidSource) {
			t.Errorf("ParseSource(%q) = %v, want ErrInvalidSource", bad, err)
		}
	}
}

// gitTestEnv is a context whose plugin tree and git home live in temp dirs.
func gitTestEnv(t *testing.T) *Context {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	e := env.New([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + filepath.Join(dir, "home"),
		"GIT_CONFIG_NOSYSTEM=1",
		"PLUGIN_PATH=" + filepath.Join(dir, "plugins"),
		"PLUGIN_AVAILABLE_PATH=" + filepath.Join(dir, "plugins", "available"),
		"PLUGIN_ENABLED_PATH=" + filepath.Join(dir, "plugins", "enabled"),
		"PLUGIN_CORE_PATH=" + filepath.Join(dir, "core"),
		"PLUGIN_CORE_AVAILABLE_PATH=" + filepath.Join(dir, "core", "available"),
		"PLUGIN_CORE_ENABLED_PATH=" + filepath.Join(dir, "core", "enabled"),
	})
	os.MkdirAll(filepath.Join(dir, "home"), 0o755)
	if err := Init(e); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	return NewContext(e, nil).WithIO(strings.NewReader(""), &out, &errb)
}

// gitRepo makes a repository with one commit holding plugin.toml at version v.
func gitRepo(t *testing.T, dir, version string) {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	gitRun(t, dir, "init", "-q", "-b", "main")
	gitCommit(t, dir, version)
}

func gitCommit(t *testing.T, dir, version string) {
	t.Helper()
	os.WriteFile(filepath.Join(dir, "plugin.toml"), []byte("[plugin]\ndescription = \"test\"\nversion = \""+version+"\"\n"), 0o644)
	gitRun(t, dir, "add", "-A")
	gitRun(t, dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", version)
}

func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "safe.directory=*"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func pluginVersion(t *testing.T, ctx *Context, name string) string {
	t.Helper()
	m, err := ReadMeta(filepath.Join(ctx.Env.PluginAvailablePath(), name))
	if err != nil {
		t.Fatal(err)
	}
	return m.Version
}

func TestInstallGitCloneReinstallAndUpdate(t *testing.T) {
	ctx := gitTestEnv(t)
	repo := filepath.Join(t.TempDir(), "dokku-sample")
	gitRepo(t, repo, "0.1.0")

	res, err := InstallSource(ctx, InstallOptions{Source: repo})
	if err != nil || res.Name != "sample" || res.Existing {
		t.Fatalf("%+v %v", res, err)
	}
	if v := pluginVersion(t, ctx, "sample"); v != "0.1.0" {
		t.Fatalf("version %q", v)
	}
	if o := ctx.gitOrigin(res.Dir); o != repo {
		t.Fatalf("origin %q", o)
	}
	// Same origin again: message only.
	out := ctx.Stdout.(*bytes.Buffer)
	res, err = InstallSource(ctx, InstallOptions{Source: repo + "/"})
	if err != nil || !res.Existing || !strings.Contains(out.String(), "already installed") {
		t.Fatalf("%+v %v %q", res, err, out)
	}
	// Different origin: error.
	other := filepath.Join(t.TempDir(), "sample")
	gitRepo(t, other, "9.9.9")
	if _, err := InstallSource(ctx, InstallOptions{Source: other}); err == nil || !strings.Contains(err.Error(), "already installed from") {
		t.Fatalf("different origin: %v", err)
	}
	// Update pulls new commits.
	gitCommit(t, repo, "0.2.0")
	msg, err := Update(ctx, "sample", "")
	if err != nil || msg != "Plugin (sample) updated" || pluginVersion(t, ctx, "sample") != "0.2.0" {
		t.Fatalf("update: %q %v", msg, err)
	}
	// Pin to a tag, then a plain update says it is pinned.
	gitRun(t, repo, "tag", "v0.2.0")
	gitCommit(t, repo, "0.3.0")
	msg, err = Update(ctx, "sample", "v0.2.0")
	if err != nil || msg != "Plugin (sample) updated and pinned to v0.2.0" || pluginVersion(t, ctx, "sample") != "0.2.0" {
		t.Fatalf("pin: %q %v", msg, err)
	}
	msg, err = Update(ctx, "sample", "")
	if err != nil || msg != "Plugin pinned to v0.2.0" {
		t.Fatalf("pinned: %q %v", msg, err)
	}
	// Back to the branch follows it again.
	msg, err = Update(ctx, "sample", "main")
	if err != nil || pluginVersion(t, ctx, "sample") != "0.3.0" {
		t.Fatalf("branch: %q %v", msg, err)
	}
	if _, err := Update(ctx, "sample", "no-such-ref"); err == nil {
		t.Fatal("unknown ref accepted")
	}
	if _, err := Update(ctx, "sample", "--orphan"); err == nil {
		t.Fatal("option-like ref accepted")
	}
	if _, err := Update(ctx, "missing", ""); err == nil || err.Error() != "Plugin (missing) not installed" {
		t.Fatalf("missing: %v", err)
	}
	info := ctx.PluginGitInfo(res.Dir)
	if info.SourceURL != repo || len(info.Committish) != 40 || info.Branch != "main" {
		t.Fatalf("git info %+v", info)
	}
}

func TestInstallGitCommittishAndFailures(t *testing.T) {
	ctx := gitTestEnv(t)
	repo := filepath.Join(t.TempDir(), "pinned")
	gitRepo(t, repo, "0.1.0")
	gitRun(t, repo, "tag", "v0.1.0")
	gitCommit(t, repo, "0.2.0")

	res, err := InstallSource(ctx, InstallOptions{Source: "file://" + repo, Committish: "v0.1.0"})
	if err != nil || res.Name != "pinned" {
		t.Fatalf("%+v %v", res, err)
	}
	if v := pluginVersion(t, ctx, "pinned"); v != "0.1.0" {
		t.Fatalf("version %q", v)
	}
	if b, _ := os.ReadFile(filepath.Join(res.Dir, ".plugin_committish")); string(b) != "v0.1.0\n" {
		t.Fatalf("committish file %q", b)
	}
	// A bad ref or a broken repository leaves nothing in available/.
	if _, err := InstallSource(ctx, InstallOptions{Source: repo, Name: "badref", Committish: "nope"}); err == nil {
		t.Fatal("bad ref accepted")
	}
	broken := filepath.Join(t.TempDir(), "broken")
	os.MkdirAll(filepath.Join(broken, ".git"), 0o755)
	if _, err := InstallSource(ctx, InstallOptions{Source: broken}); err == nil || !strings.Contains(err.Error(), "Unable to clone") {
		t.Fatalf("broken: %v", err)
	}
	ents, _ := os.ReadDir(ctx.Env.PluginAvailablePath())
	if len(ents) != 1 || ents[0].Name() != "pinned" {
		t.Fatalf("leftovers: %v", ents)
	}
}

func TestInstallDirectoryAndTarball(t *testing.T) {
	ctx := gitTestEnv(t)
	src := filepath.Join(t.TempDir(), "dirplugin")
	os.MkdirAll(filepath.Join(src, "subcommands"), 0o755)
	os.WriteFile(filepath.Join(src, "commands"), []byte("#!/bin/sh\nexit 10\n"), 0o755)
	os.Symlink("../commands", filepath.Join(src, "subcommands", "default"))
	res, err := InstallSource(ctx, InstallOptions{Source: src})
	if err != nil || res.Name != "dirplugin" {
		t.Fatalf("%+v %v", res, err)
	}
	if fi, err := os.Stat(filepath.Join(res.Dir, "subcommands", "default")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("copied tree: %v %v", fi, err)
	}
	if _, err := InstallSource(ctx, InstallOptions{Source: src}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("reinstall of a copy: %v", err)
	}
	// A directory containing the plugin path would copy into itself.
	if _, err := InstallSource(ctx, InstallOptions{Source: ctx.Env.PluginPath(), Name: "loop"}); err == nil {
		t.Fatal("plugin path copied into itself")
	}
	if _, err := InstallSource(ctx, InstallOptions{Source: src, Name: "x", Committish: "v1"}); err == nil {
		t.Fatal("committish accepted for a directory")
	}

	tarball := filepath.Join(t.TempDir(), "dokku-tarred.tgz")
	os.WriteFile(tarball, makeTar(t, true, tarEntry{name: "tarred-main/plugin.toml", body: "[plugin]\nversion = \"1.2.3\"\n"}), 0o644)
	res, err = InstallSource(ctx, InstallOptions{Source: tarball})
	if err != nil || res.Name != "tarred" || pluginVersion(t, ctx, "tarred") != "1.2.3" {
		t.Fatalf("%+v %v", res, err)
	}
	evil := filepath.Join(t.TempDir(), "evil.tar")
	os.WriteFile(evil, makeTar(t, false, tarEntry{name: "ok", body: "x"}, tarEntry{name: "../escape", body: "x"}), 0o644)
	if _, err := InstallSource(ctx, InstallOptions{Source: evil}); err == nil {
		t.Fatal("evil accepted")
	}
	if _, err := os.Lstat(filepath.Join(ctx.Env.PluginAvailablePath(), "evil")); err == nil {
		t.Fatal("evil left behind")
	}
	for _, e := range listDir(ctx.Env.PluginAvailablePath()) {
		if e != "dirplugin" && e != "tarred" {
			t.Fatalf("leftover %q", e)
		}
	}
	if ents, _ := os.ReadDir(ctx.Env.PluginAvailablePath()); len(ents) != 2 {
		t.Fatalf("hidden leftovers: %v", ents)
	}
}

// As root, a local repository owned by another user must still install and
// update (git's "dubious ownership" check).
func TestInstallGitForeignOwnedRepo(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to own files as another user")
	}
	uid, gid, ok := env.LookupIDs("nobody", "nogroup")
	if !ok {
		t.Skip("no nobody user")
	}
	ctx := gitTestEnv(t)
	parent := t.TempDir()
	os.Chmod(parent, 0o755)
	repo := filepath.Join(parent, "foreign")
	gitRepo(t, repo, "0.1.0")
	chown := func() {
		filepath.Walk(repo, func(p string, _ os.FileInfo, _ error) error { return os.Lchown(p, uid, gid) })
	}
	chown()
	if _, err := InstallSource(ctx, InstallOptions{Source: repo}); err != nil {
		t.Fatalf("install: %v\n%s", err, ctx.Stderr)
	}
	gitCommit(t, repo, "0.2.0")
	chown()
	if msg, err := Update(ctx, "foreign", ""); err != nil || pluginVersion(t, ctx, "foreign") != "0.2.0" {
		t.Fatalf("update: %q %v\n%s", msg, err, ctx.Stderr)
	}
}

func TestInstallRemovesStaleStaging(t *testing.T) {
	ctx := gitTestEnv(t)
	avail := ctx.Env.PluginAvailablePath()
	stale := filepath.Join(avail, tempPrefix+"old-123")
	fresh := filepath.Join(avail, tempPrefix+"new-456")
	os.MkdirAll(filepath.Join(stale, "x"), 0o755)
	os.MkdirAll(fresh, 0o755)
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(stale, old, old)
	src := filepath.Join(t.TempDir(), "p")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "plugin.toml"), nil, 0o644)
	if _, err := InstallSource(ctx, InstallOptions{Source: src}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Fatal("stale staging kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Fatal("fresh staging removed")
	}
}
