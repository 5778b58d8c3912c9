// Package capture is Dokku's build capture (runtime.md §9.2): once per
// process tree, a build id is obtained from builds-generate-id, the build
// is recorded with builds-record-start, and everything the command prints
// on stdout and stderr is appended to
// $DOKKU_LIB_ROOT/data/builds/<app>/<id>.log while it still streams live.
// Finishing records the exit code with builds-record-finalize.
//
// The process tree shares the capture through the environment:
// DOKKU_REDIRECT_OUTPUT=true (the guard), DOKKU_BUILD_ID,
// DOKKU_BUILD_SOURCE and DOKKU_BUILD_LOG_FILE.
package capture

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// Environment of an active capture.
const (
	EnvRedirect = "DOKKU_REDIRECT_OUTPUT"
	EnvID       = "DOKKU_BUILD_ID"
	EnvSource   = "DOKKU_BUILD_SOURCE"
	EnvLogFile  = "DOKKU_BUILD_LOG_FILE"
)

// Active reports whether this process tree already captures a build.
func Active(e *env.Env) bool { return e.Get(EnvRedirect) == "true" }

// LogPath is $DOKKU_LIB_ROOT/data/builds/<app>/<id>.log.
func LogPath(e *env.Env, app, id string) string {
	return filepath.Join(e.PluginDataRoot("builds"), app, id+".log")
}

var validID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`) })

// Session is a running capture.
type Session struct {
	ctx            *plugin.Context
	app, id        string
	log            *os.File
	outOrig, errOr io.Writer
	once           sync.Once
}

// ID is the build id.
func (s *Session) ID() string { return s.id }

// Start begins capturing the build of app for source unless a capture is
// already active (then it returns nil, nil). It sets the capture variables
// in ctx.Env and replaces ctx.Stdout and ctx.Stderr with writers that also
// append to the build log: the caller passes a context it owns.
func Start(ctx *plugin.Context, app, source string) (*Session, error) {
	e := ctx.Env
	if Active(e) {
		return nil, nil
	}
	pid := e.Get("DOKKU_PID")
	if _, err := strconv.Atoi(pid); err != nil || pid == "" {
		pid = strconv.Itoa(os.Getpid())
	}
	quiet := ctx.WithIO(strings.NewReader(""), io.Discard, ctx.Stderr)
	id, _ := quiet.TriggerOutput("builds-generate-id")
	id = strings.TrimSpace(firstLine(id))
	if !validID().MatchString(id) {
		id = "pid-" + pid
	}
	var own *atomicfile.Owner
	if uid, gid, ok := e.Owner(); ok {
		own = &atomicfile.Owner{UID: uid, GID: gid}
	}
	path := LogPath(e, app, id)
	if err := atomicfile.MkdirAll(filepath.Dir(path), 0o755, own); err != nil {
		return nil, ui.Failf("Unable to create the build log directory: %s", err.Error())
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, ui.Failf("Unable to open the build log: %s", err.Error())
	}
	if own != nil {
		f.Chown(own.UID, own.GID)
	}
	// builds-record-start is informational: its failure does not stop the build.
	ctx.WithIO(strings.NewReader(""), nil, nil).Trigger("builds-record-start", app, id, pid, source)

	e.Set(EnvRedirect, "true")
	e.Set(EnvID, id)
	e.Set(EnvSource, source)
	e.Set(EnvLogFile, path)
	s := &Session{ctx: ctx, app: app, id: id, log: f, outOrig: ctx.Stdout, errOr: ctx.Stderr}
	mu := &sync.Mutex{}
	ctx.Stdout = &tee{primary: ctx.Stdout, log: f, mu: mu}
	ctx.Stderr = &tee{primary: ctx.Stderr, log: f, mu: mu}
	return s, nil
}

// Finish records the outcome once: the error's message goes to the log
// (the caller still prints it), the streams are restored and
// builds-record-finalize gets the exit code.
func (s *Session) Finish(err error) {
	if s == nil {
		return
	}
	s.once.Do(func() {
		code := ui.Code(err)
		if err != nil {
			ui.Render(err, s.log)
		}
		s.log.Close()
		s.ctx.Stdout, s.ctx.Stderr = s.outOrig, s.errOr
		finalize(s.ctx, s.app, s.id, code)
	})
}

// finalize fires builds-record-finalize; it is informational, so its
// failure changes nothing.
func finalize(ctx *plugin.Context, app, id string, code int) {
	ctx.WithIO(strings.NewReader(""), nil, nil).Trigger("builds-record-finalize", app, id, strconv.Itoa(code))
}

// Finalize is the builds-record-finalize a deploy fires when it releases
// its lock (pipeline.md §1.1 step 5), before what follows in the same
// capture (deploy-source-set) runs; the record keeps the first terminal
// status it is given, so Finish firing it again changes nothing.
func Finalize(ctx *plugin.Context, app string, err error) {
	id := ctx.Env.Get(EnvID)
	if !Active(ctx.Env) || id == "" {
		return
	}
	finalize(ctx, app, id, ui.Code(err))
}

// tee writes to the live stream and appends to the log; the log never
// makes a write fail.
type tee struct {
	primary io.Writer
	log     *os.File
	mu      *sync.Mutex
}

func (t *tee) Write(p []byte) (int, error) {
	t.mu.Lock()
	t.log.Write(p)
	t.mu.Unlock()
	return t.primary.Write(p)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
