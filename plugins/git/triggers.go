package git

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/gitrepo"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// validApp refuses trigger arguments that cannot be an app directory.
func validApp(name string) error {
	if err := property.ValidName(name); err != nil || name == property.Global {
		return ui.Failf("Invalid app name %q", name)
	}
	return nil
}

// triggerPostCreate gives a new app its bare repository and hook.
func triggerPostCreate(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := validApp(name); err != nil {
		return err
	}
	return initRepo(ctx, name)
}

// triggerPostDelete drops the git properties and git:sync's clone folder
// (the repository goes with $DOKKU_ROOT/<app>).
func triggerPostDelete(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if validApp(name) != nil {
		return nil
	}
	if err := os.RemoveAll(cloneDir(ctx, name)); err != nil {
		ctx.UI().Warn(err.Error())
	}
	return ctx.Props().Destroy(pluginName, name)
}

// skippedOnCopy are the top-level entries of $DOKKU_ROOT/<app> a clone or
// rename does not copy (per-app caches and the domains the new app gets
// for itself).
var skippedOnCopy = map[string]bool{"cache": true, ".cache": true, "VHOST": true, "URLS": true}

// containerState names the files that point at the old app's running
// containers (CONTAINER.<type>.<n>, IP.*, PORT.*): a copy would make the
// new app's first deploy retire the old app's containers.
//
// compat: Dokku copies them and scheduler-docker-local then deletes the
// CONTAINER.* files; they are simply not copied here.
func containerState(name string) bool {
	for _, p := range []string{"CONTAINER", "IP", "PORT"} {
		if name == p || strings.HasPrefix(name, p+".") {
			return true
		}
	}
	return false
}

// copyAppDir copies $DOKKU_ROOT/<old> over $DOKKU_ROOT/<new> (rsync -a
// minus skippedOnCopy), then points the pre-receive hook at the new app.
func copyAppDir(ctx *plugin.Context, oldName, newName string) error {
	src, dst := repoDir(ctx, oldName), repoDir(ctx, newName)
	if _, err := os.Stat(src); err != nil {
		return nil
	}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel == "." {
			return nil
		}
		if !strings.Contains(rel, string(filepath.Separator)) && (skippedOnCopy[rel] || containerState(rel)) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		return copyEntry(p, filepath.Join(dst, rel), d, owner(ctx))
	})
	if err != nil {
		return ui.Failf("Unable to copy %s to %s: %s", src, dst, err.Error())
	}
	if gitrepo.IsRepo(dst) {
		return initRepo(ctx, newName)
	}
	return nil
}

// copyEntry copies one file, directory or symlink, keeping modes.
func copyEntry(src, dst string, d fs.DirEntry, own *atomicfile.Owner) error {
	info, err := d.Info()
	if err != nil {
		return err
	}
	switch {
	case d.IsDir():
		if err := os.MkdirAll(dst, info.Mode().Perm()); err != nil {
			return err
		}
		os.Chmod(dst, info.Mode().Perm())
	case info.Mode()&os.ModeSymlink != 0:
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		os.Remove(dst)
		if err := os.Symlink(target, dst); err != nil {
			return err
		}
		if own != nil {
			os.Lchown(dst, own.UID, own.GID)
		}
		return nil
	case info.Mode().IsRegular():
		in, err := os.Open(src)
		if err != nil {
			return err
		}
		defer in.Close()
		os.Remove(dst)
		out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, info.Mode().Perm())
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		if err := out.Close(); err != nil {
			return err
		}
		os.Chmod(dst, info.Mode().Perm())
	default:
		return nil // sockets, fifos, devices are not state
	}
	if own != nil {
		os.Chown(dst, own.UID, own.GID)
	}
	return nil
}

func triggerPostAppCloneSetup(ctx *plugin.Context, args []string) error {
	oldName, newName, err := copyApp(ctx, args)
	if err != nil {
		return err
	}
	return ctx.Props().Clone(pluginName, oldName, newName)
}

func triggerPostAppRenameSetup(ctx *plugin.Context, args []string) error {
	oldName, newName, err := copyApp(ctx, args)
	if err != nil {
		return err
	}
	return ctx.Props().Rename(pluginName, oldName, newName)
}

// copyApp is what post-app-clone-setup and post-app-rename-setup <old>
// <new> share: both names checked, then copyAppDir.
func copyApp(ctx *plugin.Context, args []string) (oldName, newName string, err error) {
	oldName, newName = plugin.Arg(args, 0), plugin.Arg(args, 1)
	if err := validApp(oldName); err != nil {
		return "", "", err
	}
	if err := validApp(newName); err != nil {
		return "", "", err
	}
	return oldName, newName, copyAppDir(ctx, oldName, newName)
}

