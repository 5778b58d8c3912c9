//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// pushKey adds a throw-away key with ssh-keys:add (as root, as an
// administrator would) and removes it when the test ends.
func pushKey(t *testing.T) *SSHKey {
	t.Helper()
	k := NewSSHKey(t)
	res := DokkuWith(t, Opts{}, "ssh-keys:add", k.Name, k.Private+".pub")
	if res.Code != 0 || strings.TrimSpace(res.Stdout) != k.Fingerprint {
		t.Fatalf("ssh-keys:add:\n%s", res)
	}
	t.Cleanup(func() { Dokku(t, "ssh-keys:remove", k.Name) })
	return k
}

// pushGit runs git with the key's ssh command.
func pushGit(t *testing.T, k *SSHKey, dir string, args ...string) *Result {
	t.Helper()
	return Run(t, Opts{Dir: dir, Env: []string{
		"GIT_SSH_COMMAND=" + k.GitSSHCommand(), "GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=e2e", "GIT_AUTHOR_EMAIL=e2e@example.com",
		"GIT_COMMITTER_NAME=e2e", "GIT_COMMITTER_EMAIL=e2e@example.com",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
	}}, "git", args...)
}

// pushRemote is the scp-like remote of an app.
func pushRemote(app string) string { return DokkuUser + "@127.0.0.1:" + app }

// pushAppJSON is an HTTP startup check on /index.html (no uptime wait).
const pushAppJSON = `{"healthchecks":{"web":[{"type":"startup","name":"index","path":"/index.html","attempts":30,"wait":1,"timeout":2}]}}`

// pushSource is a busybox httpd app serving index.html on port 5000.
func pushSource(t *testing.T, k *SSHKey, content string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"Dockerfile": "FROM " + BaseImage(t) + "\nCOPY index.html /www/index.html\n" +
			`CMD ["httpd", "-f", "-p", "5000", "-h", "/www"]` + "\n",
		"index.html": content,
		"app.json":   pushAppJSON,
	}
	for name, c := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"init", "-q", "-b", "master"}, {"add", "."}, {"commit", "-q", "-m", "first"}} {
		if res := pushGit(t, k, dir, args...); res.Code != 0 {
			t.Fatalf("git %v:\n%s", args, res)
		}
	}
	return dir
}

// pushCommit writes files and commits them.
func pushCommit(t *testing.T, k *SSHKey, dir string, files map[string]string) {
	t.Helper()
	for name, c := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if res := pushGit(t, k, dir, "add", "."); res.Code != 0 {
		t.Fatal(res)
	}
	if res := pushGit(t, k, dir, "commit", "-q", "-m", "change"); res.Code != 0 {
		t.Fatalf("commit:\n%s", res)
	}
}

// pushHost creates an app reachable through nginx on port 80 with the
// Host header <app>.dokku.test.
func pushHost(t *testing.T) (app, host string) {
	t.Helper()
	app = NewApp(t)
	host = app + ".dokku.test"
	MustDokku(t, "domains:set", app, host)
	return app, host
}

var pushClient = &http.Client{
	Timeout:   10 * time.Second,
	Transport: &http.Transport{DisableKeepAlives: true},
}

// pushGet is one request through nginx: status and body.
func pushGet(host string) (int, string, error) {
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/index.html", nil)
	req.Host = host
	res, err := pushClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

// pushServes waits until nginx answers body for host.
func pushServes(t *testing.T, host, body string) {
	t.Helper()
	Eventually(t, 30*time.Second, "nginx to serve "+strings.TrimSpace(body)+" for "+host, func() (bool, string) {
		code, got, err := pushGet(host)
		return err == nil && code == 200 && got == body, fmt.Sprintf("%d %q %v", code, got, err)
	})
}

// pushLoad requests host in a loop until stopped and counts failures
// (anything but a 200 with one of the accepted bodies).
type pushLoad struct {
	ok, failed atomic.Int64
	mu         sync.Mutex
	failures   []string
	stop       chan struct{}
	done       chan struct{}
}

func pushStartLoad(host string, accepted ...string) *pushLoad {
	l := &pushLoad{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		for {
			select {
			case <-l.stop:
				return
			default:
			}
			code, body, err := pushGet(host)
			good := err == nil && code == 200
			if good {
				good = false
				for _, a := range accepted {
					good = good || body == a
				}
			}
			if good {
				l.ok.Add(1)
			} else {
				l.failed.Add(1)
				l.mu.Lock()
				if len(l.failures) < 10 {
					l.failures = append(l.failures, fmt.Sprintf("%d %q %v", code, body, err))
				}
				l.mu.Unlock()
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	return l
}

func (l *pushLoad) Stop() (ok, failed int64, failures []string) {
	close(l.stop)
	<-l.done
	return l.ok.Load(), l.failed.Load(), l.failures
}

var pushANSI = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// pushPlain strips ANSI sequences and git's "remote: " prefix.
func pushPlain(s string) string {
	s = pushANSI.ReplaceAllString(s, "")
	var out []string
	for _, l := range strings.Split(s, "\n") {
		out = append(out, strings.TrimRight(strings.TrimPrefix(l, "remote: "), " \r"))
	}
	return strings.Join(out, "\n")
}

// pushHead is the stored deploy branch head of an app.
func pushHead(t *testing.T, app string) string {
	b, _ := os.ReadFile(filepath.Join(DokkuRoot, app, "refs", "heads", "master"))
	return strings.TrimSpace(string(b))
}

// pushContainer is the app's web.1 container id.
func pushContainer(t *testing.T, app string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(DokkuRoot, app, "CONTAINER.web.1"))
	if err != nil {
		t.Fatalf("no CONTAINER.web.1: %v", err)
	}
	return strings.TrimSpace(string(b))
}

// pushDockerOut runs docker and returns its stdout.
func pushDockerOut(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "docker", args...).Output()
	if err != nil {
		t.Fatalf("docker %v: %v", args, err)
	}
	return string(out)
}
