package git

import (
	"context"
	"os/exec"
	"regexp"
	"strings"
	"sync"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/gitrepo"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/ui"
)

// cleanName turns the path a git client sends ('app', '/app', 'app' with
// escaped quotes) into an app name: unescaped single quotes are dropped,
// \' becomes ', and one leading "/" is removed, as Dokku's perl/sed do.
func cleanName(raw string) string {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\\' && i+1 < len(raw) && raw[i+1] == '\'':
			b.WriteByte('\'')
			i++
		case c == '\'':
		default:
			b.WriteByte(c)
		}
	}
	return strings.TrimPrefix(b.String(), "/")
}

// checkName accepts an existing app or a valid name for a new one; nothing
// else (no path, no shell syntax) ever reaches the file system or git.
func checkName(ctx *plugin.Context, name string) error {
	if app.Exists(ctx, name) {
		return nil
	}
	return app.Validate(name)
}

// ensureApp creates an unknown app (app-maybe-create) and gives it a
// repository with the pre-receive hook when it has none. Output goes to
// stderr: stdout carries the git protocol.
func ensureApp(ctx *plugin.Context, name string, repo bool) error {
	errCtx := ctx.WithIO(strings.NewReader(""), ctx.Stderr, nil)
	if !app.Exists(ctx, name) {
		if err := errCtx.Trigger("app-maybe-create", name); err != nil {
			return err
		}
		if !app.Exists(ctx, name) {
			return ui.AppNotExist(name)
		}
	}
	if repo && !gitrepo.IsRepo(repoDir(ctx, name)) {
		return initRepo(ctx, name)
	}
	return nil
}

// initRepo is fn-git-create-hook: the bare repository (when missing) and
// the pre-receive hook (always rewritten).
func initRepo(ctx *plugin.Context, name string) error {
	dir := repoDir(ctx, name)
	if err := gitrepo.InitBare(dir, owner(ctx)); err != nil {
		return ui.Failf("Unable to initialize the git repository of %s: %s", name, err.Error())
	}
	if err := gitrepo.WriteHook(dir, ctx.Env.Root(), name, owner(ctx)); err != nil {
		return ui.Failf("Unable to write the pre-receive hook of %s: %s", name, err.Error())
	}
	return nil
}

var gitWord = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^git-[a-z][a-z0-9-]*$`) })

// fallback answers every git-* word of the commands fallback (git over
// ssh): git-receive-pack, git-upload-pack, and the rest through git-shell.
func fallback(ctx *plugin.Context, args []string) (bool, error) {
	if len(args) == 0 || !strings.HasPrefix(args[0], "git-") {
		return false, nil
	}
	word := args[0]
	if !gitWord().MatchString(word) {
		return true, ui.Failf("Invalid git command %q", word)
	}
	raw := plugin.Arg(args, 1)
	if len(args) > 2 {
		// A path with blanks arrives split in several words: refuse it
		// rather than act on its first word.
		return true, ui.Failf("Invalid app name %q", strings.Join(args[1:], " "))
	}
	name := cleanName(raw)
	if err := checkName(ctx, name); err != nil {
		return true, err
	}
	if strings.ContainsAny(ctx.Env.Root(), "'\n") {
		return true, ui.Fail("DOKKU_ROOT must not contain quotes or newlines")
	}
	switch word {
	case "git-receive-pack":
		return true, receivePack(ctx, name)
	case "git-upload-pack":
		return true, uploadPack(ctx, name)
	}
	return true, gitShell(ctx, word, repoDir(ctx, name))
}

// receivePack serves a push: the app and its repository are created on the
// first push, then git-shell runs git-receive-pack, whose pre-receive hook
// deploys.
func receivePack(ctx *plugin.Context, name string) error {
	if !gitrepo.IsRepo(repoDir(ctx, name)) {
		if err := ensureApp(ctx, name, true); err != nil {
			return err
		}
	}
	return gitShell(ctx, "git-receive-pack", repoDir(ctx, name))
}

// gitShell runs git-shell -c "<word> '<path>'" on the session's streams.
func gitShell(ctx *plugin.Context, word, path string) error {
	return proc.Run(context.Background(), proc.Cmd{
		Name: "git-shell", Args: []string{"-c", word + " '" + path + "'"},
		Env: ctx.Env.Environ(), Dir: ctx.Env.Root(),
		Stdin: ctx.Stdin, Stdout: ctx.Stdout, Stderr: ctx.Stderr,
	})
}

// uploadPack serves a clone or fetch between git-pre-pull and git-post-pull.
func uploadPack(ctx *plugin.Context, name string) error {
	if err := ensureApp(ctx, name, false); err != nil {
		return err
	}
	errCtx := ctx.WithIO(strings.NewReader(""), ctx.Stderr, nil)
	if err := errCtx.Trigger("git-pre-pull", name); err != nil {
		return err
	}
	bin := "git-upload-pack"
	args := []string{repoDir(ctx, name)}
	if _, err := exec.LookPath(bin); err != nil {
		bin, args = "git", append([]string{"upload-pack"}, args...)
	}
	if err := proc.Run(context.Background(), proc.Cmd{
		Name: bin, Args: args, Env: ctx.Env.Environ(), Dir: ctx.Env.Root(),
		Stdin: ctx.Stdin, Stdout: ctx.Stdout, Stderr: ctx.Stderr,
	}); err != nil {
		return err
	}
	return errCtx.Trigger("git-post-pull", name)
}
