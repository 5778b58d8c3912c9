package shellapi

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// Archive bomb limits: git global properties, with Dokku's defaults.
const (
	defaultArchiveMaxSize  int64 = 1073741824
	defaultArchiveMaxFiles       = 10000
)

// archiveLimits bound what an archive may hold.
type archiveLimits struct {
	MaxSize  int64 // bytes of the archive file
	MaxFiles int   // entries (files, directories, links)
}

// computedArchiveLimits reads the git global properties archive-max-size
// and archive-max-files; unset, empty or invalid values mean the default.
func computedArchiveLimits(ctx *plugin.Context) archiveLimits {
	props := ctx.Props()
	size, _ := props.Get("git", property.Global, "archive-max-size")
	files, _ := props.Get("git", property.Global, "archive-max-files")
	return archiveLimits{
		MaxSize:  positiveInt(size, defaultArchiveMaxSize),
		MaxFiles: int(positiveInt(files, defaultArchiveMaxFiles)),
	}
}

func positiveInt(s string, def int64) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return def
	}
	return n
}

// archiveAudit writes the `[archive-security] ...` lines (stderr): one per
// rejection, and extraction_started / extraction_completed around a
// successful extraction.
type archiveAudit struct {
	w    io.Writer
	user string
	now  func() time.Time
}

func newArchiveAudit(ctx *plugin.Context) *archiveAudit {
	user := ctx.Env.Get("SUDO_USER")
	if user == "" {
		user = ctx.Env.Get("USER")
	}
	if user == "" {
		user = "unknown"
	}
	return &archiveAudit{w: ctx.Stderr, user: user, now: time.Now}
}

func (a *archiveAudit) log(event, archiveType, source, details string) {
	fmt.Fprintf(a.w, "[archive-security] timestamp=%s user=%s event=%s archive_type=%s source=%s details=%s\n",
		a.now().UTC().Format("2006-01-02T15:04:05Z"), a.user, event, archiveType, source, details)
}

// archiveJob is one extraction.
type archiveJob struct {
	audit  *archiveAudit
	limits archiveLimits
	typ    string // tar, tar.gz or zip
	source string // the archive path (or a label for stdin) in audit lines
	dest   string // existing directory
	strip  int    // leading path components dropped from every entry
}

// rejection is a refused archive: the audit event and the user message.
type rejection struct {
	event, details, msg string
}

func (r *rejection) Error() string { return r.msg }

func (j *archiveJob) reject(r *rejection) error {
	j.audit.log(r.event, j.typ, j.source, r.details)
	return ui.Fail(r.msg)
}

// archiveEntry is what validation and extraction need of an entry.
type archiveEntry struct {
	name     string
	kind     entryKind
	linkname string // symlink target or hard link source (archive path)
	mode     fs.FileMode
	mtime    time.Time
	open     func() (io.ReadCloser, error) // regular files
}

type entryKind int

const (
	kindOther entryKind = iota // devices, fifos, metadata: skipped
	kindDir
	kindFile
	kindSymlink
	kindHardlink
)

// scan is what the validation pass found, reported in Dokku's order.
type scan struct {
	count                int
	absolute, traversal  bool
	symlinkAbs, symlinkX string // first offending symlink target
	linkX                string // first offending hard link target
	symlinks             map[string]bool
	names                []string // cleaned entry paths (up to max)
	max                  int
}

func (s *scan) add(e *archiveEntry) {
	s.count++
	clean, _ := stripComponents(e.name, 0)
	if s.count <= s.max {
		s.names = append(s.names, clean)
	}
	if e.kind == kindSymlink {
		if s.symlinks == nil {
			s.symlinks = map[string]bool{}
		}
		s.symlinks[clean] = true
	}
	if strings.HasPrefix(e.name, "/") {
		s.absolute = true
	}
	if hasDotDot(e.name) {
		s.traversal = true
	}
	switch e.kind {
	case kindSymlink:
		switch {
		case strings.HasPrefix(e.linkname, "/"):
			if s.symlinkAbs == "" {
				s.symlinkAbs = e.linkname
			}
		case hasDotDot(e.linkname):
			if s.symlinkX == "" {
				s.symlinkX = e.linkname
			}
		}
	case kindHardlink:
		if (strings.HasPrefix(e.linkname, "/") || hasDotDot(e.linkname)) && s.linkX == "" {
			s.linkX = e.linkname
		}
	}
}

