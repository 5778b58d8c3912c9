package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ent describes one entry of a test archive.
type ent struct {
	name, body, link string
	typ              byte
	mode             int64
}

func file(name, body string) ent { return ent{name: name, body: body, typ: tar.TypeReg, mode: 0o644} }
func dir(name string) ent        { return ent{name: name, typ: tar.TypeDir, mode: 0o755} }
func symlink(name, target string) ent {
	return ent{name: name, link: target, typ: tar.TypeSymlink, mode: 0o777}
}
func hardlink(name, target string) ent {
	return ent{name: name, link: target, typ: tar.TypeLink, mode: 0o644}
}
func special(name string, typ byte) ent { return ent{name: name, typ: typ, mode: 0o644} }

func tarBytes(t *testing.T, gz bool, entries ...ent) []byte {
	t.Helper()
	var buf bytes.Buffer
	var zw *gzip.Writer
	tw := tar.NewWriter(&buf)
	if gz {
		zw = gzip.NewWriter(&buf)
		tw = tar.NewWriter(zw)
	}
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: e.mode, Linkname: e.link, ModTime: time.Unix(1700000000, 0), Format: tar.FormatPAX}
		if e.typ == tar.TypeXGlobalHeader {
			h = &tar.Header{Typeflag: e.typ, PAXRecords: map[string]string{"comment": "meta"}}
		}
		if e.typ == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if zw != nil {
		zw.Close()
	}
	return buf.Bytes()
}

