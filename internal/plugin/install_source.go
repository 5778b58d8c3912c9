package plugin

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/godokku/dokku/internal/ui"
)

// ErrInvalidSource is returned for a plugin source that is neither a git
// URL, a tarball, nor an existing local directory (Dokku's wording).
var ErrInvalidSource = ui.Fail("Please retry with valid arguments")

// SourceKind says how a community plugin is fetched.
type SourceKind int

const (
	SourceGit     SourceKind = iota + 1 // git clone (URL, file:// URL, local repository)
	SourceTarball                       // .tar.gz/.tgz/.tar over http(s), file:// or a local path
	SourceDir                           // a local directory that is not a git repository (copied)
)

// Source is a parsed plugin source.
type Source struct {
	Kind SourceKind
	Raw  string // as given
	// URL is what git clones (local repositories as absolute paths), or the
	// http(s) URL of a remote tarball.
	URL string
	// Path is the local tarball file or directory.
	Path string
}

// scpLike matches git's [user@]host:path form (a colon before any slash).
var scpLike = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z0-9._~+-]+@)?[A-Za-z0-9._-]+:[^/\\]`) })

// ParseSource classifies raw; ErrInvalidSource when it is none of the kinds.
func ParseSource(raw string) (Source, error) {
	src := Source{Raw: raw}
	if raw == "" || strings.ContainsAny(raw, "\x00\n") || strings.HasPrefix(raw, "-") {
		return src, ErrInvalidSource
	}
	if strings.Contains(raw, "://") {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme == "" {
			return src, ErrInvalidSource
		}
		switch strings.ToLower(u.Scheme) {
		case "http", "https":
			if u.Host == "" {
				return src, ErrInvalidSource
			}
			src.URL = raw
			src.Kind = SourceGit
			if hasTarExt(u.Path) {
				src.Kind = SourceTarball
			}
			return src, nil
		case "git", "ssh", "git+ssh", "ssh+git":
			if u.Host == "" {
				return src, ErrInvalidSource
			}
			src.Kind, src.URL = SourceGit, raw
			return src, nil
		case "file":
			if (u.Host != "" && u.Host != "localhost") || !filepath.IsAbs(u.Path) {
				return src, ErrInvalidSource
			}
			if err := src.local(filepath.Clean(u.Path)); err != nil {
				return src, err
			}
			if src.Kind == SourceGit {
				src.URL = raw // keep the URL as the recorded origin
			}
			return src, nil
		}
		return src, ErrInvalidSource
	}
	if _, err := os.Lstat(raw); err != nil && scpLike().MatchString(raw) {
		src.Kind, src.URL = SourceGit, raw
		return src, nil
	}
	abs, err := filepath.Abs(raw)
	if err != nil {
		return src, ErrInvalidSource
	}
	return src, src.local(abs)
}

// local classifies an existing local path.
func (s *Source) local(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return ErrInvalidSource
	}
	switch {
	case fi.IsDir() && isGitRepo(path):
		s.Kind, s.URL = SourceGit, path
	case fi.IsDir():
		s.Kind, s.Path = SourceDir, path
	case fi.Mode().IsRegular() && hasTarExt(path):
		s.Kind, s.Path = SourceTarball, path
	default:
		return ErrInvalidSource
	}
	return nil
}

// isGitRepo reports whether dir is a work tree (.git dir or file) or a bare
// repository.
func isGitRepo(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		return true
	}
	head, err1 := os.Stat(filepath.Join(dir, "HEAD"))
	objects, err2 := os.Stat(filepath.Join(dir, "objects"))
	refs, err3 := os.Stat(filepath.Join(dir, "refs"))
	return err1 == nil && err2 == nil && err3 == nil && head.Mode().IsRegular() && objects.IsDir() && refs.IsDir()
}

var tarExts = []string{".tar.gz", ".tgz", ".tar"}

func hasTarExt(p string) bool {
	p = strings.ToLower(p)
	for _, ext := range tarExts {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

// DefaultName is the plugin name a source installs as without --name: its
// last path component without .git/.tar.gz/.tgz/.tar.
//
// compat: like Dokku's plugin_name, a leading "dokku-" is dropped, so
// https://github.com/dokku/dokku-postgres.git installs as "postgres".
func DefaultName(raw string) string {
	s := raw
	if strings.Contains(raw, "://") {
		if u, err := url.Parse(raw); err == nil {
			s = u.Path
		}
	} else if !scpLike().MatchString(raw) {
		if abs, err := filepath.Abs(raw); err == nil {
			s = abs // "." and ".." name the directory they stand for
		}
	}
	s = strings.TrimRight(s, "/")
	s = strings.TrimSuffix(s, "/.git")
	if i := strings.LastIndexAny(s, "/:"); i >= 0 {
		s = s[i+1:]
	}
	lower := strings.ToLower(s)
	for _, ext := range append(tarExts, ".git") {
		if strings.HasSuffix(lower, ext) {
			s = s[:len(s)-len(ext)]
			break
		}
	}
	return strings.TrimPrefix(s, "dokku-")
}

// installName restricts names given to or derived by an install to
// characters that are safe as a directory name and in shell scripts.
var installName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$`) })

