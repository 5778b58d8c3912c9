package shellapi

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tentry describes one entry of a test archive.
type tentry struct {
	name, body, link string
	kind             byte // tar type flag
	mode             int64
}

func file(name, body string) tentry {
	return tentry{name: name, body: body, kind: tar.TypeReg, mode: 0o644}
}
func dir(name string) tentry { return tentry{name: name, kind: tar.TypeDir, mode: 0o755} }
func symlink(name, target string) tentry {
	return tentry{name: name, link: target, kind: tar.TypeSymlink, mode: 0o777}
}
func hardlink(name, target string) tentry {
	return tentry{name: name, link: target, kind: tar.TypeLink, mode: 0o644}
}

func tarBytes(t *testing.T, gz bool, entries ...tentry) []byte {
	t.Helper()
	var buf bytes.Buffer
	var tw *tar.Writer
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(&buf)
		tw = tar.NewWriter(zw)
	} else {
		tw = tar.NewWriter(&buf)
	}
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.kind, Mode: e.mode, Linkname: e.link, Size: int64(len(e.body)), ModTime: time.Unix(1700000000, 0)}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if e.body != "" {
			tw.Write([]byte(e.body))
		}
	}
	tw.Close()
	if zw != nil {
		zw.Close()
	}
	return buf.Bytes()
}

