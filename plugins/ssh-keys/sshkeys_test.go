package sshkeys_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

func newKey(t *testing.T, dir, name string) (pub, fp string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name+"@test", "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	b, _ := os.ReadFile(path + ".pub")
	out, err := exec.Command("ssh-keygen", "-l", "-E", "sha256", "-f", path+".pub").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b)), strings.Fields(string(out))[1]
}

func expect(t *testing.T, res *dokkutest.Result, code int, stdout, stderr string) {
	t.Helper()
	if res.Code != code || res.Stdout != stdout || res.Stderr != stderr {
		t.Errorf("want exit %d stdout %q stderr %q, got %s", code, stdout, stderr, res)
	}
}

func TestSSHKeysAddListRemove(t *testing.T) {
	r := dokkutest.New(t)
	pub1, fp1 := newKey(t, r.Dir, "one")
	pub2, fp2 := newKey(t, r.Dir, "two")
	keys := filepath.Join(r.Home, ".ssh", "authorized_keys")

	expect(t, r.Run("ssh-keys:list"), 1, "", " !     No public keys found.\n")
	// From a file and from stdin; the fingerprint is printed.
	expect(t, r.Run("ssh-keys:add", "admin", filepath.Join(r.Dir, "one.pub")), 0, fp1+"\n", "")
	expect(t, r.RunOpts(dokkutest.Opts{Stdin: pub2 + "\n"}, "ssh-keys:add", "ci-bot"), 0, fp2+"\n", "")

	b, _ := os.ReadFile(keys)
	want := `command="FINGERPRINT=` + fp1 + ` NAME=\"admin\" ` + "`cat " + r.Home + "/.sshcommand`" +
		` $SSH_ORIGINAL_COMMAND",no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding ` + pub1 + "\n" +
		`command="FINGERPRINT=` + fp2 + ` NAME=\"ci-bot\" ` + "`cat " + r.Home + "/.sshcommand`" +
		` $SSH_ORIGINAL_COMMAND",no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding ` + pub2 + "\n"
	if string(b) != want {
		t.Errorf("authorized_keys:\n%s\nwant:\n%s", b, want)
	}
	if fi, _ := os.Stat(keys); fi.Mode().Perm() != 0o600 {
		t.Errorf("authorized_keys mode %v", fi.Mode())
	}
	if fi, _ := os.Stat(filepath.Dir(keys)); fi.Mode().Perm() != 0o700 {
		t.Errorf(".ssh mode %v", fi.Mode())
	}
	// OpenSSH reads the file: every line is a valid key line.
	if out, err := exec.Command("ssh-keygen", "-l", "-f", keys).CombinedOutput(); err != nil || strings.Count(string(out), "\n") != 2 {
		t.Errorf("ssh-keygen -l authorized_keys: %v %s", err, out)
	}
	if exe, _ := os.ReadFile(filepath.Join(r.Home, ".sshcommand")); strings.TrimSpace(string(exe)) == "" {
		t.Error(".sshcommand not written")
	}

	allowed := `SSHCOMMAND_ALLOWED_KEYS="no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding"`
	expect(t, r.Run("ssh-keys:list"), 0, fp1+` NAME="admin" `+allowed+"\n"+fp2+` NAME="ci-bot" `+allowed+"\n", "")
	expect(t, r.Run("ssh-keys:list", "ci-bot"), 0, fp2+` NAME="ci-bot" `+allowed+"\n", "")
	// The whole list keeps sshcommand's layout; a name filter goes
	// through `jq -cM` in Dokku: compact, and [] when nothing matches.
	res := r.Run("ssh-keys:list", "--format", "json")
	if !strings.HasPrefix(res.Stdout, `[{ "fingerprint": "`+fp1+`", "name": "admin", "SSHCOMMAND_ALLOWED_KEYS": "no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding", "public-key": "`+pub1+`" },{ "fingerprint": "`+fp2+`"`) {
		t.Errorf("json list: %s", res)
	}
	expect(t, r.Run("ssh-keys:list", "--format", "json", "admin"), 0,
		`[{"fingerprint":"`+fp1+`","name":"admin","SSHCOMMAND_ALLOWED_KEYS":"no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding","public-key":"`+pub1+`"}]`+"\n", "")
	expect(t, r.Run("ssh-keys:list", "--format", "json", "nobody"), 0, "[]\n", "")
	expect(t, r.Run("ssh-keys:list", "--format", "yaml"), 1, "", " !     Invalid output format specified, supported formats: json, text\n")

	// Duplicates are refused, unless the checks are lifted.
	expect(t, r.Run("ssh-keys:add", "admin", filepath.Join(r.Dir, "two.pub")), 1, "", " !     Duplicate ssh key name\n")
	expect(t, r.Run("ssh-keys:add", "other", filepath.Join(r.Dir, "one.pub")), 1, "", " !     Duplicate ssh public key specified\n")
	res = r.RunOpts(dokkutest.Opts{Env: []string{"SSHCOMMAND_CHECK_DUPLICATE_FINGERPRINT=false"}}, "ssh-keys:add", "other", filepath.Join(r.Dir, "one.pub"))
	expect(t, res, 0, fp1+"\n", "")

	// Remove by name, then by fingerprint; other lines are kept verbatim.
	os.WriteFile(keys, append(mustRead(t, keys), []byte("# a comment kept as is\n")...), 0o600)
	expect(t, r.Run("ssh-keys:remove", "other"), 0, "", "")
	expect(t, r.Run("ssh-keys:remove", "--fingerprint", fp2), 0, "", "")
	b, _ = os.ReadFile(keys)
	if strings.Count(string(b), "\n") != 2 || !strings.Contains(string(b), `NAME=\"admin\"`) || !strings.HasSuffix(string(b), "# a comment kept as is\n") {
		t.Errorf("after removals:\n%s", b)
	}
	expect(t, r.Run("ssh-keys:remove", "nobody"), 1, "", " !     No ssh key named nobody found\n")
	expect(t, r.Run("ssh-keys:remove"), 1, "", " !     A name is required to remove a key, ie: dokku ssh-keys:remove <name>\n")
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSSHKeysAddValidation(t *testing.T) {
	r := dokkutest.New(t)
	pub1, _ := newKey(t, r.Dir, "one")
	pub2, _ := newKey(t, r.Dir, "two")
	keys := filepath.Join(r.Home, ".ssh", "authorized_keys")
	cases := []struct {
		name, stdin string
		args        []string
		err         string
	}{
		{"no name", pub1, []string{"ssh-keys:add"}, "A name is required to add a key, ie: dokku ssh-keys:add <name> <key-file>"},
		{"quote in name", pub1, []string{"ssh-keys:add", `x"y`}, `Invalid ssh key name "x\"y": use only letters, digits and . _ @ + - (at most 128 characters)`},
		{"space in name", pub1, []string{"ssh-keys:add", "a b"}, `Invalid ssh key name "a b": use only letters, digits and . _ @ + - (at most 128 characters)`},
		{"empty", "", []string{"ssh-keys:add", "k"}, "Empty key was specified"},
		{"two keys", pub1 + "\n" + pub2 + "\n", []string{"ssh-keys:add", "k"}, "Too many keys provided, set one per invocation of dokku ssh-keys:add <NAME> <KEY_FILE>"},
		{"garbage", "not a key\n", []string{"ssh-keys:add", "k"}, "Key specified in is not a valid ssh public key"},
		{"options", `command="/bin/sh" ` + pub1, []string{"ssh-keys:add", "k"}, "Key specified in is not a valid ssh public key"},
		{"missing file", "", []string{"ssh-keys:add", "k", "/nonexistent.pub"}, "Key file /nonexistent.pub does not exist"},
	}
	for _, c := range cases {
		res := r.RunOpts(dokkutest.Opts{Stdin: c.stdin}, c.args...)
		if res.Code != 1 || res.Stderr != " !     "+c.err+"\n" {
			t.Errorf("%s: %s", c.name, res)
		}
	}
	res := r.RunOpts(dokkutest.Opts{Stdin: pub1, Env: []string{`SSHCOMMAND_ALLOWED_KEYS=no-pty,command="/bin/sh"`}}, "ssh-keys:add", "k")
	if res.Code != 1 {
		t.Errorf("a command= option slipped in: %s", res)
	}
	if _, err := os.Stat(keys); err == nil && len(mustRead(t, keys)) != 0 {
		t.Errorf("a refused key changed authorized_keys:\n%s", mustRead(t, keys))
	}
	// Custom options are written as given.
	res = r.RunOpts(dokkutest.Opts{Stdin: pub1, Env: []string{"SSHCOMMAND_ALLOWED_KEYS=restrict"}}, "ssh-keys:add", "restricted")
	if res.Code != 0 || !strings.Contains(string(mustRead(t, keys)), `$SSH_ORIGINAL_COMMAND",restrict `+pub1) {
		t.Errorf("custom options: %s\n%s", res, mustRead(t, keys))
	}
}

func TestSSHKeysHelp(t *testing.T) {
	r := dokkutest.New(t)
	// Dokku's bash help: `sort | column -c2 -t -s,` keeps the space after
	// the comma (three spaces between columns) and adds no trailing line.
	want := "Usage: dokku ssh-keys[:COMMAND]\n\nManage public ssh keys used for deployment\n\nAdditional commands:\n" +
		"    ssh-keys:add <name> [/path/to/key]                   Add a new public key by pipe or path\n" +
		"    ssh-keys:list [--format text|json] [<name>]          List of all authorized dokku public ssh keys\n" +
		"    ssh-keys:remove [--fingerprint fingerprint|<name>]   Remove SSH public key by name\n"
	res := r.Run("ssh-keys:help")
	if res.Code != 0 || res.Stdout != want {
		t.Errorf("ssh-keys:help:\n%q\nwant\n%q", res.Stdout, want)
	}
}
