package events

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
)

func eventsContext(t *testing.T, vars map[string]string) (*plugin.Context, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	m := map[string]string{
		"DOKKU_ROOT":           filepath.Join(dir, "home"),
		"DOKKU_LOGS_DIR":       filepath.Join(dir, "log"),
		"DOKKU_EVENTS_LOGFILE": filepath.Join(dir, "log", "events.log"),
		"DOKKU_SYSTEM_ROOT":    filepath.Join(dir, "sys"),
		"DOKKU_SYSTEM_GROUP":   "nobody-here",
		"DOKKU_PID":            "4242",
	}
	for k, v := range vars {
		m[k] = v
	}
	var out bytes.Buffer
	ctx := plugin.NewContext(env.FromMap(m), nil).WithIO(strings.NewReader(""), &out, &bytes.Buffer{})
	return ctx, &out
}

func TestEventsMessage(t *testing.T) {
	ctx, _ := eventsContext(t, map[string]string{"NAME": "admin", "FINGERPRINT": "SHA256:x"})
	if got := message(ctx, "post-deploy", []string{"app", "5000", "", "latest"}); got != "INVOKED: post-deploy( app 5000  latest ) NAME=admin FINGERPRINT=SHA256:x DOKKU_PID=4242" {
		t.Fatalf("message = %q", got)
	}
	if got := message(ctx, "install", nil); got != "INVOKED: install(  ) NAME=admin FINGERPRINT=SHA256:x DOKKU_PID=4242" {
		t.Fatalf("message = %q", got)
	}
}

func TestEventsLoggerOffIsSilent(t *testing.T) {
	ctx, _ := eventsContext(t, nil)
	os.MkdirAll(ctx.Env.LogsDir(), 0o755)
	if err := logger("post-create")(ctx, []string{"x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ctx.Env.Get("DOKKU_EVENTS_LOGFILE")); !os.IsNotExist(err) {
		t.Fatal("logger wrote while DOKKU_EVENTS is unset")
	}
}

func TestEventsLoggerWritesLines(t *testing.T) {
	ctx, _ := eventsContext(t, map[string]string{"DOKKU_EVENTS": "1"})
	os.MkdirAll(ctx.Env.LogsDir(), 0o755)
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			logger("post-create")(ctx, []string{fmt.Sprintf("app%d", i), "multi\nline"})
		}(i)
	}
	wg.Wait()
	b, err := os.ReadFile(ctx.Env.Get("DOKKU_EVENTS_LOGFILE"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	re := regexp.MustCompile(`^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ dokku-event\[\d+\]: INVOKED: post-create\( app\d+ multi line \) NAME= FINGERPRINT= DOKKU_PID=4242$`)
	if len(lines) != 50 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		if !re.MatchString(l) {
			t.Fatalf("malformed %q", l)
		}
	}
	if fi, _ := os.Stat(ctx.Env.Get("DOKKU_EVENTS_LOGFILE")); fi.Mode().Perm() != 0o664 {
		t.Fatalf("mode %v", fi.Mode())
	}
}

func TestEventsLoggerWithoutLogDir(t *testing.T) {
	ctx, _ := eventsContext(t, map[string]string{"DOKKU_EVENTS": "1"})
	if err := logger("post-create")(ctx, []string{"x"}); err != nil {
		t.Fatal(err)
	}
}

func TestEventsTail(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct {
		content string
		n       int
		want    string
	}{
		"empty":      {"", 3, ""},
		"fewer":      {"a\nb\n", 3, "a\nb\n"},
		"exact":      {"a\nb\nc\n", 3, "a\nb\nc\n"},
		"more":       {"a\nb\nc\nd\n", 2, "c\nd\n"},
		"no newline": {"a\nb\nc", 2, "b\nc"},
		"blank":      {"a\n\n\n", 2, "\n\n"},
		"big":        {strings.Repeat("x", 200000) + "\n" + strings.Repeat("y\n", 5), 3, "y\ny\ny\n"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		os.WriteFile(path, []byte(tc.content), 0o644)
		var out bytes.Buffer
		if err := tail(&out, path, tc.n); err != nil || out.String() != tc.want {
			t.Errorf("%s: %q %v, want %q", name, out.String(), err, tc.want)
		}
	}
}

func TestEventsFollowStops(t *testing.T) {
	ctx, out := eventsContext(t, nil)
	path := filepath.Join(t.TempDir(), "f.log")
	os.WriteFile(path, []byte("1\n2\n3\n"), 0o644)
	stop := make(chan struct{})
	done := make(chan error)
	var mu sync.Mutex
	ctx = ctx.WithIO(nil, lockedWriter{&mu, out}, nil)
	go func() { done <- follow(ctx, path, 2, stop) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		got := out.String()
		mu.Unlock()
		if got == "2\n3\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("followed %q", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestEventsInstallWithoutRsyslog(t *testing.T) {
	ctx, _ := eventsContext(t, nil)
	if err := triggerInstall(ctx, nil); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(ctx.Env.LogsDir())
	if err != nil || fi.Mode().Perm() != 0o775 {
		t.Fatalf("logs dir %v %v", fi, err)
	}
	if fi, err := os.Stat(ctx.Env.Get("DOKKU_EVENTS_LOGFILE")); err != nil || fi.Mode().Perm() != 0o664 {
		t.Fatalf("log file %v %v", fi, err)
	}
	if _, err := os.Stat(ctx.Env.SystemPath(rsyslogRule)); !os.IsNotExist(err) {
		t.Fatal("rsyslog rule written without rsyslog")
	}
}

func TestEventsTriggerList(t *testing.T) {
	seen := map[string]bool{}
	for _, n := range loggedTriggers {
		if seen[n] || n == "install" || n == "commands" || !regexp.MustCompile(`^[a-z0-9-]+$`).MatchString(n) {
			t.Fatalf("bad trigger name %q", n)
		}
		seen[n] = true
	}
	p := Plugin()
	if len(p.Triggers) != len(loggedTriggers)+1 || p.Triggers["install"] == nil {
		t.Fatalf("%d triggers registered", len(p.Triggers))
	}
}
