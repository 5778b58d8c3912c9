package docker

import (
	"archive/tar"
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// ignorePattern is one line of a .dockerignore file.
type ignorePattern struct {
	re        *regexp.Regexp
	exclusion bool // "!pattern": re-include
	dirs      []string
}

// IgnoreMatcher applies .dockerignore rules as the docker CLI does: the
// last matching pattern wins, "!" re-includes, "**" spans directories, and a
// pattern matching a directory matches everything below it.
type IgnoreMatcher struct {
	patterns      []ignorePattern
	hasExclusions bool
}

// ReadDockerignore parses <dir>/.dockerignore (missing: nothing ignored).
func ReadDockerignore(dir string) (*IgnoreMatcher, error) {
	f, err := os.Open(filepath.Join(dir, ".dockerignore"))
	if os.IsNotExist(err) {
		return &IgnoreMatcher{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return NewIgnoreMatcher(lines)
}

// NewIgnoreMatcher compiles .dockerignore lines.
func NewIgnoreMatcher(lines []string) (*IgnoreMatcher, error) {
	m := &IgnoreMatcher{}
	for i, line := range lines {
		if i == 0 {
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		excl := false
		if line[0] == '!' {
			excl = true
			line = strings.TrimSpace(line[1:])
			if line == "" {
				return nil, fmt.Errorf(".dockerignore: illegal exclusion pattern: \"!\"")
			}
		}
		line = filepath.ToSlash(filepath.Clean(line))
		line = strings.TrimPrefix(line, "/")
		if line == "" || line == "." {
			if excl {
				continue
			}
			line = "**"
		}
		re, err := globRegexp(line)
		if err != nil {
			return nil, fmt.Errorf(".dockerignore: bad pattern %q: %v", line, err)
		}
		m.patterns = append(m.patterns, ignorePattern{re: re, exclusion: excl, dirs: strings.Split(line, "/")})
		if excl {
			m.hasExclusions = true
		}
	}
	return m, nil
}

// globRegexp converts a dockerignore glob into an anchored regexp.
func globRegexp(p string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case '*':
			if i+1 < len(p) && p[i+1] == '*' {
				i++
				if i+1 < len(p) && p[i+1] == '/' {
					// "**/" matches zero or more directories
					i++
					b.WriteString("(.*/)?")
				} else {
					b.WriteString(".*")
				}
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		case '[':
			end := strings.IndexByte(p[i+1:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unterminated character class")
			}
			class := p[i+1 : i+1+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += end + 1
		case '\\':
			if i+1 < len(p) {
				i++
				b.WriteString(regexp.QuoteMeta(string(p[i])))
			}
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// Excluded reports whether rel (slash-separated, relative to the context
// root) is left out of the build context.
func (m *IgnoreMatcher) Excluded(rel string) bool {
	if m == nil || len(m.patterns) == 0 {
		return false
	}
	rel = path.Clean(rel)
	parents := parentPaths(rel)
	excluded := false
	for _, p := range m.patterns {
		if excluded == !p.exclusion {
			// this pattern cannot change the verdict
			continue
		}
		match := p.re.MatchString(rel)
		if !match {
			for _, parent := range parents {
				if p.re.MatchString(parent) {
					match = true
					break
				}
			}
		}
		if match {
			excluded = !p.exclusion
		}
	}
	return excluded
}

// canSkipDir reports whether an excluded directory can be skipped whole:
// no exclusion pattern could re-include something below it.
func (m *IgnoreMatcher) canSkipDir(rel string) bool {
	if !m.hasExclusions {
		return true
	}
	for _, p := range m.patterns {
		if !p.exclusion {
			continue
		}
		// an exclusion pattern whose leading components could match this
		// directory (or that contains wildcards) may re-include children
		if strings.ContainsAny(strings.Join(p.dirs, "/"), "*?[\\") {
			return false
		}
		if strings.HasPrefix(strings.Join(p.dirs, "/")+"/", rel+"/") {
			return false
		}
	}
	return true
}

func parentPaths(rel string) []string {
	parts := strings.Split(rel, "/")
	out := make([]string, 0, len(parts))
	for i := 1; i < len(parts); i++ {
		out = append(out, strings.Join(parts[:i], "/"))
	}
	return out
}

// ContextTar streams a build context: every file below dir except those
// excluded by its .dockerignore (the Dockerfile and .dockerignore are always
// sent, as the docker CLI does). Owners are reset to root. appendix, when
// set, is added to the end of the Dockerfile as sent (the file on disk is
// untouched). The returned reader must be read to the end or closed.
func ContextTar(dir, dockerfile, appendix string) (io.ReadCloser, error) {
	m, err := ReadDockerignore(dir)
	if err != nil {
		return nil, err
	}
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	dfRel := path.Clean(filepath.ToSlash(dockerfile))
	always := map[string]bool{dfRel: true, ".dockerignore": true}
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			if rel == "." {
				return nil
			}
			rel = filepath.ToSlash(rel)
			if m.Excluded(rel) && !always[rel] {
				if d.IsDir() && m.canSkipDir(rel) {
					return filepath.SkipDir
				}
				return nil
			}
			if rel == dfRel && appendix != "" && d.Type().IsRegular() {
				return addDockerfile(tw, p, rel, appendix)
			}
			return addTarEntry(tw, p, rel, d)
		})
		if err == nil {
			err = tw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr, nil
}

func addTarEntry(tw *tar.Writer, full, rel string, d fs.DirEntry) error {
	info, err := d.Info()
	if err != nil {
		return err
	}
	link := ""
	if info.Mode()&os.ModeSymlink != 0 {
		if link, err = os.Readlink(full); err != nil {
			return err
		}
	}
	if !info.Mode().IsRegular() && !info.IsDir() && info.Mode()&os.ModeSymlink == 0 {
		return nil // sockets, devices, fifos have no place in a build context
	}
	hdr, err := tar.FileInfoHeader(info, link)
	if err != nil {
		return err
	}
	hdr.Name = rel
	if info.IsDir() {
		hdr.Name += "/"
	}
	hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
	hdr.Format = tar.FormatPAX
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if info.Mode().IsRegular() {
		f, err := os.Open(full)
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := io.CopyN(tw, f, info.Size()); err != nil {
			return err
		}
	}
	return nil
}

// addDockerfile writes the Dockerfile with appendix after its content.
func addDockerfile(tw *tar.Writer, full, rel, appendix string) error {
	b, err := os.ReadFile(full)
	if err != nil {
		return err
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	b = append(b, appendix...)
	if err := tw.WriteHeader(&tar.Header{Name: rel, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return err
	}
	_, err = tw.Write(b)
	return err
}

// SingleFileTar is a build context holding only a Dockerfile with content.
func SingleFileTar(name, content string) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg})
		if err == nil {
			_, err = io.WriteString(tw, content)
		}
		if err == nil {
			err = tw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr
}
