package script

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

func TestGitSetAndReport(t *testing.T) {
	g := newGitEnv(t)
	g.MustRun("apps:create", "cfg")
	cases := []struct {
		args         []string
		code         int
		stdout, errs string
	}{
		{[]string{"git:set", "cfg", "deploy-branch", "main"}, 0, "=====> Setting deploy-branch to main\n", ""},
		{[]string{"git:set", "--global", "deploy-branch", "trunk"}, 0, "=====> Setting deploy-branch to trunk\n", ""},
		{[]string{"git:set", "cfg", "keep-git-dir", "true"}, 0, "=====> Setting keep-git-dir to true\n", ""},
		{[]string{"git:set", "cfg", "keep-git-dir", "maybe"}, 1, "", " !     Invalid value specified, valid values include: true, false\n"},
		{[]string{"git:set", "cfg", "deploy-branch", "a..b"}, 1, "", " !     Invalid branch name 'a..b', see git-check-ref-format(1)\n"},
		{[]string{"git:set", "cfg", "rev-env-var", "1BAD"}, 1, "", " !     Invalid environment variable name '1BAD'\n"},
		{[]string{"git:set", "cfg", "nope", "x"}, 1, "", " !     Invalid key specified, valid keys include: archive-max-files, archive-max-size, deploy-branch, keep-git-dir, rev-env-var, source-image\n"},
		{[]string{"git:set", "cfg", "archive-max-size", "10"}, 1, "", " !     The key 'archive-max-size' can only be set globally\n"},
		{[]string{"git:set", "--global", "archive-max-size", "-1"}, 1, "", " !     Invalid value specified, must be a positive integer\n"},
		{[]string{"git:set", "--global", "archive-max-files", "50"}, 0, "=====> Setting archive-max-files to 50\n", ""},
		{[]string{"git:set", "--global", "rev-env-var", "X"}, 1, "", " !     Property cannot be specified globally\n"},
		{[]string{"git:set", "missing", "deploy-branch", "x"}, 20, "", " !     App missing does not exist\n"},
	}
	for _, c := range cases {
		res := g.Run(c.args...)
		if res.Code != c.code || res.Stdout != c.stdout || res.Stderr != c.errs {
			t.Errorf("%v: want %d %q %q, got %s", c.args, c.code, c.stdout, c.errs, res)
		}
	}
	for flag, want := range map[string]string{
		"--git-deploy-branch":              "main",
		"--git-global-deploy-branch":       "trunk",
		"--git-computed-deploy-branch":     "main",
		"--git-keep-git-dir":               "true",
		"--git-computed-keep-git-dir":      "true",
		"--git-rev-env-var":                "GIT_REV",
		"--git-computed-archive-max-files": "50",
		"--git-computed-archive-max-size":  "1073741824",
	} {
		if got := g.MustRun("git:report", "cfg", flag).Stdout; got != want+"\n" {
			t.Errorf("git:report %s = %q, want %q", flag, got, want)
		}
	}
	var j map[string]string
	if err := json.Unmarshal([]byte(g.MustRun("git:report", "cfg", "--format", "json").Stdout), &j); err != nil || j["deploy-branch"] != "main" || j["sha"] != "" {
		t.Errorf("json report %v %v", j, err)
	}
	glob := g.MustRun("git:report", "--global").Stdout
	if !strings.HasPrefix(glob, "=====> --global git information\n") || strings.Contains(glob, "Git sha") || !strings.Contains(glob, "Git computed deploy branch:     trunk\n") {
		t.Errorf("global report:\n%s", glob)
	}
	// git:set without a value unsets; rev-env-var "" is kept empty.
	if res := g.MustRun("git:set", "cfg", "deploy-branch"); res.Stdout != "=====> Unsetting deploy-branch\n" {
		t.Errorf("unset: %s", res)
	}
	if got := g.MustRun("git:report", "cfg", "--git-computed-deploy-branch").Stdout; got != "trunk\n" {
		t.Errorf("computed after unset %q", got)
	}
	g.MustRun("git:set", "cfg", "rev-env-var", "")
	if b, err := os.ReadFile(filepath.Join(g.Lib, "config", "git", "cfg", "rev-env-var")); err != nil || len(b) != 0 {
		t.Errorf("rev-env-var not stored empty: %q %v", b, err)
	}
}

