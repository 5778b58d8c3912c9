package git

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/godokku/dokku/internal/archive"
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

// archiveOptions is git:from-archive's extraction policy: the content of
// a repository (directories, files by their execute bit, symlinks staying
// inside), nothing else; the bytes actually unpacked count against
// archive-max-size; a lone top-level directory is hoisted.
func archiveOptions(kind string, limits archiveLimits) archive.Options {
	o := archive.Options{
		Format:     archive.Format(kind),
		Hoist:      true,
		MaxEntries: limits.maxFiles,
		MaxBytes:   limits.maxSize,
		Names:      archive.RefuseNUL | archive.WindowsPaths,
		Symlinks:   archive.SymlinksInside,
		Kinds:      archive.KindDir | archive.KindFile | archive.KindSymlink,
		Replace: func(existing fs.FileMode, e *archive.Entry) archive.Action {
			switch {
			case e.Kind == archive.KindSymlink:
				return archive.Remove
			case e.Kind == archive.KindFile && existing.IsRegular():
				return archive.Truncate
			}
			return archive.Refuse
		},
		Perms:        archive.PermsExecBit,
		LexicalFirst: true,
	}
	if kind != "zip" {
		// compat: in a tar, a file named pax_global_header anywhere is
		// metadata.
		o.Visit = func(e *archive.Entry) (bool, error) { return path.Base(e.Path) == "pax_global_header", nil }
	}
	return o
}

// extractArchive unpacks the archive file (tar, tar.gz or zip) into root
// and hoists a lone top-level directory.
func extractArchive(file, kind, root string, limits archiveLimits) error {
	return archiveErr(archive.ExtractFile(file, root, archiveOptions(kind, limits)), kind, root)
}

// archiveErr words an extraction error: refusals as audit lines
// (*archiveError), the rest as the errors they always were.
func archiveErr(err error, kind, root string) error {
	var ae *archive.Error
	if !errors.As(err, &ae) {
		return err
	}
	// through is the path a refusal through a symlink names: a directory
	// entry was checked as a parent of rel/x.
	through := ae.Path
	if ae.Kind == archive.KindDir {
		through += "/x"
	}
	notDir := func(rel string) error {
		return &fs.PathError{Op: "mkdir", Path: filepath.Join(root, filepath.FromSlash(rel)), Err: syscall.ENOTDIR}
	}
	switch ae.Reason {
	case archive.TooManyEntries:
		return refuse("rejected archive: more than %d entries", ae.Max)
	case archive.TooManyBytes:
		return refuse("rejected archive: more than %d bytes once extracted", ae.Max)
	case archive.InvalidName:
		return refuse("rejected entry with a NUL byte")
	case archive.AbsolutePath:
		return refuse("rejected absolute path: %s", ae.Name)
	case archive.Traversal:
		return refuse("rejected path traversal: %s", ae.Name)
	case archive.ThroughSymlink:
		return refuse("rejected entry through a symlink: %s", through)
	case archive.ThroughFile:
		// compat: the component below a file was lstat'ed, a file as the
		// last parent was mkdir'ed.
		if parent := path.Dir(through); ae.Dir != parent {
			next, _, _ := strings.Cut(strings.TrimPrefix(parent, ae.Dir+"/"), "/")
			return &fs.PathError{Op: "lstat", Path: filepath.Join(root, filepath.FromSlash(ae.Dir+"/"+next)), Err: syscall.ENOTDIR}
		}
		return notDir(ae.Dir)
	case archive.Exists:
		switch {
		case ae.Kind == archive.KindDir && ae.Existing&fs.ModeSymlink != 0:
			return refuse("rejected entry through a symlink: %s", through)
		case ae.Kind == archive.KindDir:
			return notDir(ae.Path)
		}
		return refuse("rejected entry replacing a non-file: %s", ae.Path)
	case archive.SymlinkTarget:
		return refuse("rejected symlink %s -> %s", ae.Path, ae.Link)
	case archive.SymlinkEscape:
		return refuse("rejected symlink escaping the archive: %s -> %s", ae.Path, ae.Link)
	case archive.Unsupported:
		if ae.Kind == archive.KindHardlink {
			return refuse("rejected hard link %s -> %s", ae.Path, ae.Link)
		}
		return refuse("rejected special file %s", ae.Path)
	case archive.BadGzip:
		return fmt.Errorf("not a gzip archive: %w", ae.Err)
	case archive.BadArchive:
		if kind == "zip" {
			return fmt.Errorf("not a zip archive: %w", ae.Err)
		}
		return fmt.Errorf("reading the archive: %w", ae.Err)
	case archive.BadEntry:
		return ae.Err
	}
	return err
}