// verdict returns the first rule the archive breaks, nil when it is safe.
func (s *scan) verdict(limits archiveLimits, zipNames bool) *rejection {
	if s.count > limits.MaxFiles {
		return &rejection{"rejected_archive_too_many_files", fmt.Sprintf("count=%d max=%d", s.count, limits.MaxFiles),
			fmt.Sprintf("Archive contains %d entries which exceeds the maximum of %d", s.count, limits.MaxFiles)}
	}
	if zipNames && (s.absolute || s.traversal) {
		return &rejection{"rejected_unsafe_zip_path", "absolute or traversal path detected", "Archive contains entries with unsafe paths"}
	}
	if s.absolute {
		return &rejection{"rejected_absolute_path", "absolute path detected", "Archive contains entries with absolute paths"}
	}
	if s.traversal {
		return &rejection{"rejected_path_traversal", "parent directory traversal detected", "Archive contains entries with parent directory traversal"}
	}
	if s.symlinkAbs != "" {
		return &rejection{"rejected_unsafe_symlink", "absolute symlink target=" + s.symlinkAbs, "Archive contains symlinks with absolute targets"}
	}
	if s.symlinkX != "" {
		return &rejection{"rejected_unsafe_symlink", "traversal symlink target=" + s.symlinkX, "Archive contains symlinks pointing outside extraction directory"}
	}
	if s.linkX != "" {
		return &rejection{"rejected_unsafe_symlink", "traversal hardlink target=" + s.linkX, "Archive contains hard links pointing outside extraction directory"}
	}
	if len(s.symlinks) > 0 {
		for _, n := range s.names {
			for dir := path.Dir(n); dir != "." && dir != "/"; dir = path.Dir(dir) {
				if s.symlinks[dir] {
					return &rejection{"rejected_symlink_traversal", "entry below symlink " + dir, "Archive contains entries inside symlinked directories"}
				}
			}
		}
	}
	return nil
}

// hasDotDot reports whether a slash-separated path has a ".." component.
func hasDotDot(p string) bool {
	for _, c := range strings.Split(p, "/") {
		if c == ".." {
			return true
		}
	}
	return false
}

// prepare checks the archive type, its size and the destination.
func (j *archiveJob) prepare(archivePath string) error {
	switch j.typ {
	case "tar", "tar.gz", "zip":
	default:
		return ui.Failf("Unsupported archive type for extraction: %s", j.typ)
	}
	fi, err := os.Stat(archivePath)
	if err != nil {
		return ui.Failf("Unable to read archive %s", archivePath)
	}
	if !fi.Mode().IsRegular() {
		return ui.Failf("Archive %s is not a regular file", archivePath)
	}
	if fi.Size() > j.limits.MaxSize {
		return j.reject(&rejection{"rejected_archive_too_large", fmt.Sprintf("size=%d max=%d", fi.Size(), j.limits.MaxSize),
			fmt.Sprintf("Archive exceeds maximum allowed size of %d bytes", j.limits.MaxSize)})
	}
	if j.strip < 0 {
		return ui.Failf("Invalid strip components value %d", j.strip)
	}
	d, err := os.Stat(j.dest)
	if err != nil || !d.IsDir() {
		return ui.Failf("Extraction directory %s does not exist", j.dest)
	}
	return nil
}

// extractFile validates then extracts a tar, tar.gz or zip file.
func (j *archiveJob) extractFile(archivePath string) error {
	if err := j.prepare(archivePath); err != nil {
		return err
	}
	walk := j.walkTar
	if j.typ == "zip" {
		walk = j.walkZip
	}
	s := scan{max: j.limits.MaxFiles}
	if err := walk(archivePath, func(e *archiveEntry) error { s.add(e); return nil }); err != nil {
		return ui.Failf("Unable to read %s archive: %v", j.typ, err)
	}
	if r := s.verdict(j.limits, j.typ == "zip"); r != nil {
		return j.reject(r)
	}
	j.audit.log("extraction_started", j.typ, j.source, "dest="+j.dest)
	x, err := newExtractor(j.dest)
	if err != nil {
		return err
	}
	if err := walk(archivePath, x.entry(j.strip)); err != nil {
		var rej *rejection
		if errors.As(err, &rej) {
			return j.reject(rej)
		}
		return ui.Failf("Unable to extract %s archive: %v", j.typ, err)
	}
	if err := x.finish(); err != nil {
		return ui.Failf("Unable to extract %s archive: %v", j.typ, err)
	}
	j.audit.log("extraction_completed", j.typ, j.source, "dest="+j.dest)
	return nil
}

// extractStdin spools a tar archive from r (at most the size limit) into a
// temp file, then extracts it.
func (j *archiveJob) extractStdin(r io.Reader, tmpDir, pid string) error {
	f, err := os.CreateTemp(tmpDir, "dokku-"+pid+"-archive.")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	n, err := io.Copy(f, io.LimitReader(r, j.limits.MaxSize+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return ui.Failf("Unable to read archive from %s: %v", j.source, err)
	}
	if n > j.limits.MaxSize {
		return j.reject(&rejection{"rejected_archive_too_large", fmt.Sprintf("size>%d max=%d", j.limits.MaxSize, j.limits.MaxSize),
			fmt.Sprintf("Archive exceeds maximum allowed size of %d bytes", j.limits.MaxSize)})
	}
	return j.extractFile(f.Name())
}

func (j *archiveJob) walkTar(archivePath string, fn func(*archiveEntry) error) error {
	f, err := os.Open(archivePath)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if j.typ == "tar.gz" {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return err
		}
		defer gz.Close()
		r = gz
	}
	return walkTarStream(r, fn)
}

