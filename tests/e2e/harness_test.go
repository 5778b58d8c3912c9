//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/godokku/dokku/internal/dokkutest"
)

// The installed system under test (contrib/install.sh lays it out).
const (
	DokkuBin     = "/usr/bin/dokku"
	EngineBin    = "/usr/bin/dokku-engine"
	PlugnLink    = "/usr/bin/plugn"
	DokkuUser    = "dokku"
	DokkuGroup   = "dokku"
	LibRoot      = "/var/lib/dokku"
	LogsDir      = "/var/log/dokku"
	DokkuVersion = "0.38.27"

	// DefaultTimeout bounds one command; a hung command fails its test
	// instead of the whole run.
	DefaultTimeout = 3 * time.Minute
)

var (
	// DokkuRoot is the dokku user's home ($DOKKU_ROOT).
	DokkuRoot string
	// RunPrefix starts every app, plugin and image name this run creates.
	RunPrefix string
	// SSHPort is the port sshd listens on.
	SSHPort = "22"

	dokkuUID, dokkuGID uint32
	dokkuGroups        []uint32
	appCounter         atomic.Int64
)

func TestMain(m *testing.M) {
	if err := preflight(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		os.Exit(1)
	}
	code := m.Run()
	sweep()
	os.Exit(code)
}

// preflight checks what the tier needs and fails with one clear line.
func preflight() error {
	if os.Geteuid() != 0 {
		return errors.New("the e2e tier must run as root (sudo make e2e)")
	}
	if fi, err := os.Stat(DokkuBin); err != nil || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("%s is not installed (sudo make install)", DokkuBin)
	}
	u, err := user.Lookup(DokkuUser)
	if err != nil {
		return fmt.Errorf("user %s does not exist (sudo make install): %v", DokkuUser, err)
	}
	DokkuRoot = u.HomeDir
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	dokkuUID, dokkuGID = uint32(uid), uint32(gid)
	gids, _ := u.GroupIds()
	for _, g := range gids {
		if n, err := strconv.ParseUint(g, 10, 32); err == nil {
			dokkuGroups = append(dokkuGroups, uint32(n))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "docker", "info").CombinedOutput(); err != nil {
		return fmt.Errorf("docker is not reachable (docker info: %v): %s", err, firstLine(string(out)))
	}
	if out, err := exec.CommandContext(ctx, "sshd", "-T").Output(); err == nil {
		if m := regexp.MustCompile(`(?m)^port (\d+)$`).FindSubmatch(out); m != nil {
			SSHPort = string(m[1])
		}
	}
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	RunPrefix = "e2e" + hex.EncodeToString(b)
	return nil
}

// sweep destroys apps of this run that a failed test left behind.
func sweep() {
	entries, _ := os.ReadDir(DokkuRoot)
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), RunPrefix) {
			res := run(Opts{}, DokkuBin, "--force", "apps:destroy", e.Name())
			if res.Code != 0 {
				fmt.Fprintf(os.Stderr, "e2e: could not destroy leftover app %s: %s\n", e.Name(), res)
			}
		}
	}
}

// Result is one finished command.
type Result struct {
	Args           []string
	Stdout, Stderr string
	Code           int
}

func (r *Result) String() string {
	return fmt.Sprintf("%s\nexit %d\n--- stdout:\n%s--- stderr:\n%s", strings.Join(r.Args, " "), r.Code, r.Stdout, r.Stderr)
}

// Opts change how a command runs.
type Opts struct {
	Stdin   string
	Env     []string      // extra KEY=VALUE pairs on top of a login-like environment
	AsUser  bool          // run as the dokku user instead of root
	Dir     string        // working directory
	Timeout time.Duration // default DefaultTimeout
}

// loginEnv is the environment of a fresh root (or dokku) login shell: the
// tests must not depend on whatever the invoking shell exported.
func loginEnv(asUser bool) []string {
	if asUser {
		return []string{
			"PATH=/usr/local/bin:/usr/bin:/bin",
			"HOME=" + DokkuRoot, "USER=" + DokkuUser, "LOGNAME=" + DokkuUser,
			"SHELL=/bin/bash", "LANG=C.UTF-8",
		}
	}
	return []string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=/root", "USER=root", "LOGNAME=root", "SHELL=/bin/bash", "LANG=C.UTF-8",
	}
}

