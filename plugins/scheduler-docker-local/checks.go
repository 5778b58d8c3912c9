package schedulerdockerlocal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/godokku/dokku/internal/appjson"
	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/healthcheck"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/sigil"
	"github.com/godokku/dokku/internal/stage"
	"github.com/godokku/dokku/internal/ui"
)

// Defaults of the legacy CHECKS file settings.
const (
	checksFileWait     = 5
	checksFileTimeout  = 30
	checksFileAttempts = 5
	defaultUptime      = 10
)

// stagedOrCurrent is the file this build sees: <file>.<PID>, else <file>;
// "" when absent or staged as missing.
func stagedOrCurrent(ctx *plugin.Context, appName, name string) string {
	return stage.Current(filepath.Join(dataDir(ctx, appName), name), ctx.Env.PID())
}

// promoteStaged makes <file>.<PID> the current <file> (a missing marker
// deletes it).
func promoteStaged(ctx *plugin.Context, appName, name string) error {
	return stage.Promote(filepath.Join(dataDir(ctx, appName), name), ctx.Env.PID())
}

// appEnv is the merged app config.
func appEnv(ctx *plugin.Context, appName string) (map[string]string, error) {
	out, err := ctx.TriggerOutput("config-export", appName, "false", "true", "json")
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	if strings.TrimSpace(out) == "" {
		return env, nil
	}
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		return nil, fmt.Errorf("unable to read the app config: %v", err)
	}
	return env, nil
}

// corePostExtract stages the legacy CHECKS file of the source tree,
// rendered as a sigil template with the app's config.
func corePostExtract(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	appName, workDir := args[0], args[1]
	dir := dataDir(ctx, appName)
	if err := mkdirOwned(ctx, dir); err != nil {
		return err
	}
	staged := filepath.Join(dir, "CHECKS."+ctx.Env.PID())
	os.Remove(staged)
	os.Remove(staged + ".missing")
	var b []byte
	if image := ctx.TriggerValue("git-get-property", appName, "source-image"); image != "" {
		// image deploys: CHECKS comes from the image's WORKDIR
		e, err := newEngine(ctx)
		if err != nil {
			return err
		}
		c, cancel := withTimeout()
		b, err = e.ImageFileContent(c, image, "CHECKS")
		cancel()
		if err != nil {
			return atomicfile.Write(staged+".missing", nil, 0o644, owner(ctx))
		}
	} else {
		src := filepath.Join(workDir, "CHECKS")
		fi, err := os.Lstat(src)
		if err != nil || !fi.Mode().IsRegular() {
			return atomicfile.Write(staged+".missing", nil, 0o644, owner(ctx))
		}
		if b, err = os.ReadFile(src); err != nil {
			return err
		}
	}
	env, err := appEnv(ctx, appName)
	if err != nil {
		return err
	}
	out, err := sigil.Render(string(b), sigil.Options{Name: "CHECKS", Env: env, WorkDir: workDir})
	if err != nil {
		return ui.Failf("Unable to render CHECKS file: %v", err)
	}
	return atomicfile.Write(staged, []byte(out), 0o644, owner(ctx))
}

// postReleaseBuilder tells how the coming deploy will be checked.
func postReleaseBuilder(ctx *plugin.Context, args []string) error {
	if len(args) < 2 || schedulerOf(ctx, args[1]) != Name {
		return nil
	}
	u := ctx.UI()
	u.Info2("Processing deployment checks")
	a, _ := readAppJSON(ctx, args[1])
	if a != nil && len(a.Healthchecks["web"]) > 0 {
		return nil
	}
	u.Warn("No healthchecks found in app.json for web process type")
	u.Verbose("No web healthchecks found in app.json. Simple container checks will be performed.")
	u.Verbose("For more efficient zero downtime deployments, add healthchecks to your app.json. See https://dokku.com/docs/deployment/zero-downtime-deploys/ for examples")
	return nil
}

func readAppJSON(ctx *plugin.Context, appName string) (*appjson.AppJSON, error) {
	out, err := ctx.TriggerOutput("app-json-get-content", appName)
	if err != nil {
		return nil, err
	}
	return appjson.Parse([]byte(out))
}

