// Package lock wraps flock(2) advisory locks: the per-app deploy lock, the
// retire lock and read-modify-write sections of the property and ENV stores.
package lock

import (
	"errors"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// ErrHeld is returned by TryExclusive when another process holds the lock.
var ErrHeld = errors.New("lock is held by another process")

// Lock is a held flock; Release drops it.
type Lock struct{ f *os.File }

// Exclusive blocks until it holds an exclusive lock on path (created 0644
// with its parent directories when missing).
func Exclusive(path string) (*Lock, error) { return acquire(path, unix.LOCK_EX, true) }

// TryExclusive takes the lock without waiting; ErrHeld when busy.
func TryExclusive(path string) (*Lock, error) { return acquire(path, unix.LOCK_EX|unix.LOCK_NB, true) }

// Dir locks an existing directory (no file is created next to the data).
func Dir(path string) (*Lock, error) { return acquire(path, unix.LOCK_EX, false) }

// Poll retries TryExclusive every interval until it succeeds or timeout passes.
func Poll(path string, interval, timeout time.Duration, onWait func()) (*Lock, error) {
	deadline := time.Now().Add(timeout)
	for {
		l, err := TryExclusive(path)
		if !errors.Is(err, ErrHeld) || time.Now().After(deadline) {
			return l, err
		}
		if onWait != nil {
			onWait()
			onWait = nil
		}
		time.Sleep(interval)
	}
}

func acquire(path string, how int, create bool) (*Lock, error) {
	var f *os.File
	var err error
	if create {
		if err = os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	} else {
		f, err = os.Open(path)
	}
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Flock(int(f.Fd()), how)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, ErrHeld
		}
		return nil, err
	}
	return &Lock{f: f}, nil
}

// File exposes the locked file (to record a pid or build id in it).
func (l *Lock) File() *os.File { return l.f }

// Release unlocks and closes.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	l.f.Close()
	l.f = nil
}
