package plugin

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/ui"
)

// extractLimits bound what one plugin archive or directory may hold.
type extractLimits struct {
	Files int   // entries of any kind
	Bytes int64 // total size of regular files
}

var defaultLimits = extractLimits{Files: 20000, Bytes: 512 << 20}

// Download limits for remote tarballs.
var (
	maxDownloadBytes int64 = 256 << 20
	downloadTimeout        = 10 * time.Minute
)

// unsafeArchive is a refused archive; nothing of it is kept.
func unsafeArchive(name, why string) error {
	return ui.Failf("Refusing plugin archive: entry %q %s", name, why)
}

// fetchTarball downloads or opens the tarball of src and extracts it into
// tmp. It returns the plugin root: tmp, or its single top-level directory.
func fetchTarball(ctx context.Context, e *env.Env, src Source, tmp string) (string, error) {
	var r io.ReadCloser
	if src.URL != "" {
		body, err := download(ctx, e, src.URL)
		if err != nil {
			return "", err
		}
		r = body
	} else {
		f, err := os.Open(src.Path)
		if err != nil {
			return "", err
		}
		r = f
	}
	defer r.Close()
	if err := extractArchive(r, tmp, defaultLimits); err != nil {
		return "", err
	}
	return pluginRoot(tmp)
}

// download GETs url through the proxy the environment names.
func download(ctx context.Context, e *env.Env, rawURL string) (io.ReadCloser, error) {
	client := &http.Client{
		Timeout: downloadTimeout,
		Transport: &http.Transport{
			Proxy:                 func(r *http.Request) (*url.URL, error) { return proxyFor(e, r.URL) },
			TLSHandshakeTimeout:   30 * time.Second,
			ResponseHeaderTimeout: time.Minute,
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, ui.Failf("Unable to download %s: %v", rawURL, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, ui.Failf("Unable to download %s: %v", rawURL, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, ui.Failf("Unable to download %s: %s", rawURL, resp.Status)
	}
	if resp.ContentLength > maxDownloadBytes {
		resp.Body.Close()
		return nil, ui.Failf("Refusing plugin archive %s: larger than %d bytes", rawURL, maxDownloadBytes)
	}
	return struct {
		io.Reader
		io.Closer
	}{&capReader{r: resp.Body, left: maxDownloadBytes, what: "download"}, resp.Body}, nil
}

// proxyFor applies HTTP(S)_PROXY and NO_PROXY (either case) from e, the way
// curl and wget read them: NO_PROXY is a comma list of host names or
// domain suffixes, or "*".
func proxyFor(e *env.Env, u *url.URL) (*url.URL, error) {
	host := strings.ToLower(u.Hostname())
	for _, n := range strings.Split(firstOf(e, "NO_PROXY", "no_proxy"), ",") {
		n = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(n), "."))
		if n == "*" || (n != "" && (host == n || strings.HasSuffix(host, "."+n))) {
			return nil, nil
		}
	}
	p := firstOf(e, "HTTP_PROXY", "http_proxy")
	if u.Scheme == "https" {
		p = firstOf(e, "HTTPS_PROXY", "https_proxy")
	}
	if p == "" {
		return nil, nil
	}
	if !strings.Contains(p, "://") {
		p = "http://" + p
	}
	return url.Parse(p)
}

func firstOf(e *env.Env, keys ...string) string {
	for _, k := range keys {
		if v := e.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// capReader fails once more than left bytes were read.
type capReader struct {
	r    io.Reader
	left int64
	what string
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, ui.Failf("Refusing plugin archive: %s too large", c.what)
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, ui.Failf("Refusing plugin archive: %s too large", c.what)
	}
	return n, err
}

// extractArchive unpacks a tar stream (gzip-compressed or not, by content)
// into dest, which must exist. It refuses, with an error and without
// finishing, any entry that is absolute or has a ".." component, any write
// through a symlink or non-directory, symlinks that resolve outside dest,
// hard links to anything but a regular file already extracted, device and
// fifo entries, and more than lim entries or bytes. The caller removes dest
// on error. Owners are not restored; set-id bits are dropped.
func extractArchive(r io.Reader, dest string, lim extractLimits) error {
	br := bufio.NewReader(r)
	var stream io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return ui.Failf("Refusing plugin archive: invalid gzip data: %v", err)
		}
		defer gz.Close()
		stream = gz
	}
	// Headers and padding add to the file bytes; cap the whole stream too.
	stream = &capReader{r: stream, left: lim.Bytes + int64(lim.Files+1)*1536 + 1<<20, what: "archive"}
	tr := tar.NewReader(stream)
	x := extraction{dest: dest, lim: lim, dirModes: map[string]os.FileMode{}}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var ee *ui.ExitError
			if errors.As(err, &ee) {
				return err
			}
			return ui.Failf("Refusing plugin archive: not a valid tar archive: %v", err)
		}
		if err := x.entry(hdr, tr); err != nil {
			return err
		}
	}
	if ents, err := os.ReadDir(dest); err != nil || len(ents) == 0 {
		return ui.Fail("Refusing plugin archive: it is empty")
	}
	for _, link := range x.symlinks {
		out, err := escapesRoot(dest, link)
		if err != nil {
			return unsafeArchive(link, err.Error())
		}
		if out {
			return unsafeArchive(link, "is a symlink that resolves outside the plugin directory")
		}
	}
	// Directory modes last, deepest first, so that read-only directories
	// do not stop their own extraction; the owner keeps full access so the
	// tree can always be removed.
	dirs := make([]string, 0, len(x.dirModes))
	for d := range x.dirModes {
		dirs = append(dirs, d)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		if err := os.Chmod(filepath.Join(dest, d), x.dirModes[d]|0o700); err != nil {
			return err
		}
	}
	return nil
}

