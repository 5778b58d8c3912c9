// Package contrib_test checks the installer scripts and the Debian
// packaging without touching the host: syntax of every script, and a real
// `contrib/build-deb.sh` run into a temp dir inspected with dpkg-deb.
package contrib_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestContribScriptsParse(t *testing.T) {
	for _, s := range []struct{ shell, path string }{
		{"bash", "install.sh"},
		{"bash", "uninstall.sh"},
		{"bash", "build-deb.sh"},
		{"bash", "../.ci/run"},
		{"sh", "../debian/postinst"},
		{"sh", "../debian/prerm"},
		{"sh", "../debian/postrm"},
	} {
		out, err := exec.Command(s.shell, "-n", s.path).CombinedOutput()
		if err != nil {
			t.Errorf("%s -n %s: %v\n%s", s.shell, s.path, err, out)
		}
		fi, err := os.Stat(s.path)
		if err != nil || fi.Mode().Perm()&0o111 == 0 {
			t.Errorf("%s must be executable (%v)", s.path, err)
		}
	}
}

func TestContribScriptsRejectBadOptions(t *testing.T) {
	for _, script := range []string{"install.sh", "uninstall.sh"} {
		out, err := exec.Command("bash", script, "--no-such-option").CombinedOutput()
		if err == nil {
			t.Errorf("%s accepted an unknown option:\n%s", script, out)
		}
		if !strings.HasPrefix(string(out), " !     ") || strings.Count(string(out), "\n") != 1 {
			t.Errorf("%s: want one ` !     ` line, got %q", script, out)
		}
	}
	out, err := exec.Command("bash", "build-deb.sh", "/nonexistent", "0.38.27", "amd64").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "/nonexistent is not an executable file") {
		t.Errorf("build-deb.sh with a missing binary: %v %q", err, out)
	}
}

func TestContribBuildDeb(t *testing.T) {
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		t.Skip("dpkg-deb is not installed")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "dokku")
	for _, name := range []string{"dokku", "dokku-engine"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\necho fake "+name+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("bash", "build-deb.sh", bin, "0.38.27", "amd64")
	cmd.Env = append(os.Environ(), "DEB_OUT_DIR="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build-deb.sh: %v\n%s", err, out)
	}
	deb := filepath.Join(dir, "dokku_0.38.27+go_amd64.deb")

	info, err := exec.Command("dpkg-deb", "--field", deb).Output()
	if err != nil {
		t.Fatalf("dpkg-deb --field: %v", err)
	}
	for _, want := range []string{
		"Package: dokku\n", "Version: 0.38.27+go\n", "Architecture: amd64\n",
		"Provides: plugn\n", "Replaces: plugn\n",
	} {
		if !strings.Contains(string(info), want) {
			t.Errorf("control lacks %q:\n%s", want, info)
		}
	}
	if !regexp.MustCompile(`(?m)^Depends: .*docker\.io \| docker-ce.*openssh-server.*$`).Match(info) {
		t.Errorf("Depends:\n%s", info)
	}
	if strings.Contains(string(info), "@") && !strings.Contains(string(info), "dokku@localhost") {
		t.Errorf("an @PLACEHOLDER@ was left in control:\n%s", info)
	}

	contents, err := exec.Command("dpkg-deb", "--contents", deb).Output()
	if err != nil {
		t.Fatalf("dpkg-deb --contents: %v", err)
	}
	for _, re := range []string{
		`(?m)^drwxr-xr-x root/root .* \./$`,
		`(?m)^-rwxr-xr-x root/root .* \./usr/bin/dokku$`,
		`(?m)^-rwxr-xr-x root/root .* \./usr/bin/dokku-engine$`,
		`(?m)^lrwxrwxrwx root/root .* \./usr/bin/plugn -> /usr/bin/dokku-engine$`,
		`(?m)^-rwxr-xr-x root/root .* \./usr/share/dokku/contrib/install\.sh$`,
		`(?m)^-rwxr-xr-x root/root .* \./usr/share/dokku/contrib/uninstall\.sh$`,
		`(?m)^-rw-r--r-- root/root .* \./usr/share/dokku/VERSION$`,
	} {
		if !regexp.MustCompile(re).Match(contents) {
			t.Errorf("package contents lack %s:\n%s", re, contents)
		}
	}
	for _, script := range []string{"postinst", "prerm", "postrm"} {
		out, err := exec.Command("dpkg-deb", "--info", deb, script).Output()
		if err != nil || !strings.HasPrefix(string(out), "#!/bin/sh\n") {
			t.Errorf("maintainer script %s: %v %q", script, err, out)
		}
	}
	ex := filepath.Join(dir, "x")
	if out, err := exec.Command("dpkg-deb", "-x", deb, ex).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb -x: %v\n%s", err, out)
	}
	if b, err := os.ReadFile(filepath.Join(ex, "usr/share/dokku/VERSION")); err != nil || string(b) != "0.38.27\n" {
		t.Errorf("VERSION: %q %v", b, err)
	}
}

