package sshd

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	gliderssh "github.com/gliderlabs/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Server is the embedded ssh server. Clients log in as User with a key of
// AuthorizedKeys that carries the sshcommand forced command; that command
// is all they can run.
type Server struct {
	// AuthorizedKeys is the file read (afresh) at every authentication.
	AuthorizedKeys string
	// User is the account name clients must log in as (dokku).
	User string
	// Home is the working directory and $HOME of the forced command.
	Home string
	// Credential, when set, runs commands as that uid/gid (a server started
	// as root serving the dokku user).
	Credential *syscall.Credential
	// Env is the environment every command starts from (PATH, DOKKU_*...);
	// the ssh variables are added on top.
	Env []string
	// HostSigners are the host keys (at least one).
	HostSigners []gossh.Signer
	// Log receives one line per refused connection or failed command start.
	Log io.Writer
	// IdleTimeout closes connections idle that long (0: never).
	IdleTimeout time.Duration

	once sync.Once
	srv  *gliderssh.Server
}

// outputGrace is how long output is still relayed after the command exits.
const outputGrace = 2 * time.Second

type ctxKey struct{ name string }

var entryKey = &ctxKey{"dokku-entry"}

func (s *Server) logf(format string, args ...any) {
	if s.Log != nil {
		fmt.Fprintf(s.Log, "ssh-server: "+format+"\n", args...)
	}
}

func (s *Server) build() {
	s.once.Do(func() {
		s.srv = &gliderssh.Server{
			Handler:          s.handle,
			PublicKeyHandler: s.authorize,
			// Deny password and keyboard-interactive: keys only.
			PasswordHandler:            nil,
			KeyboardInteractiveHandler: nil,
			PtyCallback: func(ctx gliderssh.Context, _ gliderssh.Pty) bool {
				e, _ := ctx.Value(entryKey).(*Entry)
				return e != nil && !hasOption(e, "no-pty") && !(hasOption(e, "restrict") && !hasOption(e, "pty"))
			},
			SessionRequestCallback: func(sess gliderssh.Session, kind string) bool {
				return kind == "exec" || kind == "shell"
			},
			// No forwarding of any kind: only session channels exist and
			// no global request (tcpip-forward) is served.
			ChannelHandlers: map[string]gliderssh.ChannelHandler{"session": sessionWithoutAgent},
			RequestHandlers: map[string]gliderssh.RequestHandler{},
			IdleTimeout:     s.IdleTimeout,
			Version:         "dokku",
		}
		for _, h := range s.HostSigners {
			s.srv.AddHostKey(h)
		}
	})
}

