package git

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// archiveLimits bound what an archive may unpack to (git global
// properties archive-max-size and archive-max-files).
type archiveLimits struct {
	maxSize  int64
	maxFiles int64
}

// archiveError is a refused archive; audit is the `[archive-security]`
// line written to stderr.
type archiveError struct{ audit string }

func (e *archiveError) Error() string { return e.audit }

func refuse(format string, args ...any) error {
	return &archiveError{audit: "[archive-security] " + fmt.Sprintf(format, args...)}
}

// extractor writes archive entries below root, refusing anything that
// would land outside it or exceed the limits.
type extractor struct {
	root   string
	limits archiveLimits
	files  int64
	size   int64
}

// cleanEntry validates an entry name: relative, no "..", no NUL.
func (x *extractor) cleanEntry(name string) (string, error) {
	if strings.ContainsRune(name, 0) {
		return "", refuse("rejected entry with a NUL byte")
	}
	if strings.HasPrefix(name, "/") || filepath.IsAbs(name) || (len(name) > 1 && name[1] == ':') {
		return "", refuse("rejected absolute path: %s", name)
	}
	for _, c := range strings.Split(strings.ReplaceAll(name, "\\", "/"), "/") {
		if c == ".." {
			return "", refuse("rejected path traversal: %s", name)
		}
	}
	clean := path.Clean(strings.ReplaceAll(name, "\\", "/"))
	if clean == "." || clean == "" {
		return "", nil
	}
	return clean, nil
}

func (x *extractor) count() error {
	x.files++
	if x.files > x.limits.maxFiles {
		return refuse("rejected archive: more than %d entries", x.limits.maxFiles)
	}
	return nil
}

// inside reports whether the (resolved) path p stays below root.
func (x *extractor) inside(p string) bool {
	rel, err := filepath.Rel(x.root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// checkParents refuses to write through a symlink planted by an earlier
// entry.
func (x *extractor) checkParents(rel string) error {
	dir := x.root
	parts := strings.Split(path.Dir(rel), "/")
	for _, p := range parts {
		if p == "." || p == "" {
			continue
		}
		dir = filepath.Join(dir, p)
		fi, err := os.Lstat(dir)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			return refuse("rejected entry through a symlink: %s", rel)
		}
	}
	return nil
}

func (x *extractor) mkdir(rel string, mode os.FileMode) error {
	if err := x.checkParents(rel + "/x"); err != nil {
		return err
	}
	return os.MkdirAll(filepath.Join(x.root, filepath.FromSlash(rel)), dirMode(mode))
}

func dirMode(m os.FileMode) os.FileMode { return (m.Perm() | 0o700) & 0o755 }

func fileMode(m os.FileMode) os.FileMode {
	if m.Perm()&0o111 != 0 {
		return 0o755
	}
	return 0o644
}

// file writes one regular file, counting its bytes against the size limit
// (the declared size is not trusted).
func (x *extractor) file(rel string, mode os.FileMode, r io.Reader) error {
	if err := x.checkParents(rel); err != nil {
		return err
	}
	dst := filepath.Join(x.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if fi, err := os.Lstat(dst); err == nil && !fi.Mode().IsRegular() {
		return refuse("rejected entry replacing a non-file: %s", rel)
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, fileMode(mode))
	if err != nil {
		return err
	}
	remaining := x.limits.maxSize - x.size
	n, err := io.Copy(f, io.LimitReader(r, remaining+1))
	x.size += n
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if x.size > x.limits.maxSize {
		return refuse("rejected archive: more than %d bytes once extracted", x.limits.maxSize)
	}
	return nil
}

// symlink creates a link whose target resolves inside root.
func (x *extractor) symlink(rel, target string) error {
	if err := x.checkParents(rel); err != nil {
		return err
	}
	if target == "" || path.IsAbs(target) || strings.ContainsRune(target, 0) {
		return refuse("rejected symlink %s -> %s", rel, target)
	}
	dst := filepath.Join(x.root, filepath.FromSlash(rel))
	resolved := filepath.Join(filepath.Dir(dst), filepath.FromSlash(target))
	if !x.inside(resolved) {
		return refuse("rejected symlink escaping the archive: %s -> %s", rel, target)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	os.Remove(dst)
	return os.Symlink(target, dst)
}

// extractTar unpacks a tar stream (optionally gzipped).
func (x *extractor) extractTar(r io.Reader, gz bool) error {
	if gz {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return fmt.Errorf("not a gzip archive: %w", err)
		}
		defer zr.Close()
		r = zr
	}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the archive: %w", err)
		}
		if h.Typeflag == tar.TypeXGlobalHeader || h.Typeflag == tar.TypeXHeader {
			continue
		}
		if err := x.count(); err != nil {
			return err
		}
		rel, err := x.cleanEntry(h.Name)
		if err != nil {
			return err
		}
		if rel == "" || path.Base(rel) == "pax_global_header" {
			continue
		}
		switch h.Typeflag {
		case tar.TypeDir:
			err = x.mkdir(rel, h.FileInfo().Mode())
		case tar.TypeReg, tar.TypeRegA:
			if h.Size > x.limits.maxSize-x.size {
				return refuse("rejected archive: more than %d bytes once extracted", x.limits.maxSize)
			}
			err = x.file(rel, h.FileInfo().Mode(), tr)
		case tar.TypeSymlink:
			err = x.symlink(rel, h.Linkname)
		case tar.TypeLink:
			err = refuse("rejected hard link %s -> %s", rel, h.Linkname)
		default:
			err = refuse("rejected special file %s", rel)
		}
		if err != nil {
			return err
		}
	}
}

// extractZip unpacks a zip file.
func (x *extractor) extractZip(f *os.File, size int64) error {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return fmt.Errorf("not a zip archive: %w", err)
	}
	for _, zf := range zr.File {
		if err := x.count(); err != nil {
			return err
		}
		rel, err := x.cleanEntry(zf.Name)
		if err != nil {
			return err
		}
		if rel == "" {
			continue
		}
		mode := zf.Mode()
		switch {
		case mode.IsDir():
			err = x.mkdir(rel, mode)
		case mode&os.ModeSymlink != 0:
			rc, oerr := zf.Open()
			if oerr != nil {
				return oerr
			}
			target, rerr := io.ReadAll(io.LimitReader(rc, 4096))
			rc.Close()
			if rerr != nil {
				return rerr
			}
			err = x.symlink(rel, string(target))
		case mode.IsRegular():
			if int64(zf.UncompressedSize64) > x.limits.maxSize-x.size {
				return refuse("rejected archive: more than %d bytes once extracted", x.limits.maxSize)
			}
			rc, oerr := zf.Open()
			if oerr != nil {
				return oerr
			}
			err = x.file(rel, mode, rc)
			rc.Close()
		default:
			err = refuse("rejected special file %s", rel)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// hoist moves the content of a lone top-level directory up into root
// (archives of a repository usually wrap everything in one directory).
func hoist(root string) error {
	ents, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	if len(ents) != 1 || !ents[0].IsDir() || ents[0].Type()&os.ModeSymlink != 0 {
		return nil
	}
	top := filepath.Join(root, ents[0].Name())
	tmp := filepath.Join(root, ".dokku-hoist-"+ents[0].Name())
	if err := os.Rename(top, tmp); err != nil {
		return err
	}
	inner, err := os.ReadDir(tmp)
	if err != nil {
		return err
	}
	for _, e := range inner {
		if err := os.Rename(filepath.Join(tmp, e.Name()), filepath.Join(root, e.Name())); err != nil {
			return err
		}
	}
	return os.Remove(tmp)
}
