package shellapi

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cerrdefs "github.com/containerd/errdefs"

	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
)

// fakeDocker serves images and tar streams of paths inside them.
type fakeDocker struct {
	t       *testing.T
	images  map[string]*docker.Image
	paths   map[string][]tentry // "<image>:<path>" → tar entries
	copied  []string
	labels  map[string]string
	cleaned []string
}

func (f *fakeDocker) ImageInspect(_ context.Context, ref string) (*docker.Image, error) {
	return f.images[ref], nil
}

func (f *fakeDocker) CopyFromImage(_ context.Context, image, path string, labels map[string]string, fn func(io.Reader) error) error {
	f.copied = append(f.copied, path)
	f.labels = labels
	entries, ok := f.paths[image+":"+path]
	if !ok {
		return cerrdefs.ErrNotFound
	}
	return fn(bytes.NewReader(tarBytes(f.t, false, entries...)))
}

func (f *fakeDocker) Cleanup(_ context.Context, app, label string) error {
	f.cleaned = append(f.cleaned, app+"|"+label)
	return nil
}

func withFakeDocker(t *testing.T) *fakeDocker {
	f := &fakeDocker{t: t, images: map[string]*docker.Image{}, paths: map[string][]tentry{}}
	old := dockerFor
	dockerFor = func(*plugin.Context) (imageDocker, error) { return f, nil }
	t.Cleanup(func() { dockerFor = old })
	return f
}

func TestShellCommonAppNames(t *testing.T) {
	s := newShellEnv(t)
	s.mkApp("exists")
	s.mkApp("old_style")
	invalid := " !     App name must begin with lowercase alphanumeric character, and cannot include uppercase characters, colons, or underscores\n"
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"is-valid-app-name", "good-app.1"}, 0, ""},
		{[]string{"is-valid-app-name", "Bad"}, 1, invalid},
		{[]string{"is-valid-app-name", "old_style"}, 1, invalid},
		{[]string{"is-valid-app-name-old", "old_style"}, 0, ""},
		{[]string{"is-valid-app-name-old", "a:b"}, 1, invalid},
		{[]string{"verify-app-name", "exists"}, 0, ""},
		{[]string{"verify-app-name", "old_style"}, 0, ""},
		{[]string{"verify-app-name", "missing"}, 20, " !     App missing does not exist\n"},
		{[]string{"--quiet", "verify-app-name", "missing"}, 20, ""},
		{[]string{"verify-app-name", "--quiet", "../x"}, 1, ""},
		{[]string{"verify-app-name", ""}, 1, " !     Please specify an app to run the command on\n"},
		{[]string{"verify-app-name"}, 1, " !     Missing app argument for common verify-app-name\n"},
		{[]string{"nope"}, 1, " !     Invalid common command call: nope\n"},
		{[]string{}, 1, " !     Invalid common command call: \n"},
		{[]string{"--bogus", "verify-app-name", "x"}, 1, " !     unknown flag: --bogus\n"},
	} {
		r := s.call(runCommon, "", c.args...)
		if r.code != c.code || r.err != c.err || r.out != "" {
			t.Errorf("%v: %+v", c.args, r)
		}
	}
}

func TestShellCommonIsDeployedAndScheduler(t *testing.T) {
	s := newShellEnv(t)
	s.mkApp("a1")
	os.MkdirAll(s.propPath("common", "a1"), 0o755)
	os.WriteFile(s.propPath("common", "a1", "deployed"), []byte("true"), 0o600)
	if r := s.call(runCommon, "", "is-deployed", "a1"); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	os.WriteFile(s.propPath("common", "a1", "deployed"), []byte("false"), 0o600)
	if r := s.call(runCommon, "", "is-deployed", "a1"); r.code != 1 || r.err != " !     App a1 not deployed\n" {
		t.Fatalf("%+v", r)
	}
	if r := s.call(runCommon, "", "--quiet", "is-deployed", "a1"); r.code != 1 || r.err != "" {
		t.Fatalf("%+v", r)
	}
	// no scheduler-detect implementation: the default
	for _, args := range [][]string{{"scheduler-detect", "a1"}, {"scheduler-detect", "--global"}, {"--global", "scheduler-detect"}} {
		if r := s.call(runCommon, "", args...); r.out != "docker-local" || r.code != 0 {
			t.Errorf("%v: %+v", args, r)
		}
	}
	if r := s.call(runCommon, "", "plugn-trigger-exists", "post-deploy"); r.out != "false" {
		t.Errorf("%+v", r)
	}
	if r := s.call(runCommon, "", "plugn-trigger-exists", "../x"); r.out != "false" {
		t.Errorf("%+v", r)
	}
}