type extraction struct {
	dest     string
	lim      extractLimits
	files    int
	bytes    int64
	symlinks []string // relative paths
	dirModes map[string]os.FileMode
}

// cleanEntry turns an archive path into a clean relative path, or refuses it.
func cleanEntry(name string) (string, error) {
	if name == "" || strings.ContainsRune(name, 0) {
		return "", unsafeArchive(name, "has an empty or invalid name")
	}
	if strings.HasPrefix(name, "/") || filepath.IsAbs(name) {
		return "", unsafeArchive(name, "has an absolute path")
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "", unsafeArchive(name, "has a '..' component")
		}
	}
	return path.Clean(name), nil
}

func (x *extraction) entry(hdr *tar.Header, r io.Reader) error {
	switch hdr.Typeflag {
	case tar.TypeXGlobalHeader, tar.TypeXHeader:
		return nil // metadata (git archive writes a global header)
	}
	x.files++
	if x.files > x.lim.Files {
		return ui.Failf("Refusing plugin archive: more than %d entries", x.lim.Files)
	}
	rel, err := cleanEntry(hdr.Name)
	if err != nil {
		return err
	}
	if rel == "." {
		if hdr.Typeflag == tar.TypeDir {
			return nil
		}
		return unsafeArchive(hdr.Name, "is not a directory")
	}
	if err := x.parents(hdr.Name, path.Dir(rel)); err != nil {
		return err
	}
	target := filepath.Join(x.dest, filepath.FromSlash(rel))
	switch hdr.Typeflag {
	case tar.TypeDir:
		if fi, err := os.Lstat(target); err == nil {
			if !fi.IsDir() {
				return unsafeArchive(hdr.Name, "replaces a file with a directory")
			}
		} else if err := os.Mkdir(target, 0o755); err != nil {
			return err
		}
		x.dirModes[rel] = os.FileMode(hdr.Mode) & 0o777
		return nil
	case tar.TypeReg, tar.TypeRegA:
		if hdr.Size < 0 || hdr.Size > x.lim.Bytes-x.bytes {
			return ui.Failf("Refusing plugin archive: more than %d bytes of files", x.lim.Bytes)
		}
		x.bytes += hdr.Size
		if err := x.clear(hdr.Name, target); err != nil {
			return err
		}
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, os.FileMode(hdr.Mode)&0o777)
		if err != nil {
			return err
		}
		_, err = io.CopyN(f, r, hdr.Size)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			var ee *ui.ExitError
			if errors.As(err, &ee) {
				return err
			}
			return ui.Failf("Refusing plugin archive: truncated entry %q: %v", hdr.Name, err)
		}
		return os.Chmod(target, os.FileMode(hdr.Mode)&0o777)
	case tar.TypeSymlink:
		link := hdr.Linkname
		if link == "" || strings.ContainsRune(link, 0) || strings.HasPrefix(link, "/") {
			return unsafeArchive(hdr.Name, "is a symlink to an absolute or empty path")
		}
		if resolved := path.Join(path.Dir(rel), link); resolved == ".." || strings.HasPrefix(resolved, "../") {
			return unsafeArchive(hdr.Name, "is a symlink pointing outside the plugin directory")
		}
		if err := x.clear(hdr.Name, target); err != nil {
			return err
		}
		x.symlinks = append(x.symlinks, rel)
		return os.Symlink(link, target)
	case tar.TypeLink:
		src, err := cleanEntry(hdr.Linkname)
		if err != nil || src == "." {
			return unsafeArchive(hdr.Name, "is a hard link outside the plugin directory")
		}
		if err := x.parents(hdr.Name, path.Dir(src)); err != nil {
			return err
		}
		from := filepath.Join(x.dest, filepath.FromSlash(src))
		if fi, err := os.Lstat(from); err != nil || !fi.Mode().IsRegular() {
			return unsafeArchive(hdr.Name, "is a hard link to something other than an extracted regular file")
		}
		if err := x.clear(hdr.Name, target); err != nil {
			return err
		}
		return os.Link(from, target)
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		return unsafeArchive(hdr.Name, "is a device or fifo")
	}
	return unsafeArchive(hdr.Name, fmt.Sprintf("has an unsupported type %q", hdr.Typeflag))
}

