//go:build integration

package integration

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

func shellAPIName(t *testing.T) string {
	b := make([]byte, 4)
	rand.Read(b)
	return "shapi-" + hex.EncodeToString(b)
}

func shellAPIDocker(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("docker", args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("docker %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestShellAPIImageVerbs drives the common helper's Docker verbs against
// real images: workdir resolution, CRLF conversion, directory copies,
// herokuish detection, and that no scratch container is left behind.
func TestShellAPIImageVerbs(t *testing.T) {
	base := dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	app := shellAPIName(t)
	// the app only needs to exist (its directory); creating it fully would
	// involve the proxy plugins
	if err := os.MkdirAll(filepath.Join(r.Home, app), 0o755); err != nil {
		t.Fatal(err)
	}
	plain, heroku := "dokku-test/"+app+":plain", "dokku-test/"+app+":heroku"
	shellAPIDocker(t, "FROM "+base+"\nWORKDIR /srv\nRUN printf 'web: run\\r\\n' > Procfile && mkdir -p conf/sub && echo A > conf/a && echo B > conf/sub/b && ln -s /etc/passwd conf/pw\n",
		"build", "-q", "-t", plain, "-")
	shellAPIDocker(t, "FROM "+base+"\nENV USER=herokuishuser\nRUN mkdir -p /app && echo 'web: heroku' > /app/Procfile\n",
		"build", "-q", "-t", heroku, "-")
	t.Cleanup(func() { exec.Command("docker", "image", "rm", "-f", plain, heroku).Run() })

	common := filepath.Join(r.Lib, "core-plugins", "available", "common", "common")
	run := func(args ...string) *dokkutest.Result {
		return r.RunOpts(dokkutest.Opts{Argv0: common, Env: []string{"DOKKU_GLOBAL_RUN_ARGS=--label=dokku"}}, args...)
	}
	out := filepath.Join(r.Dir, "Procfile")
	if res := run("copy-from-image", app, plain, "Procfile", out); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	if b, _ := os.ReadFile(out); string(b) != "web: run\n" {
		t.Fatalf("copied %q", b)
	}
	if res := run("copy-from-image", app, heroku, "Procfile", out); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	if b, _ := os.ReadFile(out); string(b) != "web: heroku\n" {
		t.Fatalf("herokuish workdir %q", b)
	}
	if res := run("--quiet", "copy-from-image", app, plain, "missing", out); res.Code != 1 || res.Stderr != "" {
		t.Fatalf("%s", res)
	}
	dir := filepath.Join(r.Dir, "conf")
	if res := run("copy-dir-from-image", app, plain, "conf", dir); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "sub", "b")); string(b) != "B\n" {
		t.Fatalf("dir copy %q", b)
	}
	if l, _ := os.Readlink(filepath.Join(dir, "pw")); l != "/etc/passwd" {
		t.Fatalf("symlink %q", l)
	}
	if res := run("image-is-herokuish-based", heroku, app); res.Stdout != "true" {
		t.Fatalf("%s", res)
	}
	if res := run("image-is-herokuish-based", plain, app); res.Stdout != "false" {
		t.Fatalf("%s", res)
	}
	if res := run("image-is-cnb-based", heroku); res.Stdout != "false" {
		t.Fatalf("%s", res)
	}
	if left := shellAPIDocker(t, "", "container", "ls", "-aq", "--filter", "label=com.dokku.app-name="+app); left != "" {
		t.Fatalf("scratch containers left: %s", left)
	}

	// docker-cleanup removes the app's exited containers labelled dokku
	cid := shellAPIDocker(t, "", "container", "create", "--label=dokku", "--label=com.dokku.app-name="+app, plain, "true")
	t.Cleanup(func() { exec.Command("docker", "container", "rm", "-f", cid).Run() })
	shellAPIDocker(t, "", "container", "start", "-a", cid)
	res := run("docker-cleanup", app)
	if res.Code != 0 || res.Stdout != "-----> Cleaning up...\n" {
		t.Fatalf("%s", res)
	}
	if left := shellAPIDocker(t, "", "container", "ls", "-aq", "--filter", "id="+cid); left != "" {
		t.Fatalf("exited container kept: %s", left)
	}
}
