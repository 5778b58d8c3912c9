package archive

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"time"
)

// Format is an archive format, named as the callers name it.
type Format string

const (
	Tar   Format = "tar"
	TarGz Format = "tar.gz"
	Zip   Format = "zip"
	// TarAuto is a tar stream, gzip-compressed or not by its first bytes.
	TarAuto Format = "tar(.gz)"
)

// Kind is what an entry is; Kinds are bits so that Options.Kinds is a set.
type Kind uint16

const (
	KindDir      Kind = 1 << iota
	KindFile          // regular file
	KindSparse        // GNU sparse file, written as a regular file
	KindSymlink       //
	KindHardlink      //
	KindDevice        // character or block device, fifo
	KindMeta          // pax global header (`git archive` writes one)
	KindOther         // anything else
)

// DefaultKinds are written when Options.Kinds is zero.
const DefaultKinds = KindDir | KindFile | KindSymlink | KindHardlink

// Entry is one archive member.
type Entry struct {
	Name    string // as in the archive
	Path    string // cleaned and stripped, "" for the root; set before Options.Visit
	Kind    Kind
	Type    byte   // tar type flag, 0 for zip
	Link    string // symlink target or hard link source (zip: read on demand)
	Mode    fs.FileMode
	ModTime time.Time
	Size    int64 // declared size of a regular file

	open     func() (io.ReadCloser, error)
	readLink func() (string, error) // zip symlinks keep their target as content
}

// target returns a symlink's target, reading it when the archive keeps it
// as the entry's content.
func (e *Entry) target() (string, error) {
	if e.readLink != nil {
		l, err := e.readLink()
		if err != nil {
			return "", readError(BadEntry, err)
		}
		e.Link, e.readLink = l, nil
	}
	return e.Link, nil
}

// walkFile calls fn for every entry of the archive file at path.
func walkFile(path string, format Format, maxStream int64, fn func(*Entry) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if format != Zip {
		return walkTar(f, format, maxStream, fn)
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(f, fi.Size())
	if err != nil {
		return readError(BadArchive, err)
	}
	return walkZip(zr, fn)
}

// walkTar calls fn for every entry of a tar stream.
func walkTar(r io.Reader, format Format, maxStream int64, fn func(*Entry) error) error {
	switch format {
	case Tar, "":
	case TarGz, TarAuto:
		if format == TarAuto {
			br := bufio.NewReader(r)
			r = br
			if magic, _ := br.Peek(2); len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
				break
			}
		}
		gz, err := gzip.NewReader(r)
		if err != nil {
			return &Error{Reason: BadGzip, Err: err}
		}
		defer gz.Close()
		r = gz
	default:
		return &Error{Reason: BadArchive, Err: errors.New("unsupported archive format " + string(format))}
	}
	if maxStream > 0 {
		r = &limitReader{r: r, left: maxStream, max: maxStream}
	}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return readError(BadArchive, err)
		}
		e := &Entry{Name: h.Name, Type: h.Typeflag, Link: h.Linkname, Mode: h.FileInfo().Mode(), ModTime: h.ModTime, Size: h.Size}
		switch h.Typeflag {
		case tar.TypeDir:
			e.Kind = KindDir
		case tar.TypeReg: // the reader turns TypeRegA into TypeReg or TypeDir
			e.Kind = KindFile
		case tar.TypeGNUSparse:
			e.Kind = KindSparse
		case tar.TypeSymlink:
			e.Kind = KindSymlink
		case tar.TypeLink:
			e.Kind = KindHardlink
		case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
			e.Kind = KindDevice
		case tar.TypeXGlobalHeader:
			e.Kind = KindMeta
		default:
			e.Kind = KindOther
		}
		if e.Kind&(KindFile|KindSparse) != 0 {
			e.open = func() (io.ReadCloser, error) { return io.NopCloser(tr), nil }
		}
		if err := fn(e); err != nil {
			return err
		}
	}
}

// walkZip calls fn for every entry of a zip file.
func walkZip(zr *zip.Reader, fn func(*Entry) error) error {
	for _, f := range zr.File {
		f := f
		mode := f.Mode()
		e := &Entry{Name: f.Name, Mode: mode, ModTime: f.Modified, Size: int64(f.UncompressedSize64)}
		switch {
		case mode.IsDir(): // also any name ending in "/"
			e.Kind = KindDir
		case mode&fs.ModeSymlink != 0:
			e.Kind = KindSymlink
			e.readLink = func() (string, error) {
				rc, err := f.Open()
				if err != nil {
					return "", err
				}
				defer rc.Close()
				b, err := io.ReadAll(io.LimitReader(rc, 4096))
				return string(b), err
			}
		case mode.IsRegular():
			e.Kind = KindFile
			e.open = f.Open
			if mode.Perm() == 0 {
				e.Mode |= 0o644
			}
		default:
			e.Kind = KindOther
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// limitReader fails with TooLarge once more than max bytes were read.
type limitReader struct {
	r         io.Reader
	left, max int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, &Error{Reason: TooLarge, Max: l.max}
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, &Error{Reason: TooLarge, Max: l.max}
	}
	return n, err
}
