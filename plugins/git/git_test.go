package git

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGitCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"'app'":         "app",
		"/app":          "app",
		"'/app'":        "app",
		`'it\'s'`:       "it's",
		"'../x'":        "../x",
		"'';id;''":      ";id;",
		"'$(id)'":       "$(id)",
		"app.git":       "app.git",
		"//double":      "/double",
		"'x'\\''y'":     "x'y",
		"plain-name-01": "plain-name-01",
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGitPrefixWriter(t *testing.T) {
	var buf bytes.Buffer
	w := &prefixWriter{w: &buf, prefix: ">", atStart: true}
	for _, chunk := range []string{"one\ntw", "o\n", "", "\nthree"} {
		w.Write([]byte(chunk))
	}
	if got := buf.String(); got != ">one\n>two\n>\n>three" {
		t.Errorf("prefixed %q", got)
	}
}

func TestGitNetrcRoundTrip(t *testing.T) {
	in := "machine a.com\n  login u\n  password p\nmachine b.com login v password q account x\ndefault login anon password guest\n"
	entries, rest := parseNetrc(in)
	if len(entries) != 2 || entries[0].machine != "a.com" || entries[0].login != "u" || entries[0].password != "p" ||
		entries[1].extra[0] != "account" || strings.Join(rest, " ") != "default login anon password guest" {
		t.Fatalf("parsed %+v %v", entries, rest)
	}
	out := formatNetrc(entries, rest)
	if out != "machine a.com login u password p\nmachine b.com login v password q account x\ndefault login anon password guest\n" {
		t.Errorf("formatted:\n%s", out)
	}
}

func tarOf(t *testing.T, hdrs []*tar.Header, bodies map[string]string) []byte {
	var buf bytes.Buffer
	w := tar.NewWriter(&buf)
	for _, h := range hdrs {
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(bodies[h.Name]))
		}
		if err := w.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(bodies[h.Name]))
	}
	w.Close()
	return buf.Bytes()
}

func extractBytes(t *testing.T, kind string, data []byte, limits archiveLimits) (string, error) {
	dir := t.TempDir()
	file := filepath.Join(dir, "archive")
	os.WriteFile(file, data, 0o600)
	root := filepath.Join(dir, "root")
	os.Mkdir(root, 0o755)
	return root, extractArchive(file, kind, root, limits)
}

func extractTarBytes(t *testing.T, data []byte, limits archiveLimits) (string, error) {
	return extractBytes(t, "tar", data, limits)
}

var roomy = archiveLimits{maxSize: 1 << 20, maxFiles: 100}

func TestGitArchiveExtractSafe(t *testing.T) {
	data := tarOf(t, []*tar.Header{
		{Name: "top/", Typeflag: tar.TypeDir, Mode: 0o755},
		{Name: "top/run.sh", Typeflag: tar.TypeReg, Mode: 0o755},
		{Name: "top/a/b.txt", Typeflag: tar.TypeReg, Mode: 0o600},
		{Name: "top/link", Typeflag: tar.TypeSymlink, Linkname: "a/b.txt"},
		{Name: "pax_global_header", Typeflag: tar.TypeXGlobalHeader},
	}, map[string]string{"top/run.sh": "#!/bin/sh\n", "top/a/b.txt": "b\n"})
	root, err := extractTarBytes(t, data, roomy) // hoists top/
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "link")); string(b) != "b\n" {
		t.Errorf("hoisted symlink target %q", b)
	}
	if fi, _ := os.Stat(filepath.Join(root, "run.sh")); fi.Mode().Perm() != 0o755 {
		t.Errorf("executable mode %v", fi.Mode())
	}
	if fi, _ := os.Stat(filepath.Join(root, "a", "b.txt")); fi.Mode().Perm() != 0o644 {
		t.Errorf("file mode %v", fi.Mode())
	}
}

func TestGitArchiveExtractRefusals(t *testing.T) {
	cases := map[string]struct {
		hdrs  []*tar.Header
		audit string
	}{
		"absolute":       {[]*tar.Header{{Name: "/etc/x", Typeflag: tar.TypeReg}}, "rejected absolute path: /etc/x"},
		"dotdot":         {[]*tar.Header{{Name: "a/../../x", Typeflag: tar.TypeReg}}, "rejected path traversal: a/../../x"},
		"symlink abs":    {[]*tar.Header{{Name: "l", Typeflag: tar.TypeSymlink, Linkname: "/etc"}}, "rejected symlink l -> /etc"},
		"symlink out":    {[]*tar.Header{{Name: "d/l", Typeflag: tar.TypeSymlink, Linkname: "../../x"}}, "rejected symlink escaping the archive: d/l -> ../../x"},
		"through link":   {[]*tar.Header{{Name: "l", Typeflag: tar.TypeSymlink, Linkname: "."}, {Name: "l/x", Typeflag: tar.TypeReg}}, "rejected entry through a symlink: l/x"},
		"hardlink":       {[]*tar.Header{{Name: "h", Typeflag: tar.TypeLink, Linkname: "/etc/passwd"}}, "rejected hard link h -> /etc/passwd"},
		"device":         {[]*tar.Header{{Name: "dev", Typeflag: tar.TypeChar}}, "rejected special file dev"},
		"replace a link": {[]*tar.Header{{Name: "l", Typeflag: tar.TypeSymlink, Linkname: "x"}, {Name: "l", Typeflag: tar.TypeReg}}, "rejected entry replacing a non-file: l"},
	}
	for name, c := range cases {
		_, err := extractTarBytes(t, tarOf(t, c.hdrs, nil), roomy)
		var ae *archiveError
		if !errors.As(err, &ae) || !strings.HasPrefix(ae.audit, "[archive-security] ") {
			t.Errorf("%s: %v", name, err)
		} else if ae.audit != "[archive-security] "+c.audit {
			t.Errorf("%s: audit %q", name, ae.audit)
		}
	}
	// Limits: entries, declared size, actual bytes.
	many := []*tar.Header{{Name: "a", Typeflag: tar.TypeReg}, {Name: "b", Typeflag: tar.TypeReg}, {Name: "c", Typeflag: tar.TypeReg}}
	if _, err := extractTarBytes(t, tarOf(t, many, nil), archiveLimits{maxSize: 100, maxFiles: 2}); err == nil || !strings.Contains(err.Error(), "more than 2 entries") {
		t.Errorf("entry limit: %v", err)
	}
	big := tarOf(t, []*tar.Header{{Name: "big", Typeflag: tar.TypeReg}}, map[string]string{"big": strings.Repeat("x", 50)})
	if _, err := extractTarBytes(t, big, archiveLimits{maxSize: 10, maxFiles: 5}); err == nil || !strings.Contains(err.Error(), "more than 10 bytes") {
		t.Errorf("size limit: %v", err)
	}
}

func TestGitArchiveExtractZip(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, _ := zw.Create("dir/file.txt")
	f.Write([]byte("zipped\n"))
	zw.Create("../evil")
	zw.Close()
	root, err := extractBytes(t, "zip", buf.Bytes(), roomy)
	var ae *archiveError
	if !errors.As(err, &ae) {
		t.Fatalf("zip with ../evil: %v", err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(root), "evil")); err == nil {
		t.Error("../evil written")
	}
}
