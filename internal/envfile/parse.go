package envfile

import (
	"fmt"
	"strings"
	"unicode"
)

// Parse reads ENV file content with godotenv v1.5.1's grammar: optional
// `export `, KEY=value or KEY: value, `#` comment lines, double-quoted values
// with backslash escapes (\n, \r, \$ literal, \X → X) and $VAR / ${VAR}
// expansion from keys defined earlier in the file, single-quoted literal
// values, and unquoted values (trailing ` # comment` dropped, trimmed,
// expanded).
//
// compat: godotenv's own reader finds the closing quote by looking only at
// the previous byte and trims every leading and trailing quote character, so
// it cannot read back values that end in a backslash or start or end with a
// double quote. This parser tracks escapes properly; on every file godotenv
// reads correctly the two agree (see the differential test).
func Parse(content string) (map[string]string, error) {
	src := []rune(strings.ReplaceAll(content, "\r\n", "\n"))
	out := map[string]string{}
	i, n := 0, len(src)
	for {
		// Skip blank space and comment lines.
		for i < n && (unicode.IsSpace(src[i]) || src[i] == '#') {
			if src[i] == '#' {
				for i < n && src[i] != '\n' {
					i++
				}
				continue
			}
			i++
		}
		if i >= n {
			return out, nil
		}
		if hasWordPrefix(src[i:], "export") {
			i += len("export")
			for i < n && isBlank(src[i]) {
				i++
			}
		}
		start := i
		for i < n && src[i] != '=' && src[i] != ':' {
			c := src[i]
			if !(isBlank(c) || c == '_' || c == '.' || unicode.IsLetter(c) || unicode.IsNumber(c)) {
				return nil, fmt.Errorf("unexpected character %q in variable name near %q", string(c), string(src[start:min(n, start+40)]))
			}
			i++
		}
		if i >= n {
			return nil, fmt.Errorf("unexpected end of file after %q", string(src[start:]))
		}
		key := strings.Map(func(r rune) rune {
			if isBlank(r) {
				return -1
			}
			return r
		}, string(src[start:i]))
		i++ // '=' or ':'
		for i < n && isBlank(src[i]) {
			i++
		}
		var value string
		var err error
		switch {
		case i < n && src[i] == '"':
			value, i, err = doubleQuoted(src, i+1, out)
		case i < n && src[i] == '\'':
			j := i + 1
			for j < n && src[j] != '\'' {
				j++
			}
			if j >= n {
				return nil, fmt.Errorf("unterminated quoted value %s", firstLine(src[i:]))
			}
			value, i = string(src[i+1:j]), j+1
		default:
			value, i = unquoted(src, i, out)
		}
		if err != nil {
			return nil, err
		}
		out[key] = value
	}
}

func doubleQuoted(src []rune, i int, vars map[string]string) (string, int, error) {
	var b strings.Builder
	start := i - 1
	for i < len(src) {
		c := src[i]
		switch {
		case c == '"':
			return b.String(), i + 1, nil
		case c == '\\' && i+1 < len(src):
			i++
			switch src[i] {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteRune(src[i])
			}
			i++
		case c == '$':
			i = expand(&b, src, i, vars)
		default:
			b.WriteRune(c)
			i++
		}
	}
	return "", 0, fmt.Errorf("unterminated quoted value %s", firstLine(src[start:]))
}

func unquoted(src []rune, i int, vars map[string]string) (string, int) {
	end := i
	for end < len(src) && src[end] != '\n' && src[end] != '\r' {
		end++
	}
	line := src[i:end]
	cut := len(line)
	for j := len(line) - 1; j > 0; j-- {
		if line[j] == '#' && isBlank(line[j-1]) {
			cut = j
			break
		}
	}
	raw := []rune(strings.TrimFunc(string(line[:cut]), isBlank))
	var b strings.Builder
	for k := 0; k < len(raw); {
		switch {
		case raw[k] == '\\' && k+1 < len(raw) && raw[k+1] == '$':
			b.WriteByte('$')
			k += 2
		case raw[k] == '$':
			k = expand(&b, raw, k, vars)
		default:
			b.WriteRune(raw[k])
			k++
		}
	}
	return b.String(), end
}

// expand handles an unescaped '$' at src[i]: ${NAME} or $NAME with NAME in
// [A-Z0-9_]+ is replaced by an earlier key's value; anything else is literal.
func expand(b *strings.Builder, src []rune, i int, vars map[string]string) int {
	j := i + 1
	brace := j < len(src) && src[j] == '{'
	if brace {
		j++
	}
	k := j
	for k < len(src) && (src[k] >= 'A' && src[k] <= 'Z' || src[k] >= '0' && src[k] <= '9' || src[k] == '_') {
		k++
	}
	if k == j {
		b.WriteByte('$')
		return i + 1
	}
	b.WriteString(vars[string(src[j:k])])
	if brace && k < len(src) && src[k] == '}' {
		k++
	}
	return k
}

func hasWordPrefix(s []rune, w string) bool {
	if len(s) <= len(w) || string(s[:len(w)]) != w {
		return false
	}
	return isBlank(s[len(w)])
}

func isBlank(r rune) bool {
	switch r {
	case '\t', '\v', '\f', '\r', ' ', 0x85, 0xA0:
		return true
	}
	return false
}

func firstLine(s []rune) string {
	str := string(s)
	if i := strings.IndexByte(str, '\n'); i >= 0 {
		return str[:i]
	}
	return str
}
