package nginxvhosts

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// triggerCorePostExtract stages the app's nginx.conf.sigil (from
// nginx-conf-sigil-path in the source tree) as
// data/nginx-vhosts/app-<app>/nginx.conf.sigil.<DOKKU_PID> (or a .missing
// marker) and pre-validates it, so a broken template fails the deploy
// before anything is built.
func triggerCorePostExtract(ctx *plugin.Context, args []string) error {
	name, workDir := plugin.Arg(args, 0), plugin.Arg(args, 1)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	pid := ctx.Env.Get("DOKKU_PID")
	if pid == "" {
		pid = "0"
	}
	own := owner(ctx)
	dir := appDataDir(ctx, name)
	if err := atomicfile.MkdirAll(dir, 0o755, own); err != nil {
		return err
	}
	staged := filepath.Join(dir, "nginx.conf.sigil."+pid)
	os.Remove(staged)
	os.Remove(staged + ".missing")

	rel := computed(ctx, name, "nginx-conf-sigil-path")
	src := ""
	if rel != "" && workDir != "" {
		cand := filepath.Join(workDir, filepath.Clean("/"+rel))
		if fi, err := os.Stat(cand); err == nil && fi.Mode().IsRegular() {
			src = cand
		}
	}
	if src == "" {
		return atomicfile.Write(staged+".missing", nil, 0o644, own)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(staged, data, 0o644, own); err != nil {
		return err
	}
	if ctx.TriggerValue("proxy-type", name) != "nginx" || computed(ctx, name, "disable-custom-config") == "true" {
		return nil
	}
	return prevalidate(ctx, name, staged)
}

// prevalidate renders the staged template with the deploy-time variables
// (a placeholder listener when the app has none yet) and runs nginx -t on
// it inside the validation wrapper.
func prevalidate(ctx *plugin.Context, name, path string) error {
	u := ctx.UI()
	u.Info1("Pre-validating custom nginx.conf.sigil")
	st, err := gather(ctx.WithIO(nil, &strings.Builder{}, nil), name, "", "", true, true)
	if err != nil {
		return err
	}
	conf, err := tmpl{path: path, source: sourceApp}.render(ctx, "nginx.conf.sigil", st.vars, st.env)
	if err != nil {
		u.Warn(err.Error())
		return ui.Fail("Custom nginx.conf.sigil failed to render")
	}
	if nginxBin(ctx) == "" {
		return nil
	}
	out, err := testCandidate(ctx, name, conf)
	if err != nil {
		return failNginx(ctx, out, "Custom nginx.conf.sigil failed nginx -t validation")
	}
	return nil
}

// promoteTemplate moves the template staged by this build into place (or
// removes the previous one when the new source has none).
func promoteTemplate(ctx *plugin.Context, name string) error {
	pid := ctx.Env.Get("DOKKU_PID")
	if pid == "" {
		return nil
	}
	dir := appDataDir(ctx, name)
	staged := filepath.Join(dir, "nginx.conf.sigil."+pid)
	final := filepath.Join(dir, "nginx.conf.sigil")
	if fileExists(staged) {
		return os.Rename(staged, final)
	}
	if fileExists(staged + ".missing") {
		os.Remove(staged + ".missing")
		if err := os.Remove(final); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}
