package sshd

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// testServer starts a server whose forced command is a shell script that
// prints its argv and the ssh variables, and exits with $EXIT_WITH.
func testServer(t *testing.T) (addr string, keys string, clientKey gossh.Signer, keyText string, dir string) {
	t.Helper()
	dir = t.TempDir()
	script := filepath.Join(dir, "fake-dokku")
	if err := os.WriteFile(script, []byte(`#!/bin/sh
echo "argv:$*"
echo "fp:$FINGERPRINT name:$NAME orig:$SSH_ORIGINAL_COMMAND"
echo "client:$SSH_CLIENT"
echo "home:$HOME user:$USER pwd:$(pwd) term:${TERM:-none}"
if [ "$1" = cat ]; then cat; fi
if [ "$1" = err ]; then echo to-stderr >&2; fi
if [ "$1" = tty ]; then if [ -t 0 ]; then echo is-a-tty; else echo no-tty; fi; fi
if [ "$1" = exit ]; then exit "$2"; fi
exit 0
`), 0o755); err != nil {
		t.Fatal(err)
	}
	sshcommand := filepath.Join(dir, ".sshcommand")
	os.WriteFile(sshcommand, []byte(script+"\n"), 0o644)
	signer, pub := newTestKey(t, "test")
	key, text, err := ParsePublicKey([]byte(pub))
	if err != nil {
		t.Fatal(err)
	}
	line, err := FormatLine(Fingerprint(key), "tester", sshcommand, "", text)
	if err != nil {
		t.Fatal(err)
	}
	keys = filepath.Join(dir, "authorized_keys")
	os.WriteFile(keys, []byte(line+"\n"), 0o600)
	host, err := LoadOrCreateHostKey(filepath.Join(dir, "host", "key"))
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{AuthorizedKeys: keys, User: "dokku", Home: dir, HostSigners: []gossh.Signer{host}, Env: []string{"PATH=" + os.Getenv("PATH")}}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe(ctx, "127.0.0.1:0", func(a net.Addr) { ready <- a }) }()
	select {
	case a := <-ready:
		addr = a.String()
	case err := <-errc:
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-errc:
		case <-time.After(5 * time.Second):
			t.Error("server did not stop")
		}
	})
	return addr, keys, signer, text, dir
}

func dial(t *testing.T, addr, user string, signer gossh.Signer) (*gossh.Client, error) {
	t.Helper()
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: user, Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second,
	})
}

func runSession(t *testing.T, c *gossh.Client, cmd, stdin string) (string, string, int) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out, errb bytes.Buffer
	s.Stdout, s.Stderr = &out, &errb
	s.Stdin = strings.NewReader(stdin)
	err = s.Run(cmd)
	code := 0
	var ee *gossh.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitStatus()
	} else if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return out.String(), errb.String(), code
}

func TestSSHServerForcedCommand(t *testing.T) {
	addr, _, signer, _, dir := testServer(t)
	c, err := dial(t, addr, "dokku", signer)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	out, _, code := runSession(t, c, "git-receive-pack 'app'", "")
	if code != 0 || !strings.Contains(out, "argv:git-receive-pack 'app'\n") ||
		!strings.Contains(out, "name:tester orig:git-receive-pack 'app'") || !strings.Contains(out, "fp:SHA256:") ||
		!strings.Contains(out, "client:127.0.0.1 ") || !strings.Contains(out, "home:"+dir+" user:dokku pwd:"+dir+" term:none") {
		t.Errorf("exec output:\n%s", out)
	}
	// No shell: separators and substitutions are plain words.
	out, _, _ = runSession(t, c, "id; echo $(id) `id`", "")
	if !strings.Contains(out, "argv:id; echo $(id) `id`\n") || strings.Contains(out, "uid=") {
		t.Errorf("shell syntax reached a shell:\n%s", out)
	}
	// stdin is streamed, stderr kept apart, exit codes returned.
	out, _, _ = runSession(t, c, "cat", "piped data\n")
	if !strings.HasSuffix(out, "piped data\n") {
		t.Errorf("stdin not streamed:\n%s", out)
	}
	_, errOut, _ := runSession(t, c, "err", "")
	if errOut != "to-stderr\n" {
		t.Errorf("stderr: %q", errOut)
	}
	if _, _, code := runSession(t, c, "exit 20", ""); code != 20 {
		t.Errorf("exit code %d", code)
	}
	// A shell request runs the forced command without a command.
	s, _ := c.NewSession()
	var buf bytes.Buffer
	s.Stdout = &buf
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	if !strings.Contains(buf.String(), "argv:\n") || !strings.Contains(buf.String(), "orig:\n") {
		t.Errorf("shell request:\n%s", buf.String())
	}
}

func TestSSHServerPTY(t *testing.T) {
	addr, _, signer, _, _ := testServer(t)
	c, err := dial(t, addr, "dokku", signer)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, _ := c.NewSession()
	defer s.Close()
	if err := s.RequestPty("xterm", 40, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s.Stdout = &out
	if err := s.Run("tty"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "is-a-tty") || !strings.Contains(out.String(), "term:xterm") {
		t.Errorf("pty session:\n%q", out.String())
	}
}

func TestSSHServerRefusals(t *testing.T) {
	addr, keys, signer, text, dir := testServer(t)
	if _, err := dial(t, addr, "root", signer); err == nil {
		t.Error("another user was accepted")
	}
	other, _ := newTestKey(t, "")
	if _, err := dial(t, addr, "dokku", other); err == nil {
		t.Error("an unknown key was accepted")
	}
	c, err := dial(t, addr, "dokku", signer)
	if err != nil {
		t.Fatal(err)
	}
	// Port forwarding, both directions, and agent forwarding are refused.
	if _, err := c.Dial("tcp", "127.0.0.1:22"); err == nil {
		t.Error("local port forwarding was allowed")
	}
	if _, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		t.Error("remote port forwarding was allowed")
	}
	s, _ := c.NewSession()
	if ok, err := s.SendRequest("auth-agent-req@openssh.com", true, nil); ok || err != nil {
		t.Errorf("agent forwarding request: ok=%v err=%v", ok, err)
	}
	if err := s.RequestSubsystem("sftp"); err == nil {
		t.Error("sftp subsystem was allowed")
	}
	s.Close()
	c.Close()

	// A key whose line is not a dokku forced command, or carries an option
	// the server cannot honour, is refused; removal takes effect at once.
	for _, line := range []string{
		text,
		`command="/bin/sh" ` + text,
		`from="10.0.0.1",` + strings.Replace(mustLine(t, text, dir), `command=`, `command=`, 1),
	} {
		os.WriteFile(keys, []byte(line+"\n"), 0o600)
		if c, err := dial(t, addr, "dokku", signer); err == nil {
			c.Close()
			t.Errorf("accepted with line %q", line)
		}
	}
}

func mustLine(t *testing.T, text, dir string) string {
	key, _, _ := ParsePublicKey([]byte(text))
	line, err := FormatLine(Fingerprint(key), "x", filepath.Join(dir, ".sshcommand"), "", text)
	if err != nil {
		t.Fatal(err)
	}
	return line
}
