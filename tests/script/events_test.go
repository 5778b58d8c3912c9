package script

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godokku/dokku/internal/dokkutest"
)

func eventsLogPath(r *dokkutest.Root) string { return r.Path("log", "events.log") }

func eventsRead(t *testing.T, r *dokkutest.Root) string {
	t.Helper()
	b, err := os.ReadFile(eventsLogPath(r))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEventsOnOffList(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	appsExpect(t, r.Run("events:list"), 0, "", " !     Events logger disabled\n")
	appsExpect(t, r.Run("events:on"), 0, "Enabling dokku events logger\n", "")
	b, err := os.ReadFile(filepath.Join(r.Home, ".dokkurc", "DOKKU_EVENTS"))
	if err != nil || string(b) != "export DOKKU_EVENTS=1\n" {
		t.Fatalf("switch file: %q %v", b, err)
	}
	res := r.Run("events:list")
	lines := strings.Split(strings.TrimSuffix(res.Stdout, "\n"), "\n")
	header := fmt.Sprintf("%-6s %-18s %-25s %-25s %-25s", "=====>", "Events currently logged", "", "", "")
	if res.Code != 0 || lines[0] != header {
		t.Fatalf("events:list: %s", res)
	}
	names := map[string]bool{}
	for _, l := range lines[1:] {
		name := strings.TrimSpace(l)
		if l != fmt.Sprintf("%-25s %-25s %-25s %-25s", name, "", "", "") {
			t.Fatalf("column layout of %q", l)
		}
		names[name] = true
	}
	for _, n := range []string{"post-create", "post-delete", "receive-app", "scheduler-deploy", "user-auth", "report"} {
		if !names[n] {
			t.Errorf("events:list lacks %s", n)
		}
	}
	if len(names) < 160 {
		t.Errorf("only %d logged triggers", len(names))
	}
	appsExpect(t, r.Run("--quiet", "events:list"), 0, strings.Join(lines[1:], "\n")+"\n", "")
	appsExpect(t, r.Run("events:off"), 0, "Disabling dokku events logger\n", "")
	appsExpect(t, r.Run("events:off"), 0, "Disabling dokku events logger\n", "")
	if _, err := os.Stat(filepath.Join(r.Home, ".dokkurc", "DOKKU_EVENTS")); !os.IsNotExist(err) {
		t.Fatal("events:off left the switch file")
	}
	appsExpect(t, r.Run("events:list"), 0, "", " !     Events logger disabled\n")
}

func TestEventsLogging(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	fi, err := os.Stat(eventsLogPath(r))
	if err != nil || fi.Mode().Perm() != 0o664 {
		t.Fatalf("events log after install: %v %v", fi, err)
	}
	r.MustRun("apps:create", "quiet-app")
	if got := eventsRead(t, r); got != "" {
		t.Fatalf("events logged while off: %q", got)
	}
	appsExpect(t, r.Run("events"), 0, "", "")

	r.MustRun("events:on")
	res := r.RunOpts(dokkutest.Opts{Env: []string{"NAME=admin", "FINGERPRINT=SHA256:abc"}}, "apps:create", "loud-app")
	if res.Code != 0 {
		t.Fatal(res)
	}
	log := eventsRead(t, r)
	line := regexp.MustCompile(`(?m)^[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d \S+ dokku-event\[(\d+)\]: INVOKED: post-create\( loud-app \) NAME=admin FINGERPRINT=SHA256:abc DOKKU_PID=(\d+)$`)
	m := line.FindStringSubmatch(log)
	if m == nil {
		t.Fatalf("no post-create event in:\n%s", log)
	}
	if m[2] == "" || m[1] == "" {
		t.Fatalf("pids: %v", m)
	}
	if !strings.Contains(log, "INVOKED: post-create( loud-app )") || strings.Count(log, "\n") < 1 {
		t.Fatal(log)
	}
	// `events` prints the log; only its last 100 lines.
	if out := r.MustRun("events").Stdout; out != log {
		t.Fatalf("events printed %q, log is %q", out, log)
	}
	f, err := os.OpenFile(eventsLogPath(r), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 150; i++ {
		fmt.Fprintf(f, "filler %d\n", i)
	}
	f.Close()
	out := r.MustRun("events").Stdout
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 100 || lines[0] != "filler 50" || lines[99] != "filler 149" {
		t.Fatalf("events tail: %d lines, first %q", len(lines), lines[0])
	}

	// Concurrent writers never interleave lines.
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r.Run("apps:exists", "nope"+strconv.Itoa(i))
			r.Run("apps:create", "par"+strconv.Itoa(i))
		}(i)
	}
	wg.Wait()
	for _, l := range strings.Split(strings.TrimSuffix(eventsRead(t, r), "\n"), "\n") {
		if !strings.HasPrefix(l, "filler") && !regexp.MustCompile(`^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ dokku-event\[\d+\]: INVOKED: [a-z-]+\( .* \) NAME=\S* FINGERPRINT=\S* DOKKU_PID=\d+$`).MatchString(l) {
			t.Fatalf("malformed line %q", l)
		}
	}

	r.MustRun("events:off")
	before := eventsRead(t, r)
	r.MustRun("apps:create", "quiet-again")
	if eventsRead(t, r) != before {
		t.Fatal("events logged after events:off")
	}
}

