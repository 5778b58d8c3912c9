package git

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/capture"
	"github.com/godokku/dokku/internal/gitrepo"
	"github.com/godokku/dokku/internal/pipeline"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// triggerReceiveApp is receive-app <app> [<rev>] (ps:rebuild, git:sync,
// apps:rename/clone): build rev, or the deploy branch head, under the
// deploy lock. Outside a capture (ps:rebuild --all, renames) it starts one.
func triggerReceiveApp(ctx *plugin.Context, args []string) (err error) {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	if !gitrepo.IsRepo(repoDir(ctx, name)) {
		return nil
	}
	if !capture.Active(ctx.Env) {
		ctx = ctx.WithEnv(ctx.Env.Clone())
		s, serr := capture.Start(ctx, name, "ps:rebuild")
		if serr != nil {
			return serr
		}
		defer func() { s.Finish(err) }()
	}
	return receiveApp(ctx, name, plugin.Arg(args, 1))
}

// receiveApp is git_receive_app <app> [<rev>]: nothing without a
// repository; otherwise the build runs under the exclusive deploy lock.
func receiveApp(ctx *plugin.Context, name, rev string) error {
	if !gitrepo.IsRepo(repoDir(ctx, name)) {
		return nil
	}
	l, err := acquireDeployLock(ctx, name)
	if err != nil {
		return err
	}
	err = gitBuild(ctx, name, rev)
	l.release()
	capture.Finalize(ctx, name, err)
	return err
}

// gitBuild is git_build: with a revision, record it in the app's config
// (GIT_REV, or the rev-env-var name; an empty rev-env-var disables it)
// without restarting; without one, build the deploy branch head.
func gitBuild(ctx *plugin.Context, name, rev string) error {
	repo := repoDir(ctx, name)
	if rev == "" {
		branch := deployBranch(ctx, name)
		sha, ok := gitrepo.ReadRef(repo, gitrepo.BranchRef(branch))
		if !ok {
			return ui.Failf("Cannot build from '%s' as there are no commits stored at that branch.", branch)
		}
		return buildAppRepo(ctx, name, sha)
	}
	sha, err := resolveRev(ctx, repo, rev)
	if err != nil {
		return err
	}
	if key, ok := revEnvVar(ctx, name); ok {
		e := ctx.Env.Clone()
		e.Set("DOKKU_QUIET_OUTPUT", "1")
		quiet := ctx.WithEnv(e).WithIO(strings.NewReader(""), io.Discard, nil)
		if err := quiet.Trigger("config-set", "--no-restart", name, key+"="+sha); err != nil {
			return err
		}
	}
	return buildAppRepo(ctx, name, sha)
}

// resolveRev turns a revision into a commit id of the app repository.
func resolveRev(ctx *plugin.Context, repo, rev string) (string, error) {
	if gitrepo.IsSHA(rev) {
		return rev, nil
	}
	if strings.HasPrefix(rev, "-") || strings.ContainsAny(rev, " \t\n") {
		return "", ui.Failf("Invalid revision %q", rev)
	}
	out, err := gitrepo.Git(context.Background(), repo, gitrepo.CleanEnv(ctx.Env.Environ(), true), nil, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	sha := strings.TrimSpace(string(out))
	if err != nil || !gitrepo.IsSHA(sha) {
		return "", ui.Failf("Unable to resolve revision %s", rev)
	}
	return sha, nil
}

// buildAppRepo is git_build_app_repo: the revision is checked out into
// /tmp/dokku-<PID>-git_build_app_repo.XXXXXX (0755, removed afterwards)
// and handed to the build pipeline. Its output lines start with \e[1G so
// they overwrite git's "remote: " prefix (unless
// DOKKU_DISABLE_ANSI_PREFIX_REMOVAL is true for the app or globally).
func buildAppRepo(ctx *plugin.Context, name, rev string) error {
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	tmpRoot := ctx.Env.Get("TMPDIR")
	if tmpRoot == "" {
		tmpRoot = "/tmp"
	}
	sweepBuildDirs(tmpRoot)
	dir, err := os.MkdirTemp(tmpRoot, "dokku-"+ctx.Env.PID()+"-git_build_app_repo.")
	if err != nil {
		return ui.Failf("Unable to create a build directory: %s", err.Error())
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	e := ctx.Env.Clone()
	for _, k := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_QUARANTINE_PATH"} {
		e.Unset(k)
	}
	bctx := ctx.WithEnv(e)
	// As git_build_app_repo: app-maybe-create fires before the build
	// directory is filled (a no-op for an existing app in the apps plugin,
	// but third-party implementers see it on every build).
	if err := bctx.Trigger("app-maybe-create", name); err != nil {
		return err
	}
	err = gitrepo.Extract(context.Background(), gitrepo.ExtractOptions{
		Repo: repoDir(ctx, name), Rev: rev, Dest: dir,
		KeepGitDir: keepGitDir(ctx, name), Branch: deployBranch(ctx, name),
		Env: ctx.Env.Environ(),
	})
	if err != nil {
		return ui.Fail(err.Error())
	}
	if !ansiPrefixDisabled(ctx, name) {
		// compat: Dokku's sed prefixes stdout only; stderr lines keep "remote: ".
		bctx = bctx.WithIO(nil, &prefixWriter{w: ctx.Stdout, prefix: "\x1b[1G", atStart: true}, nil)
	}
	return pipeline.TriggerBuild(bctx, name, dir, rev)
}

// sweepBuildDirs removes the build directories of deploys whose process
// is gone (a deploy killed with SIGKILL cannot remove its own).
func sweepBuildDirs(tmpRoot string) {
	dirs, _ := filepath.Glob(filepath.Join(tmpRoot, "dokku-*-git_build_app_repo.*"))
	for _, d := range dirs {
		parts := strings.SplitN(filepath.Base(d), "-", 3)
		if len(parts) != 3 {
			continue
		}
		pid, err := strconv.Atoi(parts[1])
		if err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); err == nil || errors.Is(err, syscall.EPERM) {
			continue
		}
		var st syscall.Stat_t
		if syscall.Lstat(d, &st) != nil || int(st.Uid) != os.Geteuid() || st.Mode&syscall.S_IFMT != syscall.S_IFDIR {
			continue
		}
		os.RemoveAll(d)
	}
}

// ansiPrefixDisabled reads DOKKU_DISABLE_ANSI_PREFIX_REMOVAL (app config,
// else global).
func ansiPrefixDisabled(ctx *plugin.Context, name string) bool {
	v := ctx.TriggerValue("config-get", name, "DOKKU_DISABLE_ANSI_PREFIX_REMOVAL")
	if v == "" {
		v = ctx.TriggerValue("config-get", "--global", "DOKKU_DISABLE_ANSI_PREFIX_REMOVAL")
	}
	return v == "true"
}

// prefixWriter starts every line with prefix (`sed -u "s/^/<prefix>/"`).
type prefixWriter struct {
	mu      sync.Mutex
	w       io.Writer
	prefix  string
	atStart bool
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []byte
	for _, c := range b {
		if p.atStart {
			out = append(out, p.prefix...)
			p.atStart = false
		}
		out = append(out, c)
		if c == '\n' {
			p.atStart = true
		}
	}
	if _, err := p.w.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}
