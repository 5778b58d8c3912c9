package procfile

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// DefaultPort is the port $PORT expands to when nothing else sets it.
const DefaultPort = 5000

// MaxNameLength bounds process type names (they end up in DNS-like labels).
const MaxNameLength = 63

// Entry is one process type.
type Entry struct {
	Name    string
	Command string
}

var (
	strictLine  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?):\s*(.+)$`) })
	lenientLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z0-9_-]+):\s*(.+)$`) })
	hashComment = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(.*)\s#.+$`) })
	slashComent = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(.*)\s//.+$`) })
)

// ErrNoEntries is returned for a Procfile without process types.
var ErrNoEntries = errors.New("no entries found in Procfile")

// Parse reads Procfile text. strict applies the DNS-label name rule.
func Parse(text string, strict bool) ([]Entry, error) {
	var entries []Entry
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "//") {
			continue
		}
		var name, cmd string
		if m := strictLine().FindStringSubmatch(line); m != nil {
			name, cmd = m[1], m[3]
		} else if m := lenientLine().FindStringSubmatch(line); m != nil {
			if strict {
				return nil, fmt.Errorf("process name contains invalid characters, line %d", n)
			}
			name, cmd = m[1], m[2]
		} else {
			return nil, fmt.Errorf("invalid line in procfile, line %d", n)
		}
		if len(name) > MaxNameLength {
			return nil, fmt.Errorf("process name over 63 characters, line %d", n)
		}
		if seen[name] {
			return nil, fmt.Errorf("process names must be unique, line %d", n)
		}
		seen[name] = true
		if m := hashComment().FindStringSubmatch(cmd); m != nil {
			cmd = m[1]
		} else if m := slashComent().FindStringSubmatch(cmd); m != nil {
			cmd = m[1]
		}
		cmd = strings.TrimSpace(cmd)
		if strings.HasPrefix(cmd, "#") || strings.HasPrefix(cmd, "//") {
			return nil, fmt.Errorf("comment specified in place of command, line %d", n)
		}
		if cmd == "" {
			return nil, fmt.Errorf("no command specified, line %d", n)
		}
		entries = append(entries, Entry{Name: name, Command: cmd})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, ErrNoEntries
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	return entries, nil
}

// ReadFile parses a Procfile on disk (lenient names, as Dokku checks them).
func ReadFile(path string) ([]Entry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(string(b), false)
}

// Find returns the entry named name.
func Find(entries []Entry, name string) (Entry, bool) {
	for _, e := range entries {
		if e.Name == name {
			return e, true
		}
	}
	return Entry{}, false
}

// Names lists the process types.
func Names(entries []Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Name
	}
	return out
}

// Expand substitutes $NAME and ${NAME} in cmd: env first, then PORT (port,
// DefaultPort when 0) and PS (the process type); unknown names become "".
func Expand(cmd, processType string, port int, env map[string]string) string {
	if port <= 0 {
		port = DefaultPort
	}
	return os.Expand(cmd, func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		switch k {
		case "PORT":
			return strconv.Itoa(port)
		case "PS":
			return processType
		}
		return ""
	})
}

// References lists the variable names cmd refers to, in order, without
// duplicates.
func References(cmd string) []string {
	var out []string
	seen := map[string]bool{}
	os.Expand(cmd, func(k string) string {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
		return ""
	})
	return out
}