// checksList assembles the checks of a process type: app.json
// healthchecks (startup ones), else the legacy CHECKS file (web only), else
// an uptime check of default-wait seconds; web also gets the warn-only
// port listening check.
func checksList(ctx *plugin.Context, appName, processType string, port int) ([]healthcheck.Check, error) {
	a, err := readAppJSON(ctx, appName)
	if err != nil {
		return nil, err
	}
	var checks []healthcheck.Check
	for _, h := range a.Healthchecks[processType] {
		t := h.Type
		if t == "" {
			t = "startup"
		}
		if t != "startup" {
			continue
		}
		c := healthcheck.Check{
			Name: h.Name, Type: t, Path: h.Path, Scheme: h.Scheme, Content: h.Content, Port: h.Port,
			Attempts: h.Attempts, Timeout: h.Timeout, Wait: h.Wait, InitialDelay: h.InitialDelay,
			Uptime: h.Uptime, Command: h.Command, Listening: h.Listening, Warn: h.Warn,
		}
		for _, hh := range h.HTTPHeaders {
			c.Headers = append(c.Headers, healthcheck.Header{Name: hh.Name, Value: hh.Value})
		}
		checks = append(checks, c)
	}
	if len(checks) == 0 && processType == "web" {
		legacy, err := legacyChecks(ctx, appName)
		if err != nil {
			return nil, err
		}
		checks = legacy
	}
	if len(checks) == 0 {
		checks = append(checks, healthcheck.Check{Name: "default", Type: "startup", Uptime: defaultWait(ctx)})
	}
	if processType == "web" {
		checks = append(checks, healthcheck.Check{Name: "port listening check", Type: "startup", Listening: true, Port: port, Warn: true})
	}
	return checks, nil
}

func checksProp(ctx *plugin.Context, key string, def int) int {
	v := ctx.Props().Computed("checks", "--global", key, "")
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
		return n
	}
	return def
}

func appChecksProp(ctx *plugin.Context, appName, key string, def int) int {
	v := ctx.Props().Computed("checks", appName, key, "")
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
		return n
	}
	return def
}

// defaultWait is the checks global default-wait (10 s).
func defaultWait(ctx *plugin.Context) int {
	return checksProp(ctx, "default-wait", defaultUptime)
}

// legacyChecks converts a CHECKS file (path [content] lines, WAIT=,
// TIMEOUT=, ATTEMPTS=) into path checks.
func legacyChecks(ctx *plugin.Context, appName string) ([]healthcheck.Check, error) {
	p := stagedOrCurrent(ctx, appName, "CHECKS")
	if p == "" {
		return nil, nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	wait := appChecksProp(ctx, appName, "wait", checksFileWait)
	timeout := appChecksProp(ctx, appName, "timeout", checksFileTimeout)
	attempts := appChecksProp(ctx, appName, "attempts", checksFileAttempts)
	type entry struct{ path, content string }
	var entries []entry
	for _, line := range strings.Split(string(b), "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && !strings.ContainsAny(k, " /") {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return nil, ui.Failf("Invalid %s value in CHECKS file: %s", k, v)
			}
			switch k {
			case "WAIT":
				wait = n
			case "TIMEOUT":
				timeout = n
			case "ATTEMPTS":
				attempts = n
			}
			continue
		}
		path, content, _ := strings.Cut(line, " ")
		entries = append(entries, entry{path, strings.TrimSpace(content)})
	}
	if len(entries) == 0 {
		return nil, nil
	}
	ctx.UI().Warn("Deprecated: the CHECKS file is deprecated, use healthchecks in app.json instead")
	var out []healthcheck.Check
	for _, e := range entries {
		c := healthcheck.Check{Name: e.path, Type: "startup", Content: e.content, Attempts: attempts, Timeout: timeout, Wait: wait}
		rest := e.path
		if s, r, ok := strings.Cut(rest, "://"); ok && (s == "http" || s == "https") {
			c.Scheme, rest = s, "//"+r
		}
		if strings.HasPrefix(rest, "//") {
			host, path, _ := strings.Cut(strings.TrimPrefix(rest, "//"), "/")
			c.Headers = append(c.Headers, healthcheck.Header{Name: "Host", Value: host})
			rest = "/" + path
		}
		if !strings.HasPrefix(rest, "/") {
			continue
		}
		c.Path = rest
		out = append(out, c)
	}
	return out, nil
}

// target adapts a container to the health checker.
type target struct {
	e   engine
	cid string
	st  healthcheck.State
}

func (t *target) State(ctx context.Context) (healthcheck.State, error) {
	info, err := t.e.ContainerInfo(ctx, t.cid)
	if err != nil {
		return healthcheck.State{}, err
	}
	if info == nil {
		return healthcheck.State{Status: "missing"}, nil
	}
	st := t.st
	st.Running = info.Running && info.Status != "restarting"
	st.Status = info.Status
	st.StartedAt = info.StartedAt
	st.RestartCount = info.RestartCount
	st.Pid = info.Pid
	return st, nil
}

func (t *target) Exec(ctx context.Context, cmd []string) ([]byte, int, error) {
	return t.e.ContainerExec(ctx, t.cid, cmd)
}

// uiLogger prints checker progress in Dokku's voice.
type uiLogger struct{ u *ui.UI }

