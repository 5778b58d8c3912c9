package sigil

import (
	"fmt"
	"strings"
)

// ExpandPosix performs POSIX shell parameter expansion over text (sigil -p):
// $NAME, ${NAME}, ${NAME-word}, ${NAME:-word}, ${NAME=word}, ${NAME:=word},
// ${NAME?msg}, ${NAME:?msg}, ${NAME+word}, ${NAME:+word} and ${#NAME}.
// Words are expanded recursively. `$` not followed by a name is kept.
func ExpandPosix(text string, lookup func(string) (string, bool)) (string, error) {
	assigned := map[string]string{}
	get := func(k string) (string, bool) {
		if v, ok := assigned[k]; ok {
			return v, true
		}
		return lookup(k)
	}
	var expand func(s string) (string, error)
	expand = func(s string) (string, error) {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c != '$' || i+1 >= len(s) {
				b.WriteByte(c)
				continue
			}
			n := s[i+1]
			if n == '{' {
				end := matchBrace(s, i+1)
				if end < 0 {
					return "", fmt.Errorf("unterminated ${ in template")
				}
				v, err := expandBraced(s[i+2:end], get, assigned, expand)
				if err != nil {
					return "", err
				}
				b.WriteString(v)
				i = end
				continue
			}
			if isNameStart(n) {
				j := i + 1
				for j < len(s) && isNameChar(s[j]) {
					j++
				}
				v, _ := get(s[i+1 : j])
				b.WriteString(v)
				i = j - 1
				continue
			}
			b.WriteByte(c)
		}
		return b.String(), nil
	}
	return expand(text)
}

func matchBrace(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func isNameStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isNameChar(c byte) bool { return isNameStart(c) || (c >= '0' && c <= '9') }

func expandBraced(inner string, get func(string) (string, bool), assigned map[string]string, expand func(string) (string, error)) (string, error) {
	if strings.HasPrefix(inner, "#") && len(inner) > 1 {
		v, _ := get(inner[1:])
		return fmt.Sprint(len(v)), nil
	}
	j := 0
	for j < len(inner) && isNameChar(inner[j]) {
		j++
	}
	name, rest := inner[:j], inner[j:]
	if name == "" || !isNameStart(name[0]) {
		return "", fmt.Errorf("bad substitution: ${%s}", inner)
	}
	val, set := get(name)
	if rest == "" {
		return val, nil
	}
	colon := strings.HasPrefix(rest, ":")
	if colon {
		rest = rest[1:]
	}
	if rest == "" {
		return "", fmt.Errorf("bad substitution: ${%s}", inner)
	}
	op, word := rest[0], rest[1:]
	unset := !set || (colon && val == "")
	switch op {
	case '-':
		if unset {
			return expand(word)
		}
		return val, nil
	case '=':
		if unset {
			w, err := expand(word)
			if err != nil {
				return "", err
			}
			assigned[name] = w
			return w, nil
		}
		return val, nil
	case '?':
		if unset {
			msg, err := expand(word)
			if err != nil {
				return "", err
			}
			if msg == "" {
				msg = "parameter null or not set"
			}
			return "", fmt.Errorf("%s: %s", name, msg)
		}
		return val, nil
	case '+':
		if unset {
			return "", nil
		}
		return expand(word)
	}
	return "", fmt.Errorf("bad substitution: ${%s}", inner)
}
