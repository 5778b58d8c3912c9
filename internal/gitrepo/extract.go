package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// gitTimeout bounds one local git command (a checkout of a large tree,
// submodule fetches over the network).
const gitTimeout = 30 * time.Minute

// scrubbed are the variables git sets for hooks that must not reach git
// commands run for another directory (git_build_app_repo unsets them).
var scrubbed = []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_QUARANTINE_PATH", "GIT_INDEX_FILE", "GIT_PREFIX"}

// objectVars point git at the objects of a push still in quarantine.
var objectVars = []string{"GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES"}

// CleanEnv drops the hook variables from environ. With keepObjects the
// quarantine object directories stay visible, so a revision pushed but not
// yet accepted can be read from the app's repository.
func CleanEnv(environ []string, keepObjects bool) []string {
	out := make([]string, 0, len(environ))
outer:
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		for _, s := range scrubbed {
			if k == s {
				continue outer
			}
		}
		if !keepObjects {
			for _, s := range objectVars {
				if k == s {
					continue outer
				}
			}
		}
		out = append(out, kv)
	}
	return out
}

// Git runs git in dir with env and returns its combined output.
func Git(ctx context.Context, dir string, env []string, stdin []byte, args ...string) ([]byte, error) {
	c, cancel := context.WithTimeout(ctx, gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(c, "git", args...)
	cmd.Dir, cmd.Env = dir, env
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	return out.Bytes(), err
}

// ExtractOptions say what Extract checks out.
type ExtractOptions struct {
	Repo string // the app's bare repository
	Rev  string // full object name
	Dest string // existing empty directory
	// KeepGitDir leaves a standalone repository in Dest/.git with Branch
	// checked out at Rev (git keep-git-dir=true); otherwise every .git is
	// removed from the tree.
	KeepGitDir bool
	Branch     string
	Env        []string // the caller's environment (hook variables are scrubbed)
}

// Extract checks Rev out into Dest as git_build_app_repo does: a worktree
// of the app repository, submodules initialised recursively, then the
// .git entries removed and the worktree's bookkeeping dropped.
func Extract(ctx context.Context, o ExtractOptions) error {
	if !IsSHA(o.Rev) {
		return errors.New("invalid revision " + o.Rev)
	}
	PruneWorktrees(o.Repo)
	repoEnv := CleanEnv(o.Env, true)
	if out, err := Git(ctx, o.Repo, repoEnv, nil, "worktree", "add", "--detach", "--force", o.Dest, o.Rev); err != nil {
		return describe("git worktree add", err, out)
	}
	admin := worktreeAdmin(o.Dest)
	defer func() {
		if admin != "" {
			os.RemoveAll(admin)
			os.Remove(filepath.Dir(admin)) // worktrees/, when it is empty now
		}
	}()
	if o.KeepGitDir {
		if err := standalone(ctx, o, repoEnv); err != nil {
			return err
		}
		return submodules(ctx, o.Dest, CleanEnv(o.Env, false))
	}
	if err := submodules(ctx, o.Dest, repoEnv); err != nil {
		return err
	}
	return removeGitDirs(o.Dest)
}

// worktreeAdmin reads the admin directory a worktree's .git file names.
func worktreeAdmin(dest string) string {
	b, err := os.ReadFile(filepath.Join(dest, ".git"))
	if err != nil {
		return ""
	}
	p, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir: ")
	if !ok || !filepath.IsAbs(p) || !strings.Contains(p, string(filepath.Separator)+"worktrees"+string(filepath.Separator)) {
		return ""
	}
	return p
}

func submodules(ctx context.Context, dest string, env []string) error {
	if _, err := os.Stat(filepath.Join(dest, ".gitmodules")); err != nil {
		return nil
	}
	if out, err := Git(ctx, dest, env, nil, "submodule", "sync", "--recursive"); err != nil {
		return describe("git submodule sync", err, out)
	}
	if out, err := Git(ctx, dest, env, nil, "submodule", "update", "--init", "--recursive"); err != nil {
		return describe("git submodule update", err, out)
	}
	return nil
}

// removeGitDirs deletes every .git file or directory in the tree.
func removeGitDirs(root string) error {
	var found []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name() == ".git" {
			found = append(found, p)
			if d.IsDir() {
				return filepath.SkipDir
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range found {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	return nil
}

// standalone turns the worktree checkout in Dest into a repository of its
// own: Dest/.git holds every object reachable from Rev, the deploy branch
// points at it and HEAD names the branch.
func standalone(ctx context.Context, o ExtractOptions, repoEnv []string) error {
	if err := os.Remove(filepath.Join(o.Dest, ".git")); err != nil {
		return err
	}
	env := CleanEnv(o.Env, false)
	if out, err := Git(ctx, o.Dest, env, nil, "init", "-q"); err != nil {
		return describe("git init", err, out)
	}
	c, cancel := context.WithTimeout(ctx, gitTimeout)
	defer cancel()
	pack := exec.CommandContext(c, "git", "pack-objects", "--revs", "--stdout", "-q")
	pack.Dir, pack.Env = o.Repo, repoEnv
	pack.Stdin = strings.NewReader(o.Rev + "\n")
	index := exec.CommandContext(c, "git", "index-pack", "--stdin", "--fix-thin")
	index.Dir, index.Env = o.Dest, env
	pipe, err := pack.StdoutPipe()
	if err != nil {
		return err
	}
	index.Stdin = pipe
	var packErr, indexOut bytes.Buffer
	pack.Stderr = &packErr
	index.Stdout, index.Stderr = &indexOut, &indexOut
	if err := pack.Start(); err != nil {
		return err
	}
	ierr := index.Run()
	perr := pack.Wait()
	if perr != nil {
		return describe("git pack-objects", perr, packErr.Bytes())
	}
	if ierr != nil {
		return describe("git index-pack", ierr, indexOut.Bytes())
	}
	branch := o.Branch
	if branch == "" || !ValidBranchName(branch) {
		branch = DefaultBranch
	}
	steps := [][]string{
		{"update-ref", BranchRef(branch), o.Rev},
		{"symbolic-ref", "HEAD", BranchRef(branch)},
		{"reset", "-q", o.Rev},
	}
	for _, args := range steps {
		if out, err := Git(ctx, o.Dest, env, nil, args...); err != nil {
			return describe("git "+args[0], err, out)
		}
	}
	return nil
}

// PruneWorktrees drops the bookkeeping of worktrees whose directory is
// gone (git worktree prune), e.g. after a deploy was killed.
func PruneWorktrees(repo string) {
	base := filepath.Join(repo, "worktrees")
	ents, err := os.ReadDir(base)
	if err != nil {
		return
	}
	for _, e := range ents {
		admin := filepath.Join(base, e.Name())
		if _, err := os.Stat(filepath.Join(admin, "locked")); err == nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(admin, "gitdir"))
		if err == nil {
			if _, serr := os.Stat(strings.TrimSpace(string(b))); serr == nil {
				continue
			}
		}
		os.RemoveAll(admin)
	}
	if rest, _ := os.ReadDir(base); len(rest) == 0 {
		os.Remove(base)
	}
}