func TestGitTriggers(t *testing.T) {
	g := newGitEnv(t)
	s := g.startSSH(t)
	work := gitWorkTree(t, s, "master", "v1\n")
	rev := strings.TrimSpace(s.git(t, work, "rev-parse", "HEAD").out)
	g.MustRun("apps:create", "trig")
	trigger := func(args ...string) *dokkutest.Result {
		return g.Run(append([]string{"plugin:trigger"}, args...)...)
	}
	if res := trigger("git-has-code", "trig"); res.Code == 0 {
		t.Errorf("git-has-code without a push: %s", res)
	}
	s.git(t, work, "push", s.url("trig"), "master")
	for _, c := range []struct {
		args []string
		out  string
	}{
		{[]string{"git-has-code", "trig"}, ""},
		{[]string{"git-deploy-branch", "trig"}, "master\n"},
		{[]string{"git-revision", "trig"}, rev + "\n"},
		{[]string{"git-get-property", "trig", "rev-env-var"}, "GIT_REV\n"},
		{[]string{"git-get-property", "trig", "archive-max-files"}, "10000\n"},
	} {
		if res := trigger(c.args...); res.Code != 0 || res.Stdout != c.out {
			t.Errorf("%v: %s", c.args, res)
		}
	}
	if res := trigger("git-has-code", "trig", "other"); res.Code == 0 {
		t.Errorf("git-has-code of a missing branch: %s", res)
	}
	// Clone copies the repository (not the old app's container state); the
	// new app's hook names the new app.
	os.WriteFile(filepath.Join(g.Home, "trig", "CONTAINER.web.1"), []byte("abc\n"), 0o644)
	os.WriteFile(filepath.Join(g.Home, "trig", "IP.web.1"), []byte("10.0.0.9\n"), 0o644)
	g.MustRun("apps:clone", "--skip-deploy", "trig", "copy")
	for _, f := range []string{"CONTAINER.web.1", "IP.web.1"} {
		if _, err := os.Stat(filepath.Join(g.Home, "copy", f)); err == nil {
			t.Errorf("%s copied to the clone", f)
		}
	}
	hook, _ := os.ReadFile(filepath.Join(g.Home, "copy", "hooks", "pre-receive"))
	if !strings.HasSuffix(string(hook), "dokku git-hook copy\n") {
		t.Errorf("cloned hook:\n%s", hook)
	}
	if res := trigger("git-revision", "copy"); res.Stdout != rev+"\n" {
		t.Errorf("cloned revision: %s", res)
	}
	// Rename keeps the code (and the build records) and the repository
	// works for pushes.
	g.MustRun("plugin:trigger", "builds-record-start", "copy", "rec1", "1", "git-hook")
	g.MustRun("apps:rename", "--skip-deploy", "copy", "renamed")
	if _, err := os.Stat(filepath.Join(g.Lib, "data", "builds", "renamed", "rec1.json")); err != nil {
		t.Errorf("build records not moved: %v", err)
	}
	if res := trigger("git-has-code", "renamed"); res.Code != 0 {
		t.Errorf("renamed app lost its code: %s", res)
	}
	gitCommit(t, s, work, "v2\n")
	if res := s.git(t, work, "push", s.url("renamed"), "master"); res.code != 0 || g.probe("renamed.index") != "v2\n" {
		t.Errorf("push to the renamed app:\n%s", res.out)
	}
	// Destroy drops the git properties.
	g.MustRun("git:set", "renamed", "keep-git-dir", "true")
	g.MustRun("--force", "apps:destroy", "renamed")
	for _, p := range []string{filepath.Join(g.Lib, "config", "git", "renamed"), filepath.Join(g.Lib, "data", "builds", "renamed")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s left after destroy", p)
		}
	}
}

func TestGitKeepGitDir(t *testing.T) {
	g := newGitEnv(t)
	s := g.startSSH(t)
	work := gitWorkTree(t, s, "master", "v1\n")
	g.MustRun("apps:create", "keep")
	g.MustRun("git:set", "keep", "keep-git-dir", "true")
	if res := s.git(t, work, "push", s.url("keep"), "master"); res.code != 0 {
		t.Fatalf("push:\n%s", res.out)
	}
	if tree := g.probe("keep.tree"); !strings.Contains(tree, "./.git/HEAD\n") || !strings.Contains(tree, "./index.html\n") {
		t.Errorf("keep-git-dir tree:\n%s", tree)
	}
}