// parents creates the directories of rel (a clean relative dir) inside
// dest, refusing to pass through anything that is not a real directory.
func (x *extraction) parents(name, rel string) error {
	if rel == "." || rel == "" {
		return nil
	}
	cur := x.dest
	for _, part := range strings.Split(rel, "/") {
		cur = filepath.Join(cur, part)
		fi, err := os.Lstat(cur)
		switch {
		case errors.Is(err, os.ErrNotExist):
			if err := os.Mkdir(cur, 0o755); err != nil {
				return err
			}
		case err != nil:
			return err
		case !fi.IsDir():
			return unsafeArchive(name, "is written through a symlink or file")
		}
	}
	return nil
}

// clear removes a previous entry at target (archives may repeat names); a
// directory is never replaced by something else.
func (x *extraction) clear(name, target string) error {
	fi, err := os.Lstat(target)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return unsafeArchive(name, "replaces a directory")
	}
	return os.Remove(target)
}

// escapesRoot resolves the symlink at rel (relative to root) component by
// component, following further symlinks inside root, and reports whether
// the resolution ever leaves root. A dangling tail resolves lexically.
func escapesRoot(root, rel string) (bool, error) {
	cur := strings.Split(path.Dir(rel), "/")
	if cur[0] == "." {
		cur = nil
	}
	target, err := os.Readlink(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return false, err
	}
	pending := strings.Split(target, "/")
	for hops := 0; len(pending) > 0; {
		part := pending[0]
		pending = pending[1:]
		switch part {
		case "", ".":
			continue
		case "..":
			if len(cur) == 0 {
				return true, nil
			}
			cur = cur[:len(cur)-1]
			continue
		}
		cur = append(cur, part)
		p := filepath.Join(append([]string{root}, cur...)...)
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			continue
		}
		if hops++; hops > 40 {
			return false, errors.New("has a symlink loop")
		}
		next, err := os.Readlink(p)
		if err != nil {
			return false, err
		}
		if strings.HasPrefix(next, "/") {
			return true, nil
		}
		cur = cur[:len(cur)-1]
		pending = append(strings.Split(next, "/"), pending...)
	}
	return false, nil
}

// pluginRoot flattens an archive holding a single top-level directory.
func pluginRoot(tmp string) (string, error) {
	ents, err := os.ReadDir(tmp)
	if err != nil {
		return "", err
	}
	if len(ents) == 1 && ents[0].IsDir() {
		return filepath.Join(tmp, ents[0].Name()), nil
	}
	return tmp, nil
}
