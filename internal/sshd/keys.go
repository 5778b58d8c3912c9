package sshd

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	gossh "golang.org/x/crypto/ssh"
)

// DefaultAllowedKeys are the options sshcommand puts after the forced
// command (SSHCOMMAND_ALLOWED_KEYS replaces them).
const DefaultAllowedKeys = "no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding"

// Entry is one line of an authorized_keys file.
type Entry struct {
	Line string // the line as found (without its newline)
	// Key is nil for blank lines, comments and lines that do not parse.
	Key     gossh.PublicKey
	KeyText string // "<type> <base64> [comment]"
	Comment string
	Options []string // every option, command= included, as written

	// Dokku is set when the line carries the sshcommand forced command;
	// then Fingerprint, Name and SSHCommand hold its parts.
	Dokku       bool
	Command     string // the command= value, unescaped
	Fingerprint string // FINGERPRINT=
	Name        string // NAME=
	SSHCommand  string // the file named by `cat <file>` (holds the dokku binary path)
}

// AllowedKeys returns the options other than command= joined by commas
// (what sshcommand list shows as SSHCOMMAND_ALLOWED_KEYS).
func (e Entry) AllowedKeys() string {
	var out []string
	for _, o := range e.Options {
		if !strings.HasPrefix(strings.ToLower(o), "command=") {
			out = append(out, o)
		}
	}
	return strings.Join(out, ",")
}

// DisplayFingerprint is the fingerprint sshcommand list prints: the one
// recorded in the line, else the key's SHA256 fingerprint.
func (e Entry) DisplayFingerprint() string {
	if e.Fingerprint != "" {
		return e.Fingerprint
	}
	if e.Key != nil {
		return gossh.FingerprintSHA256(e.Key)
	}
	return ""
}

// forcedCommand matches the value of sshcommand's command= option; NAME is
// quoted by current sshcommand versions and bare in old ones.
var forcedCommand = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^FINGERPRINT=(\S+) NAME=(?:"([^"]*)"|(\S*)) ` + "`cat ([^`\\s]+)`" + ` \$SSH_ORIGINAL_COMMAND$`)
})

// ParseAuthorizedKeys splits an authorized_keys file into entries, one per
// line, keeping lines it does not understand so a rewrite preserves them.
func ParseAuthorizedKeys(data []byte) []Entry {
	var out []Entry
	text := string(data)
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil
	}
	for _, line := range strings.Split(text, "\n") {
		out = append(out, ParseLine(line))
	}
	return out
}

// ParseLine parses one authorized_keys line.
func ParseLine(line string) Entry {
	e := Entry{Line: line}
	trimmed := strings.TrimSpace(strings.TrimSuffix(line, "\r"))
	if trimmed == "" || strings.HasPrefix(trimmed, "#") {
		return e
	}
	key, comment, options, _, err := gossh.ParseAuthorizedKey([]byte(trimmed))
	if err != nil {
		return e
	}
	e.Key, e.Comment, e.Options = key, comment, options
	e.KeyText = keyText(key, comment)
	for _, o := range options {
		if !strings.HasPrefix(strings.ToLower(o), "command=\"") || !strings.HasSuffix(o, "\"") || len(o) < len("command=\"\"") {
			continue
		}
		e.Command = strings.ReplaceAll(o[len("command=\""):len(o)-1], `\"`, `"`)
		if m := forcedCommand().FindStringSubmatch(e.Command); m != nil {
			e.Dokku = true
			e.Fingerprint = m[1]
			e.Name = m[2] + m[3]
			e.SSHCommand = m[4]
		}
	}
	return e
}

func keyText(key gossh.PublicKey, comment string) string {
	s := strings.TrimSuffix(string(gossh.MarshalAuthorizedKey(key)), "\n")
	if comment != "" {
		s += " " + comment
	}
	return s
}

// Errors of ParsePublicKey, worded as Dokku's ssh-keys plugin does.
var (
	ErrNoKey       = errors.New("Empty key was specified")
	ErrManyKeys    = errors.New("Too many keys provided, set one per invocation of dokku ssh-keys:add <NAME> <KEY_FILE>")
	ErrInvalidKey  = errors.New("Key specified in is not a valid ssh public key")
	errControlChar = errors.New("control character")
)

// ParsePublicKey reads exactly one public key in OpenSSH format
// ("<type> <base64> [comment]"), as ssh-keygen -l would accept it from a
// .pub file. Key options are refused: they would end up after the forced
// command and could loosen it.
func ParsePublicKey(data []byte) (gossh.PublicKey, string, error) {
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(strings.TrimSuffix(l, "\r")); l != "" {
			lines = append(lines, l)
		}
	}
	switch {
	case len(lines) == 0:
		return nil, "", ErrNoKey
	case len(lines) > 1:
		return nil, "", ErrManyKeys
	}
	line := lines[0]
	if strings.HasPrefix(line, "#") {
		return nil, "", ErrInvalidKey
	}
	key, comment, options, rest, err := gossh.ParseAuthorizedKey([]byte(line))
	if err != nil || len(options) > 0 || len(bytes.TrimSpace(rest)) > 0 {
		return nil, "", ErrInvalidKey
	}
	if strings.IndexFunc(comment, isControl) >= 0 {
		return nil, "", ErrInvalidKey
	}
	return key, keyText(key, comment), nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// Fingerprint is ssh-keygen -l's SHA256 fingerprint of a key.
func Fingerprint(key gossh.PublicKey) string { return gossh.FingerprintSHA256(key) }

var validKeyName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_.@+-]+$`) })