// TestContribInstallVhost runs install.sh's global-domain step with stubbed
// hostname/getent/chown: the name is used only when it is dotted, not
// localhost, resolves, and no VHOST exists yet.
func TestContribInstallVhost(t *testing.T) {
	for _, c := range []struct {
		name, fqdn string
		resolves   bool
		existing   string
		want       string // "" = no VHOST file
	}{
		{"resolving fqdn", "dokku.example.com", true, "", "dokku.example.com\n"},
		{"unresolvable", "dokku.example.com", false, "", ""},
		{"bare name", "vm", true, "", ""},
		{"localhost", "localhost.localdomain", true, "", ""},
		{"existing file kept", "dokku.example.com", true, "kept.example.org\n", "kept.example.org\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			stubs := filepath.Join(dir, "bin")
			root := filepath.Join(dir, "home")
			for _, d := range []string{stubs, root} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			getent := "exit 2"
			if c.resolves {
				getent = "exit 0"
			}
			for name, body := range map[string]string{"hostname": "echo " + c.fqdn, "getent": getent, "chown": "exit 0"} {
				if err := os.WriteFile(filepath.Join(stubs, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			vhost := filepath.Join(root, "VHOST")
			if c.existing != "" {
				if err := os.WriteFile(vhost, []byte(c.existing), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			script := `source ./install.sh; PATH="$1:$PATH"; DOKKU_ROOT="$2"; ensure_vhost`
			out, err := exec.Command("bash", "-c", script, "bash", stubs, root).CombinedOutput()
			if err != nil {
				t.Fatalf("ensure_vhost: %v\n%s", err, out)
			}
			got, err := os.ReadFile(vhost)
			switch {
			case c.want == "" && err == nil:
				t.Errorf("VHOST written (%q) for %s", got, c.fqdn)
			case c.want != "" && string(got) != c.want:
				t.Errorf("VHOST = %q (%v), want %q", got, err, c.want)
			}
		})
	}
}

// TestContribUninstallDestroysAppsOnlyOnPurge runs uninstall.sh's first
// step with a stubbed dokku: apps are destroyed (forced) only with PURGE=1.
func TestContribUninstallDestroysAppsOnlyOnPurge(t *testing.T) {
	for _, purge := range []string{"0", "1"} {
		log := filepath.Join(t.TempDir(), "calls")
		script := `source ./uninstall.sh; PURGE="$1"
have_dokku() { return 0; }
dokku_clean() {
  echo "$*" >>"$LOG"
  if [[ "$*" == apps:list ]]; then printf '=====> My Apps\nalpha\nbeta\n'; fi
}
destroy_apps`
		cmd := exec.Command("bash", "-c", script, "bash", purge)
		cmd.Env = append(os.Environ(), "LOG="+log)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("PURGE=%s: %v\n%s", purge, err, out)
		}
		calls, _ := os.ReadFile(log)
		want := ""
		if purge == "1" {
			want = "apps:list\n--force apps:destroy alpha\n--force apps:destroy beta\n"
		}
		if string(calls) != want {
			t.Errorf("PURGE=%s: dokku calls %q, want %q", purge, calls, want)
		}
	}
}
