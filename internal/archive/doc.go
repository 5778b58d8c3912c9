// Package archive unpacks untrusted tar, tar.gz and zip archives into a
// directory. It is the one implementation behind the shell API's
// fn-archive-extract-* verbs and copy-dir-from-image (plugins/common),
// git:from-archive (plugins/git) and plugin:install from a tarball
// (internal/plugin).
//
// # What it refuses
//
// Always, on entry names (and on hard link sources):
//   - absolute paths ("/etc/x"; with WindowsPaths also "C:x"),
//   - any ".." component ("a/../../x"; with WindowsPaths "\" separates too);
//
// on the file system, which is never followed:
//   - an entry whose parent on disk is a symlink (ThroughSymlink) or another
//     non-directory (ThroughFile): parents are Lstat'ed one by one and only
//     real directories are entered; files are created with
//     O_EXCL|O_NOFOLLOW, so an existing symlink is replaced, never written
//     through;
//   - a hard link whose source is outside the root (HardlinkEscape) or is
//     not a regular file extracted before it (HardlinkTarget);
//   - an existing entry the caller's Replace policy does not let go (Exists);
//
// by policy (Options):
//   - symlinks whose target leaves the root: by a lexical resolution
//     (SymlinksInside), also resolving the links extracted so far once the
//     archive is unpacked (SymlinksResolved), or any ".." in the target
//     (SymlinksNoDotDot); SymlinksAny trusts them (a copy out of an image);
//   - kinds not in Kinds: devices, fifos, hard links, GNU sparse files and
//     unknown types are refused (Unsupported), or skipped with SkipOthers;
//     nothing but directories, regular files and links is ever created;
//   - bombs: more than MaxEntries entries (TooManyEntries), more than
//     MaxBytes of file content, declared or written (TooManyBytes), a
//     decompressed tar stream over MaxStream bytes (TooLarge);
//   - NUL bytes or empty names (Names).
//
// Owners are never restored and set-id bits are dropped.
//
// # How it reports
//
// Nothing is printed. Every refusal, and every archive that cannot be
// read, is returned as an *Error: a Reason plus the entry's name, path,
// link target and the numbers involved. Messages and audit lines are API
// of each caller (`[archive-security] ...`, `Refusing plugin archive: ...`)
// and stay with the caller, which words the *Error. Other errors are the
// file system's, returned as they are.
//
// Extract and ExtractFile stop at the first refusal, in the order the
// entries come and, for one entry, in this order: entry count, name
// rules, Visit, parents on disk, then what needs no file system (kind,
// declared size, link target; before the parents with LexicalFirst), then
// the existing entry. What was written stays: the caller extracts into a
// directory of its own and removes it, or owns what it asked for. Check reads a whole archive first and reports,
// without writing anything, the first rule it breaks by rule
// (TooManyEntries, InvalidName, AbsolutePath, Traversal, SymlinkTarget,
// SymlinkEscape, HardlinkEscape, then ThroughSymlink for an entry below a
// symlink of the archive), as the shell API has always answered.
//
// Strip drops leading path components; Hoist moves the content of a lone
// top-level directory up into the root once extracted; TopDir finds that
// directory without moving anything.
package archive
