package nginxvhosts

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/ui"
)

func runShowConfig(ctx *plugin.Context, args []string) error {
	name, err := app.VerifyArg(ctx, plugin.Rest(args), 0)
	if err != nil {
		return err
	}
	if sched := app.Scheduler(ctx, name); sched != "docker-local" {
		return ctx.Trigger("scheduler-proxy-config", sched, name, "nginx")
	}
	data, err := os.ReadFile(filepath.Join(ctx.Env.AppRoot(name), "nginx.conf"))
	if err != nil {
		return ui.Failf("No nginx.conf exists for %s", name)
	}
	_, err = ctx.Stdout.Write(data)
	return err
}

// validateOne checks one app's nginx.conf inside the validation wrapper;
// with clean an invalid file is removed.
func validateOne(ctx *plugin.Context, name string, clean bool) (valid bool, err error) {
	p := filepath.Join(ctx.Env.AppRoot(name), "nginx.conf")
	data, err := os.ReadFile(p)
	if err != nil {
		ctx.UI().WarnQuiet("No nginx config found for " + name)
		return true, nil
	}
	out, err := testCandidate(ctx, name, string(data))
	if err == nil {
		return true, nil
	}
	u := ctx.UI()
	u.Warn("Failed to validate nginx config for " + name + ". Contents below...")
	ctx.Stdout.Write(data)
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" {
			u.Stderr(l)
		}
	}
	if clean {
		u.Warn("Removing invalid nginx file")
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return false, err
		}
		return true, nil
	}
	return false, nil
}

func runValidateConfig(ctx *plugin.Context, args []string) error {
	var name string
	clean := false
	for _, a := range plugin.Rest(args) {
		switch {
		case a == "--clean":
			clean = true
		case strings.HasPrefix(a, "--"):
			return ui.Failf("unknown flag: %s", a)
		case name == "":
			name = a
		}
	}
	if nginxBin(ctx) == "" {
		return ui.Fail("nginx is not installed")
	}
	var apps []string
	if name != "" {
		if err := app.Verify(ctx, name); err != nil {
			return err
		}
		apps = []string{name}
	} else {
		var err error
		if apps, err = app.List(ctx); err != nil {
			return err
		}
	}
	invalid := 0
	for _, a := range apps {
		ok, err := validateOne(ctx, a, clean)
		if err != nil {
			return err
		}
		if !ok {
			invalid++
		}
	}
	if invalid > 0 {
		return ui.Failf("%d invalid nginx configuration(s) found", invalid)
	}
	out, skipped, err := testAll(ctx)
	if !skipped && err != nil {
		return failNginx(ctx, out, "nginx configuration is invalid")
	}
	return nil
}

func runReload(ctx *plugin.Context, args []string) error {
	l, err := lockNginx(ctx)
	if err != nil {
		return err
	}
	defer l.Release()
	return validateAndReload(ctx, "")
}

func runStart(ctx *plugin.Context, args []string) error {
	ctx.UI().Info1("Starting nginx")
	if err := serviceAction(ctx, "start"); err != nil {
		return ui.Fail(err.Error())
	}
	return ctx.Props().Write(pluginName, property.Global, "proxy-status", "started")
}

func runStop(ctx *plugin.Context, args []string) error {
	ctx.UI().Info1("Stopping nginx")
	if err := serviceAction(ctx, "stop"); err != nil {
		return ui.Fail(err.Error())
	}
	return ctx.Props().Write(pluginName, property.Global, "proxy-status", "stopped")
}

// runLogs is nginx:access-logs / nginx:error-logs <app> [-t].
func runLogs(kind string) plugin.Handler {
	return func(ctx *plugin.Context, args []string) error {
		var name string
		tail := false
		for _, a := range plugin.Rest(args) {
			switch {
			case a == "-t" || a == "--tail":
				tail = true
			case strings.HasPrefix(a, "-"):
				return ui.Failf("unknown flag: %s", a)
			case name == "":
				name = a
			}
		}
		name, err := app.VerifyArg(ctx, []string{name}, 0)
		if err != nil {
			return err
		}
		if sched := app.Scheduler(ctx, name); sched != "docker-local" {
			return ctx.Trigger("scheduler-proxy-logs", sched, name, "nginx", kind, strconv.FormatBool(tail), "20")
		}
		path := computed(ctx, name, kind+"-log-path")
		if path == "off" || path == "/dev/null" {
			return ui.Failf("%s logs are disabled for this app", kind)
		}
		if tail {
			return proc.Run(context.Background(), proc.Cmd{Name: "tail", Args: []string{"-F", path}, Stdout: ctx.Stdout, Stderr: ctx.Stderr, Env: ctx.Env.Environ()})
		}
		last, err := lastLines(path, 20)
		if err != nil {
			return ui.Failf("Unable to read %s: %v", path, err)
		}
		_, err = io.WriteString(ctx.Stdout, last)
		return err
	}
}

// lastLines returns the last n lines of a file.
func lastLines(path string, n int) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	const chunk = 64 * 1024
	size := fi.Size()
	var buf []byte
	for off := size; off > 0; {
		step := int64(chunk)
		if off < step {
			step = off
		}
		off -= step
		b := make([]byte, step)
		if _, err := f.ReadAt(b, off); err != nil && err != io.EOF {
			return "", err
		}
		buf = append(b, buf...)
		if bytes.Count(buf, []byte("\n")) > n {
			break
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(buf))
	sc.Buffer(make([]byte, 1024*1024), 16*1024*1024)
	var all []string
	for sc.Scan() {
		all = append(all, sc.Text())
	}
	if len(all) > n {
		all = all[len(all)-n:]
	}
	if len(all) == 0 {
		return "", nil
	}
	return strings.Join(all, "\n") + "\n", nil
}

func reportSpec() report.Spec {
	return report.Spec{
		Namespace: "nginx",
		Type:      "nginx",
		Collect: func(ctx *plugin.Context, name string) (map[string]string, error) {
			v := map[string]string{}
			props := ctx.Props()
			for _, k := range Keys {
				g, _ := props.Get(pluginName, property.Global, k)
				v["--nginx-global-"+k] = g
				if name == property.Global {
					continue
				}
				a, _ := props.Get(pluginName, name, k)
				v["--nginx-"+k] = a
				v["--nginx-computed-"+k] = computed(ctx, name, k)
			}
			if name != property.Global {
				v["--nginx-last-visited-at"] = lastVisited(ctx, name)
			}
			return v, nil
		},
	}
}

// lastVisited is the mtime of the app's own access log property path.
// compat: Dokku reads the app-level access-log-path (not the computed one),
// so the value is empty unless that property is set.
func lastVisited(ctx *plugin.Context, name string) string {
	p, _ := ctx.Props().Get(pluginName, name, "access-log-path")
	if p == "" || p == "off" || p == "/dev/null" {
		return ""
	}
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	return strconv.FormatInt(fi.ModTime().Unix(), 10)
}