func TestEventsFollow(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	os.WriteFile(eventsLogPath(r), []byte("one\ntwo\n"), 0o664)
	cmd := exec.Command(r.Bin, "events", "-t")
	cmd.Env = r.Env
	var out bytes.Buffer
	var mu sync.Mutex
	cmd.Stdout = writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return out.Write(p) })
	// Its own process group: without the fast path the follower is a child
	// process of the dispatcher, and both must go.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() }()
	waitFor := func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			mu.Lock()
			got := out.String()
			mu.Unlock()
			if got == want {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("followed output %q, want %q", out.String(), want)
	}
	waitFor("one\ntwo\n")
	f, _ := os.OpenFile(eventsLogPath(r), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("three\n")
	f.Close()
	waitFor("one\ntwo\nthree\n")
	// Rotation: a new file under the same name is followed from its start.
	os.Rename(eventsLogPath(r), eventsLogPath(r)+".1")
	os.WriteFile(eventsLogPath(r), []byte("four\n"), 0o664)
	waitFor("one\ntwo\nthree\nfour\n")
}

type writerFunc func([]byte) (int, error)

func (w writerFunc) Write(p []byte) (int, error) { return w(p) }

func TestEventsSyslogAndRsyslog(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	// With rsyslog installed, install writes its rule and a logrotate policy.
	for _, d := range []string{"etc/rsyslog.d", "etc/logrotate.d"} {
		os.MkdirAll(filepath.Join(r.Sys, d), 0o755)
	}
	r.MustRun("plugin:install", "--core")
	appsIsolate(t, r)
	rule, err := os.ReadFile(filepath.Join(r.Sys, "etc/rsyslog.d/99-dokku.conf"))
	if err != nil || string(rule) != ":syslogtag, contains, \"dokku-event\" "+eventsLogPath(r)+"\n" {
		t.Fatalf("rsyslog rule %q %v", rule, err)
	}
	rotate, err := os.ReadFile(filepath.Join(r.Sys, "etc/logrotate.d/dokku"))
	if err != nil || !strings.HasPrefix(string(rotate), r.Path("log")+"/*.log {\n") {
		t.Fatalf("logrotate %q %v", rotate, err)
	}

	// A syslog socket receives the record too.
	os.MkdirAll(filepath.Join(r.Sys, "dev"), 0o755)
	sock := filepath.Join(r.Sys, "dev", "log")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatalf("unixgram socket: %v", err)
	}
	defer conn.Close()
	// Drain the socket as syslog would, collecting what arrives.
	var mu sync.Mutex
	var got []string
	go func() {
		buf := make([]byte, 8192)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			mu.Lock()
			got = append(got, string(buf[:n]))
			mu.Unlock()
		}
	}()
	r.MustRun("events:on")
	r.MustRun("apps:create", "socky")
	want := regexp.MustCompile(`^<13>\w{3} [ \d]\d \d\d:\d\d:\d\d dokku-event\[\d+\]: INVOKED: post-create\( socky \) NAME= FINGERPRINT= DOKKU_PID=\d+$`)
	deadline := time.Now().Add(5 * time.Second)
	for found := false; !found; {
		mu.Lock()
		for _, m := range got {
			found = found || want.MatchString(m)
		}
		mu.Unlock()
		if !found && time.Now().After(deadline) {
			t.Fatalf("no post-create datagram among %d", len(got))
		}
		time.Sleep(10 * time.Millisecond)
	}
	// rsyslog is not running (no pid file): the file is written directly.
	if !strings.Contains(eventsRead(t, r), "INVOKED: post-create( socky )") {
		t.Fatal("direct write missing")
	}
	// rsyslog running with our rule: it writes the file, we do not.
	os.MkdirAll(filepath.Join(r.Sys, "run"), 0o755)
	os.WriteFile(filepath.Join(r.Sys, "run", "rsyslogd.pid"), []byte("1\n"), 0o644)
	r.MustRun("apps:create", "via-rsyslog")
	if strings.Contains(eventsRead(t, r), "via-rsyslog") {
		t.Fatal("line written twice (file and rsyslog)")
	}
}

func TestEventsHelp(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	want := "Usage: dokku events[:COMMAND]\n\nManage event logging\n\nAdditional commands:\n" +
		"    events [-t]   Show the last events (-t follows)\n" +
		"    events:list   List logged events\n" +
		"    events:off    Disable events logger\n" +
		"    events:on     Enable events logger\n"
	appsExpect(t, r.Run("events:help"), 0, want, "")
	if !regexp.MustCompile(`(?m)^    events +Manage event logging$`).MatchString(r.Run("help").Stdout) {
		t.Fatal("dokku help lacks events")
	}
	all := r.Run("help", "--all").Stdout
	if !regexp.MustCompile(`(?m)^    events \[-t\] +Show the last events \(-t follows\)$`).MatchString(all) {
		t.Fatalf("help --all: %s", all)
	}
}
