package archive

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Extract unpacks the tar stream r (Tar, TarGz or TarAuto) into dest, an
// existing directory.
func Extract(r io.Reader, dest string, o Options) error {
	if o.Format == Zip {
		return &Error{Reason: BadArchive, Err: errors.New("a zip archive must be a file")}
	}
	x := newExtraction(dest, o)
	if err := walkTar(r, o.Format, o.MaxStream, x.entry); err != nil {
		return err
	}
	return x.finish()
}

// ExtractFile unpacks the archive file at path into dest, an existing
// directory.
func ExtractFile(path, dest string, o Options) error {
	x := newExtraction(dest, o)
	if err := walkFile(path, o.Format, o.MaxStream, x.entry); err != nil {
		return err
	}
	return x.finish()
}

// extraction is one run: entries are written below root, never through a
// symlink.
type extraction struct {
	o        Options
	root     string
	entries  int64
	bytes    int64
	umask    fs.FileMode
	dirs     []dirMeta // permissions and times applied last
	symlinks []string  // paths below root, for SymlinksResolved
}

type dirMeta struct {
	path  string
	mode  fs.FileMode
	mtime time.Time
}

func newExtraction(root string, o Options) *extraction {
	x := &extraction{o: o, root: root}
	if o.Perms == PermsUmask {
		old := unix.Umask(0o022)
		unix.Umask(old)
		x.umask = fs.FileMode(old)
	}
	return x
}

func (x *extraction) refuse(r Reason, e *Entry) *Error {
	return &Error{Reason: r, Name: e.Name, Path: e.Path, Kind: e.Kind, Type: e.Type, Link: e.Link}
}

func (x *extraction) entry(e *Entry) error {
	o := &x.o
	if e.Kind == KindMeta && !o.CountMeta {
		return nil
	}
	x.entries++
	if o.MaxEntries > 0 && x.entries > o.MaxEntries {
		return &Error{Reason: TooManyEntries, Count: x.entries, Max: o.MaxEntries}
	}
	if r := o.nameRule(e.Name); r != 0 {
		return x.refuse(r, e)
	}
	e.Path = clean(e.Name, o.Names&WindowsPaths != 0, o.Strip)
	if o.Visit != nil {
		if skip, err := o.Visit(e); skip || err != nil {
			return err
		}
	}
	if e.Path == "" {
		if o.Names&RefuseEmpty != 0 && e.Kind != KindDir {
			return x.refuse(NotDir, e)
		}
		return nil
	}
	// A hard link whose source strips to nothing is left out before
	// anything is made for it (tar --strip-components).
	if e.Kind == KindHardlink && e.Kind&o.kinds() != 0 && o.Names&RefuseEmpty == 0 && clean(e.Link, o.Names&WindowsPaths != 0, o.Strip) == "" {
		return nil
	}
	if o.LexicalFirst {
		if skip, err := x.check(e); skip || err != nil {
			return err
		}
	}
	if err := x.parents(e, e.Path); err != nil {
		return err
	}
	if !o.LexicalFirst {
		if skip, err := x.check(e); skip || err != nil {
			return err
		}
	}
	target := filepath.Join(x.root, filepath.FromSlash(e.Path))
	switch e.Kind {
	case KindDir:
		return x.dir(e, target)
	case KindFile, KindSparse:
		return x.file(e, target)
	case KindSymlink:
		return x.symlink(e, target)
	case KindHardlink:
		return x.hardlink(e, target)
	}
	return nil
}

// check applies what needs no file system to an entry: its kind, the
// declared size of a file, a link's target.
func (x *extraction) check(e *Entry) (skip bool, err error) {
	o := &x.o
	if e.Kind&o.kinds() == 0 || e.Kind == KindMeta {
		if o.SkipOthers || e.Kind == KindMeta {
			return true, nil
		}
		return false, x.refuse(Unsupported, e)
	}
	switch e.Kind {
	case KindFile, KindSparse:
		if o.MaxBytes > 0 && e.Size > o.MaxBytes-x.bytes {
			return false, &Error{Reason: TooManyBytes, Name: e.Name, Path: e.Path, Max: o.MaxBytes}
		}
	case KindSymlink:
		link, err := e.target()
		if err != nil {
			return false, err
		}
		if r := o.symlinkRule(e.Path, link); r != 0 {
			return false, x.refuse(r, e)
		}
	case KindHardlink:
		if o.linkRule(e.Link) != 0 {
			return false, x.refuse(HardlinkEscape, e)
		}
	}
	return false, nil
}

