package git

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/capture"
	"github.com/godokku/dokku/internal/gitrepo"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// cloneDir is git:sync's temporary clone, $DOKKU_LIB_ROOT/data/git/<app>.
func cloneDir(ctx *plugin.Context, name string) string {
	return filepath.Join(ctx.Env.PluginDataRoot(pluginName), name)
}

type syncOptions struct {
	build, buildIfChanges, skipDeployBranch bool
}

func newSyncCmd(ctx *plugin.Context) *cobra.Command {
	o := &syncOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		return runSync(ctx, o, args)
	}}
	cmd.Flags().BoolVar(&o.build, "build", false, "")
	cmd.Flags().BoolVar(&o.buildIfChanges, "build-if-changes", false, "")
	cmd.Flags().BoolVar(&o.skipDeployBranch, "skip-deploy-branch", false, "")
	return cmd
}

// gitRun runs git with the hook variables scrubbed; failures carry git's
// output.
func gitRun(ctx *plugin.Context, dir string, args ...string) (string, error) {
	out, err := gitrepo.Git(context.Background(), dir, gitrepo.CleanEnv(ctx.Env.Environ(), false), nil, args...)
	if err != nil {
		msg := strings.TrimSpace(string(out))
		if msg == "" {
			msg = err.Error()
		}
		return string(out), ui.Failf("git %s failed: %s", args[0], msg)
	}
	return string(out), nil
}

// runSync is git:sync [--build|--build-if-changes] [--skip-deploy-branch]
// <app> <repository> [<git-ref>]: a new app's repository is cloned, an
// existing one fetched; the deploy branch then points at the ref.
func runSync(ctx *plugin.Context, o *syncOptions, args []string) (err error) {
	name, err := app.VerifyArg(ctx, args, 0)
	if err != nil {
		return err
	}
	remote, ref := plugin.Arg(args, 1), plugin.Arg(args, 2)
	if remote == "" {
		return ui.Fail("Missing GIT_REMOTE parameter")
	}
	if strings.HasPrefix(remote, "-") || strings.HasPrefix(ref, "-") || strings.ContainsAny(remote+ref, "\n\r") {
		return ui.Fail("Invalid repository or ref")
	}
	ctx = ctx.WithEnv(ctx.Env.Clone())
	if s, serr := capture.Start(ctx, name, "git:sync"); serr != nil {
		return serr
	} else if s != nil {
		defer func() { s.Finish(err) }()
	}
	repo := repoDir(ctx, name)
	if !gitrepo.IsRepo(repo) {
		if err := initRepo(ctx, name); err != nil {
			return err
		}
	}
	branch := deployBranch(ctx, name)
	before, _ := gitrepo.ReadRef(repo, gitrepo.BranchRef(branch))
	has, err := gitrepo.HasObjects(repo)
	if err != nil {
		return err
	}
	if !has {
		err = syncClone(ctx, o, name, remote, ref)
	} else {
		err = syncFetch(ctx, name, remote, ref)
	}
	if err != nil {
		return err
	}
	branch = deployBranch(ctx, name)
	after, ok := gitrepo.ReadRef(repo, gitrepo.BranchRef(branch))
	if !o.build && !o.buildIfChanges {
		return nil
	}
	if o.buildIfChanges && !o.build && after == before {
		ctx.UI().Info1("No changes detected, skipping build")
		return nil
	}
	rev := after
	if ref != "" {
		rev, err = resolveRev(ctx, repo, ref)
		if err != nil {
			return err
		}
	} else if !ok {
		return ui.Failf("Cannot build from '%s' as there are no commits stored at that branch.", branch)
	}
	if err := ctx.Trigger("receive-app", name, rev); err != nil {
		return err
	}
	return ctx.Trigger("deploy-source-set", name, "git-sync", remote+"#"+rev)
}

// syncClone is fn-git-clone: the remote (a branch or tag with --branch,
// else any commit) is cloned into data/git/<app>; a branch becomes the
// deploy branch (unless --skip-deploy-branch); the deploy branch is
// fetched into the app repository.
func syncClone(ctx *plugin.Context, o *syncOptions, name, remote, ref string) error {
	dir := cloneDir(ctx, name)
	if _, err := os.Stat(dir); err == nil {
		return ui.Fail("Clone in progress")
	}
	if err := atomicfile.MkdirAll(filepath.Dir(dir), 0o755, owner(ctx)); err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if ref == "" {
		ref = deployBranch(ctx, name)
	}
	ctx.UI().Info1Quiet("Cloning " + name + " from " + remote + "#" + ref)
	isCommit := true
	if _, err := gitRun(ctx, "", "clone", "--depth", "1", "-n", "-q", "--branch", ref, "--", remote, dir); err == nil {
		isCommit = false
	}
	os.RemoveAll(dir)
	if isCommit {
		if _, err := gitRun(ctx, "", "clone", "-n", "-q", "--", remote, dir); err != nil {
			return err
		}
		if _, err := gitRun(ctx, dir, "checkout", "-q", ref); err != nil {
			return err
		}
	} else {
		if _, err := gitRun(ctx, "", "clone", "-n", "-q", "--branch", ref, "--", remote, dir); err != nil {
			return err
		}
		if _, err := gitRun(ctx, dir, "show-ref", "--verify", "--quiet", gitrepo.BranchRef(ref)); err == nil && !o.skipDeployBranch && gitrepo.ValidBranchName(ref) {
			ctx.UI().VerboseQuiet("Detected branch, setting deploy-branch to " + ref)
			if err := ctx.Props().Write(pluginName, name, propDeployBranch, ref); err != nil {
				return err
			}
		}
	}
	branch := deployBranch(ctx, name)
	if !gitrepo.ValidBranchName(branch) {
		return ui.Failf("Invalid branch name '%s' specified via DOKKU_DEPLOY_BRANCH.", branch)
	}
	if ref != branch {
		if isCommit {
			gitRun(ctx, dir, "branch", "-q", "-D", branch)
		}
		if _, err := gitRun(ctx, dir, "checkout", "-q", "-B", branch); err != nil {
			return err
		}
	}
	refspec := "+" + gitrepo.BranchRef(branch) + ":" + gitrepo.BranchRef(branch)
	if _, err := gitRun(ctx, repoDir(ctx, name), "fetch", "-q", "--update-head-ok", "--", dir, refspec); err != nil {
		return err
	}
	return initRepo(ctx, name)
}

// syncFetch is fn-git-fetch: the remote is mirrored into the app
// repository, then the deploy branch points at the ref (when given).
func syncFetch(ctx *plugin.Context, name, remote, ref string) error {
	repo := repoDir(ctx, name)
	branch := deployBranch(ctx, name)
	if !gitrepo.ValidBranchName(branch) {
		hookLine(ctx.Stdout, "-----> WARNING: Invalid branch name '"+branch+"' specified via DOKKU_DEPLOY_BRANCH.")
		hookLine(ctx.Stdout, "-----> For more details, please see the man page for 'git-check-ref-format.'")
		return nil
	}
	gitRun(ctx, repo, "remote", "rm", "remote")
	if _, err := gitRun(ctx, repo, "remote", "add", "--mirror=fetch", "--no-tags", "remote", remote); err != nil {
		return err
	}
	if ref == "" {
		_, err := gitRun(ctx, repo, "fetch", "-q", "--update-head-ok", "remote", branch)
		return err
	}
	if _, err := gitRun(ctx, repo, "fetch", "-q", "--update-head-ok", "remote"); err != nil {
		return err
	}
	_, err := gitRun(ctx, repo, "update-ref", gitrepo.BranchRef(branch), ref)
	return err
}
