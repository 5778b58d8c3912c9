package ps

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/lock"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// RetireAtEnv, when set to a unix time, makes ps:retire wait until then and
// for the retire lock instead of failing on it: the form of ps:retire a
// deploy starts detached to stop its old containers once their
// wait-to-retire has passed.
const RetireAtEnv = "DOKKU_RETIRE_AT"

// retireLockPath is $DOKKU_LIB_ROOT/data/ps/retire.
func retireLockPath(ctx *plugin.Context) string {
	return filepath.Join(ctx.Env.PluginDataRoot("ps"), "retire")
}

// runRetire is the hidden ps:retire [<app>]: stop and remove containers
// and images whose retirement deadline passed (scheduler-retire).
func runRetire(ctx *plugin.Context, args []string) error {
	appName := ""
	if len(args) > 1 {
		appName = args[1]
		if err := app.Verify(ctx, appName); err != nil {
			return err
		}
	}
	sched := ""
	if appName == "" {
		sched = app.Scheduler(ctx, property.Global)
	} else {
		sched = app.Scheduler(ctx, appName)
	}
	var l *lock.Lock
	var err error
	if at := ctx.Env.Get(RetireAtEnv); at != "" {
		epoch, perr := strconv.ParseInt(at, 10, 64)
		if perr != nil {
			return ui.Failf("Invalid %s value: %s", RetireAtEnv, at)
		}
		// Sleep until the deadline, giving up early when the app (or the
		// whole Dokku root) went away meanwhile: nothing left to retire.
		for d := time.Until(time.Unix(epoch, 0)); d > 0; d = time.Until(time.Unix(epoch, 0)) {
			time.Sleep(min(d, 2*time.Second))
			if appName != "" && !app.Exists(ctx, appName) {
				return nil
			}
		}
		if appName != "" && !app.Exists(ctx, appName) {
			return nil
		}
		if _, err := os.Stat(filepath.Dir(retireLockPath(ctx))); err != nil {
			return nil // the Dokku tree is gone: never recreate it
		}
		l, err = lock.Poll(retireLockPath(ctx), 250*time.Millisecond, 15*time.Minute, nil)
	} else {
		// A deploy's delayed retire may hold the lock for a moment: wait a
		// little before giving up like Dokku does.
		l, err = lock.Poll(retireLockPath(ctx), 100*time.Millisecond, 3*time.Second, nil)
	}
	if errors.Is(err, lock.ErrHeld) {
		return ui.Fail("Failed to acquire ps:retire lock")
	}
	if err != nil {
		return ui.Failf("Failed to acquire ps:retire lock: %v", err)
	}
	defer l.Release()
	ctx.UI().Info1("Retiring old containers and images")
	targs := []string{sched}
	if appName != "" {
		targs = append(targs, appName)
	}
	return ctx.Trigger("scheduler-retire", targs...)
}

// install prepares the plugin: properties and data directories, legacy
// state migrations, and the periodic ps:retire (systemd timer when systemd
// is PID 1, else a cron.d entry).
func install(ctx *plugin.Context, _ []string) error {
	props := ctx.Props()
	if err := props.Setup("ps"); err != nil {
		return ui.Failf("Unable to install the ps plugin: %v", err)
	}
	if err := os.MkdirAll(ctx.Env.PluginDataRoot("ps"), 0o755); err != nil {
		return err
	}
	chown(ctx, ctx.Env.PluginDataRoot("ps"))
	apps := app.ListAll(ctx)
	for _, a := range apps {
		if err := os.MkdirAll(dataDir(ctx, a), 0o755); err != nil {
			return err
		}
		chown(ctx, dataDir(ctx, a))
		os.Remove(filepath.Join(ctx.Env.AppRoot(a), "DOKKU_SCALE"))
		os.Remove(filepath.Join(ctx.Env.AppRoot(a), "DOKKU_SCALE.extracted"))
		migrateRestartPolicy(ctx, a)
	}
	migrateConfig(ctx, apps)
	if err := installRetire(ctx); err != nil {
		ctx.UI().Warn("Unable to install the retire schedule: " + err.Error())
	}
	if err := installRedeploy(ctx); err != nil {
		ctx.UI().Warn("Unable to install the boot-time restore: " + err.Error())
	}
	return nil
}

// migrateRestartPolicy moves a --restart docker option of the deploy phase
// into the restart-policy property.
func migrateRestartPolicy(ctx *plugin.Context, appName string) {
	props := ctx.Props()
	opts, err := props.ListGet("docker-options", appName, "_default_.deploy")
	if err != nil || len(opts) == 0 {
		return
	}
	for _, o := range opts {
		v, ok := strings.CutPrefix(strings.TrimSpace(o), "--restart=")
		if !ok {
			continue
		}
		if !props.Exists("ps", appName, PropRestartPolicy) && ValidRestartPolicy(v) && v != DefaultRestartPolicy {
			props.Write("ps", appName, PropRestartPolicy, v)
		}
		props.ListRemove("docker-options", appName, "_default_.deploy", o)
	}
}

