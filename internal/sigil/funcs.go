package sigil

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"unicode"
)

// NamedReader is a stream handed between functions (stdin, httpget) that
// the text functions read to the end.
type NamedReader struct {
	io.Reader
	Name string
}

// str converts a function input to a string the way sigil.String does:
// strings, streams (read fully) and Stringers.
func str(in interface{}) (string, bool) {
	switch v := in.(type) {
	case string:
		return v, true
	case NamedReader:
		data, err := io.ReadAll(v)
		if err != nil {
			return "", false
		}
		return string(data), true
	case *NamedReader:
		data, err := io.ReadAll(v)
		if err != nil {
			return "", false
		}
		return string(data), true
	case fmt.Stringer:
		return v.String(), true
	case []byte:
		return string(v), true
	default:
		return "", false
	}
}

// list converts a slice argument to []interface{}.
func list(in interface{}) ([]interface{}, bool) {
	switch v := in.(type) {
	case nil:
		return nil, true
	case []interface{}:
		return v, true
	case []string:
		out := make([]interface{}, len(v))
		for i, s := range v {
			out[i] = s
		}
		return out, true
	}
	rv := reflect.ValueOf(in)
	if rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array {
		out := make([]interface{}, rv.Len())
		for i := range out {
			out[i] = rv.Index(i).Interface()
		}
		return out, true
	}
	return nil, false
}

func (r *renderer) funcs(env map[string]string) template.FuncMap {
	return template.FuncMap{
		// templating
		"include": func(name string, args ...interface{}) (interface{}, error) { return r.include(env, name, args) },
		"default": fnDefault,
		"var":     func(name string) interface{} { return env[name] },
		"render":  func(args ...interface{}) (interface{}, error) { return r.renderFn(env, args) },
		// strings
		"capitalize": fnString("capitalize", capitalize),
		"lower":      fnString("lower", strings.ToLower),
		"upper":      fnString("upper", strings.ToUpper),
		"trim":       fnString("trim", func(s string) string { return strings.Trim(s, " \n") }),
		"replace":    fnReplace,
		"indent":     fnIndent,
		"match":      fnMatch,
		"substr":     fnSubstr,
		"stdin":      func() (interface{}, error) { return NamedReader{Reader: r.stdin, Name: "<stdin>"}, nil },
		"base64enc":  fnString("base64enc", func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }),
		"base64dec":  fnBase64Dec,
		// filesystem
		"file":   func(in interface{}) (interface{}, error) { b, err := r.read(in); return string(b), err },
		"text":   func(in interface{}) (interface{}, error) { b, err := r.read(in); return string(b), err },
		"exists": r.exists,
		"dir": func(in interface{}) ([]interface{}, error) {
			return r.dir("dir", in, func(os.DirEntry) bool { return true })
		},
		"dirs": func(in interface{}) ([]interface{}, error) { return r.dir("dirs", in, os.DirEntry.IsDir) },
		"files": func(in interface{}) ([]interface{}, error) {
			return r.dir("files", in, func(e os.DirEntry) bool { return !e.IsDir() })
		},
		// external
		"sh":      func(in interface{}) (interface{}, error) { return r.sh(env, in) },
		"httpget": r.httpget,
		// structured data
		"pointer":    fnPointer,
		"json":       r.jsonFn,
		"tojson":     fnToJSON,
		"yaml":       r.yamlFn,
		"toyaml":     fnToYAML,
		"yamltojson": fnYAMLToJSON,
		"uniq":       fnUniq,
		"drop":       fnDrop,
		"append":     fnAppend,
		"seq":        fnSeq,
		"join":       fnJoin,
		"joinkv":     fnJoinKV,
		"split":      fnSplit,
		"splitkv":    fnSplitKV,
	}
}

func fnString(name string, f func(string) string) func(interface{}) (interface{}, error) {
	return func(in interface{}) (interface{}, error) {
		s, ok := str(in)
		if !ok {
			return "", fmt.Errorf("%s must be given a string", name)
		}
		return f(s), nil
	}
}

// capitalize upper-cases the first letter of every word (strings.Title).
func capitalize(s string) string {
	var b strings.Builder
	prev := ' '
	for _, c := range s {
		if isSeparator(prev) {
			b.WriteRune(unicode.ToTitle(c))
		} else {
			b.WriteRune(c)
		}
		prev = c
	}
	return b.String()
}

