package git

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/gitrepo"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// Default author of the commits made for archives and images.
const (
	defaultUserName  = "Dokku"
	defaultUserEmail = "automated@dokku.sh"
)

// triggerFromDirectory is git-from-directory <app> <dir> [<name> <email>].
func triggerFromDirectory(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	return fromDirectory(ctx, name, plugin.Arg(args, 1), plugin.Arg(args, 2), plugin.Arg(args, 3))
}

// tempDir makes /tmp/dokku-<PID>-<what>.XXXXXX (0755).
func tempDir(ctx *plugin.Context, what string) (string, error) {
	root := ctx.Env.Get("TMPDIR")
	if root == "" {
		root = "/tmp"
	}
	dir, err := os.MkdirTemp(root, "dokku-"+ctx.Env.PID()+"-"+what+".")
	if err != nil {
		return "", ui.Failf("Unable to create a temporary directory: %s", err.Error())
	}
	os.Chmod(dir, 0o755)
	return dir, nil
}

// fromDirectory commits the content of src onto the deploy branch of the
// app repository and deploys it (git_receive_app). A deploy branch without
// commits gets an "Initial commit"; otherwise the tree replaces the
// branch's ("Automated commit @ <epoch>"), and an unchanged tree is an
// error. When the deploy fails the branch is put back where it was.
func fromDirectory(ctx *plugin.Context, name, src, userName, userEmail string) error {
	if userName == "" {
		userName = defaultUserName
	}
	if userEmail == "" {
		userEmail = defaultUserEmail
	}
	if fi, err := os.Stat(src); err != nil || !fi.IsDir() {
		return ui.Failf("Source directory %s does not exist", src)
	}
	repo := repoDir(ctx, name)
	if !gitrepo.IsRepo(repo) {
		if err := initRepo(ctx, name); err != nil {
			return err
		}
	}
	branch := deployBranch(ctx, name)
	if !gitrepo.ValidBranchName(branch) {
		return ui.Failf("Invalid branch name '%s' specified via DOKKU_DEPLOY_BRANCH.", branch)
	}
	previous, existed := gitrepo.ReadRef(repo, gitrepo.BranchRef(branch))
	work, err := tempDir(ctx, "git_from_directory")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	env := append(gitrepo.CleanEnv(ctx.Env.Environ(), false),
		"GIT_AUTHOR_NAME="+userName, "GIT_AUTHOR_EMAIL="+userEmail,
		"GIT_COMMITTER_NAME="+userName, "GIT_COMMITTER_EMAIL="+userEmail,
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	g := func(dir string, args ...string) (string, error) {
		out, err := gitrepo.Git(context.Background(), dir, env, nil, args...)
		if err != nil {
			return "", ui.Failf("git %s failed: %s", args[0], strings.TrimSpace(string(out)))
		}
		return strings.TrimSpace(string(out)), nil
	}
	message := "Initial commit"
	if existed {
		if _, err := g("", "clone", "-q", "--branch", branch, "--", repo, work); err != nil {
			return err
		}
		if err := clearTree(work); err != nil {
			return err
		}
		message = "Automated commit @ " + strconv.FormatInt(time.Now().Unix(), 10)
	} else {
		if _, err := g(work, "init", "-q"); err != nil {
			return err
		}
		if _, err := g(work, "symbolic-ref", "HEAD", gitrepo.BranchRef(branch)); err != nil {
			return err
		}
	}
	if err := copyTree(src, work); err != nil {
		return ui.Failf("Unable to copy the source: %s", err.Error())
	}
	if _, err := g(work, "add", "--all"); err != nil {
		return err
	}
	if existed {
		if status, err := g(work, "status", "--porcelain"); err != nil {
			return err
		} else if status == "" {
			ctx.UI().Warn("No changes detected, skipping git commit")
			return ui.Failf("Run 'dokku ps:rebuild %s' to rebuild the app without changes", name)
		}
	}
	if _, err := g(work, "commit", "-q", "--no-verify", "-m", message); err != nil {
		return err
	}
	rev, err := g(work, "rev-parse", "HEAD")
	if err != nil {
		return err
	}
	refspec := "+" + gitrepo.BranchRef(branch) + ":" + gitrepo.BranchRef(branch)
	if _, err := g(repo, "fetch", "-q", "--update-head-ok", "--", work, refspec); err != nil {
		return err
	}
	if err := receiveApp(ctx, name, rev); err != nil {
		if existed {
			g(repo, "update-ref", gitrepo.BranchRef(branch), previous)
		} else {
			g(repo, "update-ref", "-d", gitrepo.BranchRef(branch))
		}
		return err
	}
	return nil
}

// clearTree removes everything in a checkout but its .git.
func clearTree(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if e.Name() == ".git" {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// copyTree copies src into dst (files, directories, symlinks as links);
// a .git at any level is left out.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel == "." {
			return nil
		}
		if d.Name() == ".git" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		return copyEntry(p, filepath.Join(dst, rel), d, nil)
	})
}