func (l uiLogger) Info(m string) { l.u.Verbose(m) }
func (l uiLogger) Error(m string) {
	for _, line := range strings.Split(strings.TrimRight(m, "\n"), "\n") {
		l.u.Warn(line)
	}
}

// checkDeploy is check-deploy <app> <container> <type> <port> <ip> [<index>].
func checkDeploy(ctx *plugin.Context, args []string) error {
	if len(args) < 3 {
		return ui.Fail("Usage: check-deploy <app> <container-id> <process-type> [<port>] [<ip>] [<index>]")
	}
	appName, cid, processType := args[0], args[1], args[2]
	if schedulerOf(ctx, appName) != Name {
		return nil
	}
	port, _ := strconv.Atoi(plugin.Arg(args, 3))
	ip := plugin.Arg(args, 4)
	dynoName := processType
	if idx := plugin.Arg(args, 5); idx != "" {
		dynoName += "." + idx
	}
	u := ctx.UI()
	if isListed(ctx, appName, "skipped", processType) {
		u.Info2Quiet(fmt.Sprintf("Zero downtime checks have been skipped (%s)", dynoName))
		return nil
	}
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	checks, err := checksList(ctx, appName, processType, port)
	if err != nil {
		return err
	}
	c, cancel := withTimeout()
	info, err := e.ContainerInfo(c, cid)
	cancel()
	if err != nil {
		return err
	}
	if info == nil {
		return ui.Failf("Container %s not found (%s)", cid, dynoName)
	}
	if ip == "" {
		ip = info.Networks["bridge"]
	}
	tg := &target{e: e, cid: cid, st: healthcheck.State{
		Entrypoint: info.Entrypoint, Shell: info.Shell,
		Herokuish: info.Labels["com.gliderlabs.herokuish/stack"] != "",
	}}
	var headers []healthcheck.Header
	if host := checkHost(ctx, appName); host != "" {
		headers = append(headers, healthcheck.Header{Name: "Host", Value: host})
	}
	if ctx.TriggerValue("certs-exists", appName) == "true" {
		headers = append(headers, healthcheck.Header{Name: "X-Forwarded-Proto", Value: "https"})
	}
	u.Info1(fmt.Sprintf("Executing %d healthchecks", len(checks)))
	results := healthcheck.Run(context.Background(), checks, tg, healthcheck.Options{
		IP: ip, Port: port, Headers: headers, Logger: uiLogger{u},
	})
	if failed := healthcheck.Failed(results); failed > 0 {
		dumpOutput(ctx, e, appName, info, dynoName)
		return ui.Failf("Could not start due to %d failed checks (%s)", failed, dynoName)
	}
	u.Verbose(fmt.Sprintf("All checks successful (%s)", dynoName))
	dumpOutput(ctx, e, appName, info, dynoName)
	return nil
}

// checkHost is the first app domain that is not localhost or a wildcard.
func checkHost(ctx *plugin.Context, appName string) string {
	out, _ := ctx.TriggerOutput("domains-list", appName)
	for _, d := range strings.Fields(out) {
		if d == "localhost" || strings.Contains(d, "*") {
			continue
		}
		return d
	}
	return ""
}

// dumpOutput prints the container's output between Dokku's markers.
func dumpOutput(ctx *plugin.Context, e engine, appName string, info *docker.ContainerInfo, dynoName string) {
	u := ctx.UI()
	short := docker.ShortID(info.ID)
	u.Info2Quiet(fmt.Sprintf("Start of %s container output (%s %s)", appName, short, dynoName))
	if !ctx.Env.Quiet() {
		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		var buf bytes.Buffer
		e.ContainerLogs(c, info.ID, info.Tty, &limitWriter{w: &buf, n: 1 << 20})
		cancel()
		out := buf.String()
		if out != "" {
			io.WriteString(ctx.Stdout, out)
			if !strings.HasSuffix(out, "\n") {
				io.WriteString(ctx.Stdout, "\n")
			}
		}
	}
	u.Info2Quiet(fmt.Sprintf("End of %s container output (%s %s)", appName, short, dynoName))
}

// limitWriter keeps the first n bytes.
type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n <= 0 {
		return len(p), nil
	}
	q := p
	if len(q) > l.n {
		q = q[:l.n]
	}
	l.n -= len(q)
	if _, err := l.w.Write(q); err != nil {
		return 0, err
	}
	return len(p), nil
}

// isListed reports whether checks are skipped/disabled for a type.
func isListed(ctx *plugin.Context, appName, key, processType string) bool {
	v, _ := ctx.Props().Get("checks", appName, key)
	for _, t := range strings.Split(v, ",") {
		t = strings.TrimSpace(t)
		if t == "_all_" || t == processType {
			return true
		}
	}
	return false
}
