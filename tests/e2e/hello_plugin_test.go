//go:build e2e

package e2e

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fixture community plugin in testdata/hello-plugin: `hello:world`,
// `hello:greeting`, and post-create / post-config-update / post-delete
// triggers written against Dokku's shell API.
const (
	helloPlugin      = "hello"
	helloDescription = "dokku e2e fixture plugin"
)

func helloSourceDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "hello-plugin"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// helloGitRepo publishes the fixture as a bare git repository named
// dokku-hello.git (so Dokku's default plugin name is "hello") and returns
// its file:// URL.
func helloGitRepo(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	copyTree(t, helloSourceDir(t), work)
	git := func(args ...string) {
		t.Helper()
		args = append([]string{"-c", "user.name=e2e", "-c", "user.email=e2e@localhost", "-c", "init.defaultBranch=main"}, args...)
		if res := Run(t, Opts{Dir: work}, "git", args...); res.Code != 0 {
			t.Fatalf("git %v:\n%s", args, res)
		}
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "hello plugin")
	bare := filepath.Join(dir, "dokku-hello.git")
	if res := Run(t, Opts{}, "git", "clone", "-q", "--bare", work, bare); res.Code != 0 {
		t.Fatalf("git clone --bare:\n%s", res)
	}
	return "file://" + bare
}

// helloTarball packs the fixture as hello.tar.gz with one top-level
// directory, as a GitHub release archive has, and returns its file:// URL.
func helloTarball(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hello.tar.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	src := helloSourceDir(t)
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(filepath.Join("dokku-hello-main", rel))
		hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
		if d.IsDir() {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if d.Type().IsRegular() {
			in, err := os.Open(p)
			if err != nil {
				return err
			}
			defer in.Close()
			_, err = io.Copy(tw, in)
			return err
		}
		return nil
	})
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = gz.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return "file://" + path
}

func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(target, info.Mode().Perm())
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// installHello installs the fixture plugin from source with
// `dokku plugin:install` and uninstalls it when the test ends. A fixture
// left behind by an interrupted run is removed first; any other plugin
// called "hello" stops the test rather than being touched.
func installHello(t testing.TB, source string) *Result {
	t.Helper()
	dir := filepath.Join(LibRoot, "plugins", "available", helloPlugin)
	if b, err := os.ReadFile(filepath.Join(dir, "plugin.toml")); err == nil {
		if !strings.Contains(string(b), helloDescription) {
			t.Fatalf("a plugin named %q that is not the e2e fixture is installed; refusing to touch it", helloPlugin)
		}
		MustDokku(t, "plugin:uninstall", helloPlugin)
	}
	res := MustDokku(t, "plugin:install", source)
	t.Cleanup(func() {
		if _, err := os.Stat(dir); err == nil {
			if res := Dokku(t, "plugin:uninstall", helloPlugin); res.Code != 0 {
				t.Errorf("cleanup: plugin:uninstall %s:\n%s", helloPlugin, res)
			}
		}
	})
	return res
}
