package shellapi

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/godokku/dokku/internal/archive"
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

// archiveOptions is the shell API's extraction policy, that of tar -x run
// by a user: permissions less the umask, times kept, devices and fifos
// skipped, links kept inside the destination; anything but a directory in
// the way is replaced. Pax global headers count as entries.
func archiveOptions(format string, strip int) archive.Options {
	return archive.Options{
		Format:     archive.Format(format),
		Strip:      strip,
		CountMeta:  true,
		Symlinks:   archive.SymlinksNoDotDot,
		Kinds:      archive.DefaultKinds | archive.KindSparse,
		SkipOthers: true,
		Replace: func(existing fs.FileMode, _ *archive.Entry) archive.Action {
			if existing.IsDir() {
				return archive.Refuse
			}
			return archive.Remove
		},
		Perms:     archive.PermsUmask,
		KeepTimes: true,
	}
}

// archiveRejection words a refusal with its audit event; nil for errors
// that are not refusals. checking is the validation pass, which names
// absolute symlinks and unsafe zip paths apart.
func archiveRejection(err error, zip, checking bool) *rejection {
	var ae *archive.Error
	if !errors.As(err, &ae) {
		return nil
	}
	switch ae.Reason {
	case archive.TooManyEntries:
		return &rejection{"rejected_archive_too_many_files", fmt.Sprintf("count=%d max=%d", ae.Count, ae.Max),
			fmt.Sprintf("Archive contains %d entries which exceeds the maximum of %d", ae.Count, ae.Max)}
	case archive.AbsolutePath, archive.Traversal:
		if zip && checking {
			return &rejection{"rejected_unsafe_zip_path", "absolute or traversal path detected", "Archive contains entries with unsafe paths"}
		}
		if ae.Reason == archive.AbsolutePath {
			return &rejection{"rejected_absolute_path", "absolute path detected", "Archive contains entries with absolute paths"}
		}
		return &rejection{"rejected_path_traversal", "parent directory traversal detected", "Archive contains entries with parent directory traversal"}
	case archive.SymlinkTarget:
		if checking {
			return &rejection{"rejected_unsafe_symlink", "absolute symlink target=" + ae.Link, "Archive contains symlinks with absolute targets"}
		}
		fallthrough // compat: the extraction pass words both alike
	case archive.SymlinkEscape:
		return &rejection{"rejected_unsafe_symlink", "traversal symlink target=" + ae.Link, "Archive contains symlinks pointing outside extraction directory"}
	case archive.HardlinkEscape:
		return &rejection{"rejected_unsafe_symlink", "traversal hardlink target=" + ae.Link, "Archive contains hard links pointing outside extraction directory"}
	case archive.ThroughSymlink:
		return &rejection{"rejected_symlink_traversal", "entry below symlink " + ae.Dir, "Archive contains entries inside symlinked directories"}
	}
	return nil
}

// archiveDetail is what follows "Unable to ... archive: " for an error
// that is not a refusal.
func archiveDetail(err error, root string) error {
	var ae *archive.Error
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.Reason {
	case archive.ThroughFile:
		return fmt.Errorf("%s is not a directory", filepath.Join(root, filepath.FromSlash(ae.Dir)))
	case archive.Exists:
		return fmt.Errorf("%s is a directory", filepath.Join(root, filepath.FromSlash(ae.Path)))
	case archive.HardlinkTarget:
		return fmt.Errorf("hard link %s: %s is not a file extracted before it", ae.Path, ae.LinkPath)
	}
	return err
}

// realDir is dir, absolute and with its symlinks resolved: the root
// entries are written below.
func realDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	return abs, nil
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

// extractFile validates the whole archive, then extracts it.
func (j *archiveJob) extractFile(archivePath string) error {
	if err := j.prepare(archivePath); err != nil {
		return err
	}
	o := archiveOptions(j.typ, j.strip)
	o.MaxEntries = int64(j.limits.MaxFiles)
	zip := j.typ == "zip"
	if err := archive.Check(archivePath, o); err != nil {
		if r := archiveRejection(err, zip, true); r != nil {
			return j.reject(r)
		}
		return ui.Failf("Unable to read %s archive: %v", j.typ, err)
	}
	j.audit.log("extraction_started", j.typ, j.source, "dest="+j.dest)
	root, err := realDir(j.dest)
	if err != nil {
		return err
	}
	if err := archive.ExtractFile(archivePath, root, o); err != nil {
		if r := archiveRejection(err, zip, false); r != nil {
			return j.reject(r)
		}
		return ui.Failf("Unable to extract %s archive: %v", j.typ, archiveDetail(err, root))
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
	return archiveJobFor(ctx, "tar", label, args[0], 0).extractStdin(ctx.Stdin, tmp, ctx.Env.PID())
}

// runArchiveExtractZip: archive-extract-zip <archive> <dest>
func runArchiveExtractZip(ctx *plugin.Context, _ *commonOptions, args []string) error {
	return archiveJobFor(ctx, "zip", args[0], args[1], 0).extractFile(args[0])
}
