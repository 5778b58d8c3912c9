package archive

import (
	"io/fs"
	"path"
	"strings"
)

// Options are an extraction's policy: what differs between the callers.
// The zero value reads a
// plain tar, refuses symlinks leaving the root, devices and other special
// kinds, replaces nothing but non-directories by non-directories and has
// no limits.
type Options struct {
	Format Format

	// Strip drops this many leading components from every entry name and
	// hard link source; an entry left with nothing is skipped.
	Strip int
	// Hoist moves the content of a lone top-level directory up into the
	// root once everything is extracted (see TopDir).
	Hoist bool

	// MaxEntries bounds the entries (pax global headers only count with
	// CountMeta); 0 is no limit.
	MaxEntries int64
	// MaxBytes bounds the content of regular files, declared and written;
	// 0 is no limit.
	MaxBytes int64
	// MaxStream bounds the decompressed tar stream, headers and padding
	// included; 0 is no limit.
	MaxStream int64
	// CountMeta makes pax global headers entries: counted and checked like
	// any other, never written. Without it they are ignored.
	CountMeta bool

	Names    NameRule
	Symlinks SymlinkPolicy
	// Kinds are the kinds written (DefaultKinds when zero); the others are
	// refused with Unsupported, or skipped with SkipOthers.
	Kinds      Kind
	SkipOthers bool
	// Replace decides what happens when an entry's path already holds
	// something (a directory entry meeting a directory merges without
	// asking). When nil, a non-directory replaces a non-directory and the
	// rest is refused.
	Replace func(existing fs.FileMode, e *Entry) Action

	// LexicalFirst checks an entry's kind, a file's declared size and a
	// link's target before its parents on disk; by default after them, as
	// tar makes the parents before looking at the entry.
	LexicalFirst bool

	Perms Perms
	// KeepTimes sets the modification times of files and directories.
	KeepTimes bool
	// NonEmpty refuses an archive that extracts to nothing (Empty).
	NonEmpty bool

	// Visit, when set, is called for every entry after its name passed the
	// name rules (e.Path is set): skip leaves the entry out, an error stops.
	Visit func(e *Entry) (skip bool, err error)
}

// NameRule are the name rules applied besides "no absolute path, no ..".
type NameRule uint8

const (
	// RefuseNUL refuses names and link targets holding a NUL byte.
	RefuseNUL NameRule = 1 << iota
	// RefuseEmpty refuses empty names, a non-directory entry naming the root
	// and a hard link to nothing or to the root.
	RefuseEmpty
	// WindowsPaths splits names on "\" too, and takes "X:..." as absolute.
	WindowsPaths
)

// SymlinkPolicy says which symlink targets are allowed.
type SymlinkPolicy uint8

const (
	// SymlinksInside: a non-empty, relative target that, resolved lexically
	// from the link's directory, stays below the root.
	SymlinksInside SymlinkPolicy = iota
	// SymlinksResolved: SymlinksInside, and once extracted every link must
	// resolve below the root through the links around it.
	SymlinksResolved
	// SymlinksNoDotDot: a target that is neither absolute nor has a ".."
	// component.
	SymlinksNoDotDot
	// SymlinksAny: any target (the links of an image, copied out of it).
	SymlinksAny
)

// Action is what Options.Replace decides.
type Action uint8

const (
	// Refuse fails with Exists.
	Refuse Action = iota
	// Remove removes the existing entry first (a directory only when
	// empty).
	Remove
	// Truncate writes a regular file into the existing regular file.
	Truncate
)

// Perms says which permissions entries get.
type Perms uint8

const (
	// PermsUmask: the archive's permission bits less the umask; directories
	// get theirs once everything is extracted, keeping the owner's rwx.
	PermsUmask Perms = iota
	// PermsExact: the archive's permission bits exactly (chmod); directories
	// get theirs once everything is extracted, keeping the owner's rwx.
	PermsExact
	// PermsExecBit: files 0755 when any execute bit is set, else 0644;
	// directories (bits|0700)&0755 when created; less the umask.
	PermsExecBit
)

func (o *Options) kinds() Kind {
	if o.Kinds == 0 {
		return DefaultKinds
	}
	return o.Kinds
}

func (o *Options) replace(existing fs.FileMode, e *Entry) Action {
	if o.Replace != nil {
		return o.Replace(existing, e)
	}
	if existing.IsDir() || e.Kind == KindDir {
		return Refuse
	}
	return Remove
}

// nameRule checks an entry name against the name rules.
func (o *Options) nameRule(name string) Reason {
	win := o.Names&WindowsPaths != 0
	switch {
	case o.Names&RefuseNUL != 0 && strings.ContainsRune(name, 0), o.Names&RefuseEmpty != 0 && name == "":
		return InvalidName
	case isAbs(name, win):
		return AbsolutePath
	case hasDotDot(name, win):
		return Traversal
	}
	return 0
}

// linkRule checks a hard link source by the name rules: any failure is
// HardlinkEscape.
func (o *Options) linkRule(link string) Reason {
	if o.nameRule(link) != 0 {
		return HardlinkEscape
	}
	return 0
}

// symlinkRule checks the target of the symlink at rel.
func (o *Options) symlinkRule(rel, link string) Reason {
	switch o.Symlinks {
	case SymlinksAny:
	case SymlinksNoDotDot:
		if strings.HasPrefix(link, "/") {
			return SymlinkTarget
		}
		if hasDotDot(link, false) {
			return SymlinkEscape
		}
	default:
		if link == "" || strings.ContainsRune(link, 0) || strings.HasPrefix(link, "/") {
			return SymlinkTarget
		}
		if r := path.Join(path.Dir(rel), link); r == ".." || strings.HasPrefix(r, "../") {
			return SymlinkEscape
		}
	}
	return 0
}

func isAbs(name string, win bool) bool {
	return strings.HasPrefix(name, "/") || win && len(name) > 1 && name[1] == ':'
}

func split(name string, win bool) []string {
	if win {
		name = strings.ReplaceAll(name, "\\", "/")
	}
	return strings.Split(name, "/")
}

// hasDotDot reports whether a name has a ".." component.
func hasDotDot(name string, win bool) bool {
	for _, c := range split(name, win) {
		if c == ".." {
			return true
		}
	}
	return false
}

// clean returns a name without empty and "." components and without its
// first strip components; "" when nothing is left. Names reaching it have
// no ".." component.
func clean(name string, win bool, strip int) string {
	var parts []string
	for _, c := range split(name, win) {
		if c != "" && c != "." {
			parts = append(parts, c)
		}
	}
	if len(parts) <= strip {
		return ""
	}
	return strings.Join(parts[strip:], "/")
}
