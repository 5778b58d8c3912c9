//go:build integration

package integration

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godokku/dokku/internal/dokkutest"
)

// gitRoot is a scratch root reachable over the embedded ssh server, with
// `dokku` on PATH for the pre-receive hook.
type gitRoot struct {
	*dokkutest.Root
	port, key, user string
}

var gitListenRE = regexp.MustCompile(`Listening on (\S+) `)

func newGitRoot(t *testing.T) *gitRoot {
	t.Helper()
	dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	bin := filepath.Join(r.Dir, "bin")
	os.MkdirAll(bin, 0o755)
	os.Symlink(r.Bin, filepath.Join(bin, "dokku"))
	for i, kv := range r.Env {
		if strings.HasPrefix(kv, "PATH=") {
			r.Env[i] = "PATH=" + bin + ":" + strings.TrimPrefix(kv, "PATH=")
		}
	}
	key := filepath.Join(r.Dir, "client_key")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	r.MustRun("ssh-keys:add", "tester", key+".pub")
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, r.Bin, "ssh-server", "--listen", "127.0.0.1:0")
	cmd.Env = r.Env
	// Its own process group: with DOKKU_CORE_FASTPATH=0 the server runs in
	// a child of the dokku process, and both must go.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := gitListenRE.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	u, _ := user.Current()
	select {
	case a := <-addr:
		_, port, _ := net.SplitHostPort(a)
		return &gitRoot{Root: r, port: port, key: key, user: u.Username}
	case <-time.After(30 * time.Second):
		t.Fatal("ssh-server did not start")
	}
	return nil
}

// app returns a unique app name whose containers and images are removed
// at the end of the test.
func (g *gitRoot) app(t *testing.T, prefix string) string {
	b := make([]byte, 3)
	rand.Read(b)
	name := prefix + "-" + hex.EncodeToString(b)
	t.Cleanup(func() { buildRemoveAppObjects(name) })
	return name
}

func (g *gitRoot) sshCommand() string {
	return "ssh -i " + g.key + " -p " + g.port + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
}

func (g *gitRoot) remote(app string) string { return g.user + "@127.0.0.1:" + app }

type gitRes struct {
	out  string
	code int
}

func (g *gitRoot) git(t *testing.T, dir string, args ...string) gitRes {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_SSH_COMMAND="+g.sshCommand(),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return gitRes{string(out), code}
}

// source is a busybox httpd app serving index.html on port 5000, with an
// HTTP startup check (no 10 s uptime wait).
func (g *gitRoot) source(t *testing.T, content string) string {
	t.Helper()
	dir := buildSource(t, map[string]string{
		"Dockerfile": "FROM " + dokkutest.BaseImageName + "\nCOPY index.html /www/index.html\nEXPOSE 5000\n" +
			`CMD ["httpd", "-f", "-p", "5000", "-h", "/www"]` + "\n",
		"index.html": content,
		"app.json":   `{"healthchecks":{"web":[{"type":"startup","name":"index","path":"/index.html","attempts":20,"wait":1,"timeout":2}]}}`,
	})
	for _, args := range [][]string{{"init", "-q", "-b", "master"}, {"add", "."}, {"commit", "-q", "-m", "first"}} {
		if res := g.git(t, dir, args...); res.code != 0 {
			t.Fatalf("git %v: %s", args, res.out)
		}
	}
	return dir
}

func (g *gitRoot) commit(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		os.WriteFile(filepath.Join(dir, rel), []byte(content), 0o644)
	}
	if res := g.git(t, dir, "commit", "-q", "-am", "change"); res.code != 0 {
		t.Fatalf("commit: %s", res.out)
	}
}

// webIP is the address of the app's running web container.
func (g *gitRoot) webIP(t *testing.T, app string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(g.Home, app, "IP.web.1"))
	if err != nil {
		t.Fatalf("no IP.web.1 for %s: %v", app, err)
	}
	return strings.TrimSpace(string(b))
}

// get fetches http://<web ip>:5000/index.html.
func (g *gitRoot) get(t *testing.T, app string) string {
	t.Helper()
	c := http.Client{Timeout: 5 * time.Second}
	res, err := c.Get(fmt.Sprintf("http://%s:5000/index.html", g.webIP(t, app)))
	if err != nil {
		return "error: " + err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}
