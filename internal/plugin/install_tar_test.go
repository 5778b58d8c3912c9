package plugin

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type tarEntry struct {
	name, body, link string
	typ              byte
	mode             int64
}

func makeTar(t *testing.T, gz bool, entries ...tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w *tar.Writer
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(&buf)
		w = tar.NewWriter(zw)
	} else {
		w = tar.NewWriter(&buf)
	}
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
			if typ == tar.TypeDir {
				mode = 0o755
			}
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Mode: mode, Linkname: e.link, Format: tar.FormatPAX}
		if typ == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := w.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			w.Write([]byte(e.body))
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if zw != nil {
		zw.Close()
	}
	return buf.Bytes()
}

func TestInstallTarExtractsAndFlattens(t *testing.T) {
	for _, gz := range []bool{true, false} {
		dest := t.TempDir()
		data := makeTar(t, gz,
			tarEntry{name: "myplugin-1.0/", typ: tar.TypeDir},
			tarEntry{name: "myplugin-1.0/plugin.toml", body: "[plugin]\n"},
			tarEntry{name: "myplugin-1.0/commands", body: "#!/bin/sh\n", mode: 0o4755},
			tarEntry{name: "myplugin-1.0/subcommands/default", link: "../commands", typ: tar.TypeSymlink},
			tarEntry{name: "myplugin-1.0/copy", link: "myplugin-1.0/plugin.toml", typ: tar.TypeLink},
		)
		if err := extractArchive(bytes.NewReader(data), dest, defaultLimits); err != nil {
			t.Fatalf("gz=%v: %v", gz, err)
		}
		root, err := pluginRoot(dest)
		if err != nil || root != filepath.Join(dest, "myplugin-1.0") {
			t.Fatalf("root %q %v", root, err)
		}
		fi, err := os.Stat(filepath.Join(root, "commands"))
		if err != nil || fi.Mode().Perm() != 0o755 || fi.Mode()&os.ModeSetuid != 0 {
			t.Fatalf("commands mode %v %v", fi, err)
		}
		if b, _ := os.ReadFile(filepath.Join(root, "subcommands", "default")); string(b) != "#!/bin/sh\n" {
			t.Fatalf("symlink content %q", b)
		}
		if b, _ := os.ReadFile(filepath.Join(root, "copy")); string(b) != "[plugin]\n" {
			t.Fatalf("hardlink content %q", b)
		}
	}
}

func TestInstallTarNoFlattenWithSeveralEntries(t *testing.T) {
	dest := t.TempDir()
	data := makeTar(t, true, tarEntry{name: "./plugin.toml", body: "x"}, tarEntry{name: "./install", body: "#!/bin/sh\n"})
	if err := extractArchive(bytes.NewReader(data), dest, defaultLimits); err != nil {
		t.Fatal(err)
	}
	if root, _ := pluginRoot(dest); root != dest {
		t.Fatalf("root %q", root)
	}
}

func TestInstallTarRefusesUnsafeEntries(t *testing.T) {
	cases := map[string][]tarEntry{
		"dotdot":           {{name: "ok", body: "x"}, {name: "../evil", body: "x"}},
		"inner dotdot":     {{name: "a/../../evil", body: "x"}},
		"absolute":         {{name: "/abs", body: "x"}},
		"abs symlink":      {{name: "etc", link: "/etc", typ: tar.TypeSymlink}, {name: "etc/evil", body: "x"}},
		"escaping symlink": {{name: "up", link: "../../..", typ: tar.TypeSymlink}},
		"write via link":   {{name: "d", typ: tar.TypeDir}, {name: "l", link: "d", typ: tar.TypeSymlink}, {name: "l/f", body: "x"}},
		"chained symlink":  {{name: "a/b/s", link: "../..", typ: tar.TypeSymlink}, {name: "t", link: "a/b/s/../x", typ: tar.TypeSymlink}},
		"hardlink escape":  {{name: "h", link: "../../etc/passwd", typ: tar.TypeLink}},
		"hardlink abs":     {{name: "h", link: "/etc/passwd", typ: tar.TypeLink}},
		"hardlink symlink": {{name: "s", link: "x", typ: tar.TypeSymlink}, {name: "h", link: "s", typ: tar.TypeLink}},
		"char device":      {{name: "null", typ: tar.TypeChar}},
		"block device":     {{name: "sda", typ: tar.TypeBlock}},
		"fifo":             {{name: "p", typ: tar.TypeFifo}},
		"dir over file":    {{name: "f", body: "x"}, {name: "f", typ: tar.TypeDir}},
		"file over dir":    {{name: "d", typ: tar.TypeDir}, {name: "d", body: "x"}},
		"empty":            {},
	}
	for name, entries := range cases {
		outer := t.TempDir()
		dest := filepath.Join(outer, "dest")
		os.Mkdir(dest, 0o755)
		err := extractArchive(bytes.NewReader(makeTar(t, true, entries...)), dest, defaultLimits)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "Refusing plugin archive") {
			t.Errorf("%s: message %q", name, err)
		}
		ents, _ := os.ReadDir(outer)
		if len(ents) != 1 {
			t.Errorf("%s: wrote outside dest: %v", name, ents)
		}
	}
}

func TestInstallTarLimits(t *testing.T) {
	lim := extractLimits{Files: 3, Bytes: 10}
	many := makeTar(t, false, tarEntry{name: "a", body: "1"}, tarEntry{name: "b", body: "1"}, tarEntry{name: "c", body: "1"}, tarEntry{name: "d", body: "1"})
	if err := extractArchive(bytes.NewReader(many), t.TempDir(), lim); err == nil || !strings.Contains(err.Error(), "more than 3 entries") {
		t.Fatalf("count: %v", err)
	}
	big := makeTar(t, true, tarEntry{name: "a", body: strings.Repeat("x", 11)})
	if err := extractArchive(bytes.NewReader(big), t.TempDir(), lim); err == nil || !strings.Contains(err.Error(), "more than 10 bytes") {
		t.Fatalf("size: %v", err)
	}
	if err := extractArchive(strings.NewReader("this is not a tarball at all, not even close......"), t.TempDir(), lim); err == nil {
		t.Fatal("garbage accepted")
	}
}

func TestInstallTarSymlinkInsideAllowed(t *testing.T) {
	dest := t.TempDir()
	data := makeTar(t, false,
		tarEntry{name: "sub/x", body: "x"},
		tarEntry{name: "sub/l", link: "../sub/./x", typ: tar.TypeSymlink},
		tarEntry{name: "dangling", link: "nope/../nothing", typ: tar.TypeSymlink},
	)
	if err := extractArchive(bytes.NewReader(data), dest, defaultLimits); err != nil {
		t.Fatal(err)
	}
}