// Serve accepts connections on l until Close.
func (s *Server) Serve(l net.Listener) error {
	if len(s.HostSigners) == 0 {
		return errors.New("ssh server: no host key")
	}
	s.build()
	err := s.srv.Serve(l)
	if errors.Is(err, gliderssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops the server and drops open connections.
func (s *Server) Close() error {
	s.build()
	return s.srv.Close()
}

// knownOptions are the authorized_keys options the server can honour; a key
// carrying anything else (from=, expiry-time=, environment=...) is refused
// rather than accepted with the option silently ignored.
var knownOptions = map[string]bool{
	"no-agent-forwarding": true, "no-user-rc": true, "no-x11-forwarding": true,
	"no-port-forwarding": true, "no-pty": true, "restrict": true, "pty": true,
	"user-rc": true, "agent-forwarding": true, "x11-forwarding": true, "port-forwarding": true,
}

func optionName(o string) string {
	name, _, _ := strings.Cut(o, "=")
	return strings.ToLower(name)
}

func hasOption(e *Entry, name string) bool {
	for _, o := range e.Options {
		if optionName(o) == name {
			return true
		}
	}
	return false
}

// authorize accepts a key when a dokku line of the authorized_keys file
// holds it.
func (s *Server) authorize(ctx gliderssh.Context, key gliderssh.PublicKey) bool {
	if ctx.User() != s.User {
		s.logf("refused user %q from %s", ctx.User(), ctx.RemoteAddr())
		return false
	}
	data, err := os.ReadFile(s.AuthorizedKeys)
	if err != nil {
		s.logf("reading %s: %v", s.AuthorizedKeys, err)
		return false
	}
	for _, e := range ParseAuthorizedKeys(data) {
		if e.Key == nil || !e.Dokku || !gliderssh.KeysEqual(e.Key, key) {
			continue
		}
		ok := true
		for _, o := range e.Options {
			if n := optionName(o); n != "command" && !knownOptions[n] {
				s.logf("refused key %s: unsupported option %q", e.Name, n)
				ok = false
			}
		}
		if !ok {
			continue
		}
		entry := e
		ctx.SetValue(entryKey, &entry)
		return true
	}
	return false
}

// sessionWithoutAgent is the default session handler with agent forwarding
// requests refused (the library would acknowledge them).
func sessionWithoutAgent(srv *gliderssh.Server, conn *gossh.ServerConn, newChan gossh.NewChannel, ctx gliderssh.Context) {
	gliderssh.DefaultSessionHandler(srv, conn, filteredChannel{newChan}, ctx)
}

type filteredChannel struct{ gossh.NewChannel }

func (f filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		for r := range reqs {
			switch r.Type {
			case "auth-agent-req@openssh.com", "x11-req":
				if r.WantReply {
					r.Reply(false, nil)
				}
				continue
			}
			out <- r
		}
	}()
	return ch, out, nil
}

// command resolves what the forced command runs: the words of the file
// named by `cat <file>` (the dokku binary) followed by the blank-split
// original command.
func (s *Server) command(e *Entry, raw string) ([]string, error) {
	b, err := os.ReadFile(e.SSHCommand)
	if err != nil {
		return nil, err
	}
	prog := strings.Fields(string(b))
	if len(prog) == 0 {
		return nil, fmt.Errorf("%s is empty", e.SSHCommand)
	}
	return append(prog, splitBlanks(raw)...), nil
}

// splitBlanks is the shell's field splitting of an unquoted expansion with
// the default IFS (no quote removal, no re-parsing).
func splitBlanks(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' })
}

// environ is what the command starts with: the server's base environment,
// the account's login variables, the client's LANG/LC_* and the ssh ones.
func (s *Server) environ(sess gliderssh.Session, e *Entry, raw string, term string) []string {
	env := map[string]string{}
	var order []string
	set := func(k, v string) {
		if _, ok := env[k]; !ok {
			order = append(order, k)
		}
		env[k] = v
	}
	for _, kv := range s.Env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			set(k, v)
		}
	}
	if _, ok := env["PATH"]; !ok {
		set("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/games")
	}
	set("USER", s.User)
	set("LOGNAME", s.User)
	set("HOME", s.Home)
	if _, ok := env["SHELL"]; !ok {
		set("SHELL", "/bin/bash")
	}
	for _, kv := range sess.Environ() {
		k, v, ok := strings.Cut(kv, "=")
		if ok && (k == "LANG" || strings.HasPrefix(k, "LC_")) {
			set(k, v)
		}
	}
	rhost, rport := splitAddr(sess.RemoteAddr())
	lhost, lport := splitAddr(sess.LocalAddr())
	set("SSH_CLIENT", rhost+" "+rport+" "+lport)
	set("SSH_CONNECTION", rhost+" "+rport+" "+lhost+" "+lport)
	if term != "" {
		set("TERM", term)
	}
	set("FINGERPRINT", e.Fingerprint)
	set("NAME", e.Name)
	if raw != "" {
		set("SSH_ORIGINAL_COMMAND", raw)
	} else {
		delete(env, "SSH_ORIGINAL_COMMAND")
	}
	out := make([]string, 0, len(order))
	for _, k := range order {
		if v, ok := env[k]; ok {
			out = append(out, k+"="+v)
		}
	}
	return out
}

func splitAddr(a net.Addr) (string, string) {
	if a == nil {
		return "", ""
	}
	h, p, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String(), ""
	}
	return h, p
}

// handle runs the forced command for an exec or shell request.
func (s *Server) handle(sess gliderssh.Session) {
	e, _ := sess.Context().Value(entryKey).(*Entry)
	if e == nil {
		sess.Exit(255)
		return
	}
	raw := sess.RawCommand()
	argv, err := s.command(e, raw)
	if err != nil {
		s.logf("forced command of %s: %v", e.Name, err)
		fmt.Fprintln(sess.Stderr(), "ssh-server: the forced command cannot run")
		sess.Exit(255)
		return
	}
	ptyReq, winch, isPty := sess.Pty()
	term := ""
	if isPty {
		term = ptyReq.Term
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = s.environ(sess, e, raw, term)
	cmd.Dir = s.Home
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.Credential}
	var code int
	if isPty {
		code = s.runPTY(sess, cmd, ptyReq, winch)
	} else {
		code = s.runPipes(sess, cmd)
	}
	sess.Exit(code)
}

