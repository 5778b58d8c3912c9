package archive

import (
	"errors"
	"fmt"
	"io/fs"
)

// Reason says why an archive was refused or could not be read.
type Reason int

const (
	_ Reason = iota
	// TooManyEntries: more than Options.MaxEntries entries (Count, Max).
	TooManyEntries
	// TooManyBytes: more than Options.MaxBytes of file content (Max).
	TooManyBytes
	// TooLarge: the decompressed stream is over Options.MaxStream (Max).
	TooLarge
	// InvalidName: a NUL byte or an empty name (Options.Names).
	InvalidName
	// AbsolutePath: an absolute entry name.
	AbsolutePath
	// Traversal: a ".." component in the entry name.
	Traversal
	// NotDir: a non-directory entry names the root itself (RefuseEmpty).
	NotDir
	// ThroughSymlink: the entry would be written through a symlink (Dir:
	// the symlink's path below the root).
	ThroughSymlink
	// ThroughFile: a parent of the entry is neither a directory nor a
	// symlink (Dir: its path below the root).
	ThroughFile
	// Exists: the entry's path holds something Options.Replace refuses to
	// replace (Existing: its mode).
	Exists
	// SymlinkTarget: a symlink to an absolute path (with SymlinksInside and
	// SymlinksResolved also an empty target or one holding NUL).
	SymlinkTarget
	// SymlinkEscape: a symlink whose target leaves the root.
	SymlinkEscape
	// SymlinkResolves: once extracted, resolving the symlink at Path through
	// the other links leaves the root; Err is set when it could not be
	// resolved (a loop, an unreadable link).
	SymlinkResolves
	// HardlinkEscape: a hard link whose source is absolute, has a ".."
	// component or (RefuseEmpty) is empty or the root.
	HardlinkEscape
	// HardlinkTarget: a hard link whose source (LinkPath) is not a regular
	// file extracted before it.
	HardlinkTarget
	// Unsupported: an entry of a kind not in Options.Kinds (Kind, Type).
	Unsupported
	// Empty: nothing was extracted (Options.NonEmpty).
	Empty
	// BadGzip: the gzip header cannot be read (Err).
	BadGzip
	// BadArchive: the tar or zip structure cannot be read (Err).
	BadArchive
	// BadEntry: an entry's content cannot be read or written (Err).
	BadEntry
)

var reasonNames = map[Reason]string{
	TooManyEntries: "too many entries", TooManyBytes: "too many bytes", TooLarge: "too large",
	InvalidName: "invalid name", AbsolutePath: "absolute path", Traversal: "path traversal",
	NotDir: "not a directory", ThroughSymlink: "through a symlink", ThroughFile: "through a file",
	Exists: "replaces an existing entry", SymlinkTarget: "absolute symlink",
	SymlinkEscape: "escaping symlink", SymlinkResolves: "symlink resolving outside",
	HardlinkEscape: "escaping hard link", HardlinkTarget: "hard link to no extracted file",
	Unsupported: "unsupported entry type", Empty: "empty archive",
	BadGzip: "bad gzip data", BadArchive: "bad archive", BadEntry: "bad entry",
}

func (r Reason) String() string {
	if s, ok := reasonNames[r]; ok {
		return s
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// Error is a refused or unreadable archive. Fields other than Reason are
// set when they apply.
type Error struct {
	Reason Reason
	Name   string // the entry's name as in the archive
	Path   string // the entry's cleaned, stripped path below the root
	Kind   Kind   // the entry's kind
	Type   byte   // the entry's tar type flag (0 for zip entries)
	Link   string // symlink target or hard link source, as in the archive
	// LinkPath is a hard link's source below the root (HardlinkTarget).
	LinkPath string
	// Dir is the offending parent below the root (ThroughSymlink,
	// ThroughFile).
	Dir      string
	Existing fs.FileMode // what the entry would replace (Exists)
	Count    int64       // entries seen (TooManyEntries)
	Max      int64       // the limit (TooManyEntries, TooManyBytes, TooLarge)
	Err      error       // the underlying error (Bad*, SymlinkResolves)
}

func (e *Error) Error() string {
	switch e.Reason {
	case TooManyEntries:
		return fmt.Sprintf("archive: more than %d entries", e.Max)
	case TooManyBytes:
		return fmt.Sprintf("archive: more than %d bytes of files", e.Max)
	case TooLarge:
		return fmt.Sprintf("archive: larger than %d bytes", e.Max)
	case Empty:
		return "archive: empty"
	case BadGzip, BadArchive, BadEntry:
		return e.Err.Error()
	case ThroughSymlink, ThroughFile:
		return fmt.Sprintf("archive: entry %q: %s %s", e.Name, e.Reason, e.Dir)
	case SymlinkTarget, SymlinkEscape, HardlinkEscape:
		return fmt.Sprintf("archive: entry %q: %s to %q", e.Name, e.Reason, e.Link)
	case SymlinkResolves:
		if e.Err != nil {
			return fmt.Sprintf("archive: symlink %q: %v", e.Path, e.Err)
		}
	}
	return fmt.Sprintf("archive: entry %q: %s", e.Name, e.Reason)
}

func (e *Error) Unwrap() error { return e.Err }

// readError wraps a failure to read the archive, keeping a refusal raised
// below the reader (the MaxStream limit) as it is.
func readError(r Reason, err error) error {
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	return &Error{Reason: r, Err: err}
}
