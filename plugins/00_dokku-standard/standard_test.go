package standard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStandardMeminfo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meminfo")
	os.WriteFile(path, []byte("MemTotal:       24683520 kB\nMemFree:        24122368 kB\nHugePages_Total:       0\nbogus line\n"), 0o644)
	m, err := meminfo(path)
	if err != nil || m["MemTotal"] != 24683520 || m["MemFree"] != 24122368 || m["HugePages_Total"] != 0 {
		t.Fatalf("meminfo = %v %v", m, err)
	}
}

func TestStandardMemoryLayout(t *testing.T) {
	lines := memory()
	if len(lines) != 3 {
		t.Fatalf("memory() = %q", lines)
	}
	if lines[0] != "               total        used        free      shared  buff/cache   available" {
		t.Fatalf("header %q", lines[0])
	}
	if !strings.HasPrefix(lines[1], "Mem:    ") || !strings.HasPrefix(lines[2], "Swap:   ") || len(lines[1]) != 8+6*12 {
		t.Fatalf("rows %q", lines[1:])
	}
}

func TestStandardHuman(t *testing.T) {
	for in, want := range map[uint64]string{0: "0B", 1023: "1023B", 1024: "1.0K", 15 << 20: "15M", 252 << 30: "252G"} {
		if got := human(in); got != want {
			t.Errorf("human(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestStandardUname(t *testing.T) {
	if u := uname(); !strings.HasSuffix(u, " GNU/Linux") || len(strings.Fields(u)) < 6 {
		t.Fatalf("uname = %q", u)
	}
}