// run executes a program and never fails: the Result carries the outcome
// (exit code -1 when it could not start or was killed at the timeout).
func run(o Opts, name string, args ...string) *Result {
	timeout := o.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(loginEnv(o.AsUser), o.Env...)
	cmd.Dir = o.Dir
	cmd.Stdin = strings.NewReader(o.Stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if o.AsUser {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: dokkuUID, Gid: dokkuGID, Groups: dokkuGroups}
	}
	// Kill the whole group (sudo and its child) at the timeout, and do not
	// wait forever on pipes a daemonised grandchild keeps open.
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	res := &Result{Args: append([]string{name}, args...), Stdout: stdout.String(), Stderr: stderr.String()}
	switch {
	case err == nil:
	case ctx.Err() != nil:
		res.Code = -1
		res.Stderr += fmt.Sprintf("\n[e2e: killed after %s]\n", timeout)
	case cmd.ProcessState != nil:
		res.Code = cmd.ProcessState.ExitCode()
		if errors.Is(err, exec.ErrWaitDelay) {
			res.Stderr += "\n[e2e: the command exited but left its output pipes open]\n"
		}
	default:
		res.Code = -1
		res.Stderr += "\n[e2e: " + err.Error() + "]\n"
	}
	return res
}

// Run runs any program as root (or the dokku user with o.AsUser).
func Run(t testing.TB, o Opts, name string, args ...string) *Result {
	t.Helper()
	return run(o, name, args...)
}

// Dokku runs /usr/bin/dokku as root, as an administrator would; the
// dispatcher switches to the dokku user itself where Dokku does.
func Dokku(t testing.TB, args ...string) *Result {
	t.Helper()
	return run(Opts{}, DokkuBin, args...)
}

// DokkuAsUser runs /usr/bin/dokku as the dokku user.
func DokkuAsUser(t testing.TB, args ...string) *Result {
	t.Helper()
	return run(Opts{AsUser: true}, DokkuBin, args...)
}

// DokkuWith runs /usr/bin/dokku with options.
func DokkuWith(t testing.TB, o Opts, args ...string) *Result {
	t.Helper()
	return run(o, DokkuBin, args...)
}

// MustDokku runs dokku as root and fails the test unless it exits 0.
func MustDokku(t testing.TB, args ...string) *Result {
	t.Helper()
	res := Dokku(t, args...)
	if res.Code != 0 {
		t.Fatalf("unexpected failure:\n%s", res)
	}
	return res
}

// ExpectCode fails the test unless the result exited with code.
func ExpectCode(t testing.TB, res *Result, code int) {
	t.Helper()
	if res.Code != code {
		t.Fatalf("want exit %d, got:\n%s", code, res)
	}
}

var nonName = regexp.MustCompile(`[^a-z0-9]+`)

// App returns a unique, valid app name for this test and destroys the app
// (if it exists then) when the test ends.
func App(t testing.TB) string {
	t.Helper()
	slug := nonName.ReplaceAllString(strings.ToLower(strings.TrimPrefix(t.Name(), "TestE2E")), "")
	if len(slug) > 12 {
		slug = slug[:12]
	}
	name := fmt.Sprintf("%s-%d-%s", RunPrefix, appCounter.Add(1), slug)
	t.Cleanup(func() { DestroyApp(t, name) })
	return name
}

// NewApp creates a unique app (destroyed when the test ends).
func NewApp(t testing.TB) string {
	t.Helper()
	name := App(t)
	MustDokku(t, "apps:create", name)
	return name
}

// DestroyApp removes an app if it exists.
func DestroyApp(t testing.TB, name string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(DokkuRoot, name)); err != nil {
		return
	}
	if res := Dokku(t, "--force", "apps:destroy", name); res.Code != 0 {
		t.Errorf("cleanup: destroying %s failed:\n%s", name, res)
	}
}

// BaseImage returns the tiny base image test apps are built FROM
// (dokku-test/busybox:latest), importing it once per run when missing.
func BaseImage(t testing.TB) string {
	t.Helper()
	return dokkutest.BaseImage(t)
}

