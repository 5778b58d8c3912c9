package cli

import (
	"errors"
	"strings"
)

// splitFields splits on blanks and newlines with no quote handling: bash
// word splitting of an unquoted variable with globbing off.
func splitFields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' })
}

// errUnmatchedQuote mirrors xargs' refusal of an unterminated quote.
var errUnmatchedQuote = errors.New("unmatched quote")

// splitXargs tokenises like GNU xargs' default input parsing: blanks and
// newlines separate, '...' and "..." group (no escapes inside, no newline),
// a backslash outside quotes takes the next character literally.
func splitXargs(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inTok := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ' ', '\t', '\n':
			if inTok {
				out = append(out, cur.String())
				cur.Reset()
				inTok = false
			}
		case '\'', '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 || strings.IndexByte(s[i+1:i+1+j], '\n') >= 0 {
				return nil, errUnmatchedQuote
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inTok = true
		case '\\':
			if i+1 < len(s) {
				i++
				cur.WriteByte(s[i])
			}
			inTok = true
		default:
			cur.WriteByte(c)
			inTok = true
		}
	}
	if inTok {
		out = append(out, cur.String())
	}
	return out, nil
}

// sshArgs turns SSH_ORIGINAL_COMMAND into argv: git words are split on
// blanks (quotes stay literal for the git plugin to strip); everything else
// is tokenised like xargs. first is the dispatcher's current $1.
func sshArgs(first, original string) ([]string, error) {
	if strings.Contains(first, "git") {
		return splitFields(original), nil
	}
	return splitXargs(original)
}
