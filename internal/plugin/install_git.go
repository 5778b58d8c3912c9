package plugin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/ui"
)

// Git runs through the system git, as plugn does: every URL form git
// understands (and its credential helpers, ssh config, insteadOf rules)
// keeps working.
const (
	gitNetworkTimeout = 15 * time.Minute // clone, fetch, pull
	gitLocalTimeout   = time.Minute      // config, rev-parse, checkout
)

// gitRepoVars locate a repository; inherited from a git hook they would
// point every command at the wrong one.
var gitRepoVars = []string{
	"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
	"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH", "GIT_COMMON_DIR",
	"GIT_NAMESPACE", "GIT_PREFIX", "GIT_CEILING_DIRECTORIES",
}

func (c *Context) gitEnv() []string {
	e := c.Env.Clone()
	for _, k := range gitRepoVars {
		e.Unset(k)
	}
	// Never wait for a password on a terminal nobody watches.
	e.Set("GIT_TERMINAL_PROMPT", "0")
	return e.Environ()
}

// git runs `git -C dir args...` with dir counted as a safe directory (the
// plugin checkout may belong to the dokku user). stdout may be nil
// (discarded); stderr goes to the context's stderr.
func (c *Context) git(ctx context.Context, dir string, timeout time.Duration, stdout io.Writer, args ...string) error {
	argv := []string{}
	if dir != "" {
		argv = append(argv, "-c", "safe.directory="+dir, "-C", dir)
	}
	if stdout == nil {
		stdout = io.Discard
	}
	return proc.Run(ctx, proc.Cmd{
		Name: "git", Args: append(argv, args...), Env: c.gitEnv(),
		Stdout: stdout, Stderr: c.Stderr, Timeout: timeout,
	})
}

// gitOutput runs a local git query and returns its trimmed stdout ("" on
// failure, whose stderr is dropped).
func (c *Context) gitOutput(dir string, args ...string) string {
	var out bytes.Buffer
	quiet := c.WithIO(nil, nil, io.Discard)
	if err := quiet.git(context.Background(), dir, gitLocalTimeout, &out, args...); err != nil {
		return ""
	}
	return strings.TrimSpace(out.String())
}

// gitOrigin is the URL of the origin remote of a plugin checkout.
func (c *Context) gitOrigin(dir string) string {
	return c.gitOutput(dir, "config", "--get", "remote.origin.url")
}

// GitInfo is what plugin:list --format json reports about a git checkout.
type GitInfo struct {
	SourceURL, Committish, Branch string
}

// PluginGitInfo describes the checkout at dir (empty for a non-git plugin).
func (c *Context) PluginGitInfo(dir string) GitInfo {
	if _, err := os.Stat(filepath.Join(dir, ".git")); err != nil {
		return GitInfo{}
	}
	info := GitInfo{SourceURL: c.gitOutput(dir, "remote", "get-url", "origin")}
	lines := strings.Split(c.gitOutput(dir, "rev-parse", "HEAD", "--abbrev-ref", "HEAD"), "\n")
	if len(lines) == 2 {
		info.Committish = strings.TrimSpace(lines[0])
		if b := strings.TrimSpace(lines[1]); b != "HEAD" {
			info.Branch = b
		}
	}
	return info
}

// localRepo returns the path of a local origin (absolute path or file://
// URL), or "".
func localRepo(origin string) string {
	if p, ok := strings.CutPrefix(origin, "file://"); ok {
		return p
	}
	if filepath.IsAbs(origin) {
		return origin
	}
	return ""
}

// uploadPack is the upload-pack command for a local repository: git
// refuses to serve a repository owned by another user ("dubious
// ownership"), as when root installs a plugin from a user's checkout, unless
// that repository is declared safe to the serving process itself.
func uploadPack(repo string) string {
	q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
	return "git -c safe.directory=" + q(repo) + " -c safe.directory=" + q(filepath.Join(repo, ".git")) + " upload-pack"
}