// parents makes the directories above rel, entering nothing but real
// directories.
func (x *extraction) parents(e *Entry, rel string) error {
	dir := x.root
	parts := strings.Split(rel, "/")
	for i, c := range parts[:len(parts)-1] {
		dir = filepath.Join(dir, c)
		fi, err := os.Lstat(dir)
		switch {
		case err == nil && fi.IsDir():
		case err == nil:
			r := x.refuse(ThroughFile, e)
			if fi.Mode()&fs.ModeSymlink != 0 {
				r.Reason = ThroughSymlink
			}
			r.Dir = strings.Join(parts[:i+1], "/")
			return r
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
				return err
			}
		default:
			return err
		}
	}
	return nil
}

// existing applies Options.Replace to whatever target holds; trunc is
// set when e is to be written into the regular file there.
func (x *extraction) existing(e *Entry, target string) (trunc bool, err error) {
	fi, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	switch x.o.replace(fi.Mode(), e) {
	case Remove:
		// A directory that is not empty stays: what is created next
		// reports it.
		if err := os.Remove(target); err != nil && !fi.IsDir() {
			return false, err
		}
		return false, nil
	case Truncate:
		if fi.Mode().IsRegular() && e.Kind&(KindFile|KindSparse) != 0 {
			return true, nil
		}
	}
	r := x.refuse(Exists, e)
	r.Existing = fi.Mode()
	return false, r
}

func (x *extraction) dir(e *Entry, target string) error {
	fi, err := os.Lstat(target)
	if err != nil || !fi.IsDir() {
		if err == nil {
			if _, err := x.existing(e, target); err != nil {
				return err
			}
		}
		mode := fs.FileMode(0o755)
		if x.o.Perms == PermsExecBit {
			mode = (e.Mode.Perm() | 0o700) & 0o755
		}
		if err := os.Mkdir(target, mode); err != nil && !os.IsExist(err) {
			return err
		}
	}
	switch x.o.Perms {
	case PermsUmask:
		x.dirs = append(x.dirs, dirMeta{target, e.Mode.Perm() &^ x.umask, e.ModTime})
	case PermsExact:
		x.dirs = append(x.dirs, dirMeta{target, e.Mode.Perm(), e.ModTime})
	}
	return nil
}

func (x *extraction) file(e *Entry, target string) error {
	o := &x.o
	trunc, err := x.existing(e, target)
	if err != nil {
		return err
	}
	mode := e.Mode.Perm()
	if o.Perms == PermsExecBit {
		mode = 0o644
		if e.Mode.Perm()&0o111 != 0 {
			mode = 0o755
		}
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL | unix.O_NOFOLLOW
	if trunc {
		flags = os.O_WRONLY | os.O_TRUNC | unix.O_NOFOLLOW
	}
	rc, err := e.open()
	if err != nil {
		return readError(BadEntry, err)
	}
	defer rc.Close()
	f, err := os.OpenFile(target, flags, mode)
	if err != nil {
		return err
	}
	var src io.Reader = rc
	if o.MaxBytes > 0 {
		src = io.LimitReader(rc, o.MaxBytes-x.bytes+1)
	}
	n, err := io.Copy(f, src)
	x.bytes += n
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return readError(BadEntry, err)
	}
	if o.MaxBytes > 0 && x.bytes > o.MaxBytes {
		return &Error{Reason: TooManyBytes, Name: e.Name, Path: e.Path, Max: o.MaxBytes}
	}
	if o.Perms == PermsExact {
		if err := os.Chmod(target, mode); err != nil {
			return err
		}
	}
	if o.KeepTimes && !e.ModTime.IsZero() {
		os.Chtimes(target, e.ModTime, e.ModTime)
	}
	return nil
}

