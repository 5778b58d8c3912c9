package events

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/godokku/dokku/internal/plugin"
)

// tag is the syslog tag of event records.
const tag = "dokku-event"

// rsyslogRule is the rsyslog filter the install trigger writes.
const rsyslogRule = "/etc/rsyslog.d/99-dokku.conf"

// logger returns the handler of one trigger name. It does nothing unless
// DOKKU_EVENTS is set, and never fails: logging must not break a trigger.
func logger(name string) plugin.Handler {
	return func(ctx *plugin.Context, args []string) error {
		if ctx.Env.Get("DOKKU_EVENTS") == "" {
			return nil
		}
		record(ctx, name, args)
		return nil
	}
}

// message is the text of one event.
func message(ctx *plugin.Context, trigger string, args []string) string {
	e := ctx.Env
	return fmt.Sprintf("INVOKED: %s( %s ) NAME=%s FINGERPRINT=%s DOKKU_PID=%s",
		trigger, strings.Join(args, " "), e.Get("NAME"), e.Get("FINGERPRINT"), e.Get("DOKKU_PID"))
}

// record writes one event to the events log file and the syslog socket.
func record(ctx *plugin.Context, trigger string, args []string) {
	msg := oneLine(message(ctx, trigger, args))
	now := time.Now()
	pid := os.Getpid()
	sent := sendSyslog(ctx.Env.SystemPath("/dev/log"), now, pid, msg)
	if sent && rsyslogWritesFile(ctx) {
		return
	}
	host, _ := os.Hostname()
	if host == "" {
		host = "localhost"
	}
	line := fmt.Sprintf("%s %s %s[%d]: %s\n", now.Format(time.Stamp), host, tag, pid, msg)
	appendLine(ctx, ctx.Env.Get("DOKKU_EVENTS_LOGFILE"), line)
}

// oneLine keeps a record on one line (trigger arguments may hold newlines).
func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

// rsyslogWritesFile reports whether a running rsyslog has our rule, in
// which case it is rsyslog that appends the record to the file.
func rsyslogWritesFile(ctx *plugin.Context) bool {
	for _, p := range []string{rsyslogRule, "/run/rsyslogd.pid"} {
		if _, err := os.Stat(ctx.Env.SystemPath(p)); err != nil {
			return false
		}
	}
	return true
}

// sendSyslog sends an RFC 3164 datagram (facility user, severity notice,
// as logger(1) does) to the socket at path; false when there is none.
func sendSyslog(path string, now time.Time, pid int, msg string) bool {
	if fi, err := os.Stat(path); err != nil || fi.Mode()&os.ModeSocket == 0 {
		return false
	}
	conn, err := net.DialTimeout("unixgram", path, 20*time.Millisecond)
	if err != nil {
		return false
	}
	defer conn.Close()
	// A syslog daemon that does not keep up must not slow every trigger down.
	conn.SetWriteDeadline(time.Now().Add(20 * time.Millisecond))
	_, err = fmt.Fprintf(conn, "<13>%s %s[%d]: %s", now.Format(time.Stamp), tag, pid, msg)
	return err == nil
}

// appendLine appends line with a single O_APPEND write (atomic with respect
// to other appenders). A missing log file is created as the install trigger
// does; a missing log directory means logging is not installed and the line
// is dropped.
func appendLine(ctx *plugin.Context, path, line string) {
	if path == "" {
		return
	}
	if _, err := os.Stat(filepath.Dir(path)); err != nil {
		return
	}
	if _, err := os.Stat(path); err != nil && ensureLogFile(ctx, path) != nil {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return
	}
	defer f.Close()
	f.WriteString(line)
}