func zipFile(t *testing.T, entries ...ent) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		switch e.typ {
		case tar.TypeDir:
			h.SetMode(fs.ModeDir | 0o755)
		case tar.TypeSymlink:
			h.SetMode(fs.ModeSymlink | 0o777)
			e.body = e.link
		case tar.TypeFifo:
			h.SetMode(fs.ModeNamedPipe | 0o644)
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
	p := filepath.Join(t.TempDir(), "a.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The three policies of the callers (plugins/common, plugins/git,
// internal/plugin), as they set them.
var policies = map[string]Options{
	"shell": {
		CountMeta: true, Symlinks: SymlinksNoDotDot, Kinds: DefaultKinds | KindSparse, SkipOthers: true,
		Replace: func(existing fs.FileMode, _ *Entry) Action {
			if existing.IsDir() {
				return Refuse
			}
			return Remove
		},
		KeepTimes: true,
	},
	"git": {
		Names: RefuseNUL | WindowsPaths, Kinds: KindDir | KindFile | KindSymlink, Perms: PermsExecBit,
		Replace: func(existing fs.FileMode, e *Entry) Action {
			switch {
			case e.Kind == KindDir:
				return Refuse
			case e.Kind == KindSymlink:
				return Remove
			case existing.IsRegular():
				return Truncate
			}
			return Refuse
		},
	},
	"plugin": {Format: TarAuto, Names: RefuseNUL | RefuseEmpty, Symlinks: SymlinksResolved, Perms: PermsExact, NonEmpty: true},
}

// extract unpacks entries into a fresh dest below a fresh directory; it
// fails the test when anything was written beside dest.
func extract(t *testing.T, o Options, entries ...ent) (string, error) {
	t.Helper()
	outer := t.TempDir()
	dest := filepath.Join(outer, "dest")
	os.Mkdir(dest, 0o755)
	err := Extract(bytes.NewReader(tarBytes(t, o.Format == TarGz, entries...)), dest, o)
	if ents, _ := os.ReadDir(outer); len(ents) != 1 {
		t.Fatalf("wrote outside dest: %v", ents)
	}
	return dest, err
}

// osError marks a case failing with the file system's error, not a Reason.
const osError Reason = -1

func reasonOf(err error) Reason {
	var ae *Error
	if errors.As(err, &ae) {
		return ae.Reason
	}
	if err != nil {
		return osError
	}
	return 0
}

// TestRefusals is the union of the cases the three former extractors
// refused, with what each policy answers (0: extracted).
func TestRefusals(t *testing.T) {
	cases := []struct {
		name                string
		entries             []ent
		shell, git, plugin_ Reason
	}{
		{"absolute", []ent{file("ok", "x"), file("/etc/evil", "x")}, AbsolutePath, AbsolutePath, AbsolutePath},
		{"traversal", []ent{file("ok", "x"), file("a/../../evil", "x")}, Traversal, Traversal, Traversal},
		{"dotdot", []ent{file("..", "x")}, Traversal, Traversal, Traversal},
		{"leading dotdot", []ent{file("../evil", "x")}, Traversal, Traversal, Traversal},
		{"windows traversal", []ent{file(`a\..\..\evil`, "x")}, 0, Traversal, 0},
		{"drive letter", []ent{file(`C:evil`, "x")}, 0, AbsolutePath, 0},
		{"abs symlink", []ent{symlink("passwd", "/etc/passwd")}, SymlinkTarget, SymlinkTarget, SymlinkTarget},
		{"abs symlink then through it", []ent{symlink("etc", "/etc"), file("etc/evil", "x")}, SymlinkTarget, SymlinkTarget, SymlinkTarget},
		{"escaping symlink", []ent{symlink("up", "../../outside")}, SymlinkEscape, SymlinkEscape, SymlinkEscape},
		{"escaping from a subdir", []ent{symlink("d/l", "../../x")}, SymlinkEscape, SymlinkEscape, SymlinkEscape},
		{"inner dotdot symlink", []ent{file("sub/x", "x"), symlink("sub/l", "../sub/./x")}, SymlinkEscape, 0, 0},
		{"empty symlink", []ent{symlink("l", "")}, osError, SymlinkTarget, SymlinkTarget},
		{"chained symlink", []ent{symlink("a/b/s", "../.."), symlink("t", "a/b/s/../x")}, SymlinkEscape, 0, SymlinkResolves},
		{"write through symlink", []ent{dir("real/"), symlink("l", "real"), file("l/x", "x")}, ThroughSymlink, ThroughSymlink, ThroughSymlink},
		{"write through dot link", []ent{symlink("l", "."), file("l/x", "x")}, ThroughSymlink, ThroughSymlink, ThroughSymlink},
		{"write through file", []ent{file("f", "x"), file("f/x", "x")}, ThroughFile, ThroughFile, ThroughFile},
		{"escaping hardlink", []ent{hardlink("h", "../outside")}, HardlinkEscape, Unsupported, HardlinkEscape},
		{"abs hardlink", []ent{hardlink("h", "/etc/passwd")}, HardlinkEscape, Unsupported, HardlinkEscape},
		{"hardlink to a symlink", []ent{symlink("s", "x"), hardlink("h", "s")}, HardlinkTarget, Unsupported, HardlinkTarget},
		{"hardlink to nothing", []ent{hardlink("h", "missing")}, HardlinkTarget, Unsupported, HardlinkTarget},
		{"hardlink to the root", []ent{hardlink("h", ".")}, 0, Unsupported, HardlinkEscape},
		{"hardlink inside", []ent{file("f", "x"), hardlink("h", "f")}, 0, Unsupported, 0},
		{"char device", []ent{special("null", tar.TypeChar)}, 0, Unsupported, Unsupported},
		{"block device", []ent{special("sda", tar.TypeBlock)}, 0, Unsupported, Unsupported},
		{"fifo", []ent{special("p", tar.TypeFifo)}, 0, Unsupported, Unsupported},
		{"unknown type", []ent{special("v", 'V')}, 0, Unsupported, Unsupported},
		{"dir over file", []ent{file("f", "x"), dir("f")}, 0, Exists, Exists},
		{"file over dir", []ent{dir("d"), file("d", "x")}, Exists, Exists, Exists},
		// compat: the resolution pass of SymlinksResolved finds the link gone.
		{"file over symlink", []ent{symlink("l", "x"), file("l", "x")}, 0, Exists, SymlinkResolves},
		{"symlink over file", []ent{file("l", "x"), symlink("l", "x")}, 0, 0, 0},
		{"root as a file", []ent{file(".", "x")}, 0, 0, NotDir},
		{"empty name", []ent{file("", "x"), file("ok", "x")}, 0, 0, InvalidName},
		{"empty", nil, 0, 0, Empty},
	}
	for _, c := range cases {
		for pol, want := range map[string]Reason{"shell": c.shell, "git": c.git, "plugin": c.plugin_} {
			t.Run(c.name+"/"+pol, func(t *testing.T) {
				_, err := extract(t, policies[pol], c.entries...)
				if got := reasonOf(err); got != want {
					t.Fatalf("got %v (%v), want %v", got, err, want)
				}
			})
		}
	}
}

func TestLimits(t *testing.T) {
	many := []ent{file("a", "1"), file("b", "1"), file("c", "1"), file("d", "1")}
	_, err := extract(t, Options{MaxEntries: 3}, many...)
	var ae *Error
	if !errors.As(err, &ae) || ae.Reason != TooManyEntries || ae.Count != 4 || ae.Max != 3 {
		t.Fatalf("entries: %v", err)
	}
	if _, err := extract(t, Options{MaxEntries: 4}, many...); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
	// pax global headers count only with CountMeta
	withMeta := append([]ent{special("pax_global_header", tar.TypeXGlobalHeader)}, many[:3]...)
	if _, err := extract(t, Options{MaxEntries: 3}, withMeta...); err != nil {
		t.Fatalf("meta counted: %v", err)
	}
	if _, err := extract(t, Options{MaxEntries: 3, CountMeta: true}, withMeta...); reasonOf(err) != TooManyEntries {
		t.Fatalf("meta not counted: %v", err)
	}
	big := []ent{file("a", "12345"), file("b", strings.Repeat("x", 6))}
	if _, err := extract(t, Options{MaxBytes: 10}, big...); !errors.As(err, &ae) || ae.Reason != TooManyBytes || ae.Max != 10 || ae.Name != "b" {
		t.Fatalf("bytes: %v", err)
	}
	if _, err := extract(t, Options{MaxBytes: 11}, big...); err != nil {
		t.Fatalf("at the byte limit: %v", err)
	}
	if _, err := extract(t, Options{Format: TarGz, MaxStream: 2048}, file("a", strings.Repeat("x", 4096))); !errors.As(err, &ae) || ae.Reason != TooLarge || ae.Max != 2048 {
		t.Fatalf("stream: %v", err)
	}
}

func TestUnreadable(t *testing.T) {
	dest := t.TempDir()
	for _, c := range []struct {
		f    Format
		data string
		want Reason
	}{
		{TarGz, "not gzip at all", BadGzip},
		{Tar, "this is not a tarball at all, not even close......", BadArchive},
		{TarAuto, "this is not a tarball at all, not even close......", BadArchive},
		{TarAuto, "\x1f\x8b but broken", BadGzip},
	} {
		if err := Extract(strings.NewReader(c.data), dest, Options{Format: c.f}); reasonOf(err) != c.want {
			t.Errorf("%s %q: %v", c.f, c.data, err)
		}
	}
	data := tarBytes(t, false, file("a", strings.Repeat("x", 2000)))
	if err := Extract(bytes.NewReader(data[:1024]), t.TempDir(), Options{}); reasonOf(err) != BadEntry {
		t.Errorf("truncated: %v", err)
	}
}

func TestExtractKeepsModesTimesAndLinks(t *testing.T) {
	entries := []ent{
		dir("app/"), file("app/Procfile", "web: run\n"), dir("app/bin/"),
		{name: "app/bin/start", body: "#!/bin/sh\n", typ: tar.TypeReg, mode: 0o4755},
		{name: "app/secret", body: "s", typ: tar.TypeReg, mode: 0o600},
		symlink("app/current", "bin/start"), hardlink("app/Procfile.copy", "app/Procfile"),
		special("app/fifo", tar.TypeFifo),
	}
	dest, err := extract(t, policies["shell"], entries...)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "app/Procfile.copy")); string(b) != "web: run\n" {
		t.Fatalf("hard link %q", b)
	}
	if l, _ := os.Readlink(filepath.Join(dest, "app/current")); l != "bin/start" {
		t.Fatalf("symlink %q", l)
	}
	if fi, _ := os.Stat(filepath.Join(dest, "app/Procfile")); !fi.ModTime().Equal(time.Unix(1700000000, 0)) {
		t.Fatalf("mtime %v", fi.ModTime())
	}
	if _, err := os.Lstat(filepath.Join(dest, "app/fifo")); !os.IsNotExist(err) {
		t.Fatal("fifo created")
	}
	// exact permissions, set-id dropped
	dest, err = extract(t, policies["plugin"], entries[:5]...)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(dest, "app/bin/start")); fi.Mode() != 0o755 {
		t.Fatalf("exact mode %v", fi.Mode())
	}
	if fi, _ := os.Stat(filepath.Join(dest, "app/Procfile")); fi.ModTime().Equal(time.Unix(1700000000, 0)) {
		t.Fatal("mtime kept without KeepTimes")
	}
	// execute bit only
	dest, err = extract(t, policies["git"], entries[:5]...)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]fs.FileMode{"app/bin/start": 0o755, "app/secret": 0o644} {
		if fi, _ := os.Stat(filepath.Join(dest, name)); fi.Mode().Perm() != want&^umask() {
			t.Errorf("%s mode %v", name, fi.Mode())
		}
	}
}