func isSeparator(r rune) bool {
	if r <= 0x7F {
		switch {
		case '0' <= r && r <= '9', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', r == '_':
			return false
		}
		return true
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return false
	}
	return unicode.IsSpace(r)
}

func fnDefault(value, in interface{}) interface{} {
	if in == nil {
		return value
	}
	rv := reflect.ValueOf(in)
	if rv.IsZero() {
		return value
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Map:
		if rv.Len() == 0 {
			return value
		}
	}
	return in
}

func fnReplace(old, new string, in interface{}) (interface{}, error) {
	s, ok := str(in)
	if !ok {
		return "", fmt.Errorf("replace must be given a string")
	}
	return strings.ReplaceAll(s, old, new), nil
}

func fnIndent(indent string, in interface{}) (interface{}, error) {
	s, ok := str(in)
	if !ok {
		return "", fmt.Errorf("indent must be given a string")
	}
	lines := strings.Split(s, "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i] != "" {
			lines[i] = indent + lines[i]
		}
	}
	return strings.Join(lines, "\n"), nil
}

func fnMatch(pattern string, in interface{}) (bool, error) {
	s, ok := str(in)
	if !ok {
		return false, fmt.Errorf("match must be given a string")
	}
	return path.Match(pattern, s)
}

// fnSubstr is substr "start:end": a byte slice of the string; an empty or
// invalid start means 0.
func fnSubstr(slice string, in interface{}) (interface{}, error) {
	s, ok := str(in)
	if !ok {
		return nil, fmt.Errorf("substr must be given a string")
	}
	a, b, found := strings.Cut(slice, ":")
	if !found {
		return nil, fmt.Errorf("substr needs slice expression as 'start:end' ")
	}
	start, err := strconv.Atoi(a)
	if err != nil {
		start = 0
	}
	end, err := strconv.Atoi(b)
	if err != nil {
		return nil, fmt.Errorf("substr needs slice expression as 'start:end' ")
	}
	if start < 0 || end > len(s) || start > end {
		return nil, fmt.Errorf("substr slice [%d:%d] out of range for a string of length %d", start, end, len(s))
	}
	return s[start:end], nil
}

