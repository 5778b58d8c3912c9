package sshd

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

func newTestKey(t *testing.T, comment string) (gossh.Signer, string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
	if comment != "" {
		line += " " + comment
	}
	return signer, line
}

func TestSSHKeysFormatLineByteForByte(t *testing.T) {
	_, pub := newTestKey(t, "me@laptop")
	key, text, err := ParsePublicKey([]byte(pub + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	fp := Fingerprint(key)
	if !strings.HasPrefix(fp, "SHA256:") || len(fp) != len("SHA256:")+43 {
		t.Fatalf("fingerprint %q", fp)
	}
	line, err := FormatLine(fp, "admin", "/home/dokku/.sshcommand", "", text)
	if err != nil {
		t.Fatal(err)
	}
	want := `command="FINGERPRINT=` + fp + ` NAME=\"admin\" ` + "`cat /home/dokku/.sshcommand`" +
		` $SSH_ORIGINAL_COMMAND",no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding ` + pub
	if line != want {
		t.Fatalf("line:\n got %s\nwant %s", line, want)
	}
	e := ParseLine(line)
	if !e.Dokku || e.Name != "admin" || e.Fingerprint != fp || e.SSHCommand != "/home/dokku/.sshcommand" ||
		e.AllowedKeys() != DefaultAllowedKeys || e.KeyText != pub || e.Comment != "me@laptop" {
		t.Fatalf("parsed back: %+v", e)
	}
}

func TestSSHKeysParseVariants(t *testing.T) {
	_, pub := newTestKey(t, "")
	lines := []string{
		`command="FINGERPRINT=2a:f7:39 NAME=\"md5\" ` + "`cat /home/u/.sshcommand`" + ` $SSH_ORIGINAL_COMMAND",no-agent-forwarding ` + pub + ` md5`,
		`command="FINGERPRINT=9f:7d NAME=without-quotes ` + "`cat /home/dokku/.sshcommand`" + ` $SSH_ORIGINAL_COMMAND",no-pty ` + pub,
		`command="FINGERPRINT=SHA256:x NAME=\"broken user\" ` + "`cat /home/dokku/.sshcommand`" + ` $SSH_ORIGINAL_COMMAND" ` + pub,
		`# a comment`,
		``,
		pub + ` plain`,
		`command="/bin/sh" ` + pub,
		`garbage line`,
	}
	entries := ParseAuthorizedKeys([]byte(strings.Join(lines, "\n") + "\n"))
	if len(entries) != len(lines) {
		t.Fatalf("got %d entries", len(entries))
	}
	type want struct {
		dokku     bool
		name, fp  string
		allowed   string
		hasKey    bool
		keyOrLine string
	}
	wants := []want{
		{true, "md5", "2a:f7:39", "no-agent-forwarding", true, ""},
		{true, "without-quotes", "9f:7d", "no-pty", true, ""},
		{true, "broken user", "SHA256:x", "", true, ""},
		{false, "", "", "", false, ""},
		{false, "", "", "", false, ""},
		{false, "", "", "", true, ""},
		{false, "", "", "", true, ""},
		{false, "", "", "", false, ""},
	}
	for i, w := range wants {
		e := entries[i]
		if e.Dokku != w.dokku || e.Name != w.name || e.Fingerprint != w.fp || (e.Key != nil) != w.hasKey || (w.dokku && e.AllowedKeys() != w.allowed) {
			t.Errorf("line %d: %+v", i, e)
		}
		if e.Line != lines[i] {
			t.Errorf("line %d not kept verbatim: %q", i, e.Line)
		}
	}
	if got := entries[5].DisplayFingerprint(); got != Fingerprint(entries[5].Key) {
		t.Errorf("display fingerprint of a plain key %q", got)
	}
}

func TestSSHKeysParsePublicKeyErrors(t *testing.T) {
	_, a := newTestKey(t, "")
	_, b := newTestKey(t, "")
	cases := map[string]error{
		"":                                ErrNoKey,
		"\n\n":                            ErrNoKey,
		a + "\n" + b + "\n":               ErrManyKeys,
		"not a key":                       ErrInvalidKey,
		"ssh-ed25519 AAAAnotbase64":       ErrInvalidKey,
		`command="x" ` + a:                ErrInvalidKey,
		"# " + a:                          ErrInvalidKey,
		"ssh-rsa " + strings.Fields(a)[1]: ErrInvalidKey, // type mismatch
	}
	for in, want := range cases {
		if _, _, err := ParsePublicKey([]byte(in)); err != want {
			t.Errorf("%q: got %v, want %v", in, err, want)
		}
	}
	if _, text, err := ParsePublicKey([]byte("  " + a + " comment with  spaces  \r\n")); err != nil || text != a+" comment with  spaces" {
		t.Errorf("trimmed key: %q %v", text, err)
	}
}

func TestSSHKeysValidName(t *testing.T) {
	for _, ok := range []string{"admin", "john.doe@host", "ci-bot_2", "a+b"} {
		if err := ValidName(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "with space", `q"uote`, "back`tick", "$(id)", "new\nline", "semi;colon", "slash/x", strings.Repeat("a", 129)} {
		if ValidName(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestSSHKeysFormatLineRefusesInjection(t *testing.T) {
	_, pub := newTestKey(t, "")
	for _, c := range []struct{ name, file, allowed string }{
		{`x\" ; id`, "/home/dokku/.sshcommand", ""},
		{"ok", "/home/dokku/.sshcommand`id`", ""},
		{"ok", "/home/dokku/.sshcommand", "no-pty,command=\"/bin/sh\""},
		{"ok", "/home/dokku/.sshcommand", "no-pty\nssh-ed25519"},
		{"ok", "/home/dokku/.sshcommand", "from=\"x"},
	} {
		if _, err := FormatLine("SHA256:x", c.name, c.file, c.allowed, pub); err == nil {
			t.Errorf("accepted %+v", c)
		}
	}
	line, err := FormatLine("SHA256:x", "ok", "/h/.sshcommand", `restrict,from="10.0.0.0/8"`, pub)
	if err != nil || ParseLine(line).AllowedKeys() != `restrict,from="10.0.0.0/8"` {
		t.Errorf("custom options: %q %v", line, err)
	}
}