// ValidInstallName checks a name for a new community plugin: a single path
// component of letters, digits, '.', '_' and '-', not starting with a dot
// or dash.
func ValidInstallName(name string) error {
	if err := ValidName(name); err != nil || !installName().MatchString(name) {
		return fmt.Errorf("Invalid plugin name: %q", name)
	}
	return nil
}

// InstallResult says what Install did.
type InstallResult struct {
	Name string
	Dir  string
	// Existing is set when the plugin was already installed from the same
	// git origin: nothing was downloaded.
	Existing bool
}

// tempPrefix starts the names of staging directories in available/; the
// bash glob plugn and Dokku use skips dot entries, and so does listDir.
const tempPrefix = ".install-"

// InstallSource downloads a community plugin into
// $PLUGIN_PATH/available/<name> (plugn install). The download is staged in
// a hidden directory beside it and renamed into place only when complete, so
// a failure leaves nothing behind. A plugin already installed from the same
// git origin is left alone (a message on stdout); any other existing plugin
// of that name is an error.
func InstallSource(ctx *Context, o InstallOptions) (InstallResult, error) {
	src, err := ParseSource(o.Source)
	if err != nil {
		return InstallResult{}, err
	}
	name := o.Name
	if name == "" {
		name = DefaultName(o.Source)
	}
	if err := ValidInstallName(name); err != nil {
		return InstallResult{}, err
	}
	if err := validCommittish(o.Committish); err != nil {
		return InstallResult{}, err
	}
	if o.Committish != "" && src.Kind != SourceGit {
		return InstallResult{}, ui.Fail("A committish can only be used with a git source")
	}
	e := ctx.Env
	avail := e.PluginAvailablePath()
	res := InstallResult{Name: name, Dir: filepath.Join(avail, name)}
	if isCoreName(ctx, name) {
		return res, ui.Failf("Plugin (%s) is a core plugin and cannot be replaced", name)
	}
	if _, err := os.Lstat(res.Dir); err == nil {
		if err := ctx.existingInstall(src, res); err != nil {
			return res, err
		}
		res.Existing = true
		return res, nil
	}
	if err := os.MkdirAll(avail, 0o755); err != nil {
		return res, err
	}
	removeStaleStaging(avail)

	// Interrupts end the download (git gets the signal too) and the staging
	// directory is removed on the way out.
	sctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	tmp, err := os.MkdirTemp(avail, tempPrefix+name+"-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return res, err
	}

	root := tmp
	switch src.Kind {
	case SourceGit:
		err = ctx.gitClone(sctx, src, tmp, o.Committish)
	case SourceTarball:
		root, err = fetchTarball(sctx, e, src, tmp)
	case SourceDir:
		err = copyDir(src.Path, tmp, avail, defaultLimits)
	}
	if err != nil {
		return res, err
	}
	if sctx.Err() != nil {
		return res, ui.Fail("Plugin installation interrupted")
	}
	if _, err := os.Lstat(res.Dir); err == nil {
		return res, ui.Failf("Plugin (%s) was installed by someone else meanwhile", name)
	}
	if err := os.Rename(root, res.Dir); err != nil {
		return res, err
	}
	if src.Kind == SourceGit {
		ctx.addSafeDirectory(res.Dir)
	}
	return res, nil
}

// existingInstall decides about a name that is already taken.
func (c *Context) existingInstall(src Source, res InstallResult) error {
	if src.Kind != SourceGit || !isGitRepo(res.Dir) {
		return ui.Failf("Plugin (%s) already exists; uninstall it first to install it again", res.Name)
	}
	origin := c.gitOrigin(res.Dir)
	if !sameOrigin(origin, src.URL) {
		return ui.Failf("Plugin (%s) is already installed from %s; uninstall it first to install it from %s", res.Name, origin, src.Raw)
	}
	fmt.Fprintf(c.Stdout, "Plugin (%s) is already installed from %s\n", res.Name, origin)
	return nil
}

func sameOrigin(a, b string) bool {
	norm := func(s string) string {
		s = strings.TrimRight(s, "/")
		if filepath.IsAbs(s) {
			s = filepath.Clean(s)
		}
		return s
	}
	return a != "" && norm(a) == norm(b)
}

// isCoreName reports whether name belongs to a core plugin (Dokku checks
// $PLUGIN_CORE_AVAILABLE_PATH/<name>).
func isCoreName(ctx *Context, name string) bool {
	if _, err := os.Stat(filepath.Join(ctx.Env.PluginCoreAvailablePath(), name)); err == nil {
		return true
	}
	return IsCore(ctx.Env, name)
}

func installSource(ctx *Context, o InstallOptions) (string, error) {
	res, err := InstallSource(ctx, o)
	return res.Name, err
}

// validCommittish refuses refs git would read as an option.
func validCommittish(ref string) error {
	if strings.HasPrefix(ref, "-") || strings.ContainsAny(ref, "\x00\n") {
		return ui.Failf("Invalid committish %q", ref)
	}
	return nil
}

// removeStaleStaging drops staging directories a killed install left
// behind; a day old, they belong to no running install.
func removeStaleStaging(avail string) {
	ents, _ := os.ReadDir(avail)
	for _, ent := range ents {
		if !strings.HasPrefix(ent.Name(), tempPrefix) {
			continue
		}
		if fi, err := ent.Info(); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			os.RemoveAll(filepath.Join(avail, ent.Name()))
		}
	}
}