// Eventually polls cond every 100ms until it returns true or the timeout
// passes; the test fails with what and cond's last detail.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, detail := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s: %s", timeout, what, detail)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ReadFile returns a file's content, failing the test when it is unreadable.
func ReadFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// AssertOwnerMode checks a file's owner, group and permission bits (the
// symlink itself is never followed for the final component).
func AssertOwnerMode(t testing.TB, path, owner, group string, perm os.FileMode) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	st := fi.Sys().(*syscall.Stat_t)
	gotOwner, gotGroup := strconv.Itoa(int(st.Uid)), strconv.Itoa(int(st.Gid))
	if u, err := user.LookupId(gotOwner); err == nil {
		gotOwner = u.Username
	}
	if g, err := user.LookupGroupId(gotGroup); err == nil {
		gotGroup = g.Name
	}
	if gotOwner != owner || gotGroup != group || fi.Mode().Perm() != perm {
		t.Errorf("%s: got %s:%s %#o, want %s:%s %#o", path, gotOwner, gotGroup, fi.Mode().Perm(), owner, group, perm)
	}
}

// SSHKey is a throw-away key pair for ssh access as dokku@127.0.0.1.
type SSHKey struct {
	Name        string // the NAME= of its authorized_keys line
	Private     string // private key file
	Public      string // public key line
	Fingerprint string // SHA256:...
}

// NewSSHKey generates an ed25519 key pair in a temp dir.
func NewSSHKey(t testing.TB) *SSHKey {
	t.Helper()
	dir := t.TempDir()
	k := &SSHKey{Name: fmt.Sprintf("%s-key-%d", RunPrefix, appCounter.Add(1)), Private: filepath.Join(dir, "id_ed25519")}
	if res := run(Opts{}, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", k.Name, "-f", k.Private); res.Code != 0 {
		t.Fatalf("ssh-keygen: %s", res)
	}
	k.Public = strings.TrimSpace(ReadFile(t, k.Private+".pub"))
	res := run(Opts{}, "ssh-keygen", "-l", "-E", "sha256", "-f", k.Private+".pub")
	if fields := strings.Fields(res.Stdout); res.Code == 0 && len(fields) > 1 {
		k.Fingerprint = fields[1]
	} else {
		t.Fatalf("ssh-keygen -l: %s", res)
	}
	return k
}

// AuthorizedKeysLine is the line sshcommand acl-add (ssh-keys:add) writes
// for this key (runtime.md §5.1).
func (k *SSHKey) AuthorizedKeysLine() string {
	return fmt.Sprintf(`command="FINGERPRINT=%s NAME=\"%s\" `+"`cat %s/.sshcommand`"+` $SSH_ORIGINAL_COMMAND",no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding %s`,
		k.Fingerprint, k.Name, DokkuRoot, k.Public)
}

// AuthorizeDirect appends the key's line to ~dokku/.ssh/authorized_keys
// without going through ssh-keys:add (so the ssh layer can be tested on its
// own), and removes it when the test ends.
func (k *SSHKey) AuthorizeDirect(t testing.TB) {
	t.Helper()
	path := filepath.Join(DokkuRoot, ".ssh", "authorized_keys")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteString(k.AuthorizedKeysLine() + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.removeLine(t, path) })
}

func (k *SSHKey) removeLine(t testing.TB, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("cleanup: %v", err)
		return
	}
	marker := ` NAME=\"` + k.Name + `\" `
	var kept []string
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if line != "" && !strings.Contains(line, marker) {
			kept = append(kept, line)
		}
	}
	// Truncate in place: the file keeps its owner and mode.
	if err := os.WriteFile(path, []byte(strings.Join(kept, "")), 0o600); err != nil {
		t.Errorf("cleanup: %v", err)
	}
}

// SSHArgs are the ssh client options for this key against the local sshd.
func (k *SSHKey) SSHArgs() []string {
	return []string{
		"-i", k.Private, "-p", SSHPort,
		"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10",
	}
}

// GitSSHCommand is a GIT_SSH_COMMAND value using this key.
func (k *SSHKey) GitSSHCommand() string { return "ssh " + strings.Join(k.SSHArgs(), " ") }

// SSH runs `ssh dokku@127.0.0.1 args...` with this key.
func (k *SSHKey) SSH(t testing.TB, o Opts, args ...string) *Result {
	t.Helper()
	argv := append(k.SSHArgs(), append([]string{DokkuUser + "@127.0.0.1"}, args...)...)
	return run(o, "ssh", argv...)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
