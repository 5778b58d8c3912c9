package nginxvhosts

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/godokku/dokku/internal/lock"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// nginxTimeout bounds every nginx/systemctl invocation.
const nginxTimeout = 2 * time.Minute

// isOpenResty reports an OpenResty installation (Dokku's check).
func isOpenResty() bool {
	fi, err := os.Stat("/usr/bin/openresty")
	return err == nil && !fi.IsDir()
}

// nginxBin is the nginx binary: $DOKKU_NGINX_BIN, else OpenResty, else the
// first nginx found in the usual places or PATH ("" when none).
func nginxBin(ctx *plugin.Context) string {
	if b := ctx.Env.Get("DOKKU_NGINX_BIN"); b != "" {
		return b
	}
	if isOpenResty() {
		return "/usr/bin/openresty"
	}
	for _, p := range []string{"/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	return ""
}

// confDir is the nginx configuration directory (under DOKKU_SYSTEM_ROOT).
func confDir(ctx *plugin.Context) string {
	if isOpenResty() {
		return ctx.Env.SystemPath("/usr/local/openresty/nginx/conf")
	}
	return ctx.Env.SystemPath("/etc/nginx")
}

// mainConf is the nginx.conf `nginx -t` reads: the compiled-in default on
// the real system (""), else the scratch tree's copy when it exists.
func mainConf(ctx *plugin.Context) (path string, ok bool) {
	if ctx.Env.RealSystem() {
		return "", true
	}
	p := filepath.Join(confDir(ctx), "nginx.conf")
	if _, err := os.Stat(p); err == nil {
		return p, true
	}
	return "", false
}

// privileged wraps a command in `sudo -n` when the process is not root on
// the real system (the sudoers whitelist written by install allows it).
func privileged(ctx *plugin.Context, name string, args ...string) proc.Cmd {
	if os.Geteuid() != 0 && ctx.Env.RealSystem() {
		return proc.Cmd{Name: "sudo", Args: append([]string{"-n", name}, args...), Env: ctx.Env.Environ(), Timeout: nginxTimeout}
	}
	return proc.Cmd{Name: name, Args: args, Env: ctx.Env.Environ(), Timeout: nginxTimeout}
}

// combined runs c and returns its stdout+stderr.
func combined(c proc.Cmd) (string, error) {
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	err := proc.Run(context.Background(), c)
	return out.String(), err
}

// version is the nginx version ("1.22.1"), "" when unknown.
func version(ctx *plugin.Context) string {
	bin := nginxBin(ctx)
	if bin == "" {
		return ""
	}
	out, _ := combined(proc.Cmd{Name: bin, Args: []string{"-v"}, Env: ctx.Env.Environ(), Timeout: 10 * time.Second})
	return parseVersion(out)
}

var versionRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/([0-9]+(\.[0-9]+)*)`) })

func parseVersion(out string) string {
	m := versionRe().FindStringSubmatch(out)
	if m == nil {
		return ""
	}
	return m[1]
}

// versionAtLeast compares dotted versions; an unknown version counts as a
// current nginx (Dokku assumes support when nginx is missing).
func versionAtLeast(v string, want ...int) bool {
	if v == "" {
		return true
	}
	parts := strings.Split(v, ".")
	for i, w := range want {
		n := 0
		if i < len(parts) {
			n, _ = strconv.Atoi(parts[i])
		}
		if n != w {
			return n > w
		}
	}
	return true
}

// features are the *_SUPPORTED template variables for an nginx version.
func features(v string) map[string]string {
	b := func(ok bool) string { return strconv.FormatBool(ok) }
	directive := v != "" && versionAtLeast(v, 1, 25, 1)
	return map[string]string{
		"SPDY_SUPPORTED":            "false",
		"GRPC_SUPPORTED":            "true",
		"TLS13_SUPPORTED":           b(versionAtLeast(v, 1, 13, 0)),
		"HTTP2_SUPPORTED":           b(versionAtLeast(v, 1, 9, 5)),
		"HTTP2_DIRECTIVE_SUPPORTED": b(directive),
		"HTTP2_PUSH_SUPPORTED":      b(v != "" && versionAtLeast(v, 1, 13, 9) && !directive),
	}
}

// nginxUser is the `user` of the main nginx.conf (the validation wrapper
// uses it so nginx -t does not create files owned by root).
func nginxUser(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(data), "\n") {
		if i := strings.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		f := strings.Fields(l)
		if len(f) >= 2 && f[0] == "user" {
			return strings.TrimSuffix(f[1], ";")
		}
	}
	return ""
}

// testAll runs `nginx -t` over the whole configuration. skipped is true
// when there is nothing to test (scratch tree without nginx.conf, or no
// nginx binary).
func testAll(ctx *plugin.Context) (output string, skipped bool, err error) {
	bin := nginxBin(ctx)
	conf, ok := mainConf(ctx)
	if bin == "" || !ok {
		return "", true, nil
	}
	args := []string{"-t"}
	if conf != "" {
		args = append(args, "-c", conf)
	}
	out, err := combined(privileged(ctx, bin, args...))
	return out, false, err
}

// testFile runs `nginx -t -c <file>`.
func testFile(ctx *plugin.Context, file string) (string, error) {
	bin := nginxBin(ctx)
	if bin == "" {
		return "", nil
	}
	return combined(privileged(ctx, bin, "-t", "-c", file))
}

// systemdPID1 reports whether systemd is the init process.
func systemdPID1() bool {
	b, err := os.ReadFile("/proc/1/comm")
	return err == nil && strings.TrimSpace(string(b)) == "systemd"
}

// serviceCommand is the nginx-service-command property for app (computed),
// or the global one.
func serviceCommand(ctx *plugin.Context, app string) string {
	if app == "" {
		app = property.Global
	}
	return computed(ctx, app, "nginx-service-command")
}

// reload reloads nginx: the nginx-service-command when set, else
// `nginx -s reload` (root) or the whitelisted sudo command; nothing in a
// scratch tree.
func reload(ctx *plugin.Context, app string) error {
	var c proc.Cmd
	if sc := serviceCommand(ctx, app); sc != "" {
		c = proc.Cmd{Name: "/bin/sh", Args: []string{"-c", sc}, Env: ctx.Env.Environ(), Timeout: nginxTimeout}
	} else if !ctx.Env.RealSystem() {
		return nil
	} else if !running(ctx) {
		// The new files are picked up when nginx starts (nginx:start).
		ctx.UI().WarnQuiet("nginx is not running, skipping the reload")
		return nil
	} else if os.Geteuid() == 0 {
		c = proc.Cmd{Name: nginxBin(ctx), Args: []string{"-s", "reload"}, Env: ctx.Env.Environ(), Timeout: nginxTimeout}
	} else if systemdPID1() {
		c = privileged(ctx, "/usr/bin/systemctl", "reload", "nginx")
	} else {
		c = privileged(ctx, nginxBin(ctx), "-s", "reload")
	}
	// The pid file names the system's nginx: a scratch tree's service
	// command reloads some other one (or none), so only a real system waits.
	master := 0
	if ctx.Env.RealSystem() {
		master = nginxMaster()
	}
	before := nginxChildren(master)
	out, err := combined(c)
	if err != nil {
		return fmt.Errorf("failed to reload nginx: %s", strings.TrimSpace(out))
	}
	waitReloaded(master, before)
	return nil
}

// serviceAction starts or stops the nginx service.
func serviceAction(ctx *plugin.Context, action string) error {
	if !ctx.Env.RealSystem() {
		return nil
	}
	var cmds []proc.Cmd
	if systemdPID1() {
		verb := "enable"
		if action == "stop" {
			verb = "disable"
		}
		cmds = append(cmds, privileged(ctx, "/usr/bin/systemctl", verb, "--now", "nginx"))
	} else if action == "start" {
		if running(ctx) {
			return nil
		}
		cmds = append(cmds, privileged(ctx, nginxBin(ctx)))
	} else {
		if !running(ctx) {
			return nil
		}
		cmds = append(cmds, privileged(ctx, nginxBin(ctx), "-s", "quit"))
	}
	for _, c := range cmds {
		if out, err := combined(c); err != nil {
			return fmt.Errorf("failed to %s nginx: %s", action, strings.TrimSpace(out))
		}
	}
	return nil
}

// running reports whether the nginx master in the pid file is alive.
func running(ctx *plugin.Context) bool {
	for _, p := range []string{"/run/nginx.pid", "/var/run/nginx.pid", "/usr/local/openresty/nginx/logs/nginx.pid"} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			continue
		}
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil {
			return true
		}
	}
	return false
}

// lockNginx serialises config installs, validation and reloads.
func lockNginx(ctx *plugin.Context) (*lock.Lock, error) {
	p := filepath.Join(ctx.Env.PluginDataRoot(dataName), ".nginx.lock")
	l, err := lock.Poll(p, 100*time.Millisecond, 5*time.Minute, func() {
		ctx.UI().VerboseQuiet("Waiting for another nginx configuration change to finish")
	})
	if err != nil {
		return nil, ui.Failf("Unable to lock the nginx configuration: %v", err)
	}
	// A lock file first created by root must stay usable by the dokku user.
	if own := owner(ctx); own != nil {
		l.File().Chown(own.UID, own.GID)
	}
	return l, nil
}

// failNginx renders an nginx -t failure: its output, then one error line.
func failNginx(ctx *plugin.Context, out, msg string) error {
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if l != "" {
			ctx.UI().Stderr(l)
		}
	}
	return ui.Fail(msg)
}