func zipBytes(t *testing.T, entries ...tentry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		switch e.kind {
		case tar.TypeDir:
			h.SetMode(fs.ModeDir | 0o755)
		case tar.TypeSymlink:
			h.SetMode(fs.ModeSymlink | 0o777)
			e.body = e.link
		default:
			h.SetMode(fs.FileMode(e.mode))
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	zw.Close()
	return buf.Bytes()
}

type archiveFixture struct {
	s    *shellEnv
	dest string
}

func newArchiveFixture(t *testing.T) *archiveFixture {
	s := newShellEnv(t)
	dest := filepath.Join(s.dir, "dest")
	os.MkdirAll(dest, 0o755)
	return &archiveFixture{s: s, dest: dest}
}

func (f *archiveFixture) write(name string, data []byte) string {
	p := filepath.Join(f.s.dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		f.s.t.Fatal(err)
	}
	return p
}

func (f *archiveFixture) destEntries() []string {
	var out []string
	filepath.WalkDir(f.dest, func(p string, d fs.DirEntry, err error) error {
		if p != f.dest {
			rel, _ := filepath.Rel(f.dest, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

var auditLine = regexp.MustCompile(`^\[archive-security\] timestamp=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ user=tester event=(\S+) archive_type=(\S+) source=(\S+) details=(.*)$`)

// events returns the audit events on stderr, checking every line's shape.
func events(t *testing.T, stderr string) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		if strings.HasPrefix(l, " !     ") || l == "" {
			continue
		}
		m := auditLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("bad audit line %q", l)
		}
		out = append(out, m[1]+" "+m[4])
	}
	return out
}

func TestShellArchiveTarExtracts(t *testing.T) {
	f := newArchiveFixture(t)
	p := f.write("a.tar", tarBytes(t, false,
		dir("app/"), file("app/Procfile", "web: run\n"), dir("app/bin/"),
		tentry{name: "app/bin/start", body: "#!/bin/sh\n", kind: tar.TypeReg, mode: 0o755},
		symlink("app/current", "bin/start"), hardlink("app/Procfile.copy", "app/Procfile"),
		tentry{name: "app/fifo", kind: tar.TypeFifo, mode: 0o644},
	))
	r := f.s.call(runCommon, "", "archive-extract-tar", p, f.dest, "tar")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	ev := events(t, r.err)
	if len(ev) != 2 || ev[0] != "extraction_started dest="+f.dest || ev[1] != "extraction_completed dest="+f.dest {
		t.Fatalf("events %q", ev)
	}
	if b, _ := os.ReadFile(filepath.Join(f.dest, "app/Procfile.copy")); string(b) != "web: run\n" {
		t.Fatalf("hard link %q", b)
	}
	if l, _ := os.Readlink(filepath.Join(f.dest, "app/current")); l != "bin/start" {
		t.Fatalf("symlink %q", l)
	}
	if fi, _ := os.Stat(filepath.Join(f.dest, "app/bin/start")); fi.Mode().Perm()&0o100 == 0 {
		t.Fatalf("exec bit lost: %v", fi.Mode())
	}
	if fi, _ := os.Stat(filepath.Join(f.dest, "app/Procfile")); !fi.ModTime().Equal(time.Unix(1700000000, 0)) {
		t.Fatalf("mtime %v", fi.ModTime())
	}
	if _, err := os.Lstat(filepath.Join(f.dest, "app/fifo")); !os.IsNotExist(err) {
		t.Fatal("fifo created")
	}
}

func TestShellArchiveTarGzStrip(t *testing.T) {
	f := newArchiveFixture(t)
	p := f.write("a.tgz", tarBytes(t, true, dir("top/"), file("top/a.txt", "A"), dir("top/sub/"), file("top/sub/b.txt", "B")))
	r := f.s.call(runCommon, "", "archive-extract-tar", p, f.dest, "tar.gz", "1")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	got := strings.Join(f.destEntries(), ",")
	if got != "a.txt,sub,sub/b.txt" {
		t.Fatalf("entries %s", got)
	}
}

func TestShellArchiveTarRefusals(t *testing.T) {
	cases := []struct {
		name    string
		entries []tentry
		event   string
		msg     string
	}{
		{"absolute", []tentry{file("ok", "x"), file("/etc/evil", "x")}, "rejected_absolute_path absolute path detected", "Archive contains entries with absolute paths"},
		{"traversal", []tentry{file("ok", "x"), file("a/../../evil", "x")}, "rejected_path_traversal parent directory traversal detected", "Archive contains entries with parent directory traversal"},
		{"dotdot", []tentry{file("..", "x")}, "rejected_path_traversal parent directory traversal detected", "Archive contains entries with parent directory traversal"},
		{"abs symlink", []tentry{symlink("passwd", "/etc/passwd")}, "rejected_unsafe_symlink absolute symlink target=/etc/passwd", "Archive contains symlinks with absolute targets"},
		{"escaping symlink", []tentry{symlink("up", "../../outside")}, "rejected_unsafe_symlink traversal symlink target=../../outside", "Archive contains symlinks pointing outside extraction directory"},
		{"escaping hardlink", []tentry{hardlink("h", "../outside")}, "rejected_unsafe_symlink traversal hardlink target=../outside", "Archive contains hard links pointing outside extraction directory"},
		{"write through symlink", []tentry{dir("real/"), symlink("l", "real"), file("l/x", "x")}, "rejected_symlink_traversal entry below symlink l", "Archive contains entries inside symlinked directories"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newArchiveFixture(t)
			p := f.write("a.tar", tarBytes(t, false, c.entries...))
			r := f.s.call(runCommon, "", "archive-extract-tar", p, f.dest)
			if r.code != 1 || !strings.HasSuffix(r.err, " !     "+c.msg+"\n") {
				t.Fatalf("%+v", r)
			}
			if ev := events(t, r.err); len(ev) != 1 || ev[0] != c.event {
				t.Fatalf("events %q", ev)
			}
			if e := f.destEntries(); len(e) != 0 {
				t.Fatalf("extracted %v", e)
			}
		})
	}
}

func TestShellArchiveLimits(t *testing.T) {
	f := newArchiveFixture(t)
	p := f.write("a.tar", tarBytes(t, false, file("a", "1"), file("b", "2"), file("c", "3")))
	os.MkdirAll(f.s.propPath("git", "--global"), 0o755)
	os.WriteFile(f.s.propPath("git", "--global", "archive-max-files"), []byte("2"), 0o600)
	r := f.s.call(runCommon, "", "archive-extract-tar", p, f.dest)
	if r.code != 1 || !strings.HasSuffix(r.err, " !     Archive contains 3 entries which exceeds the maximum of 2\n") {
		t.Fatalf("%+v", r)
	}
	if ev := events(t, r.err); len(ev) != 1 || ev[0] != "rejected_archive_too_many_files count=3 max=2" {
		t.Fatalf("events %q", ev)
	}
	os.WriteFile(f.s.propPath("git", "--global", "archive-max-size"), []byte("100"), 0o600)
	r = f.s.call(runCommon, "", "archive-extract-tar", p, f.dest)
	size, _ := os.Stat(p)
	if r.code != 1 || !strings.HasSuffix(r.err, " !     Archive exceeds maximum allowed size of 100 bytes\n") {
		t.Fatalf("%+v", r)
	}
	if ev := events(t, r.err); len(ev) != 1 || ev[0] != "rejected_archive_too_large size="+itoa(size.Size())+" max=100" {
		t.Fatalf("events %q", ev)
	}
	// stdin is spooled only up to the limit
	r = f.s.call(runCommon, string(tarBytes(t, false, file("a", "1"))), "archive-extract-tar-stdin", f.dest, "upload")
	if r.code != 1 || !strings.Contains(r.err, "event=rejected_archive_too_large archive_type=tar source=upload details=size>100 max=100\n") {
		t.Fatalf("%+v", r)
	}
	// invalid property values fall back to the defaults
	os.WriteFile(f.s.propPath("git", "--global", "archive-max-size"), []byte("lots"), 0o600)
	os.WriteFile(f.s.propPath("git", "--global", "archive-max-files"), []byte("-1"), 0o600)
	if l := computedArchiveLimits(newCtx(f.s)); l.MaxSize != 1073741824 || l.MaxFiles != 10000 {
		t.Fatalf("limits %+v", l)
	}
	if len(f.destEntries()) != 0 {
		t.Fatal("extracted despite limits")
	}
	tmp, _ := os.ReadDir(f.s.dir)
	for _, e := range tmp {
		if strings.Contains(e.Name(), "archive.") {
			t.Fatalf("spool file left: %s", e.Name())
		}
	}
}

func TestShellArchiveStdin(t *testing.T) {
	f := newArchiveFixture(t)
	r := f.s.call(runCommon, string(tarBytes(t, false, file("x/y", "z"))), "archive-extract-tar-stdin", f.dest)
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if b, _ := os.ReadFile(filepath.Join(f.dest, "x/y")); string(b) != "z" {
		t.Fatalf("content %q", b)
	}
	if !strings.Contains(r.err, "source=stdin details=dest=") {
		t.Fatalf("%q", r.err)
	}
}

func TestShellArchiveZip(t *testing.T) {
	f := newArchiveFixture(t)
	p := f.write("a.zip", zipBytes(t, dir("d/"), tentry{name: "d/f.txt", body: "hello", mode: 0o640}, symlink("d/l", "f.txt")))
	r := f.s.call(runCommon, "", "archive-extract-zip", p, f.dest)
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if b, _ := os.ReadFile(filepath.Join(f.dest, "d/l")); string(b) != "hello" {
		t.Fatalf("via symlink %q", b)
	}
	for _, c := range []struct {
		entries []tentry
		event   string
		msg     string
	}{
		{[]tentry{file("../evil", "x")}, "rejected_unsafe_zip_path absolute or traversal path detected", "Archive contains entries with unsafe paths"},
		{[]tentry{file("/abs", "x")}, "rejected_unsafe_zip_path absolute or traversal path detected", "Archive contains entries with unsafe paths"},
		{[]tentry{symlink("l", "/etc/shadow")}, "rejected_unsafe_symlink absolute symlink target=/etc/shadow", "Archive contains symlinks with absolute targets"},
	} {
		f := newArchiveFixture(t)
		p := f.write("bad.zip", zipBytes(t, c.entries...))
		r := f.s.call(runCommon, "", "archive-extract-zip", p, f.dest)
		if r.code != 1 || !strings.HasSuffix(r.err, " !     "+c.msg+"\n") {
			t.Fatalf("%v: %+v", c.entries, r)
		}
		if ev := events(t, r.err); len(ev) != 1 || ev[0] != c.event {
			t.Fatalf("events %q", ev)
		}
		if len(f.destEntries()) != 0 {
			t.Fatal("extracted")
		}
	}
}

func TestShellArchiveBadInput(t *testing.T) {
	f := newArchiveFixture(t)
	p := f.write("a.tar", tarBytes(t, false, file("a", "1")))
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"archive-extract-tar", p, f.dest, "rar"}, "Unsupported archive type for extraction: rar"},
		{[]string{"archive-extract-tar", p, filepath.Join(f.dest, "nope")}, "Extraction directory " + filepath.Join(f.dest, "nope") + " does not exist"},
		{[]string{"archive-extract-tar", filepath.Join(f.s.dir, "missing.tar"), f.dest}, "Unable to read archive " + filepath.Join(f.s.dir, "missing.tar")},
		{[]string{"archive-extract-tar", p, f.dest, "tar", "x"}, `Invalid strip components value "x"`},
		{[]string{"archive-extract-tar", p}, "Missing destination argument for common archive-extract-tar"},
	} {
		r := f.s.call(runCommon, "", c.args...)
		if r.code != 1 || r.err != " !     "+c.msg+"\n" {
			t.Errorf("%v: %+v", c.args, r)
		}
	}
	garbage := f.write("g.tar.gz", []byte("not gzip at all"))
	if r := f.s.call(runCommon, "", "archive-extract-tar", garbage, f.dest, "tar.gz"); r.code != 1 || !strings.Contains(r.err, "Unable to read tar.gz archive") {
		t.Errorf("%+v", r)
	}
}

func TestShellArchiveReplacesExistingSymlink(t *testing.T) {
	f := newArchiveFixture(t)
	outside := filepath.Join(f.s.dir, "outside")
	os.WriteFile(outside, []byte("keep"), 0o644)
	// a pre-existing symlink in the destination is replaced, not written through
	os.Symlink(outside, filepath.Join(f.dest, "target"))
	p := f.write("a.tar", tarBytes(t, false, file("target", "new")))
	if r := f.s.call(runCommon, "", "archive-extract-tar", p, f.dest); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if b, _ := os.ReadFile(outside); string(b) != "keep" {
		t.Fatalf("wrote through symlink: %q", b)
	}
	if fi, _ := os.Lstat(filepath.Join(f.dest, "target")); !fi.Mode().IsRegular() {
		t.Fatal("not replaced")
	}
}