// gitClone clones src into dir (an existing empty directory) and checks
// out committish when given, recording it in .plugin_committish.
func (c *Context) gitClone(ctx context.Context, src Source, dir, committish string) error {
	args := []string{"clone", "--quiet"}
	if repo := localRepo(src.URL); repo != "" {
		// Through upload-pack (no hard links into the source's objects).
		args = append(args, "--no-local", "--upload-pack", uploadPack(repo))
	}
	args = append(args, "--", src.URL, dir)
	if err := c.git(ctx, "", gitNetworkTimeout, nil, args...); err != nil {
		if ui.Code(err) == 124 {
			return ui.Failf("Cloning %s timed out", src.Raw)
		}
		return ui.Failf("Unable to clone plugin from %s", src.Raw)
	}
	if committish == "" {
		return nil
	}
	if err := c.git(ctx, dir, gitLocalTimeout, nil, "checkout", "--quiet", committish, "--"); err != nil {
		return ui.Failf("Unable to check out %s from %s", committish, src.Raw)
	}
	return os.WriteFile(filepath.Join(dir, ".plugin_committish"), []byte(committish+"\n"), 0o644)
}

// addSafeDirectory lists dir in git's global safe.directory, as Dokku does,
// so git commands run by other users in the plugin checkout keep working.
// Failures are ignored: it is a convenience.
func (c *Context) addSafeDirectory(dir string) {
	quiet := c.WithIO(nil, nil, io.Discard)
	for _, d := range strings.Split(quiet.gitOutput("", "config", "--global", "--get-all", "safe.directory"), "\n") {
		if strings.TrimSpace(d) == dir || strings.TrimSpace(d) == "*" {
			return
		}
	}
	quiet.git(context.Background(), "", gitLocalTimeout, nil, "config", "--global", "--add", "safe.directory", dir)
}

// updateSource is plugn update: fetch the plugin's checkout and either
// fast-forward its branch or check out committish and pin it. The message
// is plugn's.
func updateSource(ctx *Context, name, committish string) (string, error) {
	if err := ValidName(name); err != nil {
		return "", ui.Fail("Invalid plugin name specified")
	}
	if err := validCommittish(committish); err != nil {
		return "", err
	}
	dir := filepath.Join(ctx.Env.PluginAvailablePath(), name)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", ui.Failf("Plugin (%s) not installed", name)
	}
	if !isGitRepo(dir) {
		return "", ui.Failf("Plugin (%s) was not installed from git and cannot be updated", name)
	}
	ctx.addSafeDirectory(dir)
	bg := context.Background()
	attached := ctx.gitOutput(dir, "symbolic-ref", "-q", "HEAD") != ""
	if committish == "" && !attached {
		pinned, _ := os.ReadFile(filepath.Join(dir, ".plugin_committish"))
		// compat: plugn's message for a pinned (detached) checkout.
		return "Plugin pinned to " + strings.TrimSpace(string(pinned)), nil
	}
	var remote []string // config for fetches from a local origin
	if repo := localRepo(ctx.gitOrigin(dir)); repo != "" {
		remote = []string{"-c", "remote.origin.uploadpack=" + uploadPack(repo)}
	}
	fetch := func(args ...string) error {
		return ctx.git(bg, dir, gitNetworkTimeout, nil, append(append([]string{}, remote...), args...)...)
	}
	if err := fetch("fetch", "--quiet", "--tags"); err != nil {
		return "", ui.Failf("Unable to fetch updates for plugin (%s)", name)
	}
	if committish == "" {
		if err := fetch("pull", "--quiet", "--ff-only"); err != nil {
			return "", ui.Failf("Unable to update plugin (%s)", name)
		}
		return fmt.Sprintf("Plugin (%s) updated", name), nil
	}
	if err := ctx.git(bg, dir, gitLocalTimeout, nil, "checkout", "--quiet", committish, "--"); err != nil {
		return "", ui.Failf("Unable to check out %s for plugin (%s)", committish, name)
	}
	if ctx.gitOutput(dir, "symbolic-ref", "-q", "HEAD") != "" {
		if err := fetch("pull", "--quiet", "--ff-only"); err != nil {
			return "", ui.Failf("Unable to update plugin (%s)", name)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, ".plugin_committish"), []byte(committish+"\n"), 0o644); err != nil {
		return "", err
	}
	return fmt.Sprintf("Plugin (%s) updated and pinned to %s", name, committish), nil
}