func (x *extraction) symlink(e *Entry, target string) error {
	if _, err := x.existing(e, target); err != nil {
		return err
	}
	if err := os.Symlink(e.Link, target); err != nil {
		return err
	}
	if x.o.Symlinks == SymlinksResolved {
		x.symlinks = append(x.symlinks, e.Path)
	}
	return nil
}

func (x *extraction) hardlink(e *Entry, target string) error {
	src := clean(e.Link, x.o.Names&WindowsPaths != 0, x.o.Strip)
	if src == "" { // RefuseEmpty: the others were left out
		return x.refuse(HardlinkEscape, e)
	}
	if err := x.parents(e, src); err != nil {
		return err
	}
	from := filepath.Join(x.root, filepath.FromSlash(src))
	if fi, err := os.Lstat(from); err != nil || !fi.Mode().IsRegular() {
		r := x.refuse(HardlinkTarget, e)
		r.LinkPath = src
		return r
	}
	if _, err := x.existing(e, target); err != nil {
		return err
	}
	return os.Link(from, target)
}

// finish runs the checks that need the whole tree, applies directory
// permissions and times (deepest first) and hoists.
func (x *extraction) finish() error {
	if x.o.NonEmpty {
		if ents, err := os.ReadDir(x.root); err != nil || len(ents) == 0 {
			return &Error{Reason: Empty}
		}
	}
	for _, link := range x.symlinks {
		out, err := escapesRoot(x.root, link)
		if err != nil || out {
			return &Error{Reason: SymlinkResolves, Name: link, Path: link, Kind: KindSymlink, Err: err}
		}
	}
	sort.SliceStable(x.dirs, func(i, k int) bool { return len(x.dirs[i].path) > len(x.dirs[k].path) })
	for _, d := range x.dirs {
		if err := os.Chmod(d.path, d.mode|0o700); err != nil {
			return err
		}
		if x.o.KeepTimes && !d.mtime.IsZero() {
			os.Chtimes(d.path, d.mtime, d.mtime)
		}
	}
	if x.o.Hoist {
		return hoist(x.root)
	}
	return nil
}

// escapesRoot resolves the symlink at rel (relative to root) component by
// component, following further symlinks inside root, and reports whether
// the resolution ever leaves root. A dangling tail resolves lexically.
func escapesRoot(root, rel string) (bool, error) {
	cur := strings.Split(path.Dir(rel), "/")
	if cur[0] == "." {
		cur = nil
	}
	target, err := os.Readlink(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return false, err
	}
	pending := strings.Split(target, "/")
	for hops := 0; len(pending) > 0; {
		part := pending[0]
		pending = pending[1:]
		switch part {
		case "", ".":
			continue
		case "..":
			if len(cur) == 0 {
				return true, nil
			}
			cur = cur[:len(cur)-1]
			continue
		}
		cur = append(cur, part)
		p := filepath.Join(append([]string{root}, cur...)...)
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			continue
		}
		if hops++; hops > 40 {
			return false, errors.New("has a symlink loop")
		}
		next, err := os.Readlink(p)
		if err != nil {
			return false, err
		}
		if strings.HasPrefix(next, "/") {
			return true, nil
		}
		cur = cur[:len(cur)-1]
		pending = append(strings.Split(next, "/"), pending...)
	}
	return false, nil
}

// TopDir returns root's lone top-level directory (not a symlink), or root
// when it holds anything else.
func TopDir(root string) (string, error) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return "", err
	}
	if len(ents) == 1 && ents[0].IsDir() {
		return filepath.Join(root, ents[0].Name()), nil
	}
	return root, nil
}

// hoist moves the content of root's lone top-level directory up into root
// (archives of a repository usually wrap everything in one directory).
func hoist(root string) error {
	top, err := TopDir(root)
	if err != nil || top == root {
		return err
	}
	tmp := filepath.Join(root, ".dokku-hoist-"+filepath.Base(top))
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