// legacyConfig maps config variables of older Dokku versions to properties.
var legacyConfig = []struct{ variable, prop string }{
	{"DOKKU_DOCKER_STOP_TIMEOUT", PropStopTimeoutSeconds},
	{"DOKKU_APP_RESTORE", PropRestore},
	{"DOKKU_SKIP_DEPLOY", PropSkipDeploy},
	{"DOKKU_START_CMD", PropStartCmd},
	{"DOKKU_DOCKERFILE_START_CMD", PropDockerfileStartCmd},
}

// migrateConfig moves legacy variables of apps that have an ENV file.
func migrateConfig(ctx *plugin.Context, apps []string) {
	props := ctx.Props()
	for _, a := range apps {
		if _, err := os.Stat(filepath.Join(ctx.Env.ConfigRoot(), a, "ENV")); err != nil {
			continue
		}
		raw, err := ctx.TriggerOutput("config-export", a, "false", "false", "json")
		vars := map[string]string{}
		if err != nil || json.Unmarshal([]byte(raw), &vars) != nil {
			continue
		}
		for _, m := range legacyConfig {
			v, ok := vars[m.variable]
			if !ok {
				continue
			}
			if m.variable == "DOKKU_APP_RESTORE" {
				if v == "0" {
					v = "false"
				} else {
					v = "true"
				}
			}
			if !props.Exists("ps", a, m.prop) {
				props.Write("ps", a, m.prop, v)
			}
			ctx.WithIO(nil, discard{}, nil).Trigger("config-unset", a, m.variable, "false")
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// systemdIsInit reports whether PID 1 is systemd.
func systemdIsInit() bool {
	b, err := os.ReadFile("/proc/1/comm")
	return err == nil && strings.TrimSpace(string(b)) == "systemd"
}

func dokkuBinary() string {
	if p, err := env.DokkuBinary(); err == nil {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return r
		}
		return p
	}
	return "/usr/bin/dokku"
}

// installRetire schedules `dokku ps:retire` every 5 minutes.
func installRetire(ctx *plugin.Context) error {
	return installSchedule(ctx, schedule{
		name: "dokku-retire", args: "ps:retire", log: "retire.log", cronWhen: "*/5 * * * *",
		serviceDesc: "Dokku retire service",
		timer: "[Unit]\nDescription=Run dokku-retire.service every 5 minutes\n\n" +
			"[Timer]\nOnCalendar=*:0/5\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n",
	})
}

// installRedeploy makes apps come back after a reboot: Dokku's
// dokku-redeploy.service (`ps:restore --parallel -1` once Docker is up)
// when systemd is PID 1, else an @reboot entry in /etc/cron.d.
func installRedeploy(ctx *plugin.Context) error {
	return installSchedule(ctx, schedule{
		name: "dokku-redeploy", args: "ps:restore --parallel -1", log: "restore.log", cronWhen: "@reboot",
		serviceDesc: "Dokku app redeploy service",
	})
}

// schedule is a dokku command run by systemd (a oneshot service, started by
// its timer or, without one, with Docker) or, without systemd, by cron.
type schedule struct {
	name, args, log, cronWhen, serviceDesc string
	timer                                  string // systemd timer unit; "" = start with docker.service
}

func installSchedule(ctx *plugin.Context, s schedule) error {
	user := ctx.Env.SystemUser()
	if user == "" {
		user = "dokku"
	}
	bin := dokkuBinary()
	if !systemdIsInit() {
		logs := ctx.Env.LogsDir()
		if logs == "" {
			logs = "/var/log/dokku"
		}
		cron := "PATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n\n" +
			s.cronWhen + " " + user + " " + bin + " " + s.args + " >> " + filepath.Join(logs, s.log) + " 2>&1\n"
		dir := ctx.Env.SystemPath("/etc/cron.d")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		return atomicfile.Write(filepath.Join(dir, s.name), []byte(cron), 0o644, nil)
	}
	service := "[Unit]\nDescription=" + s.serviceDesc + "\nRequires=docker.service\nAfter=docker.service\n\n" +
		"[Service]\nType=oneshot\nUser=" + user + "\nExecStart=" + bin + " " + s.args + "\n\n" +
		"[Install]\nWantedBy=docker.service\n"
	dir := ctx.Env.SystemPath("/etc/systemd/system")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, s.name+".service"), []byte(service), 0o644, nil); err != nil {
		return err
	}
	steps := [][]string{{"daemon-reload"}, {"--quiet", "reenable", s.name}}
	if s.timer != "" {
		if err := atomicfile.Write(filepath.Join(dir, s.name+".timer"), []byte(s.timer), 0o644, nil); err != nil {
			return err
		}
		steps = append(steps, []string{"--quiet", "enable", s.name + ".timer"}, []string{"--quiet", "start", s.name + ".timer"})
	}
	if !ctx.Env.RealSystem() {
		return nil
	}
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, args := range steps {
		if err := proc.Run(c, proc.Cmd{Name: "systemctl", Args: args, Stdout: discard{}, Stderr: ctx.Stderr}); err != nil {
			return err
		}
	}
	return nil
}
