package ui

import (
	"strings"
	"unicode/utf8"
)

// Columnize aligns lines split on delim the way github.com/ryanuber/columnize
// does (Dokku's CommandUsage and pretty config output): fields trimmed,
// every column but a line's last padded to the column width and followed by
// glue, each line prefixed, no final newline.
func Columnize(lines []string, delim, glue, prefix string) string {
	rows := make([][]string, len(lines))
	var widths []int
	for i, l := range lines {
		f := strings.Split(l, delim)
		for j := range f {
			f[j] = strings.TrimSpace(f[j])
			w := utf8.RuneCountInString(f[j])
			if j >= len(widths) {
				widths = append(widths, w)
			} else if w > widths[j] {
				widths[j] = w
			}
		}
		rows[i] = f
	}
	var b strings.Builder
	for i, f := range rows {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(prefix)
		for j, v := range f {
			if j == len(f)-1 {
				b.WriteString(v)
				break
			}
			b.WriteString(v)
			b.WriteString(strings.Repeat(" ", widths[j]-utf8.RuneCountInString(v)))
			b.WriteString(glue)
		}
	}
	return b.String()
}

// ColumnTable mimics util-linux `column -t -s<sep>` (Dokku's help listing):
// blank lines dropped, fields kept verbatim, empty fields kept, every column
// but the table's last padded to its width and followed by two spaces.
func ColumnTable(lines []string, sep string) string {
	var rows [][]string
	ncols := 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		f := strings.Split(l, sep)
		rows = append(rows, f)
		ncols = max(ncols, len(f))
	}
	widths := make([]int, ncols)
	for _, f := range rows {
		for j, v := range f {
			widths[j] = max(widths[j], utf8.RuneCountInString(v))
		}
	}
	var b strings.Builder
	for _, f := range rows {
		for j := 0; j < ncols; j++ {
			v := ""
			if j < len(f) {
				v = f[j]
			}
			if j == ncols-1 {
				b.WriteString(v)
				break
			}
			b.WriteString(v)
			b.WriteString(strings.Repeat(" ", widths[j]-utf8.RuneCountInString(v)))
			b.WriteString("  ")
		}
		b.WriteByte('\n')
	}
	return b.String()
}
