package nginxvhosts

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/sigil"
	"github.com/godokku/dokku/internal/ui"
)

// ffdhe2048 is the RFC 7919 2048-bit finite-field Diffie-Hellman group
// (public, standard parameters), written as dhparam.pem when the host has
// none instead of generating parameters for minutes at install time.
const ffdhe2048 = `-----BEGIN DH PARAMETERS-----
MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
-----END DH PARAMETERS-----
`

// sudoersRules is the whitelist the dokku group needs to test and reload
// nginx when dokku runs as the dokku user.
func sudoersRules(ctx *plugin.Context) string {
	bin := nginxBin(ctx)
	if bin == "" {
		bin = "/usr/sbin/nginx"
	}
	group := ctx.Env.SystemGroup()
	if group == "" {
		group = "dokku"
	}
	user := ctx.Env.SystemUser()
	if user == "" {
		user = "dokku"
	}
	cmds := []string{
		bin + " -t",
		bin + " -t -c *",
		bin + " -s reload",
		bin + " -s quit",
		bin,
		"/usr/bin/systemctl reload nginx",
		"/usr/bin/systemctl enable --now nginx",
		"/usr/bin/systemctl disable --now nginx",
	}
	return fmt.Sprintf("%%%s ALL=(ALL) NOPASSWD:%s\nDefaults:%s !requiretty\n", group, strings.Join(cmds, ", "), user)
}

// writeSudoers installs /etc/sudoers.d/dokku-nginx, checked with visudo
// when it is available (a broken sudoers file would lock out sudo).
func writeSudoers(ctx *plugin.Context) error {
	path := ctx.Env.SystemPath("/etc/sudoers.d/dokku-nginx")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".dokku-nginx-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(sudoersRules(ctx)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o440); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if visudo, err := exec.LookPath("visudo"); err == nil {
		out, err := proc.Output(context.Background(), proc.Cmd{Name: visudo, Args: []string{"-c", "-q", "-f", tmp.Name()}, Timeout: 30 * time.Second})
		if err != nil {
			return fmt.Errorf("generated sudoers file is invalid: %s %v", strings.TrimSpace(out), err)
		}
	}
	return os.Rename(tmp.Name(), path)
}

// dokkuConf renders /etc/nginx/conf.d/dokku.conf (nginx-dokku-template-source
// may supply the template).
func dokkuConf(ctx *plugin.Context, dhparam string) (string, error) {
	vars := map[string]string{
		"DOKKU_ROOT":    ctx.Env.Root(),
		"NGINX_ROOT":    confDir(ctx),
		"NGINX_DHPARAM": dhparam,
	}
	if p := ctx.TriggerValue("nginx-dokku-template-source"); p != "" && fileExists(p) {
		out, err := sigil.RenderFile(p, sigil.Options{Vars: vars})
		return sigil.SqueezeBlank(out), err
	}
	out, err := sigil.Render(dokkuConfTemplate, sigil.Options{Name: "dokku.conf.sigil", Vars: vars})
	return sigil.SqueezeBlank(out), err
}

func triggerInstall(ctx *plugin.Context, args []string) error {
	own := owner(ctx)
	if err := ctx.Props().Setup(pluginName); err != nil {
		return err
	}
	errorsDir := filepath.Join(ctx.Env.PluginDataRoot(dataName), "dokku-errors")
	if err := atomicfile.MkdirAll(errorsDir, 0o755, own); err != nil {
		return err
	}
	for name, content := range errorPages {
		if err := atomicfile.Write(filepath.Join(errorsDir, name), []byte(*content), 0o644, own); err != nil {
			return err
		}
	}

	// nginx opens the per-app logs under this directory (created by the
	// nginx package on a real host; needed in a scratch root).
	if err := os.MkdirAll(logRoot(ctx), 0o755); err != nil {
		return err
	}
	conf := confDir(ctx)
	confD := filepath.Join(conf, "conf.d")
	if err := os.MkdirAll(confD, 0o755); err != nil {
		return err
	}
	dhparam := filepath.Join(conf, "dhparam.pem")
	if !fileExists(dhparam) {
		if err := atomicfile.Write(dhparam, []byte(ffdhe2048), 0o644, nil); err != nil {
			return err
		}
	}
	content, err := dokkuConf(ctx, dhparam)
	if err != nil {
		return ui.Fail(err.Error())
	}
	if err := atomicfile.Write(filepath.Join(confD, "dokku.conf"), []byte(content), 0o644, nil); err != nil {
		return err
	}
	bucket := filepath.Join(confD, "server_names_hash_bucket_size.conf")
	if !fileExists(bucket) {
		if err := atomicfile.Write(bucket, []byte("server_names_hash_bucket_size 512;\n"), 0o644, nil); err != nil {
			return err
		}
	}
	if err := writeSudoers(ctx); err != nil {
		return ui.Fail(err.Error())
	}
	if ctx.Env.RealSystem() && running(ctx) {
		if err := validateAndReload(ctx, ""); err != nil {
			ctx.UI().Warn("nginx was not reloaded, fix the configuration and run: dokku nginx:reload")
		}
	}
	return nil
}
