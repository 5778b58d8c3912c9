package healthcheck

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type fakeTarget struct {
	mu       sync.Mutex
	state    State
	stopAt   time.Time
	execOut  string
	execCode int
	execCmd  []string
}

func (f *fakeTarget) State(context.Context) (State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.state
	if !f.stopAt.IsZero() && time.Now().After(f.stopAt) {
		st.Running = false
		st.Status = "exited"
	}
	return st, nil
}

func (f *fakeTarget) Exec(_ context.Context, cmd []string) ([]byte, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.execCmd = cmd
	return []byte(f.execOut), f.execCode, nil
}

type memLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *memLog) Info(m string)  { l.add(m) }
func (l *memLog) Error(m string) { l.add("ERR " + m) }
func (l *memLog) add(m string) {
	l.mu.Lock()
	l.lines = append(l.lines, m)
	l.mu.Unlock()
}
func (l *memLog) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func running() *fakeTarget {
	return &fakeTarget{state: State{Running: true, Status: "running", StartedAt: time.Now(), Pid: 1}}
}

func serverAddr(t *testing.T, srv *httptest.Server) (string, int) {
	host, port, err := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return host, p
}

func TestHealthcheckPathSucceedsFast(t *testing.T) {
	var hits atomic.Int32
	var gotHost, gotProto string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		gotHost, gotProto = r.Host, r.Header.Get("X-Forwarded-Proto")
		if n < 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "hello ready world")
	}))
	defer srv.Close()
	ip, port := serverAddr(t, srv)
	log := &memLog{}
	checks := []Check{{Name: "ready", Path: "/health", Content: "ready", Attempts: 3, Wait: 1, Timeout: 2}}
	start := time.Now()
	res := Run(context.Background(), checks, running(), Options{IP: ip, Port: port, Logger: log,
		Headers: []Header{{"Host", "app.example.com"}, {"X-Forwarded-Proto", "https"}}})
	if Failed(res) != 0 || res[0].Err != nil {
		t.Fatalf("failed: %+v\n%s", res, log.text())
	}
	if d := time.Since(start); d > 1800*time.Millisecond {
		t.Fatalf("took %s, want about one wait", d)
	}
	if gotHost != "app.example.com" || gotProto != "https" {
		t.Fatalf("headers host=%q proto=%q", gotHost, gotProto)
	}
	want := "Running healthcheck name='ready' attempts=3 content='ready' path='/health' port=" + strconv.Itoa(port) + " retries=2 timeout=2 type='path' wait=1"
	if !strings.Contains(log.text(), want) || !strings.Contains(log.text(), "Healthcheck succeeded name='ready'") {
		t.Fatalf("log:\n%s", log.text())
	}
}

func TestHealthcheckPathFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			time.Sleep(2 * time.Second)
		}
		fmt.Fprint(w, "nothing here")
	}))
	defer srv.Close()
	ip, port := serverAddr(t, srv)
	log := &memLog{}
	checks := []Check{
		{Name: "content", Path: "/", Content: "needle", Attempts: 2, Wait: 1},
		{Name: "slow", Path: "/slow", Attempts: 1, Timeout: 1},
		{Name: "refused", Path: "/", Port: 1, Attempts: 1},
	}
	res := Run(context.Background(), checks, running(), Options{IP: ip, Port: port, Logger: log})
	if Failed(res) != 3 {
		t.Fatalf("failed = %d\n%s", Failed(res), log.text())
	}
	out := log.text()
	for _, want := range []string{
		"ERR Failure in name='content': unable to find expected content in response body: needle",
		"ERR Error for healthcheck name='content', output: nothing here",
		"ERR Failure in name='slow': request timed out after 1 seconds",
		"ERR Failure in name='refused':",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestHealthcheckUptime(t *testing.T) {
	tg := running()
	tg.state.StartedAt = time.Now().Add(-700 * time.Millisecond)
	start := time.Now()
	res := Run(context.Background(), []Check{{Name: "default", Uptime: 1}}, tg, Options{Poll: 20 * time.Millisecond})
	d := time.Since(start)
	if res[0].Err != nil || d < 200*time.Millisecond || d > 700*time.Millisecond {
		t.Fatalf("err=%v took %s", res[0].Err, d)
	}
	// a container that dies fails at once, not at the end of the uptime
	tg = running()
	tg.stopAt = time.Now().Add(100 * time.Millisecond)
	start = time.Now()
	res = Run(context.Background(), []Check{{Name: "default", Uptime: 10}}, tg, Options{Poll: 20 * time.Millisecond})
	if res[0].Err == nil || res[0].Err.Error() != "container state is not running" || time.Since(start) > 2*time.Second {
		t.Fatalf("err=%v took %s", res[0].Err, time.Since(start))
	}
	tg = running()
	tg.state.RestartCount = 2
	res = Run(context.Background(), []Check{{Uptime: 5}}, tg, Options{})
	if res[0].Err == nil || res[0].Err.Error() != "container has restarted 2 times" {
		t.Fatalf("err=%v", res[0].Err)
	}
}

func TestHealthcheckCommand(t *testing.T) {
	tg := running()
	tg.state.Entrypoint = []string{"/docker-entrypoint.sh"}
	tg.execCode = 3
	tg.execOut = "boom"
	res := Run(context.Background(), []Check{{Name: "cmd", Command: []string{"check", "--fast"}, Attempts: 1}}, tg, Options{})
	if res[0].Err == nil || res[0].Err.Error() != "non-zero exit code 3" || res[0].Output != "boom" {
		t.Fatalf("%+v", res[0])
	}
	if strings.Join(tg.execCmd, " ") != "/docker-entrypoint.sh check --fast" {
		t.Fatalf("cmd %v", tg.execCmd)
	}
	if got := ExecCommand([]string{"x"}, State{Herokuish: true}); strings.Join(got, " ") != "/exec x" {
		t.Fatalf("herokuish %v", got)
	}
	if got := ExecCommand([]string{"x"}, State{Entrypoint: []string{"/bin/sh", "-c"}, Shell: []string{"/bin/sh", "-c"}}); strings.Join(got, " ") != "x" {
		t.Fatalf("shell entrypoint %v", got)
	}
}

func TestHealthcheckValidate(t *testing.T) {
	c := Check{Name: "x", Path: "/", Uptime: 3}
	res := Run(context.Background(), []Check{c}, running(), Options{})
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "cannot contain both an http 'path' to check and an 'uptime' seconds value") {
		t.Fatalf("%v", res[0].Err)
	}
}

func TestHealthcheckListening(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "42", "net")
	os.MkdirAll(dir, 0o755)
	tcp := "  sl  local_address rem_address   st\n" +
		"   0: 0100007F:1F90 00000000:0000 0A\n" + // 127.0.0.1:8080
		"   1: 00000000:1388 00000000:0000 0A\n" // 0.0.0.0:5000
	tcp6 := "  sl  local_address rem_address st\n" +
		"   0: 00000000000000000000000000000000:0BB8 00000000000000000000000000000000:0000 0A\n" // :::3000
	os.WriteFile(filepath.Join(dir, "tcp"), []byte(tcp), 0o644)
	os.WriteFile(filepath.Join(dir, "tcp6"), []byte(tcp6), 0o644)
	tg := running()
	tg.state.Pid = 42
	opts := Options{ProcRoot: root, Port: 5000}
	for port, want := range map[int]string{
		5000: "",
		3000: "",
		8080: "container listening on expected port (8080) with unexpected IPv4 interface: expected=0.0.0.0 actual=127.0.0.1",
		9999: "container not listening on expected port (9999), listening on: 3000,5000,8080",
	} {
		res := Run(context.Background(), []Check{{Listening: true, Port: port, Attempts: 1}}, tg, opts)
		got := ""
		if res[0].Err != nil {
			got = res[0].Err.Error()
		}
		if got != want {
			t.Errorf("port %d: %q want %q", port, got, want)
		}
	}
}

func TestHealthcheckWarnDoesNotBlock(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	ip, port := serverAddr(t, srv)
	tg := running()
	tg.state.Pid = 999999 // no such process: the listening check keeps failing
	log := &memLog{}
	start := time.Now()
	res := Run(context.Background(), []Check{
		{Name: "web", Path: "/"},
		{Name: "port listening check", Listening: true, Warn: true, Attempts: 3, Wait: 5},
	}, tg, Options{IP: ip, Port: port, Logger: log})
	if Failed(res) != 0 || time.Since(start) > 2*time.Second {
		t.Fatalf("failed=%d took %s\n%s", Failed(res), time.Since(start), log.text())
	}
}