func umask() fs.FileMode {
	x := newExtraction("", Options{})
	return x.umask
}

func TestTruncateKeepsTheFirstMode(t *testing.T) {
	dest, err := extract(t, policies["git"],
		ent{name: "run", body: "one", typ: tar.TypeReg, mode: 0o755},
		ent{name: "run", body: "two", typ: tar.TypeReg, mode: 0o644})
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(filepath.Join(dest, "run"))
	if b, _ := os.ReadFile(filepath.Join(dest, "run")); string(b) != "two" || fi.Mode().Perm()&0o100 == 0 {
		t.Fatalf("%q %v", b, fi.Mode())
	}
}

func TestReplacesExistingSymlink(t *testing.T) {
	outer := t.TempDir()
	dest := filepath.Join(outer, "dest")
	os.Mkdir(dest, 0o755)
	outside := filepath.Join(outer, "outside")
	os.WriteFile(outside, []byte("keep"), 0o644)
	os.Symlink(outside, filepath.Join(dest, "target"))
	if err := Extract(bytes.NewReader(tarBytes(t, false, file("target", "new"))), dest, policies["shell"]); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(outside); string(b) != "keep" {
		t.Fatalf("wrote through symlink: %q", b)
	}
	if fi, _ := os.Lstat(filepath.Join(dest, "target")); !fi.Mode().IsRegular() {
		t.Fatal("not replaced")
	}
}

