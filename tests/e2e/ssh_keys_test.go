//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSSHKeysThroughOpenSSH: a key added with ssh-keys:add reaches dokku
// through the real sshd and its forced command only; ssh-keys:remove
// revokes it at once.
func TestSSHKeysThroughOpenSSH(t *testing.T) {
	k := NewSSHKey(t)
	res := MustDokku(t, "ssh-keys:add", k.Name, k.Private+".pub")
	if strings.TrimSpace(res.Stdout) != k.Fingerprint {
		t.Errorf("ssh-keys:add printed %q, want %s", res.Stdout, k.Fingerprint)
	}
	t.Cleanup(func() { Dokku(t, "ssh-keys:remove", k.Name) })
	keys := filepath.Join(DokkuRoot, ".ssh", "authorized_keys")
	if !strings.Contains(ReadFile(t, keys), k.AuthorizedKeysLine()+"\n") {
		t.Errorf("authorized_keys lacks the sshcommand line:\n%s\nwant %s", ReadFile(t, keys), k.AuthorizedKeysLine())
	}
	AssertOwnerMode(t, keys, DokkuUser, DokkuGroup, 0o600)
	list := MustDokku(t, "ssh-keys:list", k.Name).Stdout
	if list != k.Fingerprint+` NAME="`+k.Name+`" SSHCOMMAND_ALLOWED_KEYS="no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding"`+"\n" {
		t.Errorf("ssh-keys:list: %q", list)
	}

	app := NewApp(t)
	if res := k.SSH(t, Opts{}, "apps:list"); res.Code != 0 || !strings.Contains(res.Stdout, app+"\n") {
		t.Fatalf("ssh apps:list:\n%s", res)
	}
	// The ssh name reaches the dispatcher (user-auth sees NAME).
	if res := k.SSH(t, Opts{}, "version"); res.Stdout != "dokku version "+DokkuVersion+"\n" {
		t.Errorf("ssh version:\n%s", res)
	}
	// No shell, no port forwarding, no agent forwarding, no root-only commands.
	if res := k.SSH(t, Opts{}, "id; echo shell"); res.Code == 0 || strings.Contains(res.Stdout, "uid=") {
		t.Errorf("a shell command ran:\n%s", res)
	}
	args := append(k.SSHArgs(), "-o", "ExitOnForwardFailure=yes", "-L", "127.0.0.1:0:127.0.0.1:22", DokkuUser+"@127.0.0.1", "version")
	if res := Run(t, Opts{}, "ssh", args...); res.Code == 0 {
		t.Errorf("local port forwarding was allowed:\n%s", res)
	}
	if res := k.SSH(t, Opts{}, "ssh-keys:add", "sneaky"); res.Code == 0 || !strings.Contains(res.Stderr, "This command must be run as root") {
		t.Errorf("ssh-keys:add over ssh:\n%s", res)
	}

	MustDokku(t, "ssh-keys:remove", k.Name)
	if res := k.SSH(t, Opts{}, "version"); res.Code == 0 {
		t.Errorf("a removed key still works:\n%s", res)
	}
	if res := Dokku(t, "ssh-keys:remove", k.Name); res.Code == 0 {
		t.Errorf("removing a missing key succeeded:\n%s", res)
	}
}

// TestSSHKeysDuplicates: a second key with the same name, or the same key
// under another name, is refused.
func TestSSHKeysDuplicates(t *testing.T) {
	a, b := NewSSHKey(t), NewSSHKey(t)
	MustDokku(t, "ssh-keys:add", a.Name, a.Private+".pub")
	t.Cleanup(func() { Dokku(t, "ssh-keys:remove", a.Name) })
	res := Dokku(t, "ssh-keys:add", a.Name, b.Private+".pub")
	if res.Code != 1 || res.Stderr != " !     Duplicate ssh key name\n" {
		t.Errorf("duplicate name:\n%s", res)
	}
	res = DokkuWith(t, Opts{Stdin: a.Public + "\n"}, "ssh-keys:add", b.Name)
	if res.Code != 1 || res.Stderr != " !     Duplicate ssh public key specified\n" {
		t.Errorf("duplicate key:\n%s", res)
	}
}

// TestSSHEmbeddedServer: the opt-in `dokku ssh-server` serves the same
// keys with the same forced-command semantics, git push included.
func TestSSHEmbeddedServer(t *testing.T) {
	k := pushKey(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, DokkuBin, "ssh-server", "--listen", addr)
	cmd.Env = loginEnv(false)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if regexp.MustCompile(`^-----> Listening on `).MatchString(sc.Text()) {
				ready <- true
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("ssh-server did not start")
	}
	_, port, _ := net.SplitHostPort(addr)
	sshArgs := func(words ...string) []string {
		args := []string{"-i", k.Private, "-p", port, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
			"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
			DokkuUser + "@127.0.0.1"}
		return append(args, words...)
	}
	app := NewApp(t)
	if res := Run(t, Opts{}, "ssh", sshArgs("apps:list")...); res.Code != 0 || !strings.Contains(res.Stdout, app+"\n") {
		t.Fatalf("apps:list through the embedded server:\n%s", res)
	}
	if res := Run(t, Opts{}, "ssh", sshArgs("apps:exists", RunPrefix+"-none")...); res.Code != 20 {
		t.Errorf("exit codes are not relayed:\n%s", res)
	}
	if res := Run(t, Opts{}, "ssh", sshArgs("id;", "echo", "shell")...); strings.Contains(res.Stdout, "uid=") {
		t.Errorf("a shell command ran:\n%s", res)
	}
	// A git push through it deploys.
	src := pushSource(t, k, "embedded\n")
	gitSSH := "ssh -i " + k.Private + " -p " + port + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
	res := Run(t, Opts{Dir: src, Env: []string{"GIT_SSH_COMMAND=" + gitSSH}}, "git", "push", pushRemote(app), "master")
	if res.Code != 0 || !strings.Contains(res.Stderr, "Application deployed:") {
		t.Fatalf("push through the embedded server:\n%s", res)
	}
	if _, err := os.Stat(filepath.Join(DokkuRoot, app, "CONTAINER.web.1")); err != nil {
		t.Errorf("no web container after the push: %v", err)
	}
}
