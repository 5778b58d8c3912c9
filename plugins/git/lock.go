package git

import (
	"errors"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/capture"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// deployLock is acquire_app_deploy_lock in exclusive mode (runtime.md
// §9.3): a non-blocking flock on data/apps/<app>/.deploy.lock, held until
// release. The file holds the build id; release removes it.
type deployLock struct {
	f    *os.File
	path string
}

// errLockHeld is what a second deploy of the same app gets.
func errLockHeld(ctx *plugin.Context, name string) error {
	ctx.UI().Warn(name + " currently has a deploy lock in place. Exiting...")
	return ui.Fail("Run 'apps:unlock' to release the existing deploy lock")
}

func acquireDeployLock(ctx *plugin.Context, name string) (*deployLock, error) {
	path := app.DeployLockPath(ctx, name)
	if err := atomicfile.MkdirAll(filepath.Dir(path), 0o755, owner(ctx)); err != nil {
		return nil, ui.Failf("Unable to create the deploy lock directory: %s", err.Error())
	}
	id := ctx.Env.Get(capture.EnvID)
	if id == "" {
		id = "pid-" + ctx.Env.PID()
	}
	// A releasing deploy removes the file after we opened it: lock again
	// until the locked file is the one at the path.
	for attempt := 0; attempt < 10; attempt++ {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, ui.Failf("Unable to open the deploy lock: %s", err.Error())
		}
		err = flock(f, unix.LOCK_EX|unix.LOCK_NB)
		if errors.Is(err, unix.EWOULDBLOCK) {
			f.Close()
			return nil, errLockHeld(ctx, name)
		}
		if err != nil {
			f.Close()
			return nil, ui.Failf("Unable to lock %s: %s", path, err.Error())
		}
		if !samePath(f, path) {
			f.Close()
			continue
		}
		f.Truncate(0)
		f.WriteAt([]byte(id+"\n"), 0)
		if o := owner(ctx); o != nil {
			f.Chown(o.UID, o.GID)
		}
		return &deployLock{f: f, path: path}, nil
	}
	return nil, errLockHeld(ctx, name)
}

func flock(f *os.File, how int) error {
	for {
		err := unix.Flock(int(f.Fd()), how)
		if err != unix.EINTR {
			return err
		}
	}
}

// samePath reports whether path still names the open file.
func samePath(f *os.File, path string) bool {
	var a, b unix.Stat_t
	if unix.Fstat(int(f.Fd()), &a) != nil || unix.Stat(path, &b) != nil {
		return false
	}
	return a.Dev == b.Dev && a.Ino == b.Ino
}

// release removes the lock file (while still holding the lock, so no
// other deploy can be inside) and drops the lock.
func (l *deployLock) release() {
	if l == nil || l.f == nil {
		return
	}
	if samePath(l.f, l.path) {
		os.Remove(l.path)
	}
	flock(l.f, unix.LOCK_UN)
	l.f.Close()
	l.f = nil
}

// lockHeld reports whether a live process holds the app's deploy lock.
func lockHeld(ctx *plugin.Context, name string) bool {
	f, err := os.OpenFile(app.DeployLockPath(ctx, name), os.O_RDONLY, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := flock(f, unix.LOCK_SH|unix.LOCK_NB); err != nil {
		return errors.Is(err, unix.EWOULDBLOCK)
	}
	flock(f, unix.LOCK_UN)
	return false
}