func TestShellCommonImageKinds(t *testing.T) {
	s := newShellEnv(t)
	f := withFakeDocker(t)
	f.images["herokuish"] = &docker.Image{Env: []string{"PATH=/bin", "USER=herokuishuser"}}
	f.images["cnb"] = &docker.Image{Labels: map[string]string{"io.buildpacks.stack.id": "heroku-24"}}
	f.images["plain"] = &docker.Image{Env: []string{"USER=root"}}
	for _, c := range []struct {
		args []string
		out  string
	}{
		{[]string{"image-is-herokuish-based", "herokuish"}, "true"},
		{[]string{"image-is-herokuish-based", "herokuish", "someapp"}, "true"},
		{[]string{"image-is-herokuish-based", "cnb"}, "true"},
		{[]string{"image-is-herokuish-based", "plain"}, "false"},
		{[]string{"image-is-herokuish-based", "missing"}, "false"},
		{[]string{"image-is-cnb-based", "cnb"}, "true"},
		{[]string{"image-is-cnb-based", "herokuish"}, "false"},
		{[]string{"image-is-cnb-based", "missing"}, "false"},
	} {
		if r := s.call(runCommon, "", c.args...); r.out != c.out || r.code != 0 {
			t.Errorf("%v: %+v", c.args, r)
		}
	}
}

func TestShellCommonCopyFromImage(t *testing.T) {
	s := newShellEnv(t, "DOKKU_GLOBAL_RUN_ARGS=--label=org.label-schema.vendor=dokku --label=dokku")
	s.mkApp("web")
	f := withFakeDocker(t)
	f.images["img:wd"] = &docker.Image{WorkingDir: "/srv"}
	f.images["img:heroku"] = &docker.Image{Env: []string{"USER=herokuishuser"}, WorkingDir: "/ignored"}
	f.images["img:cnb"] = &docker.Image{Labels: map[string]string{"io.buildpacks.lifecycle.metadata": "{}"}}
	f.paths["img:wd:/srv/Procfile"] = []tentry{{name: "Procfile", body: "web: a\r\nworker: b\r\n", kind: '0', mode: 0o640}}
	f.paths["img:heroku:/app/Procfile"] = []tentry{symlink("Procfile", "config/Procfile")}
	f.paths["img:heroku:/app/config/Procfile"] = []tentry{file("Procfile", "web: heroku\n")}
	f.paths["img:cnb:/workspace/app.json"] = []tentry{file("app.json", "{}")}
	f.paths["img:wd:/srv/dir"] = []tentry{dir("dir/"), file("dir/a", "A"), symlink("dir/abs", "/usr/lib/x"), dir("dir/sub/"), file("dir/sub/b", "B")}

	dst := filepath.Join(s.dir, "Procfile.out")
	if r := s.call(runCommon, "", "copy-from-image", "web", "img:wd", "Procfile", dst); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if b, _ := os.ReadFile(dst); string(b) != "web: a\nworker: b\n" {
		t.Fatalf("content %q", b)
	}
	if fi, _ := os.Stat(dst); fi.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v", fi.Mode())
	}
	if f.labels["com.dokku.app-name"] != "web" || f.labels["dokku"] != "" || f.labels["org.label-schema.vendor"] != "dokku" {
		t.Fatalf("labels %v", f.labels)
	}
	if r := s.call(runCommon, "", "copy-from-image", "web", "img:heroku", "Procfile", dst); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if b, _ := os.ReadFile(dst); string(b) != "web: heroku\n" {
		t.Fatalf("symlink not followed %q", b)
	}
	if r := s.call(runCommon, "", "copy-from-image", "web", "img:cnb", "app.json", s.dir); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if b, _ := os.ReadFile(filepath.Join(s.dir, "app.json")); string(b) != "{}" {
		t.Fatalf("into dir %q", b)
	}
	if r := s.call(runCommon, "", "copy-from-image", "web", "img:wd", "/abs/missing", dst); r.code != 1 || r.err != " !     Unable to copy file /abs/missing from image: no such file or directory\n" {
		t.Fatalf("%+v", r)
	}
	if r := s.call(runCommon, "", "--quiet", "copy-from-image", "web", "img:wd", "missing", dst); r.code != 1 || r.err != "" {
		t.Fatalf("%+v", r)
	}
	if r := s.call(runCommon, "", "copy-from-image", "web", "nope", "Procfile", dst); r.code != 1 || r.err != " !     Invalid docker image for copying content\n" {
		t.Fatalf("%+v", r)
	}
	if r := s.call(runCommon, "", "copy-from-image", "ghost", "img:wd", "Procfile", dst); r.code != 20 {
		t.Fatalf("%+v", r)
	}
	if r := s.call(runCommon, "", "copy-from-image", "web", "img:wd", "dir", dst); r.code != 1 || !strings.Contains(r.err, "is a directory") {
		t.Fatalf("%+v", r)
	}

	// directories: as the destination when it is missing, inside it otherwise
	out := filepath.Join(s.dir, "copied")
	if r := s.call(runCommon, "", "copy-dir-from-image", "web", "img:wd", "dir", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "sub", "b")); string(b) != "B" {
		t.Fatalf("dir copy %q", b)
	}
	if l, _ := os.Readlink(filepath.Join(out, "abs")); l != "/usr/lib/x" {
		t.Fatalf("symlink %q", l)
	}
	if r := s.call(runCommon, "", "copy-dir-from-image", "web", "img:wd", "dir", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "dir", "a")); string(b) != "A" {
		t.Fatalf("nested dir copy %q", b)
	}
	if r := s.call(runCommon, "", "copy-dir-from-image", "web", "img:wd", "Procfile", filepath.Join(s.dir, "x")); r.code != 1 || !strings.Contains(r.err, "not a directory") {
		t.Fatalf("%+v", r)
	}
}

