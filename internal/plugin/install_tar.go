package plugin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/godokku/dokku/internal/archive"
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
	err := archive.Extract(r, dest, archive.Options{
		Format:     archive.TarAuto,
		MaxEntries: int64(lim.Files),
		MaxBytes:   lim.Bytes,
		// Headers and padding add to the file bytes; cap the whole stream too.
		MaxStream: lim.Bytes + int64(lim.Files+1)*1536 + 1<<20,
		Names:     archive.RefuseNUL | archive.RefuseEmpty,
		Symlinks:  archive.SymlinksResolved,
		Perms:     archive.PermsExact,
		NonEmpty:  true,
	})
	return archiveErr(err)
}

// archiveErr words an extraction error as plugin:install always has.
func archiveErr(err error) error {
	var ae *archive.Error
	if !errors.As(err, &ae) {
		return err
	}
	var ee *ui.ExitError
	if (ae.Reason == archive.BadArchive || ae.Reason == archive.BadEntry) && errors.As(ae.Err, &ee) {
		return ae.Err // the download limit
	}
	switch ae.Reason {
	case archive.TooManyEntries:
		return ui.Failf("Refusing plugin archive: more than %d entries", ae.Max)
	case archive.TooManyBytes:
		return ui.Failf("Refusing plugin archive: more than %d bytes of files", ae.Max)
	case archive.TooLarge:
		return ui.Fail("Refusing plugin archive: archive too large")
	case archive.Empty:
		return ui.Fail("Refusing plugin archive: it is empty")
	case archive.BadGzip:
		return ui.Failf("Refusing plugin archive: invalid gzip data: %v", ae.Err)
	case archive.BadArchive:
		return ui.Failf("Refusing plugin archive: not a valid tar archive: %v", ae.Err)
	case archive.BadEntry:
		return ui.Failf("Refusing plugin archive: truncated entry %q: %v", ae.Name, ae.Err)
	case archive.InvalidName:
		return unsafeArchive(ae.Name, "has an empty or invalid name")
	case archive.AbsolutePath:
		return unsafeArchive(ae.Name, "has an absolute path")
	case archive.Traversal:
		return unsafeArchive(ae.Name, "has a '..' component")
	case archive.NotDir:
		return unsafeArchive(ae.Name, "is not a directory")
	case archive.ThroughSymlink, archive.ThroughFile:
		return unsafeArchive(ae.Name, "is written through a symlink or file")
	case archive.Exists:
		if ae.Kind == archive.KindDir {
			return unsafeArchive(ae.Name, "replaces a file with a directory")
		}
		return unsafeArchive(ae.Name, "replaces a directory")
	case archive.SymlinkTarget:
		return unsafeArchive(ae.Name, "is a symlink to an absolute or empty path")
	case archive.SymlinkEscape:
		return unsafeArchive(ae.Name, "is a symlink pointing outside the plugin directory")
	case archive.SymlinkResolves:
		if ae.Err != nil {
			return unsafeArchive(ae.Path, ae.Err.Error())
		}
		return unsafeArchive(ae.Path, "is a symlink that resolves outside the plugin directory")
	case archive.HardlinkEscape:
		return unsafeArchive(ae.Name, "is a hard link outside the plugin directory")
	case archive.HardlinkTarget:
		return unsafeArchive(ae.Name, "is a hard link to something other than an extracted regular file")
	case archive.Unsupported:
		if ae.Kind == archive.KindDevice {
			return unsafeArchive(ae.Name, "is a device or fifo")
		}
		return unsafeArchive(ae.Name, fmt.Sprintf("has an unsupported type %q", ae.Type))
	}
	return err
}

// pluginRoot flattens an archive holding a single top-level directory.
func pluginRoot(tmp string) (string, error) { return archive.TopDir(tmp) }