func fnBase64Dec(in interface{}) (interface{}, error) {
	s, ok := str(in)
	if !ok {
		return "", fmt.Errorf("base64dec must be given a string")
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// read returns the content of a stream or of a file looked up by path.
func (r *renderer) read(in interface{}) ([]byte, error) {
	switch v := in.(type) {
	case NamedReader:
		return io.ReadAll(v)
	case *NamedReader:
		return io.ReadAll(v)
	}
	p, ok := str(in)
	if !ok {
		return nil, fmt.Errorf("file must be stream or path string")
	}
	full, err := r.lookPath(p)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(full)
}

// readDoc is read for json/yaml: a string that is not a path but looks like
// a document is the document itself.
func (r *renderer) readDoc(in interface{}, looksLike func(string) bool) ([]byte, error) {
	data, err := r.read(in)
	if err == nil {
		return data, nil
	}
	if s, ok := in.(string); ok && looksLike(s) {
		return []byte(s), nil
	}
	return nil, err
}

func (r *renderer) exists(in interface{}) (bool, error) {
	p, ok := str(in)
	if !ok {
		return false, fmt.Errorf("exists must be given a string")
	}
	_, err := r.lookPath(p)
	return err == nil, nil
}

func (r *renderer) dir(name string, in interface{}, keep func(os.DirEntry) bool) ([]interface{}, error) {
	p, ok := str(in)
	if !ok {
		return nil, fmt.Errorf("%s must be given a string", name)
	}
	ents, err := os.ReadDir(r.resolveDir(p))
	if err != nil {
		return nil, err
	}
	var out []interface{}
	for _, e := range ents {
		if keep(e) {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// include renders another template file with extra variables; the caller's
// environment (with its variables) stays visible through var.
func (r *renderer) include(env map[string]string, name string, args []interface{}) (interface{}, error) {
	full, err := r.lookPath(name)
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return "", err
	}
	r.path = append([]string{filepath.Dir(full)}, r.path...)
	defer func() { r.path = r.path[1:] }()
	vars := argVars(args)
	child := make(map[string]string, len(env)+len(vars))
	for k, v := range env {
		child[k] = v
	}
	for k, v := range vars {
		child[k] = v
	}
	return r.execute(string(data), vars, child, filepath.Base(full))
}

// renderFn renders its last argument as a template; earlier arguments are
// maps or KEY=VALUE strings.
func (r *renderer) renderFn(env map[string]string, args []interface{}) (interface{}, error) {
	if len(args) == 0 {
		return "", fmt.Errorf("render cannot be used without arguments")
	}
	input, ok := str(args[len(args)-1])
	if !ok {
		return "", fmt.Errorf("render must be given a template string")
	}
	vars := argVars(args[:len(args)-1])
	child := make(map[string]string, len(env)+len(vars))
	for k, v := range env {
		child[k] = v
	}
	for k, v := range vars {
		child[k] = v
	}
	return r.execute(input, vars, child, "<render>")
}

func argVars(args []interface{}) map[string]string {
	vars := map[string]string{}
	for _, a := range args {
		switch v := a.(type) {
		case map[string]interface{}:
			for k, x := range v {
				if s, ok := x.(string); ok {
					vars[k] = s
				} else {
					vars[k] = fmt.Sprint(x)
				}
			}
		case map[string]string:
			for k, x := range v {
				vars[k] = x
			}
		case string:
			if k, val, ok := strings.Cut(v, "="); ok {
				vars[k] = val
			}
		}
	}
	return vars
}

// sh runs a command line (split like a shell, no expansion) with the
// template's environment and returns its stdout.
func (r *renderer) sh(env map[string]string, in interface{}) (interface{}, error) {
	line, ok := str(in)
	if !ok {
		return "", fmt.Errorf("sh must be given a string")
	}
	args, err := splitWords(line)
	if err != nil {
		return "", err
	}
	if len(args) == 0 {
		return "", fmt.Errorf("sh must be given a command")
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	environ := make([]string, 0, len(env))
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	sort.Strings(environ)
	cmd.Env = environ
	cmd.Dir = r.workDir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(errb.String()); msg != "" {
			return "", fmt.Errorf("%v: %s", err, msg)
		}
		return "", err
	}
	return out.String(), nil
}

func (r *renderer) httpget(in interface{}) (interface{}, error) {
	url, ok := str(in)
	if !ok {
		return "", fmt.Errorf("httpget must be given a string")
	}
	client := &http.Client{Timeout: r.timeout}
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	return NamedReader{Reader: bytes.NewReader(body), Name: "<" + url + ">"}, nil
}

// splitWords splits a command line like a POSIX shell would without
// expanding anything: whitespace separates words, quotes group them,
// backslash escapes.
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 < len(s) {
				i++
				cur.WriteByte(s[i])
			}
			inWord = true
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated single quote in %q", s)
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, fmt.Errorf("unterminated double quote in %q", s)
			}
			inWord = true
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

func (r *renderer) jsonFn(in interface{}) (interface{}, error) {
	data, err := r.readDoc(in, func(s string) bool {
		t := strings.TrimSpace(s)
		return strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")
	})
	if err != nil {
		return nil, err
	}
	var obj interface{}
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	return obj, nil
}

func fnToJSON(obj interface{}) (interface{}, error) {
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	return string(data), nil
}

func (r *renderer) yamlFn(in interface{}) (interface{}, error) {
	data, err := r.readDoc(in, func(s string) bool { return strings.ContainsAny(s, ":\n-[{") })
	if err != nil {
		return nil, err
	}
	return ParseYAML(data)
}

func fnToYAML(obj interface{}) (interface{}, error) {
	return MarshalYAML(obj)
}

func fnYAMLToJSON(in interface{}) (interface{}, error) {
	s, ok := str(in)
	if !ok {
		return nil, fmt.Errorf("ymltojson must be given a string")
	}
	obj, err := ParseYAML([]byte(s))
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	return string(data), nil
}

// fnPointer resolves an RFC 6901 JSON pointer in a map.
func fnPointer(p string, in interface{}) (interface{}, error) {
	switch in.(type) {
	case map[string]interface{}, map[interface{}]interface{}:
	default:
		return nil, fmt.Errorf("pointer needs a map type")
	}
	if p == "" {
		return in, nil
	}
	if !strings.HasPrefix(p, "/") {
		return nil, nil
	}
	cur := in
	for _, tok := range strings.Split(p[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v := cur.(type) {
		case map[string]interface{}:
			cur = v[tok]
		case map[interface{}]interface{}:
			cur = v[tok]
		case []interface{}:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return nil, nil
			}
			cur = v[i]
		default:
			return nil, nil
		}
	}
	return cur, nil
}

func fnUniq(in ...interface{}) ([]interface{}, error) {
	seen := map[interface{}]bool{}
	var out []interface{}
	for _, l := range in {
		items, ok := list(l)
		if !ok {
			return nil, fmt.Errorf("uniq must be given lists")
		}
		for _, v := range items {
			key := v
			if !reflect.TypeOf(v).Comparable() {
				key = fmt.Sprintf("%#v", v)
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, v)
		}
	}
	return out, nil
}

func fnAppend(item interface{}, items interface{}) ([]interface{}, error) {
	l, ok := list(items)
	if !ok {
		return nil, fmt.Errorf("append must be given a list")
	}
	return append(append([]interface{}(nil), l...), item), nil
}

// fnDrop removes an item from a list; a string item is a glob pattern.
func fnDrop(item interface{}, items interface{}) ([]interface{}, error) {
	l, ok := list(items)
	if !ok {
		return nil, fmt.Errorf("drop must be given a list")
	}
	var out []interface{}
	if pattern, isStr := item.(string); isStr {
		for _, v := range l {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("all elements must be a string to drop a string")
			}
			m, err := path.Match(pattern, s)
			if err != nil {
				return nil, fmt.Errorf("bad pattern: %s", pattern)
			}
			if !m {
				out = append(out, v)
			}
		}
		return out, nil
	}
	for _, v := range l {
		if !reflect.DeepEqual(v, item) {
			out = append(out, v)
		}
	}
	return out, nil
}

// fnSeq returns the strings "0" .. "n-1".
func fnSeq(in interface{}) ([]interface{}, error) {
	var n int64
	switch v := in.(type) {
	case int:
		n = int64(v)
	case int8:
		n = int64(v)
	case int16:
		n = int64(v)
	case int32:
		n = int64(v)
	case int64:
		n = v
	case uint:
		n = int64(v)
	case uint8:
		n = int64(v)
	case uint16:
		n = int64(v)
	case uint32:
		n = int64(v)
	case string:
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("seq must be given an integer or numeric string")
		}
		n = int64(i)
	default:
		return nil, fmt.Errorf("seq must be given an integer or numeric string")
	}
	if n > 1<<20 {
		return nil, fmt.Errorf("seq count %d is too large", n)
	}
	var out []interface{}
	for i := int64(0); i < n; i++ {
		out = append(out, strconv.FormatInt(i, 10))
	}
	return out, nil
}

// fnJoin joins the string elements of a list (others are skipped, as sigil
// does).
func fnJoin(delim string, in interface{}) (interface{}, error) {
	l, ok := list(in)
	if !ok {
		return nil, fmt.Errorf("join must be given a list")
	}
	var parts []string
	for _, v := range l {
		if s, ok := v.(string); ok {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, delim), nil
}

func fnSplit(delim string, in interface{}) ([]interface{}, error) {
	s, ok := str(in)
	if !ok {
		return nil, fmt.Errorf("split must be given a string")
	}
	parts := strings.Split(s, delim)
	out := make([]interface{}, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

// fnJoinKV turns a map of strings into "k<sep>v" elements (sorted by key;
// sigil's order follows Go map iteration).
func fnJoinKV(sep string, in interface{}) ([]interface{}, error) {
	m, ok := in.(map[string]interface{})
	if !ok {
		if ms, ok2 := in.(map[string]string); ok2 {
			m = map[string]interface{}{}
			for k, v := range ms {
				m[k] = v
			}
		} else {
			return nil, fmt.Errorf("joinkv must be given a string map of strings")
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []interface{}
	for _, k := range keys {
		s, ok := m[k].(string)
		if !ok {
			return nil, fmt.Errorf("joinkv must be given a string map of strings")
		}
		out = append(out, k+sep+s)
	}
	return out, nil
}

// fnSplitKV turns "k<sep>v" elements into a map; an element without the
// separator maps to true.
func fnSplitKV(sep string, in interface{}) (interface{}, error) {
	l, ok := list(in)
	if !ok {
		return nil, fmt.Errorf("splitkv must be given a list of strings")
	}
	out := map[string]interface{}{}
	for _, x := range l {
		s, ok := x.(string)
		if !ok {
			return nil, fmt.Errorf("splitkv must be given a list of strings")
		}
		if k, v, found := strings.Cut(s, sep); found {
			out[k] = v
		} else {
			out[s] = true
		}
	}
	return out, nil
}
