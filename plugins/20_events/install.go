package events

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/ui"
)

const logrotateConf = "/etc/logrotate.d/dokku"

// triggerInstall prepares the log directory (0775, group DOKKU_SYSTEM_GROUP)
// and the events log (0664, same group); when rsyslog is installed it also
// writes the rsyslog rule and a logrotate policy for the log directory, and
// restarts rsyslog on a real system. Existing files are left alone.
func triggerInstall(ctx *plugin.Context, args []string) error {
	e := ctx.Env
	logs := e.LogsDir()
	if logs != "" {
		if _, err := os.Stat(logs); errors.Is(err, os.ErrNotExist) {
			if err := os.MkdirAll(logs, 0o775); err != nil {
				return ui.Failf("Unable to create %s: %s", logs, err.Error())
			}
			os.Chmod(logs, 0o775)
		}
		if gid, ok := systemGID(e); ok {
			os.Chown(logs, -1, gid)
		}
	}
	if path := e.Get("DOKKU_EVENTS_LOGFILE"); path != "" {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			if err := ensureLogFile(ctx, path); err != nil {
				return ui.Failf("Unable to create %s: %s", path, err.Error())
			}
		}
	}
	changed, err := installRsyslog(ctx)
	if err != nil {
		return err
	}
	if changed && e.RealSystem() {
		err := proc.Run(context.Background(), proc.Cmd{
			Name: "service", Args: []string{"rsyslog", "restart"},
			Stdout: ctx.Stdout, Stderr: ctx.Stderr, Timeout: time.Minute,
		})
		if err != nil {
			ctx.UI().Warn("Unable to restart rsyslog")
		}
	}
	if e.Get("DOKKU_EVENTS") != "" {
		record(ctx, "install", args)
	}
	return nil
}

// installRsyslog writes the rsyslog rule and the logrotate policy when
// rsyslog is installed (its /etc/rsyslog.d exists); it reports whether it
// wrote anything.
func installRsyslog(ctx *plugin.Context) (bool, error) {
	e := ctx.Env
	if fi, err := os.Stat(e.SystemPath("/etc/rsyslog.d")); err != nil || !fi.IsDir() {
		return false, nil
	}
	changed := false
	rule := e.SystemPath(rsyslogRule)
	if _, err := os.Stat(rule); errors.Is(err, os.ErrNotExist) {
		content := fmt.Sprintf(":syslogtag, contains, \"%s\" %s\n", tag, e.Get("DOKKU_EVENTS_LOGFILE"))
		if err := atomicfile.Write(rule, []byte(content), 0o644, nil); err != nil {
			return false, ui.Failf("Unable to write %s: %s", rule, err.Error())
		}
		changed = true
	}
	rotate := e.SystemPath(logrotateConf)
	if fi, err := os.Stat(e.SystemPath("/etc/logrotate.d")); err == nil && fi.IsDir() {
		if _, err := os.Stat(rotate); errors.Is(err, os.ErrNotExist) {
			if err := atomicfile.Write(rotate, []byte(logrotatePolicy(e)), 0o644, nil); err != nil {
				return false, ui.Failf("Unable to write %s: %s", rotate, err.Error())
			}
			changed = true
		}
	}
	return changed, nil
}

// logrotatePolicy is Dokku's policy for $DOKKU_LOGS_DIR/*.log. Dokku names
// the syslog user, which Debian's rsyslog does not create; root stands in
// for it there.
func logrotatePolicy(e *env.Env) string {
	owner := "syslog"
	if _, _, ok := env.LookupIDs("syslog", e.SystemGroup()); !ok {
		owner = "root"
	}
	group := e.SystemGroup()
	return fmt.Sprintf(`%s/*.log {
        daily
        rotate 7
        missingok
        notifempty
        su %s %s
        compress
        delaycompress
        postrotate
                reload rsyslog >/dev/null 2>&1 || true
        endscript
        create 664 %s %s
}
`, e.LogsDir(), owner, group, owner, group)
}

// ensureLogFile creates the events log: mode 0664, group DOKKU_SYSTEM_GROUP
// when running as root.
func ensureLogFile(ctx *plugin.Context, path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o664)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Chmod(0o664); err != nil {
		return err
	}
	if gid, ok := systemGID(ctx.Env); ok {
		f.Chown(-1, gid)
	}
	return nil
}

// systemGID is the gid of DOKKU_SYSTEM_GROUP when running as root.
func systemGID(e *env.Env) (int, bool) {
	if os.Geteuid() != 0 {
		return 0, false
	}
	_, gid, ok := env.LookupIDs("root", e.SystemGroup())
	return gid, ok
}