// walkTarStream calls fn for every entry of a tar stream.
func walkTarStream(r io.Reader, fn func(*archiveEntry) error) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		e := &archiveEntry{name: h.Name, linkname: h.Linkname, mode: h.FileInfo().Mode(), mtime: h.ModTime}
		switch h.Typeflag {
		case tar.TypeDir:
			e.kind = kindDir
		case tar.TypeReg, tar.TypeRegA, tar.TypeGNUSparse:
			e.kind = kindFile
			e.open = func() (io.ReadCloser, error) { return io.NopCloser(tr), nil }
		case tar.TypeSymlink:
			e.kind = kindSymlink
		case tar.TypeLink:
			e.kind = kindHardlink
		}
		if err := fn(e); err != nil {
			return err
		}
	}
}

func (j *archiveJob) walkZip(archivePath string, fn func(*archiveEntry) error) error {
	zr, err := zip.OpenReader(archivePath)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		e := &archiveEntry{name: f.Name, mode: f.Mode(), mtime: f.Modified}
		switch {
		case f.Mode()&fs.ModeSymlink != 0:
			e.kind = kindSymlink
			rc, err := f.Open()
			if err != nil {
				return err
			}
			b, err := io.ReadAll(io.LimitReader(rc, 4096))
			rc.Close()
			if err != nil {
				return err
			}
			e.linkname = string(b)
		case f.FileInfo().IsDir() || strings.HasSuffix(f.Name, "/"):
			e.kind = kindDir
		case f.Mode().IsRegular():
			e.kind = kindFile
			f := f
			e.open = f.Open
			if e.mode.Perm() == 0 {
				e.mode |= 0o644
			}
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// extractor writes entries below root without ever following a symlink:
// parents must be real directories, and existing non-directories at an
// entry's path are replaced, not written through.
type extractor struct {
	root string
	// anySymlink accepts symlink targets outside the tree (copying a
	// directory out of an image, where the links are the image's own).
	anySymlink bool
	umask      fs.FileMode
	dirs       []dirMeta
}

type dirMeta struct {
	path  string
	mode  fs.FileMode
	mtime time.Time
}

func newExtractor(root string) (*extractor, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	old := unix.Umask(0o022)
	unix.Umask(old)
	return &extractor{root: abs, umask: fs.FileMode(old)}, nil
}

// entry returns the per-entry callback, dropping strip leading components.
func (x *extractor) entry(strip int) func(*archiveEntry) error {
	return func(e *archiveEntry) error {
		rel, ok := stripComponents(e.name, strip)
		if !ok {
			return nil
		}
		if e.kind == kindHardlink {
			src, ok := stripComponents(e.linkname, strip)
			if !ok {
				return nil
			}
			e.linkname = src
		}
		return x.write(rel, e)
	}
}

// stripComponents cleans an archive path and drops its first n
// components; ok is false when nothing is left.
func stripComponents(name string, n int) (string, bool) {
	var parts []string
	for _, c := range strings.Split(name, "/") {
		if c != "" && c != "." {
			parts = append(parts, c)
		}
	}
	if len(parts) <= n {
		return "", false
	}
	return strings.Join(parts[n:], "/"), true
}

func (x *extractor) write(rel string, e *archiveEntry) error {
	if strings.HasPrefix(rel, "/") || hasDotDot(rel) {
		return &rejection{"rejected_path_traversal", "parent directory traversal detected", "Archive contains entries with parent directory traversal"}
	}
	target := filepath.Join(x.root, filepath.FromSlash(rel))
	if err := x.mkdirParents(rel); err != nil {
		return err
	}
	switch e.kind {
	case kindDir:
		fi, err := os.Lstat(target)
		switch {
		case err == nil && fi.IsDir():
		case err == nil:
			if err := os.Remove(target); err != nil {
				return err
			}
			fallthrough
		default:
			if err := os.Mkdir(target, 0o755); err != nil && !os.IsExist(err) {
				return err
			}
		}
		x.dirs = append(x.dirs, dirMeta{target, e.mode.Perm() &^ x.umask, e.mtime})
	case kindFile:
		if err := x.clear(target); err != nil {
			return err
		}
		rc, err := e.open()
		if err != nil {
			return err
		}
		defer rc.Close()
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL|unix.O_NOFOLLOW, e.mode.Perm())
		if err != nil {
			return err
		}
		_, err = io.Copy(f, rc)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		if !e.mtime.IsZero() {
			os.Chtimes(target, e.mtime, e.mtime)
		}
	case kindSymlink:
		if !x.anySymlink && (strings.HasPrefix(e.linkname, "/") || hasDotDot(e.linkname)) {
			return &rejection{"rejected_unsafe_symlink", "traversal symlink target=" + e.linkname, "Archive contains symlinks pointing outside extraction directory"}
		}
		if err := x.clear(target); err != nil {
			return err
		}
		return os.Symlink(e.linkname, target)
	case kindHardlink:
		if strings.HasPrefix(e.linkname, "/") || hasDotDot(e.linkname) {
			return &rejection{"rejected_unsafe_symlink", "traversal hardlink target=" + e.linkname, "Archive contains hard links pointing outside extraction directory"}
		}
		if err := x.mkdirParents(e.linkname); err != nil {
			return err
		}
		src := filepath.Join(x.root, filepath.FromSlash(e.linkname))
		fi, err := os.Lstat(src)
		if err != nil || !fi.Mode().IsRegular() {
			return fmt.Errorf("hard link %s: %s is not a file extracted before it", rel, e.linkname)
		}
		if err := x.clear(target); err != nil {
			return err
		}
		return os.Link(src, target)
	}
	return nil
}

// mkdirParents creates the directories above rel, refusing to pass
// through anything that is not a real directory.
func (x *extractor) mkdirParents(rel string) error {
	dir := x.root
	parts := strings.Split(rel, "/")
	for _, c := range parts[:len(parts)-1] {
		dir = filepath.Join(dir, c)
		fi, err := os.Lstat(dir)
		switch {
		case err == nil && fi.IsDir():
			continue
		case err == nil && fi.Mode()&fs.ModeSymlink != 0:
			return &rejection{"rejected_symlink_traversal", "entry below symlink " + strings.TrimPrefix(dir, x.root+"/"),
				"Archive contains entries inside symlinked directories"}
		case err == nil:
			return fmt.Errorf("%s is not a directory", dir)
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

// clear removes whatever non-directory sits at target.
func (x *extractor) clear(target string) error {
	fi, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%s is a directory", target)
	}
	return os.Remove(target)
}

// finish applies directory modes and times, deepest first.
func (x *extractor) finish() error {
	sort.SliceStable(x.dirs, func(i, k int) bool { return len(x.dirs[i].path) > len(x.dirs[k].path) })
	for _, d := range x.dirs {
		if err := os.Chmod(d.path, d.mode|0o700); err != nil {
			return err
		}
		if !d.mtime.IsZero() {
			os.Chtimes(d.path, d.mtime, d.mtime)
		}
	}
	return nil
}

// archiveJobFor builds a job from the common tool's arguments.
func archiveJobFor(ctx *plugin.Context, typ, source, dest string, strip int) *archiveJob {
	return &archiveJob{audit: newArchiveAudit(ctx), limits: computedArchiveLimits(ctx), typ: typ, source: source, dest: dest, strip: strip}
}

// runArchiveExtractTar: archive-extract-tar <archive> <dest> [<tar|tar.gz>] [<strip-components>]
func runArchiveExtractTar(ctx *plugin.Context, _ *commonOptions, args []string) error {
	typ, strip := "tar", 0
	if len(args) > 2 && args[2] != "" {
		typ = args[2]
	}
	if len(args) > 3 && args[3] != "" {
		n, err := strconv.Atoi(args[3])
		if err != nil || n < 0 {
			return ui.Failf("Invalid strip components value %q", args[3])
		}
		strip = n
	}
	if typ == "zip" {
		return ui.Failf("Unsupported archive type for extraction: %s", typ)
	}
	return archiveJobFor(ctx, typ, args[0], args[1], strip).extractFile(args[0])
}

// runArchiveExtractTarStdin: archive-extract-tar-stdin <dest> [<label>]
func runArchiveExtractTarStdin(ctx *plugin.Context, _ *commonOptions, args []string) error {
	label := "stdin"
	if len(args) > 1 && args[1] != "" {
		label = args[1]
	}
	tmp := ctx.Env.Get("TMPDIR")
	if tmp == "" {
		tmp = os.TempDir()
	}
	pid := ctx.Env.Get("DOKKU_PID")
	if pid == "" {
		pid = strconv.Itoa(os.Getpid())
	}
	return archiveJobFor(ctx, "tar", label, args[0], 0).extractStdin(ctx.Stdin, tmp, pid)
}

// runArchiveExtractZip: archive-extract-zip <archive> <dest>
func runArchiveExtractZip(ctx *plugin.Context, _ *commonOptions, args []string) error {
	return archiveJobFor(ctx, "zip", args[0], args[1], 0).extractFile(args[0])
}