func TestGitInitializeUnlockStatus(t *testing.T) {
	g := newGitEnv(t)
	g.MustRun("apps:create", "ini")
	hook := filepath.Join(g.Home, "ini", "hooks", "pre-receive")
	os.WriteFile(hook, []byte("custom"), 0o755)
	g.MustRun("git:initialize", "ini")
	if b, _ := os.ReadFile(hook); !strings.Contains(string(b), "dokku git-hook ini") {
		t.Errorf("hook not rewritten: %s", b)
	}
	if res := g.Run("git:initialize", "nope"); res.Code != 20 {
		t.Errorf("initialize of a missing app: %s", res)
	}
	if res := g.Run("git:unlock", "ini"); res.Code != 0 || res.Stdout != "-----> No deploy lock or clone folder exists, app already unlocked\n" {
		t.Errorf("unlock of an unlocked app: %s", res)
	}
	g.MustRun("apps:lock", "ini")
	if res := g.Run("git:unlock", "ini"); res.Code != 0 || !strings.Contains(res.Stdout, "-----> Deploy lock removed\n") {
		t.Errorf("unlock of a stale lock: %s", res)
	}
	if res := g.Run("apps:locked", "ini"); res.Code == 0 {
		t.Errorf("still locked: %s", res)
	}
	if res := g.Run("git:status", "ini"); res.Code == 0 && res.Stdout == "" {
		t.Errorf("git:status printed nothing: %s", res)
	}
}

func TestGitAuthAndKeys(t *testing.T) {
	g := newGitEnv(t)
	g.MustRun("git:auth", "github.com", "bot", "s3cret")
	g.MustRun("git:auth", "gitlab.com", "other", "pw")
	netrc := filepath.Join(g.Home, ".netrc")
	b, _ := os.ReadFile(netrc)
	if string(b) != "machine github.com login bot password s3cret\nmachine gitlab.com login other password pw\n" {
		t.Errorf(".netrc:\n%s", b)
	}
	if fi, _ := os.Stat(netrc); fi.Mode().Perm() != 0o600 {
		t.Errorf(".netrc mode %v", fi.Mode())
	}
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"github.com"}, 0},
		{[]string{"github.com", "bot", "s3cret"}, 0},
		{[]string{"github.com", "bot", "wrong"}, 2},
		{[]string{"github.com", "someone"}, 2},
		{[]string{"example.com"}, 1},
	} {
		if res := g.Run(append([]string{"git:auth-status"}, c.args...)...); res.Code != c.code {
			t.Errorf("auth-status %v: %s", c.args, res)
		}
	}
	// The password may be piped.
	if res := g.RunOpts(dokkutest.Opts{Stdin: "piped\n"}, "git:auth", "example.com", "me"); res.Code != 0 {
		t.Errorf("piped password: %s", res)
	}
	if res := g.Run("git:auth-status", "example.com", "me", "piped"); res.Code != 0 {
		t.Errorf("piped password not stored: %s", res)
	}
	g.MustRun("git:auth", "github.com")
	if b, _ := os.ReadFile(netrc); strings.Contains(string(b), "github.com") {
		t.Errorf("entry not removed:\n%s", b)
	}
	if res := g.Run("git:auth", "x.com", "user", "with space"); res.Code == 0 {
		t.Errorf("a password with blanks was accepted: %s", res)
	}

	if res := g.Run("git:public-key"); res.Code != 1 || res.Stderr != " !     There is no deploy key\n" {
		t.Errorf("public-key without a key: %s", res)
	}
	g.MustRun("git:generate-deploy-key")
	pub := g.MustRun("git:public-key").Stdout
	if !strings.HasPrefix(pub, "ssh-ed25519 ") {
		t.Errorf("public key %q", pub)
	}
	if out, err := exec.Command("ssh-keygen", "-y", "-f", filepath.Join(g.Home, ".ssh", "id_ed25519")).Output(); err != nil || !strings.HasPrefix(pub, strings.TrimSpace(string(out))) {
		t.Errorf("private key does not match: %v %s", err, out)
	}
	if res := g.MustRun("git:generate-deploy-key"); !strings.Contains(res.Stdout, "already exists") {
		t.Errorf("second generate: %s", res)
	}
	if res := g.Run("git:allow-host", "-oProxyCommand=id"); res.Code == 0 {
		t.Errorf("allow-host accepted an option: %s", res)
	}
}

