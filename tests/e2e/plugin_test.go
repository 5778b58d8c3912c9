//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestE2EPluginInstallFromGit(t *testing.T) {
	res := installHello(t, helloGitRepo(t))
	if !strings.Contains(res.Stdout, "-----> Plugin hello enabled") {
		t.Errorf("plugin:install output lacks the enabled line:\n%s", res)
	}
	dir := filepath.Join(LibRoot, "plugins", "available", helloPlugin)
	if target, err := os.Readlink(filepath.Join(LibRoot, "plugins", "enabled", helloPlugin)); err != nil || target != dir {
		t.Errorf("plugins/enabled/hello: got %q, %v; want a link to %s", target, err, dir)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); err != nil {
		t.Errorf("a plugin installed from git keeps its repository: %v", err)
	}

	list := MustDokku(t, "plugin:list")
	if !regexp.MustCompile(`(?m)^\s+hello\s+0\.1\.0\s+enabled\s+dokku e2e fixture plugin$`).MatchString(list.Stdout) {
		t.Errorf("plugin:list does not show the plugin enabled:\n%s", list)
	}

	checkHelloPluginWorks(t)

	// Uninstalling removes it and its commands.
	res = MustDokku(t, "plugin:uninstall", helloPlugin)
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("plugin:uninstall left %s behind (%v)", dir, err)
	}
	if _, err := os.Lstat(filepath.Join(LibRoot, "plugins", "enabled", helloPlugin)); !os.IsNotExist(err) {
		t.Errorf("plugin:uninstall left the enabled link behind (%v)", err)
	}
	gone := Dokku(t, "hello:world")
	if gone.Code != 1 || !strings.Contains(gone.Stderr, " !     `hello:world` is not a dokku command.") {
		t.Errorf("hello:world after uninstall:\n%s", gone)
	}
}

func TestE2EPluginInstallFromTarball(t *testing.T) {
	installHello(t, helloTarball(t))
	dir := filepath.Join(LibRoot, "plugins", "available", helloPlugin)
	// The archive's single top-level directory is flattened away.
	for _, f := range []string{"plugin.toml", "commands", "subcommands/world", "post-create"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("installed plugin lacks %s: %v", f, err)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "post-create")); err == nil && fi.Mode().Perm()&0o111 == 0 {
		t.Errorf("post-create lost its executable bit: %v", fi.Mode())
	}
	checkHelloPluginWorks(t)
}

// checkHelloPluginWorks drives the installed fixture through its commands
// and triggers, as root and as the dokku user.
func checkHelloPluginWorks(t *testing.T) {
	t.Helper()
	if res := MustDokku(t, "hello:world"); res.Stdout != "-----> Hello, world!\n" {
		t.Errorf("hello:world:\n%s", res)
	}
	if res := DokkuAsUser(t, "hello:world"); res.Code != 0 || res.Stdout != "-----> Hello, world!\n" {
		t.Errorf("hello:world as the dokku user:\n%s", res)
	}

	// Plugin code runs as the dokku user, with its HOME, also when root
	// runs the command (the switch sudo -u dokku -E -H makes in Dokku).
	home := "HOME=" + DokkuRoot + " USER=" + DokkuUser
	if res := MustDokku(t, "hello:whoami"); res.Stdout != DokkuUser+":"+DokkuGroup+" "+home+" SUDO_USER=root\n" {
		t.Errorf("hello:whoami run by root:\n%s", res)
	}
	if res := DokkuAsUser(t, "hello:whoami"); res.Stdout != DokkuUser+":"+DokkuGroup+" "+home+" SUDO_USER=\n" {
		t.Errorf("hello:whoami run by the dokku user:\n%s", res)
	}

	// post-create runs the plugin's hook, which stores a property through
	// fn-plugin-property-write: a 0600 file owned by dokku.
	app := App(t)
	res := MustDokku(t, "apps:create", app)
	if !strings.Contains(res.Stdout, "-----> hello: stored a greeting for "+app+"\n") {
		t.Errorf("apps:create did not run the plugin's post-create:\n%s", res)
	}
	prop := filepath.Join(LibRoot, "config", "hello", app, "greeting")
	if got := ReadFile(t, prop); got != "hello from post-create" {
		t.Errorf("greeting property = %q", got)
	}
	AssertOwnerMode(t, prop, DokkuUser, DokkuGroup, 0o600)

	// post-config-update receives the app, the action and the keys.
	MustDokku(t, "config:set", "--no-restart", app, "GREETING=hi there, $USER!")
	last := filepath.Join(LibRoot, "config", "hello", app, "last-config-update")
	if got := ReadFile(t, last); got != "set GREETING" {
		t.Errorf("post-config-update recorded %q, want %q", got, "set GREETING")
	}

	// The subcommand reads its property and config_get; verify_app_name
	// guards the app argument.
	res = MustDokku(t, "hello:world", app)
	want := "-----> Hello, " + app + "!\n       stored greeting: hello from post-create\n       GREETING: hi there, $USER!\n"
	if res.Stdout != want {
		t.Errorf("hello:world %s:\n%s\nwant stdout:\n%s", app, res, want)
	}
	// The commands fallback serves hello:greeting.
	if res := MustDokku(t, "hello:greeting", app); strings.TrimRight(res.Stdout, "\n") != "hi there, $USER!" {
		t.Errorf("hello:greeting:\n%s", res)
	}
	missing := RunPrefix + "-no-such-app"
	res = Dokku(t, "hello:world", missing)
	if res.Code != 20 || !strings.Contains(res.Stderr, "App "+missing+" does not exist") {
		t.Errorf("hello:world on a missing app: want exit 20 and the not-exist message:\n%s", res)
	}

	// The plugin's post-delete cleans its properties when the app goes.
	MustDokku(t, "--force", "apps:destroy", app)
	if _, err := os.Stat(filepath.Dir(prop)); !os.IsNotExist(err) {
		t.Errorf("the plugin's post-delete did not remove %s (%v)", filepath.Dir(prop), err)
	}
}
