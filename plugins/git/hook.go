package git

import (
	"bufio"
	"io"
	"strings"

	"github.com/godokku/dokku/internal/gitrepo"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// hookPrefix moves the cursor to the first column and clears the line, so
// a hook message replaces git's "remote: " prefix on the client.
const hookPrefix = "\x1b[1G\x1b[K"

func hookLine(w io.Writer, msg string) { io.WriteString(w, hookPrefix+msg+"\n") }

// runHook is `git-hook <app>`, run by the pre-receive hook with the pushed
// `<oldrev> <newrev> <refname>` lines on stdin (pipeline.md §1.1 step 4).
// A push of the deploy branch (or a tag of that name) is built and
// deployed; a failure exits non-zero, so git rejects the push and the
// branch does not move.
func runHook(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 1)
	if err := checkName(ctx, name); err != nil {
		return err
	}
	branch := deployBranch(ctx, name)
	if !gitrepo.ValidBranchName(branch) {
		hookLine(ctx.Stdout, "-----> WARNING: Invalid branch name '"+branch+"' specified via DOKKU_DEPLOY_BRANCH.")
		hookLine(ctx.Stdout, "-----> For more details, please see the man page for 'git-check-ref-format.'")
		return nil
	}
	sc := bufio.NewScanner(ctx.Stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			continue
		}
		newrev, ref := f[1], f[2]
		switch {
		case ref == "refs/heads/"+branch || ref == "refs/tags/"+branch:
			if err := deployRef(ctx, name, branch, newrev); err != nil {
				return err
			}
		case ctx.TriggerExists("receive-branch"):
			if err := ctx.Trigger("receive-branch", name, newrev, ref); err != nil {
				return err
			}
			if err := ctx.Trigger("deploy-source-set", name, "git-push", newrev); err != nil {
				return err
			}
		case strings.HasPrefix(ref, "refs/heads/") && !gitrepo.IsZeroSHA(newrev) && unsetBranch(ctx, name) &&
			gitrepo.ValidBranchName(strings.TrimPrefix(ref, "refs/heads/")):
			pushed := strings.TrimPrefix(ref, "refs/heads/")
			hookLine(ctx.Stdout, "-----> Set "+pushed+" as deploy-branch")
			if err := ctx.Props().Write(pluginName, name, propDeployBranch, pushed); err != nil {
				return err
			}
			branch = pushed
			if err := deployRef(ctx, name, branch, newrev); err != nil {
				return err
			}
		default:
			pushed := strings.TrimPrefix(ref, "refs/heads/")
			hookLine(ctx.Stdout, "-----> WARNING: deploy did not complete, you must push to "+branch+".")
			hookLine(ctx.Stdout, "-----> for example, try 'git push <dokku> "+pushed+":"+branch+"'")
		}
	}
	return sc.Err()
}

// unsetBranch reports that neither the app nor the global deploy-branch is set.
func unsetBranch(ctx *plugin.Context, name string) bool {
	return get(ctx, name, propDeployBranch) == "" && get(ctx, property.Global, propDeployBranch) == ""
}

// deployRef builds newrev and records the push as the deploy source.
func deployRef(ctx *plugin.Context, name, branch, newrev string) error {
	if gitrepo.IsZeroSHA(newrev) {
		return ui.Failf("Refusing to delete the deploy branch %s of %s", branch, name)
	}
	if err := receiveApp(ctx, name, newrev); err != nil {
		return err
	}
	return ctx.Trigger("deploy-source-set", name, "git-push", newrev)
}