// MaxNameLength bounds key names.
const MaxNameLength = 128

// ValidName checks a name for a new key: it is written inside the quoted
// forced command and matched by ssh-keys:remove, so only characters that
// cannot break out of the quotes or the line are accepted.
func ValidName(name string) error {
	if name == "" {
		return errors.New("A name is required to add a key, ie: dokku ssh-keys:add <name> <key-file>")
	}
	if len(name) > MaxNameLength || !validKeyName().MatchString(name) {
		return fmt.Errorf("Invalid ssh key name %q: use only letters, digits and . _ @ + - (at most %d characters)", name, MaxNameLength)
	}
	return nil
}

// validAllowedKeys checks an SSHCOMMAND_ALLOWED_KEYS value: a non-empty
// comma-separated list of options without blanks, control characters or
// another command= (quoted values such as from="10.0.0.0/8" are fine).
func validAllowedKeys(opts string) error {
	if opts == "" || strings.IndexFunc(opts, func(r rune) bool { return isControl(r) || r == ' ' || r == '\t' }) >= 0 {
		return errors.New("invalid SSHCOMMAND_ALLOWED_KEYS")
	}
	if strings.Count(opts, `"`)%2 != 0 || strings.Contains(strings.ToLower(opts), "command=") {
		return errors.New("invalid SSHCOMMAND_ALLOWED_KEYS")
	}
	return nil
}

// FormatLine builds the sshcommand line for a key (runtime.md §5.1).
// sshcommandFile is <DOKKU_ROOT>/.sshcommand; allowed "" means the defaults.
// The result is parsed back to make sure it says exactly what was meant.
func FormatLine(fingerprint, name, sshcommandFile, allowed, keyText string) (string, error) {
	if allowed == "" {
		allowed = DefaultAllowedKeys
	}
	if err := validAllowedKeys(allowed); err != nil {
		return "", err
	}
	if strings.ContainsAny(name, "\"\\`$\n\r") || strings.ContainsAny(sshcommandFile, " \t\"\\`$\n\r") ||
		strings.ContainsAny(fingerprint, " \t\"\\`$\n\r") || strings.ContainsAny(keyText, "\n\r") {
		return "", errors.New("invalid characters in the key line")
	}
	line := fmt.Sprintf(`command="FINGERPRINT=%s NAME=\"%s\" `+"`cat %s`"+` $SSH_ORIGINAL_COMMAND",%s %s`,
		fingerprint, name, sshcommandFile, allowed, keyText)
	e := ParseLine(line)
	if !e.Dokku || e.Name != name || e.Fingerprint != fingerprint || e.SSHCommand != sshcommandFile || e.AllowedKeys() != allowed || e.KeyText != keyText {
		return "", errors.New("the key line does not parse back")
	}
	return line, nil
}