// tarball builds a tar(.gz) from name → content entries; a content
// starting with "->" makes a symlink.
func tarball(t *testing.T, gz bool, entries [][2]string) []byte {
	var buf bytes.Buffer
	var w *tar.Writer
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(&buf)
		w = tar.NewWriter(zw)
	} else {
		w = tar.NewWriter(&buf)
	}
	for _, e := range entries {
		h := &tar.Header{Name: e[0], Mode: 0o644, Size: int64(len(e[1])), Typeflag: tar.TypeReg}
		if strings.HasSuffix(e[0], "/") {
			h.Typeflag, h.Size, h.Mode = tar.TypeDir, 0, 0o755
		} else if target, ok := strings.CutPrefix(e[1], "->"); ok {
			h.Typeflag, h.Linkname, h.Size = tar.TypeSymlink, target, 0
		}
		if err := w.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			w.Write([]byte(e[1]))
		}
	}
	w.Close()
	if zw != nil {
		zw.Close()
	}
	return buf.Bytes()
}

func TestGitFromArchive(t *testing.T) {
	g := newGitEnv(t)
	g.MustRun("apps:create", "arc")
	good := tarball(t, false, [][2]string{{"project/", ""}, {"project/index.html", "from tar\n"}, {"project/link", "->index.html"}})
	res := g.RunOpts(dokkutest.Opts{Stdin: string(good)}, "git:from-archive", "arc", "--")
	if res.Code != 0 {
		t.Fatalf("from-archive: %s", res)
	}
	if g.probe("arc.index") != "from tar\n" || !strings.Contains(g.probe("arc.tree"), "./link\n") {
		t.Errorf("built tree:\n%s", g.probe("arc.tree"))
	}
	if got := g.MustRun("apps:report", "arc", "--app-deploy-source").Stdout; got != "tar\n" {
		t.Errorf("deploy source %q", got)
	}
	// The same archive again: no changes, refused.
	res = g.RunOpts(dokkutest.Opts{Stdin: string(good)}, "git:from-archive", "arc", "--")
	if res.Code == 0 || !strings.Contains(res.Stderr, " !     No changes detected, skipping git commit\n") {
		t.Errorf("unchanged archive: %s", res)
	}
	// Over http, gzipped.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(tarball(t, true, [][2]string{{"index.html", "from http\n"}}))
	}))
	defer srv.Close()
	if res := g.Run("git:from-archive", "--archive-type", "tar.gz", "arc", srv.URL+"/a.tgz", "Someone", "someone@example.com"); res.Code != 0 {
		t.Fatalf("from-archive over http: %s", res)
	}
	if g.probe("arc.index") != "from http\n" {
		t.Errorf("http archive not built: %q", g.probe("arc.index"))
	}
	author := exec.Command("git", "--git-dir", filepath.Join(g.Home, "arc"), "log", "-1", "--format=%an <%ae> %s")
	if out, _ := author.Output(); !strings.HasPrefix(string(out), "Someone <someone@example.com> Automated commit @ ") {
		t.Errorf("commit: %s", out)
	}
	// A zip.
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	f, _ := zw.Create("site/index.html")
	f.Write([]byte("from zip\n"))
	zw.Close()
	if res := g.RunOpts(dokkutest.Opts{Stdin: zb.String()}, "git:from-archive", "--archive-type", "zip", "arc", "--"); res.Code != 0 || g.probe("arc.index") != "from zip\n" {
		t.Errorf("zip: %s", res)
	}
	if res := g.Run("git:from-archive", "--archive-type", "rar", "arc", "--"); res.Code == 0 {
		t.Errorf("rar accepted: %s", res)
	}
	if res := g.Run("git:from-archive", "arc", "file:///etc/passwd"); res.Code == 0 {
		t.Errorf("a file:// url was fetched: %s", res)
	}
}

