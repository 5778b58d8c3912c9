package script

import (
	"bufio"
	"bytes"
	"context"
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

// gitFakeDocker serves a Docker Engine API that knows no object: /_ping
// answers, listings are empty, prunes remove nothing, lookups are 404. With the null builder a deploy then has
// no image to release and ends successfully, so the receive side can be
// tested without a daemon.
func gitFakeDocker(t *testing.T) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "docker.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Api-Version", "1.41")
		if strings.HasSuffix(r.URL.Path, "/_ping") {
			w.Write([]byte("OK"))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch p := r.URL.Path; {
		case strings.HasSuffix(p, "/containers/json"), strings.HasSuffix(p, "/images/json"), strings.HasSuffix(p, "/networks"), strings.HasSuffix(p, "/volumes"):
			w.Write([]byte("[]"))
			return
		case strings.HasSuffix(p, "/prune"):
			w.Write([]byte("{}"))
			return
		}
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"message":"no such object"}`))
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return "unix://" + sock
}

// gitProbePlugin records what the build saw and can fail or hold a build:
// post-extract writes the revision and the tree listing to
// $DOKKU_LIB_ROOT/probe/<app>.{rev,tree}; pre-receive-app fails while
// probe/fail exists and waits while probe/hold exists.
var gitProbePlugin = map[string]string{
	"post-extract": `#!/usr/bin/env bash
set -eo pipefail
mkdir -p "$DOKKU_LIB_ROOT/probe"
echo "$3" > "$DOKKU_LIB_ROOT/probe/$1.rev"
(cd "$2" && find . -mindepth 1 | LC_ALL=C sort) > "$DOKKU_LIB_ROOT/probe/$1.tree"
[[ ! -f "$2/index.html" ]] || cp "$2/index.html" "$DOKKU_LIB_ROOT/probe/$1.index"
echo "-----> probe saw $3"
`,
	"pre-receive-app": `#!/usr/bin/env bash
set -eo pipefail
if [[ -f "$DOKKU_LIB_ROOT/probe/hold" ]]; then
  touch "$DOKKU_LIB_ROOT/probe/holding"
  while [[ -f "$DOKKU_LIB_ROOT/probe/hold" ]]; do sleep 0.05; done
fi
if [[ -f "$DOKKU_LIB_ROOT/probe/fail" ]]; then
  echo "probe failing the build" >&2
  exit 1
fi
`,
}

// gitEnv is a scratch root where builds use the null builder against the
// fake daemon, with the probe plugin installed and `dokku` on PATH (the
// pre-receive hook calls it by name).
type gitEnv struct {
	*dokkutest.Root
	binDir string
}

func newGitEnv(t *testing.T) *gitEnv {
	t.Helper()
	r := dokkutest.New(t)
	binDir := filepath.Join(r.Dir, "bin")
	os.MkdirAll(binDir, 0o755)
	if err := os.Symlink(r.Bin, filepath.Join(binDir, "dokku")); err != nil {
		t.Fatal(err)
	}
	for i, kv := range r.Env {
		if strings.HasPrefix(kv, "PATH=") {
			r.Env[i] = "PATH=" + binDir + ":" + strings.TrimPrefix(kv, "PATH=")
		}
	}
	r.Env = append(r.Env, "DOCKER_HOST="+gitFakeDocker(t))
	r.AddPlugin("gitprobe", gitProbePlugin)
	r.MustRun("builder:set", "--global", "selected", "null")
	r.MustRun("builder:set", "--global", "skip-cleanup", "true")
	os.MkdirAll(filepath.Join(r.Lib, "probe"), 0o755)
	return &gitEnv{Root: r, binDir: binDir}
}

func (g *gitEnv) probe(name string) string {
	b, _ := os.ReadFile(filepath.Join(g.Lib, "probe", name))
	return string(b)
}

func (g *gitEnv) setProbe(name string, on bool) {
	p := filepath.Join(g.Lib, "probe", name)
	if on {
		os.WriteFile(p, nil, 0o644)
	} else {
		os.Remove(p)
	}
}

// gitSSH is the embedded ssh server of a root and a client key for it.
type gitSSH struct {
	addr, key string
	user      string // DOKKU_SYSTEM_USER of the scratch root: the current user
}

var listenRE = regexp.MustCompile(`Listening on (\S+) `)

// startSSH adds a client key with ssh-keys:add and starts
// `dokku ssh-server --listen 127.0.0.1:0`, stopped at the end of the test.
func (g *gitEnv) startSSH(t *testing.T) *gitSSH {
	t.Helper()
	key := filepath.Join(g.Dir, "client_key")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tester", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	g.MustRun("ssh-keys:add", "tester", key+".pub")
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, g.Bin, "ssh-server", "--listen", "127.0.0.1:0")
	cmd.Env = g.Env
	// Its own process group: with DOKKU_CORE_FASTPATH=0 the server runs in
	// a child of the dokku process, and both must go.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listenRE.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		u, _ := user.Current()
		return &gitSSH{addr: a, key: key, user: u.Username}
	case <-time.After(20 * time.Second):
		t.Fatalf("ssh-server did not start: %s", stderr.String())
	}
	return nil
}

// url is the ssh remote of an app path as a client would write it.
func (s *gitSSH) url(path string) string {
	_, port, _ := net.SplitHostPort(s.addr)
	return "ssh://" + s.user + "@127.0.0.1:" + port + "/" + path
}

// sshCommand is the GIT_SSH_COMMAND for the server and key.
func (s *gitSSH) sshCommand() string {
	_, port, _ := net.SplitHostPort(s.addr)
	return "ssh -i " + s.key + " -p " + port + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
}

type gitResult struct {
	out  string
	code int
}

// git runs git in dir with the key's GIT_SSH_COMMAND.
func (s *gitSSH) git(t *testing.T, dir string, args ...string) gitResult {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_SSH_COMMAND="+s.sshCommand(), "GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return gitResult{out: string(out), code: code}
}

// ssh runs `ssh dokku@127.0.0.1 words...` with the key.
func (s *gitSSH) ssh(t *testing.T, words ...string) gitResult {
	t.Helper()
	args := append(strings.Fields(s.sshCommand())[1:], s.user+"@127.0.0.1")
	cmd := exec.Command("ssh", append(args, words...)...)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("ssh: %v", err)
	}
	return gitResult{out: string(out), code: code}
}

// gitWorkTree makes a local repository with an index.html and a Procfile
// and one commit on branch.
func gitWorkTree(t *testing.T, s *gitSSH, branch, content string) string {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(content), 0o644)
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "nested.txt"), []byte("nested\n"), 0o644)
	for _, args := range [][]string{{"init", "-q", "-b", branch}, {"add", "."}, {"commit", "-q", "-m", "first"}} {
		if res := s.git(t, dir, args...); res.code != 0 {
			t.Fatalf("git %v: %s", args, res.out)
		}
	}
	return dir
}

// gitCommit changes index.html and commits.
func gitCommit(t *testing.T, s *gitSSH, dir, content string) string {
	t.Helper()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(content), 0o644)
	if res := s.git(t, dir, "commit", "-q", "-am", "change"); res.code != 0 {
		t.Fatalf("commit: %s", res.out)
	}
	return strings.TrimSpace(s.git(t, dir, "rev-parse", "HEAD").out)
}

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// plain drops ANSI sequences and git's "remote: " column.
func plain(s string) string {
	s = ansiRE.ReplaceAllString(s, "")
	var out []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimPrefix(l, "remote: ")
		out = append(out, strings.TrimRight(l, " \r"))
	}
	return strings.Join(out, "\n")
}
