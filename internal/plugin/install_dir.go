package plugin

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/godokku/dokku/internal/ui"
)

// copyDir copies the plugin directory src into dst (an existing empty
// directory): directories, regular files (permission bits, set-id bits
// dropped) and symlinks as they are (the source is a directory the
// administrator chose, not an untrusted archive). Other file types are
// refused. avail is the plugin path the copy lands in; a source containing
// it would copy into itself.
func copyDir(src, dst, avail string, lim extractLimits) error {
	real, err := filepath.EvalSymlinks(src)
	if err != nil {
		return err
	}
	if a, err := filepath.EvalSymlinks(avail); err == nil && (a == real || strings.HasPrefix(a, real+string(filepath.Separator))) {
		return ui.Failf("Cannot install %s: it contains the plugin directory %s", src, avail)
	}
	var files int
	var bytes int64
	dirModes := map[string]os.FileMode{}
	err = filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(real, p)
		if err != nil || rel == "." {
			return err
		}
		if files++; files > lim.Files {
			return ui.Failf("Cannot install %s: more than %d files", src, lim.Files)
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			dirModes[target] = info.Mode().Perm()
			return os.Mkdir(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			if bytes += info.Size(); bytes > lim.Bytes {
				return ui.Failf("Cannot install %s: more than %d bytes", src, lim.Bytes)
			}
			return copyFile(p, target, info.Mode().Perm())
		}
		return ui.Failf("Cannot install %s: %s is not a regular file, directory or symlink", src, rel)
	})
	if err != nil {
		return err
	}
	for d, mode := range dirModes {
		if err := os.Chmod(d, mode|0o700); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(from, to string, mode os.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(to, mode)
}