func TestStripHoistTopDirVisit(t *testing.T) {
	entries := []ent{dir("top/"), file("top/a.txt", "A"), dir("top/sub/"), file("top/sub/b.txt", "B"), symlink("top/l", "a.txt")}
	dest, err := extract(t, Options{Strip: 1}, entries...)
	if err != nil {
		t.Fatal(err)
	}
	if got := listTree(dest); got != "a.txt,l,sub,sub/b.txt" {
		t.Fatalf("strip: %s", got)
	}
	dest, err = extract(t, Options{Hoist: true}, entries...)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "l")); listTree(dest) != "a.txt,l,sub,sub/b.txt" || string(b) != "A" {
		t.Fatalf("hoist: %s", listTree(dest))
	}
	dest, _ = extract(t, Options{}, entries...)
	if top, err := TopDir(dest); err != nil || top != filepath.Join(dest, "top") {
		t.Fatalf("TopDir %q %v", top, err)
	}
	dest, _ = extract(t, Options{}, file("a", "1"), file("b", "2"))
	if top, _ := TopDir(dest); top != dest {
		t.Fatalf("TopDir of several %q", top)
	}
	var seen []string
	visit := func(e *Entry) (bool, error) {
		seen = append(seen, e.Path)
		return e.Path == "top/a.txt", nil
	}
	dest, err = extract(t, Options{Visit: visit}, entries...)
	if err != nil || strings.Join(seen, ",") != "top,top/a.txt,top/sub,top/sub/b.txt,top/l" {
		t.Fatalf("visit %v %v", seen, err)
	}
	if _, err := os.Lstat(filepath.Join(dest, "top/a.txt")); !os.IsNotExist(err) {
		t.Fatal("skipped entry written")
	}
}

func listTree(root string) string {
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if p != root {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})
	return strings.Join(out, ",")
}

