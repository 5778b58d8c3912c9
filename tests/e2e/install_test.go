//go:build e2e

package e2e

import (
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestE2EInstallLayout checks what `make install` leaves on the host.
func TestE2EInstallLayout(t *testing.T) {
	AssertOwnerMode(t, DokkuBin, "root", "root", 0o755)
	if target, err := os.Readlink(PlugnLink); err != nil || target != EngineBin {
		t.Errorf("%s: got %q, %v; want a link to %s", PlugnLink, target, err, EngineBin)
	}
	if got := ReadFile(t, filepath.Join(LibRoot, "VERSION")); got != DokkuVersion+"\n" {
		t.Errorf("VERSION = %q", got)
	}
	plugnEnv := Opts{Env: []string{"PLUGIN_PATH=" + filepath.Join(LibRoot, "plugins")}}
	if res := Run(t, plugnEnv, PlugnLink, "version"); res.Code != 0 || !strings.HasPrefix(res.Stdout, "plugn: ") {
		t.Errorf("plugn version:\n%s", res)
	}

	AssertOwnerMode(t, LibRoot, "root", "root", 0o755)
	for _, d := range []string{"core-plugins", "plugins", "config", "data"} {
		AssertOwnerMode(t, filepath.Join(LibRoot, d), DokkuUser, DokkuGroup, 0o755)
	}
	AssertOwnerMode(t, LogsDir, "root", DokkuGroup, 0o775)

	// The dokku user: bash, in the docker group, home = DOKKU_ROOT.
	u, err := user.Lookup(DokkuUser)
	if err != nil {
		t.Fatal(err)
	}
	if passwd := ReadFile(t, "/etc/passwd"); !regexp.MustCompile(`(?m)^dokku:[^:]*:\d+:\d+:[^:]*:` + regexp.QuoteMeta(DokkuRoot) + `:/bin/bash$`).MatchString(passwd) {
		t.Errorf("the dokku user needs home %s and shell /bin/bash", DokkuRoot)
	}
	groups, _ := u.GroupIds()
	docker, err := user.LookupGroup("docker")
	if err != nil || !contains(groups, docker.Gid) {
		t.Errorf("dokku is not in the docker group (%v)", err)
	}
	AssertOwnerMode(t, DokkuRoot, DokkuUser, DokkuGroup, 0o755)

	// ssh: the forced command's target and the keys file.
	if got := ReadFile(t, filepath.Join(DokkuRoot, ".sshcommand")); got != DokkuBin+"\n" {
		t.Errorf(".sshcommand = %q", got)
	}
	AssertOwnerMode(t, filepath.Join(DokkuRoot, ".ssh"), DokkuUser, DokkuGroup, 0o700)
	AssertOwnerMode(t, filepath.Join(DokkuRoot, ".ssh", "authorized_keys"), DokkuUser, DokkuGroup, 0o600)
	sshd := Run(t, Opts{}, "sshd", "-T", "-C", "user=dokku,host=localhost,addr=127.0.0.1")
	ExpectCode(t, sshd, 0)
	for _, want := range []string{"pubkeyauthentication yes", "passwordauthentication no", "disableforwarding yes", "permituserrc no"} {
		if !regexp.MustCompile(`(?m)^` + want + `$`).MatchString(sshd.Stdout) {
			t.Errorf("sshd for the dokku user: want %q", want)
		}
	}

	// Every core plugin is written and enabled in both trees, its entry
	// points link to the binary and its plugin.toml names this release.
	core, err := os.ReadDir(filepath.Join(LibRoot, "core-plugins", "available"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range core {
		p := e.Name()
		seen[p] = true
		avail := filepath.Join(LibRoot, "core-plugins", "available", p)
		for _, link := range []string{
			filepath.Join(LibRoot, "core-plugins", "enabled", p),
			filepath.Join(LibRoot, "plugins", "enabled", p),
			filepath.Join(LibRoot, "plugins", "available", p),
		} {
			if fi, err := os.Stat(link); err != nil || !fi.IsDir() {
				t.Errorf("core plugin %s: %s does not lead to its directory (%v)", p, link, err)
			}
		}
		toml := ReadFile(t, filepath.Join(avail, "plugin.toml"))
		if !strings.Contains(toml, `version = "`+DokkuVersion+`"`) || !strings.Contains(toml, "[plugin.config]") {
			t.Errorf("%s/plugin.toml:\n%s", avail, toml)
		}
		// Core entries run the engine, which links every core plugin.
		if target, err := os.Readlink(filepath.Join(avail, "commands")); err == nil && target != EngineBin {
			t.Errorf("%s/commands links to %s, want %s", avail, target, EngineBin)
		}
	}
	for _, p := range []string{"00_dokku-standard", "20_events", "apps", "common", "config", "plugin"} {
		if !seen[p] {
			t.Errorf("core plugin %s is not installed", p)
		}
	}
}

// TestE2ESSHForcedCommand: a key in authorized_keys reaches dokku through
// the real sshd and the forced command, and nothing else.
func TestE2ESSHForcedCommand(t *testing.T) {
	key := NewSSHKey(t)
	key.AuthorizeDirect(t)

	res := key.SSH(t, Opts{}, "version")
	if res.Code != 0 || res.Stdout != "dokku version "+DokkuVersion+"\n" {
		t.Fatalf("ssh dokku@127.0.0.1 version:\n%s", res)
	}
	app := NewApp(t)
	if res := key.SSH(t, Opts{}, "apps:list"); res.Code != 0 || !strings.Contains(res.Stdout, app+"\n") {
		t.Errorf("ssh apps:list:\n%s", res)
	}
	// Quoted words survive the re-dispatch of SSH_ORIGINAL_COMMAND.
	key.SSH(t, Opts{}, "config:set", "--no-restart", app, "'SPACED=two words'")
	if got := MustDokku(t, "config:get", app, "SPACED").Stdout; got != "two words\n" {
		t.Errorf("config:set over ssh stored %q", got)
	}
	// Exit codes travel back through ssh.
	if res := key.SSH(t, Opts{}, "apps:exists", RunPrefix+"-missing"); res.Code != 20 {
		t.Errorf("ssh apps:exists of a missing app: want exit 20:\n%s", res)
	}
	// No shell: whatever is asked for goes to dokku as words.
	res = key.SSH(t, Opts{}, "id; echo shell")
	if res.Code == 0 || strings.Contains(res.Stdout, "uid=") || strings.Contains(res.Stdout, "shell") {
		t.Errorf("the forced command let a shell command through:\n%s", res)
	}
	// No port forwarding.
	args := append(key.SSHArgs(), "-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:0:127.0.0.1:9", DokkuUser+"@127.0.0.1", "version")
	if res := Run(t, Opts{}, "ssh", args...); res.Code == 0 {
		t.Errorf("remote port forwarding was allowed:\n%s", res)
	}
}
