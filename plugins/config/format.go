package config

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/godokku/dokku/internal/envfile"
	"github.com/godokku/dokku/internal/ui"
)

// Formats lists the config:export formats in the order help shows them.
var Formats = []string{"docker-args", "docker-args-keys", "envfile", "exports", "json", "json-list", "pack-keys", "pretty", "shell"}

// Export renders m in a config:export format, including the format's
// trailing separator (a newline, or a space for shell).
func Export(m map[string]string, format string) (string, error) {
	keys := envfile.SortedKeys(m)
	switch format {
	case "exports":
		return joinPairs(m, keys, "export ", "\n") + "\n", nil
	case "envfile":
		return envfile.Marshal(m) + "\n", nil
	case "docker-args":
		return joinPairs(m, keys, "--env=", " ") + "\n", nil
	case "docker-args-keys":
		return joinKeys(keys, "--env=") + "\n", nil
	case "pack-keys":
		return joinKeys(keys, "--env ") + "\n", nil
	case "shell":
		// compat: Dokku ends the shell format with a space, not a newline.
		return joinPairs(m, keys, "", " ") + " ", nil
	case "pretty":
		return Pretty("", m) + "\n", nil
	case "json":
		return jsonObject(m) + "\n", nil
	case "json-list":
		return jsonList(m, keys) + "\n", nil
	}
	return "", fmt.Errorf("Unknown export format: %v", format)
}

// Quote single-quotes v for a POSIX shell: ' becomes '\”.
func Quote(v string) string {
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

func joinPairs(m map[string]string, keys []string, prefix, sep string) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(prefix)
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(Quote(m[k]))
	}
	return b.String()
}

func joinKeys(keys []string, prefix string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = prefix + k
	}
	return strings.Join(parts, " ")
}

// Pretty columnises "KEY:" and value with every line prefixed (Dokku's
// prettyPrintEnvEntries: columnize, fields trimmed, no final newline).
func Pretty(prefix string, m map[string]string) string {
	keys := envfile.SortedKeys(m)
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = k + ":\x00" + m[k]
	}
	return ui.Columnize(lines, "\x00", "  ", prefix)
}

func jsonObject(m map[string]string) string {
	if m == nil {
		m = map[string]string{}
	}
	// encoding/json sorts map keys and escapes <, > and & like Dokku's output.
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return string(b)
}

func jsonList(m map[string]string, keys []string) string {
	// compat: Dokku marshals a nil slice for an empty environment: "null".
	var list []map[string]string
	for _, k := range keys {
		list = append(list, map[string]string{"name": k, "value": m[k]})
	}
	b, err := json.Marshal(list)
	if err != nil {
		return "[]"
	}
	return string(b)
}

// Bundle writes m as a tar stream: one regular file per key (sorted), named
// after the key, mode 0600, holding the value.
func Bundle(w io.Writer, m map[string]string) error {
	tw := tar.NewWriter(w)
	for _, k := range envfile.SortedKeys(m) {
		v := []byte(m[k])
		if err := tw.WriteHeader(&tar.Header{Name: k, Mode: 0o600, Size: int64(len(v))}); err != nil {
			return err
		}
		if _, err := tw.Write(v); err != nil {
			return err
		}
	}
	return tw.Close()
}