// triggerHasCode is git-has-code <app> [<branch>]: exit 0 when the branch
// (default: the deploy branch) has a commit.
func triggerHasCode(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if validApp(name) != nil {
		return ui.Exit(1)
	}
	branch := plugin.Arg(args, 1)
	if branch == "" {
		branch = deployBranch(ctx, name)
	}
	if !gitrepo.ValidBranchName(branch) {
		return ui.Exit(1)
	}
	if _, ok := gitrepo.ReadRef(repoDir(ctx, name), gitrepo.BranchRef(branch)); !ok {
		return ui.Exit(1)
	}
	return nil
}

// triggerDeployBranch is git-deploy-branch <app>: the computed deploy branch.
func triggerDeployBranch(ctx *plugin.Context, args []string) error {
	fmt.Fprintln(ctx.Stdout, deployBranch(ctx, plugin.Arg(args, 0)))
	return nil
}

// triggerGetProperty is git-get-property <app> <key>: the computed value.
func triggerGetProperty(ctx *plugin.Context, args []string) error {
	name, key := plugin.Arg(args, 0), plugin.Arg(args, 1)
	var v string
	switch key {
	case propDeployBranch:
		v = deployBranch(ctx, name)
	case propKeepGitDir:
		v = ctx.Props().Computed(pluginName, name, propKeepGitDir, "false")
	case propRevEnvVar:
		v, _ = revEnvVar(ctx, name)
	case propSourceImage:
		v = get(ctx, name, propSourceImage)
	case propArchiveMaxSize:
		v = strconv.FormatInt(archiveLimit(ctx, propArchiveMaxSize, defaultArchiveMaxSize), 10)
	case propArchiveMaxFiles:
		v = strconv.FormatInt(archiveLimit(ctx, propArchiveMaxFiles, defaultArchiveMaxFiles), 10)
	default:
		return ui.Failf("Invalid git property specified: %s", key)
	}
	fmt.Fprintln(ctx.Stdout, v)
	return nil
}

// triggerRevision is git-revision <app>: the deploy branch head.
func triggerRevision(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := validApp(name); err != nil {
		return err
	}
	sha, ok := gitrepo.ReadRef(repoDir(ctx, name), gitrepo.BranchRef(deployBranch(ctx, name)))
	if !ok {
		sha, _ = gitrepo.ReadRef(repoDir(ctx, name), "HEAD")
	}
	fmt.Fprintln(ctx.Stdout, sha)
	return nil
}

// triggerDeploySourceSet is the git side of deploy-source-set <app> <type>
// <metadata>: once an app is deployed from anything but an image,
// source-image no longer describes it.
func triggerDeploySourceSet(ctx *plugin.Context, args []string) error {
	name, kind := plugin.Arg(args, 0), plugin.Arg(args, 1)
	if validApp(name) != nil || kind == "docker-image" {
		return nil
	}
	return ctx.Props().Delete(pluginName, name, propSourceImage)
}

// triggerInstall prepares the git properties and data directory and moves
// the deprecated DOKKU_DEPLOY_BRANCH config values to deploy-branch.
func triggerInstall(ctx *plugin.Context, _ []string) error {
	props := ctx.Props()
	if err := props.Setup(pluginName); err != nil {
		return ui.Failf("Unable to install the git plugin: %s", err.Error())
	}
	if err := atomicfile.MkdirAll(ctx.Env.PluginDataRoot(pluginName), 0o755, owner(ctx)); err != nil {
		return err
	}
	scopes := append([]string{property.Global}, app.ListAll(ctx)...)
	for _, scope := range scopes {
		v := ctx.TriggerValue("config-get", scope, "DOKKU_DEPLOY_BRANCH")
		if scope == property.Global {
			v = ctx.TriggerValue("config-get-global", "DOKKU_DEPLOY_BRANCH")
		}
		if v == "" {
			continue
		}
		if err := props.Write(pluginName, scope, propDeployBranch, v); err != nil {
			return err
		}
		e := ctx.Env.Clone()
		e.Set("DOKKU_QUIET_OUTPUT", "1")
		ctx.WithEnv(e).WithIO(strings.NewReader(""), io.Discard, io.Discard).Trigger("config-unset", scope, "DOKKU_DEPLOY_BRANCH", "false")
	}
	for _, name := range app.ListAll(ctx) {
		if dir := repoDir(ctx, name); gitrepo.IsRepo(dir) {
			if _, err := os.Stat(gitrepo.HookPath(dir)); errors.Is(err, os.ErrNotExist) {
				initRepo(ctx, name)
			}
		}
	}
	return nil
}
