package events

import (
	"io"
	"os"
	"syscall"
	"time"

	"github.com/godokku/dokku/internal/plugin"
)

// tail writes the last n lines of path to w (tail -n). A final line without
// a newline counts as a line.
func tail(w io.Writer, path string, n int) error {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	start, err := lastLinesOffset(f, n)
	if err != nil {
		return err
	}
	if _, err := f.Seek(start, io.SeekStart); err != nil {
		return err
	}
	_, err = io.Copy(w, f)
	return err
}

// lastLinesOffset returns the offset where the last n lines of f begin,
// reading backwards in blocks.
func lastLinesOffset(f *os.File, n int) (int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	size := fi.Size()
	if size == 0 || n <= 0 {
		return size, nil
	}
	const block = 64 * 1024
	buf := make([]byte, block)
	pos := size
	newlines := 0
	first := true
	for pos > 0 {
		chunk := int64(block)
		if pos < chunk {
			chunk = pos
		}
		pos -= chunk
		b := buf[:chunk]
		if _, err := f.ReadAt(b, pos); err != nil && err != io.EOF {
			return 0, err
		}
		if first {
			// The newline that ends the file closes the last line.
			if b[len(b)-1] == '\n' {
				b = b[:len(b)-1]
			}
			first = false
		}
		for i := len(b) - 1; i >= 0; i-- {
			if b[i] == '\n' {
				newlines++
				if newlines == n {
					return pos + int64(i) + 1, nil
				}
			}
		}
	}
	return 0, nil
}

// pollInterval is how often a followed log is checked for growth.
const pollInterval = 250 * time.Millisecond

// follow is tail -F: the last n lines, then whatever is appended, following
// the name across rotation and truncation, until writing fails or stop is
// closed.
func follow(ctx *plugin.Context, path string, n int, stop <-chan struct{}) error {
	var f *os.File
	var offset int64
	var ino uint64
	open := func(fromEnd bool) {
		nf, err := os.Open(path)
		if err != nil {
			return
		}
		fi, err := nf.Stat()
		if err != nil {
			nf.Close()
			return
		}
		f, ino = nf, inode(fi)
		offset = 0
		if fromEnd {
			offset, _ = lastLinesOffset(f, n)
		}
	}
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	open(true)
	buf := make([]byte, 32*1024)
	for {
		if f != nil {
			if fi, err := f.Stat(); err == nil && fi.Size() < offset {
				offset = 0 // truncated
			}
			for {
				m, err := f.ReadAt(buf, offset)
				if m > 0 {
					if _, werr := ctx.Stdout.Write(buf[:m]); werr != nil {
						return nil
					}
					offset += int64(m)
				}
				if err != nil || m == 0 {
					break
				}
			}
			// Rotated: the name now points at another file.
			if fi, err := os.Stat(path); err == nil && inode(fi) != ino {
				f.Close()
				f = nil
				open(false)
				continue
			}
		} else {
			open(false)
		}
		select {
		case <-stop:
			return nil
		case <-time.After(pollInterval):
		}
	}
}

func inode(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino
	}
	return 0
}
