package appjson

import (
	"io"
	"sync"

	"github.com/godokku/dokku/internal/ui"
)

// maxLine splits output without newlines into lines of this size.
const maxLine = 64 << 10

// indenter relays task output as Dokku's verbose lines (7 spaces each),
// line by line as it arrives; stdout and stderr share it.
type indenter struct {
	mu   sync.Mutex
	w    io.Writer
	line []byte
}

func newIndenter(w io.Writer) *indenter { return &indenter{w: w} }

func (d *indenter) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, b := range p {
		if b == '\n' {
			d.emit()
			continue
		}
		d.line = append(d.line, b)
		if len(d.line) >= maxLine {
			d.emit()
		}
	}
	return len(p), nil
}

func (d *indenter) emit() {
	io.WriteString(d.w, ui.PrefixVerbose+string(d.line)+"\n")
	d.line = d.line[:0]
}

// flush prints a last line that had no newline.
func flush(w io.Writer) {
	if d, ok := w.(*indenter); ok {
		d.mu.Lock()
		if len(d.line) > 0 {
			d.emit()
		}
		d.mu.Unlock()
	}
}
