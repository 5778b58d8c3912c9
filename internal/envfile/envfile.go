package envfile

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/godokku/dokku/internal/atomicfile"
)

// KeyPattern is the rule every config key must satisfy.
var KeyPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`) })

// ValidKey returns an error naming the key when it is not an identifier.
func ValidKey(key string) error {
	if !KeyPattern().MatchString(key) {
		return fmt.Errorf("Invalid key name: '%s'", key)
	}
	return nil
}

// Read loads a file; a missing file is an empty map.
func Read(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	return Parse(string(b))
}

// Marshal renders m in the ENV format without the final newline.
func Marshal(m map[string]string) string {
	lines := make([]string, 0, len(m))
	for k, v := range m {
		lines = append(lines, Line(k, v))
	}
	// compat: godotenv sorts whole lines, not keys ("A=1" < "A_B=1").
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// Line renders one KEY=value line.
func Line(k, v string) string {
	if n, err := strconv.Atoi(v); err == nil && strconv.Itoa(n) == v {
		return k + "=" + v
	}
	return k + `="` + Escape(v) + `"`
}

// Escape backslash-escapes the characters godotenv escapes in double quotes.
func Escape(v string) string {
	var b strings.Builder
	b.Grow(len(v) + 8)
	for _, c := range v {
		switch c {
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '"':
			b.WriteString(`\"`)
		case '!':
			b.WriteString(`\!`)
		case '$':
			b.WriteString(`\$`)
		case '`':
			b.WriteString("\\`")
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// Write stores m at path atomically (0600), with the final newline.
func Write(path string, m map[string]string, own *atomicfile.Owner) error {
	return atomicfile.Write(path, []byte(Marshal(m)+"\n"), 0o600, own)
}

// SortedKeys returns the keys of m in byte order.
func SortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
