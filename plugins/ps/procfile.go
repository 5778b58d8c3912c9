package ps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/procfile"
	"github.com/godokku/dokku/internal/stage"
	"github.com/godokku/dokku/internal/ui"
)

// Staged files of a build: <file>.<DOKKU_PID> (or an empty
// <file>.<DOKKU_PID>.missing marker) until core-post-deploy promotes them.

func dataDir(ctx *plugin.Context, appName string) string {
	return filepath.Join(ctx.Env.PluginDataRoot("ps"), appName)
}

// ProcfilePath is the promoted Procfile of an app.
func ProcfilePath(ctx *plugin.Context, appName string) string {
	return filepath.Join(dataDir(ctx, appName), "Procfile")
}

// currentProcfile is the Procfile this process sees: the one staged by the
// running build, else the promoted one; "" when there is none (or the build
// staged a "missing" marker).
func currentProcfile(ctx *plugin.Context, appName string) string {
	return stage.Current(ProcfilePath(ctx, appName), ctx.Env.PID())
}

func hasProcfile(ctx *plugin.Context, appName string) bool {
	return currentProcfile(ctx, appName) != ""
}

// procfileEntries parses the current Procfile (nil when there is none).
func procfileEntries(ctx *plugin.Context, appName string) ([]procfile.Entry, error) {
	p := currentProcfile(ctx, appName)
	if p == "" {
		return nil, nil
	}
	entries, err := procfile.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("Error listing processes: %v", err)
	}
	return entries, nil
}

func procfileExists(ctx *plugin.Context, args []string) error {
	if len(args) > 0 && hasProcfile(ctx, args[0]) {
		return nil
	}
	return ui.Exit(1)
}

// appEnv is the merged app config (global then app).
func appEnv(ctx *plugin.Context, appName string) map[string]string {
	out, err := ctx.TriggerOutput("config-export", appName, "false", "true", "json")
	env := map[string]string{}
	if err == nil && out != "" {
		_ = json.Unmarshal([]byte(out), &env)
	}
	return env
}

// procfileGetCommand prints a process type's command with variables
// expanded from the app config, PORT (the given port, default 5000) and PS.
func procfileGetCommand(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return ui.Fail("Usage: procfile-get-command <app> <process-type> [<port>]")
	}
	appName, processType := args[0], args[1]
	port := 0
	if len(args) > 2 && args[2] != "" {
		n, err := strconv.Atoi(args[2])
		if err != nil {
			return ui.Failf("Invalid port specified: %s", args[2])
		}
		port = n
	}
	entries, err := procfileEntries(ctx, appName)
	if err != nil {
		return ui.Fail(err.Error())
	}
	e, ok := procfile.Find(entries, processType)
	if !ok {
		return nil
	}
	_, err = fmt.Fprintln(ctx.Stdout, procfile.Expand(e.Command, processType, port, appEnv(ctx, appName)))
	return err
}

var stagedName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^Procfile\.([0-9]+)(\.missing)?$`) })

// corePostExtract stages the source tree's Procfile (at procfile-path) as
// Procfile.<DOKKU_PID>, validated, or a missing marker.
func corePostExtract(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	appName, workDir := args[0], args[1]
	dir := dataDir(ctx, appName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	removeStaleStaged(dir, ctx.Env.PID())
	rel := strings.Trim(ctx.Props().Computed("ps", appName, PropProcfilePath, DefaultProcfilePath), "/")
	if rel == "" {
		rel = DefaultProcfilePath
	}
	staged := filepath.Join(dir, "Procfile."+ctx.Env.PID())
	os.Remove(staged)
	os.Remove(staged + ".missing")
	var b []byte
	var err error
	if image := ctx.TriggerValue("git-get-property", appName, "source-image"); image != "" {
		// image deploys: the Procfile comes from the image's WORKDIR
		b, err = readFromImage(ctx, image, path.Join(strings.Trim(ctx.TriggerValue("builder-get-property", appName, "build-dir"), "/"), rel))
	} else {
		b, err = readInTree(workDir, filepath.Join(workDir, filepath.Clean("/"+rel)))
	}
	if errors.Is(err, os.ErrNotExist) {
		return atomicfile.Write(staged+".missing", nil, 0o644, owner(ctx))
	}
	if err != nil {
		return err
	}
	if _, err := procfile.Parse(string(b), false); err != nil {
		return ui.Failf("Invalid Procfile: %v", err)
	}
	return atomicfile.Write(staged, b, 0o644, owner(ctx))
}

// readFromImage reads a file of an image (relative to its WORKDIR); a
// missing file is os.ErrNotExist.
func readFromImage(ctx *plugin.Context, image, file string) ([]byte, error) {
	c, err := docker.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	dctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, err := c.ImageFileContent(dctx, image, file)
	if err != nil {
		if docker.IsNotFound(err) || errors.Is(err, docker.ErrNotRegularFile) {
			return nil, os.ErrNotExist
		}
		return nil, err
	}
	return b, nil
}

// readInTree reads a regular file of the source tree; a symlink may point
// elsewhere in the tree but never outside it (no reading host files).
func readInTree(root, path string) ([]byte, error) {
	if _, err := os.Lstat(path); err != nil {
		return nil, err
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, os.ErrNotExist
	}
	if rel, err := filepath.Rel(realRoot, real); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return nil, fmt.Errorf("Procfile points outside the source tree")
	}
	fi, err := os.Stat(real)
	if err != nil || !fi.Mode().IsRegular() {
		return nil, os.ErrNotExist
	}
	f, err := os.Open(real)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, 1<<20))
}

// removeStaleStaged drops Procfile.<pid> files of builds that are gone.
func removeStaleStaged(dir, current string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		m := stagedName().FindStringSubmatch(e.Name())
		if m == nil || m[1] == current {
			continue
		}
		if n, err := strconv.Atoi(m[1]); err == nil && processAlive(n) {
			continue
		}
		os.Remove(filepath.Join(dir, e.Name()))
	}
}

func processAlive(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return err == nil
}

// promoteProcfile makes the staged Procfile the app's Procfile.
func promoteProcfile(ctx *plugin.Context, appName string) error {
	return stage.Promote(ProcfilePath(ctx, appName), ctx.Env.PID())
}

// owner is the dokku user when running as root.
func owner(ctx *plugin.Context) *atomicfile.Owner {
	if uid, gid, ok := ctx.Env.Owner(); ok {
		return &atomicfile.Owner{UID: uid, GID: gid}
	}
	return nil
}

// CurrentProcfile returns the process types of the Procfile the running
// build sees (staged, else promoted) and whether there is one.
func CurrentProcfile(ctx *plugin.Context, appName string) ([]procfile.Entry, bool, error) {
	if !hasProcfile(ctx, appName) {
		return nil, false, nil
	}
	entries, err := procfileEntries(ctx, appName)
	return entries, true, err
}