func TestShellCommonDockerCleanup(t *testing.T) {
	s := newShellEnv(t, "DOKKU_CONTAINER_LABEL=dokku")
	f := withFakeDocker(t)
	s.mkApp("app")
	r := s.call(runCommon, "", "docker-cleanup", "app")
	if r.out != "-----> Cleaning up...\n" || r.code != 0 || strings.Join(f.cleaned, ",") != "app|dokku" {
		t.Fatalf("%+v %v", r, f.cleaned)
	}
	os.MkdirAll(s.propPath("builder", "--global"), 0o755)
	os.WriteFile(s.propPath("builder", "--global", "skip-cleanup"), []byte("true"), 0o600)
	r = s.call(runCommon, "", "docker-cleanup", "app")
	if r.out != "-----> DOKKU_SKIP_CLEANUP set. Skipping dokku cleanup\n" || len(f.cleaned) != 1 {
		t.Fatalf("%+v", r)
	}
	r = s.call(runCommon, "", "docker-cleanup", "app", "true")
	if r.out != "-----> Cleaning up...\n" || len(f.cleaned) != 2 {
		t.Fatalf("force: %+v", r)
	}
	r = s.call(runCommon, "", "docker-cleanup", "--global", "true")
	if r.code != 0 || f.cleaned[2] != "|dokku" {
		t.Fatalf("global: %+v %v", r, f.cleaned)
	}
	if r := s.call(runCommon, "", "docker-cleanup", "Bad_App"); r.code != 1 {
		t.Fatalf("%+v", r)
	}
}

func TestShellAppListTrigger(t *testing.T) {
	s := newShellEnv(t)
	for _, a := range []string{"zeta", "alpha", ".hidden"} {
		s.mkApp(a)
	}
	os.WriteFile(filepath.Join(s.env.Root(), "notadir"), nil, 0o644)
	for _, args := range [][]string{nil, {"false"}, {"true"}} {
		r := s.call(appList, "", args...)
		if r.out != "alpha\nzeta\n" || r.code != 0 {
			t.Errorf("%v: %+v", args, r)
		}
	}
}

func TestShellCommonComposeMissing(t *testing.T) {
	s := newShellEnv(t, "DOCKER_BIN=/nonexistent/docker")
	r := s.call(runCommon, "", "compose-up", "proj", filepath.Join(s.dir, "compose.yml"))
	if r.code != 1 || r.err != " !     docker compose is not installed\n" {
		t.Fatalf("%+v", r)
	}
	r = s.call(runCommon, "", "--quiet", "compose-down", "proj", "x.yml")
	if r.code != 1 || r.err != "" {
		t.Fatalf("%+v", r)
	}
}