// runPipes streams stdin/stdout/stderr over the channel.
func (s *Server) runPipes(sess gliderssh.Session, cmd *exec.Cmd) int {
	cmd.SysProcAttr.Setpgid = true
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return s.startFailed(sess, err)
	}
	cmd.Stdout = sess
	cmd.Stderr = sess.Stderr()
	// A daemon started by the command may keep its output open: the
	// session ends shortly after the command itself.
	cmd.WaitDelay = outputGrace
	if err := cmd.Start(); err != nil {
		return s.startFailed(sess, err)
	}
	// stdin is copied without holding up the end of the command: the client
	// may keep its side open after the command is done.
	go func() {
		io.Copy(stdin, sess)
		stdin.Close()
	}()
	stop := s.forwardSignals(sess, cmd, true)
	defer stop()
	return exitCode(cmd, cmd.Wait())
}

func (s *Server) startFailed(sess gliderssh.Session, err error) int {
	s.logf("starting the forced command: %v", err)
	fmt.Fprintln(sess.Stderr(), "ssh-server: the forced command cannot run")
	return 255
}

// forwardSignals relays the client's signal requests to the command and
// hangs it up when the connection goes away.
func (s *Server) forwardSignals(sess gliderssh.Session, cmd *exec.Cmd, group bool) func() {
	sigs := make(chan gliderssh.Signal, 4)
	sess.Signals(sigs)
	done := make(chan struct{})
	target := cmd.Process.Pid
	if group {
		target = -target
	}
	go func() {
		for {
			select {
			case <-done:
				return
			case sig := <-sigs:
				if n, ok := signalNumbers[sig]; ok {
					syscall.Kill(target, n)
				}
			case <-sess.Context().Done():
				syscall.Kill(target, syscall.SIGHUP)
				return
			}
		}
	}()
	return func() {
		close(done)
		sess.Signals(nil)
	}
}

var signalNumbers = map[gliderssh.Signal]syscall.Signal{
	gliderssh.SIGHUP: syscall.SIGHUP, gliderssh.SIGINT: syscall.SIGINT, gliderssh.SIGQUIT: syscall.SIGQUIT,
	gliderssh.SIGTERM: syscall.SIGTERM, gliderssh.SIGKILL: syscall.SIGKILL, gliderssh.SIGUSR1: syscall.SIGUSR1,
	gliderssh.SIGUSR2: syscall.SIGUSR2, gliderssh.SIGALRM: syscall.SIGALRM, gliderssh.SIGPIPE: syscall.SIGPIPE,
}

// exitCode maps a wait error to an ssh exit status (128+n for a signal, as
// a shell would report it).
func exitCode(cmd *exec.Cmd, err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, exec.ErrWaitDelay) && cmd.ProcessState != nil {
		return cmd.ProcessState.ExitCode()
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	return 255
}

// LoadOrCreateHostKey reads an OpenSSH private key, generating an ed25519
// one (0600) when the file does not exist.
func LoadOrCreateHostKey(path string) (gossh.Signer, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		_, priv, gerr := ed25519.GenerateKey(rand.Reader)
		if gerr != nil {
			return nil, gerr
		}
		block, merr := gossh.MarshalPrivateKey(priv, "dokku ssh-server host key")
		if merr != nil {
			return nil, merr
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		f, ferr := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if ferr != nil {
			if errors.Is(ferr, os.ErrExist) {
				return LoadOrCreateHostKey(path)
			}
			return nil, ferr
		}
		data = pem.EncodeToMemory(block)
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(path)
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	return gossh.ParsePrivateKey(data)
}

// ListenAndServe listens on addr and serves until ctx is done.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(net.Addr)) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(l.Addr())
	}
	go func() {
		<-ctx.Done()
		s.Close()
	}()
	return s.Serve(l)
}
