// Package atomicfile writes files so that readers see either the old or the
// new content, never a torn one: write a temp file in the same directory,
// fsync, set mode and owner, rename over the target.
package atomicfile

import (
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
)

// Owner is the uid/gid written files are chowned to; nil leaves them as created.
type Owner struct{ UID, GID int }

// TempPrefix starts the name of every temp file this package creates;
// directory listings skip names with it.
const TempPrefix = ".tmp-"

var seq atomic.Uint64

// Write replaces path with data (mode perm, chowned to own when non-nil).
func Write(path string, data []byte, perm os.FileMode, own *Owner) error {
	dir := filepath.Dir(path)
	tmp := filepath.Join(dir, TempPrefix+filepath.Base(path)+"."+strconv.Itoa(os.Getpid())+"."+strconv.FormatUint(seq.Add(1), 10))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if own != nil {
		if err = f.Chown(own.UID, own.GID); err != nil {
			return err
		}
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	return nil
}

// MkdirAll creates dir (and parents) with perm, chowning the ones it creates.
func MkdirAll(dir string, perm os.FileMode, own *Owner) error {
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := MkdirAll(parent, perm, own); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, perm); err != nil && !os.IsExist(err) {
		return err
	}
	if own != nil {
		return os.Chown(dir, own.UID, own.GID)
	}
	return nil
}