func TestZip(t *testing.T) {
	p := zipFile(t, dir("d/"), ent{name: "d/f.txt", body: "hello", mode: 0o640}, symlink("d/l", "f.txt"), ent{name: "d/zero", body: "z"})
	dest := t.TempDir()
	if err := ExtractFile(p, dest, Options{Format: Zip}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "d/l")); string(b) != "hello" {
		t.Fatalf("via symlink %q", b)
	}
	if fi, _ := os.Stat(filepath.Join(dest, "d/zero")); fi.Mode().Perm() != 0o644&^umask() {
		t.Fatalf("zero mode %v", fi.Mode())
	}
	for _, c := range []struct {
		entries []ent
		o       Options
		want    Reason
	}{
		{[]ent{file("../evil", "x")}, Options{}, Traversal},
		{[]ent{file("/abs", "x")}, Options{}, AbsolutePath},
		{[]ent{file("a\x00b", "x")}, Options{Names: RefuseNUL}, InvalidName},
		{[]ent{symlink("l", "/etc/shadow")}, Options{}, SymlinkTarget},
		{[]ent{symlink("l", "/etc/shadow")}, Options{Symlinks: SymlinksNoDotDot}, SymlinkTarget},
		{[]ent{special("p", tar.TypeFifo)}, Options{}, Unsupported},
		{[]ent{file("a", "12345678901")}, Options{MaxBytes: 10}, TooManyBytes},
	} {
		c.o.Format = Zip
		outer := t.TempDir()
		dest := filepath.Join(outer, "dest")
		os.Mkdir(dest, 0o755)
		if err := ExtractFile(zipFile(t, c.entries...), dest, c.o); reasonOf(err) != c.want {
			t.Errorf("%v: %v, want %v", c.entries, err, c.want)
		}
		if ents, _ := os.ReadDir(outer); len(ents) != 1 {
			t.Errorf("%v: wrote outside dest", c.entries)
		}
	}
	if err := ExtractFile(p, t.TempDir(), Options{Format: Zip, SkipOthers: true}); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(t.TempDir(), "g.zip")
	os.WriteFile(garbage, []byte("not a zip"), 0o644)
	if err := ExtractFile(garbage, t.TempDir(), Options{Format: Zip}); reasonOf(err) != BadArchive {
		t.Fatalf("garbage zip: %v", err)
	}
}

// TestCheck: the whole-archive verdict, by rule precedence, writing
// nothing.
func TestCheck(t *testing.T) {
	o := policies["shell"]
	o.MaxEntries = 3
	cases := []struct {
		name    string
		entries []ent
		want    Reason
		detail  string
	}{
		{"safe", []ent{dir("a/"), file("a/b", "x"), symlink("a/c", "b")}, 0, ""},
		{"count first", []ent{symlink("l", "/etc"), file("/abs", "x"), file("c", "x"), file("d", "x")}, TooManyEntries, "4"},
		{"absolute before an earlier symlink", []ent{symlink("l", "/etc"), file("/abs", "x")}, AbsolutePath, "/abs"},
		{"traversal", []ent{symlink("l", "../x"), file("a/../../x", "x")}, Traversal, "a/../../x"},
		{"abs symlink before escaping", []ent{symlink("l", "../x"), symlink("m", "/etc")}, SymlinkTarget, "/etc"},
		{"escaping symlink", []ent{hardlink("h", "../x"), symlink("l", "a/../b")}, SymlinkEscape, "a/../b"},
		{"hardlink", []ent{hardlink("h", "/etc/passwd")}, HardlinkEscape, "/etc/passwd"},
		{"below a later symlink", []ent{file("l/x", "x"), symlink("l", "real")}, ThroughSymlink, "l"},
		{"below a nested symlink", []ent{symlink("a/b", "."), file("a/b/c/d", "x")}, ThroughSymlink, "a/b"},
		{"meta counts", []ent{special("pax_global_header", tar.TypeXGlobalHeader), file("a", "1"), file("b", "2"), file("c", "3")}, TooManyEntries, "4"},
	}
	for _, c := range cases {
		p := filepath.Join(t.TempDir(), "a.tar")
		os.WriteFile(p, tarBytes(t, false, c.entries...), 0o644)
		err := Check(p, o)
		var ae *Error
		if c.want == 0 {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if !errors.As(err, &ae) || ae.Reason != c.want {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
			continue
		}
		var detail string
		switch ae.Reason {
		case TooManyEntries:
			detail = strconv.FormatInt(ae.Count, 10)
		case AbsolutePath, Traversal:
			detail = ae.Name
		case ThroughSymlink:
			detail = ae.Dir
		default:
			detail = ae.Link
		}
		if detail != c.detail {
			t.Errorf("%s: detail %q, want %q", c.name, detail, c.detail)
		}
	}
	// zip symlinks are read for the check
	if err := Check(zipFile(t, symlink("l", "/etc/shadow")), Options{Format: Zip, Symlinks: SymlinksNoDotDot}); reasonOf(err) != SymlinkTarget {
		t.Fatalf("zip: %v", err)
	}
}
