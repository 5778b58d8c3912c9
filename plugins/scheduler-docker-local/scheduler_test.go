package schedulerdockerlocal

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestSchedDeadRegistry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "dead-containers")
	if err := addDead(path, nil, deadEntry{"a", "c1", 100}, deadEntry{"b", "c2", 200}); err != nil {
		t.Fatal(err)
	}
	// an id keeps its first deadline; empty ids are ignored
	if err := addDead(path, nil, deadEntry{"a", "c1", 999}, deadEntry{"a", "", 1}, deadEntry{"a", "c3", 300}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != "a c1 100\nb c2 200\na c3 300\n" {
		t.Fatalf("registry %q", b)
	}
	entries, _ := readDead(path)
	if got := due(entries, "", 200); !reflect.DeepEqual(got, []deadEntry{{"a", "c1", 100}}) {
		t.Fatalf("due all at 200: %v", got)
	}
	if got := due(entries, "a", 1000); len(got) != 2 || got[0].ID != "c1" || got[1].ID != "c3" {
		t.Fatalf("due a: %v", got)
	}
	if err := removeDead(path, nil, map[string]bool{"c1": true, "c3": true}); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(path)
	if string(b) != "b c2 200\n" {
		t.Fatalf("after remove %q", b)
	}
	// malformed lines (hand edits) are dropped, missing file is empty
	os.WriteFile(path, []byte("junk\nx y notanumber\nc d 5\n"), 0o644)
	entries, _ = readDead(path)
	if !reflect.DeepEqual(entries, []deadEntry{{"c", "d", 5}}) {
		t.Fatalf("lenient read %v", entries)
	}
	if e, err := readDead(filepath.Join(t.TempDir(), "none")); err != nil || e != nil {
		t.Fatalf("missing: %v %v", e, err)
	}
	// concurrent registrations lose nothing
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			addDead(path, nil, deadEntry{"app", "id" + string(rune('a'+i)), int64(i)})
		}(i)
	}
	wg.Wait()
	entries, _ = readDead(path)
	if len(entries) != 21 {
		t.Fatalf("concurrent adds: %d entries", len(entries))
	}
}

func TestSchedResolveCommand(t *testing.T) {
	cases := []struct {
		name string
		in   commandInputs
		want []string
	}{
		{"herokuish default", commandInputs{ProcessType: "worker", Herokuish: true}, []string{"/start", "worker"}},
		{"herokuish start-cmd", commandInputs{ProcessType: "web", Herokuish: true, StartCmd: `bin/run "a b"`}, []string{"bin/run", "a b"}},
		{"cnb uses the Procfile", commandInputs{ProcessType: "web", Herokuish: true, CNB: true, ProcfileCmd: "./web -p $PORT", HasProcfileCmd: true}, []string{"./web", "-p", "5000"}},
		{"dockerfile start cmd wins", commandInputs{ProcessType: "web", DockerfileStartCmd: "npm start", ProcfileCmd: "x", HasProcfileCmd: true}, []string{"npm", "start"}},
		{"start-cmd ignored for dockerfile images", commandInputs{ProcessType: "web", StartCmd: "ignored"}, nil},
		{"procfile port", commandInputs{ProcessType: "web", ProcfileCmd: "python -m http.server ${PORT} --ps $PS", HasProcfileCmd: true, Port: 8080}, []string{"python", "-m", "http.server", "8080", "--ps", "web"}},
		{"config PORT wins", commandInputs{ProcessType: "web", ProcfileCmd: "srv $PORT", HasProcfileCmd: true, Port: 5000, ConfigPort: "3000"}, []string{"srv", "3000"}},
		{"other variables stay for the container shell", commandInputs{ProcessType: "web", ProcfileCmd: "srv --key $SECRET -p $PORT 'a b' $$", HasProcfileCmd: true}, []string{"/bin/sh", "-c", "srv --key ${SECRET} -p 5000 'a b' $$"}},
		{"image CMD", commandInputs{ProcessType: "web"}, nil},
	}
	for _, c := range cases {
		got, err := resolveCommand(c.in)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %q %v, want %q", c.name, got, err, c.want)
		}
	}
	if _, err := resolveCommand(commandInputs{DockerfileStartCmd: `run "unterminated`}); err == nil {
		t.Errorf("unterminated quote accepted")
	}
}

func TestSchedRunLimited(t *testing.T) {
	var running, peak atomic.Int32
	err := runLimited(8, 3, func(i int) error {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		running.Add(-1)
		return nil
	})
	if err != nil || peak.Load() != 3 {
		t.Fatalf("err %v peak %d", err, peak.Load())
	}
	// after a failure no new job starts
	var started atomic.Int32
	boom := errors.New("boom")
	err = runLimited(10, 1, func(i int) error {
		started.Add(1)
		if i == 2 {
			return boom
		}
		return nil
	})
	if err != boom || started.Load() != 3 {
		t.Fatalf("err %v started %d", err, started.Load())
	}
	if err := runLimited(0, 4, func(int) error { return boom }); err != nil {
		t.Fatalf("no jobs: %v", err)
	}
}

func TestSchedPublishes(t *testing.T) {
	for tokens, want := range map[string]bool{
		"-p|8080:5000":    true,
		"--publish=80:80": true,
		"-P":              true,
		"-p80:80":         true,
		"--pid=host":      false,
		"--env=A":         false,
	} {
		if got := publishes(splitBar(tokens)); got != want {
			t.Errorf("%s: %v", tokens, got)
		}
	}
}

func splitBar(s string) []string {
	var out []string
	cur := ""
	for _, r := range s {
		if r == '|' {
			out = append(out, cur)
			cur = ""
			continue
		}
		cur += string(r)
	}
	return append(out, cur)
}