func TestGitFromArchiveRefusesUnsafe(t *testing.T) {
	g := newGitEnv(t)
	g.MustRun("apps:create", "evil")
	head := func() string {
		b, _ := os.ReadFile(filepath.Join(g.Home, "evil", "refs", "heads", "master"))
		return string(b)
	}
	outside := filepath.Join(g.Dir, "escaped")
	for name, entries := range map[string][][2]string{
		"absolute":   {{"/" + outside, "x"}},
		"traversal":  {{"a/../../escaped", "x"}},
		"symlink":    {{"link", "->../../escaped"}},
		"abssymlink": {{"link", "->" + outside}},
		"through":    {{"dir/", ""}, {"dir/l", "->.."}, {"dir/l/x", "x"}},
	} {
		res := g.RunOpts(dokkutest.Opts{Stdin: string(tarball(t, false, entries))}, "git:from-archive", "evil", "--")
		if res.Code == 0 || !strings.Contains(res.Stderr, "[archive-security] ") {
			t.Errorf("%s: %s", name, res)
		}
		if _, err := os.Stat(outside); err == nil {
			t.Fatalf("%s: a file was written outside the archive", name)
		}
		if head() != "" {
			t.Fatalf("%s: a commit was made", name)
		}
	}
	// Bombs: too many files, too many bytes.
	g.MustRun("git:set", "--global", "archive-max-files", "3")
	many := [][2]string{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}}
	if res := g.RunOpts(dokkutest.Opts{Stdin: string(tarball(t, false, many))}, "git:from-archive", "evil", "--"); res.Code == 0 || !strings.Contains(res.Stderr, "more than 3 entries") {
		t.Errorf("file bomb: %s", res)
	}
	g.MustRun("git:set", "--global", "archive-max-files")
	g.MustRun("git:set", "--global", "archive-max-size", "1000")
	big := [][2]string{{"big", strings.Repeat("z", 5000)}}
	if res := g.RunOpts(dokkutest.Opts{Stdin: string(tarball(t, true, big))}, "git:from-archive", "--archive-type", "tar.gz", "evil", "--"); res.Code == 0 || !strings.Contains(res.Stderr, "[archive-security]") {
		t.Errorf("size bomb: %s", res)
	}
	if head() != "" {
		t.Error("a commit was made")
	}
}

func TestGitSync(t *testing.T) {
	g := newGitEnv(t)
	s := &gitSSH{}
	upstream := gitWorkTree(t, s, "main", "upstream v1\n")
	rev := strings.TrimSpace(s.git(t, upstream, "rev-parse", "HEAD").out)
	g.MustRun("apps:create", "syn")
	res := g.Run("git:sync", "--build", "syn", upstream, "main")
	if res.Code != 0 {
		t.Fatalf("git:sync: %s", res)
	}
	if !strings.Contains(res.Stdout, "Detected branch, setting deploy-branch to main") || g.probe("syn.rev") != rev+"\n" {
		t.Errorf("sync output:\n%s\nbuilt %q", res.Stdout, g.probe("syn.rev"))
	}
	if got := g.MustRun("apps:report", "syn", "--app-deploy-source-metadata").Stdout; got != upstream+"#"+rev+"\n" {
		t.Errorf("deploy source metadata %q", got)
	}
	if _, err := os.Stat(filepath.Join(g.Lib, "data", "git", "syn")); err == nil {
		t.Error("clone folder left")
	}
	// Existing app: fetch; --build-if-changes only builds a change.
	os.Remove(filepath.Join(g.Lib, "probe", "syn.rev"))
	if res := g.Run("git:sync", "--build-if-changes", "syn", upstream); res.Code != 0 || g.probe("syn.rev") != "" {
		t.Errorf("unchanged sync built: %s", res)
	}
	rev2 := gitCommit(t, s, upstream, "upstream v2\n")
	if res := g.Run("git:sync", "--build-if-changes", "syn", upstream); res.Code != 0 || g.probe("syn.rev") != rev2+"\n" {
		t.Errorf("changed sync: %s (built %q)", res, g.probe("syn.rev"))
	}
	var recs []map[string]any
	json.Unmarshal([]byte(g.MustRun("builds:list", "syn", "--format", "json").Stdout), &recs)
	for _, r := range recs {
		if r["status"] == "running" {
			t.Errorf("git:sync left a running record: %v", r)
		}
	}
	if res := g.Run("git:sync", "syn"); res.Code == 0 || res.Stderr != " !     Missing GIT_REMOTE parameter\n" {
		t.Errorf("sync without a remote: %s", res)
	}
}
