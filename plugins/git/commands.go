package git

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/gitrepo"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
	"github.com/godokku/dokku/internal/ui"
)

// appCmd is a command whose only argument is an existing app.
func appCmd(ctx *plugin.Context, run func(ctx *plugin.Context, name string) error) *cobra.Command {
	return &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		name, err := app.VerifyArg(ctx, args, 0)
		if err != nil {
			return err
		}
		return run(ctx, name)
	}}
}

// git:initialize <app>: the repository (if missing) and a fresh hook.
func newInitializeCmd(ctx *plugin.Context) *cobra.Command {
	return appCmd(ctx, func(ctx *plugin.Context, name string) error {
		return initRepo(ctx, name)
	})
}

// git:status <app>: `git status` of the app's repository, its output and
// exit code as git gives them.
func newStatusCmd(ctx *plugin.Context) *cobra.Command {
	return appCmd(ctx, func(ctx *plugin.Context, name string) error {
		return proc.Run(context.Background(), proc.Cmd{
			Name: "git", Args: []string{"-C", repoDir(ctx, name), "status"},
			Env: gitrepo.CleanEnv(ctx.Env.Environ(), false), Stdout: ctx.Stdout, Stderr: ctx.Stderr,
			Timeout: time.Minute,
		})
	})
}

type unlockOptions struct{ force bool }

func newUnlockCmd(ctx *plugin.Context) *cobra.Command {
	o := &unlockOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		name, err := app.VerifyArg(ctx, args, 0)
		if err != nil {
			return err
		}
		return runUnlock(ctx, o, name)
	}}
	cmd.Flags().BoolVar(&o.force, "force", false, "")
	return cmd
}

// runUnlock is git:unlock <app> [--force]: it removes what an interrupted
// deploy leaves behind, the deploy lock file and git:sync's clone folder.
// While a live deploy holds the lock it refuses unless --force (which
// cannot stop that deploy, as the warning says).
func runUnlock(ctx *plugin.Context, o *unlockOptions, name string) error {
	u := ctx.UI()
	lockPath := app.DeployLockPath(ctx, name)
	_, lerr := os.Lstat(lockPath)
	hasLock := lerr == nil
	clone := cloneDir(ctx, name)
	_, cerr := os.Stat(clone)
	hasClone := cerr == nil
	if !hasLock && !hasClone {
		u.Info1("No deploy lock or clone folder exists, app already unlocked")
		return nil
	}
	if lockHeld(ctx, name) {
		if !o.force {
			u.Warn("A deploy is in progress for " + name + ".")
			return ui.Fail("Use --force to remove its lock anyway")
		}
		u.Warn("A deploy may be in progress.")
		u.Warn("Removing the app lock will not stop in progress deploys.")
	}
	if hasLock {
		if err := os.Remove(lockPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return ui.Failf("Unable to remove the deploy lock: %s", err.Error())
		}
		u.Info1("Deploy lock removed")
	}
	if hasClone {
		if err := os.RemoveAll(clone); err != nil {
			return ui.Failf("Unable to remove the clone folder: %s", err.Error())
		}
		u.Info1("Clone folder removed")
	}
	return nil
}

// reportSpec is git:report (report type "git").
var reportSpec = report.Spec{
	Namespace: pluginName,
	Type:      "git",
	Collect:   collectReport,
}

func collectReport(ctx *plugin.Context, name string) (map[string]string, error) {
	values := map[string]string{}
	report.Triple(ctx, values, "git", pluginName, name, propDeployBranch, gitrepo.DefaultBranch)
	report.Triple(ctx, values, "git", pluginName, name, propKeepGitDir, "false")
	global := func(key string, def int64) {
		v, _ := ctx.Props().Get(pluginName, property.Global, key)
		values["--git-global-"+key] = v
		values["--git-computed-"+key] = strconv.FormatInt(archiveLimit(ctx, key, def), 10)
	}
	global(propArchiveMaxFiles, defaultArchiveMaxFiles)
	global(propArchiveMaxSize, defaultArchiveMaxSize)
	if name == property.Global {
		return values, nil
	}
	repo := repoDir(ctx, name)
	// compat: an empty rev-env-var is reported as the default, as Dokku does.
	rev := get(ctx, name, propRevEnvVar)
	if rev == "" {
		rev = defaultRevEnvVar
	}
	values["--git-rev-env-var"] = rev
	values["--git-source-image"] = get(ctx, name, propSourceImage)
	sha, _ := gitrepo.ReadRef(repo, "HEAD")
	values["--git-sha"] = sha
	values["--git-last-updated-at"] = ""
	if fi, err := os.Stat(gitrepo.HeadFile(repo, deployBranch(ctx, name))); err == nil && gitrepo.ValidBranchName(deployBranch(ctx, name)) {
		values["--git-last-updated-at"] = strconv.FormatInt(fi.ModTime().Unix(), 10)
	}
	return values, nil
}

func validPositive(v string) error {
	if n, err := strconv.ParseInt(v, 10, 64); err != nil || n <= 0 {
		return fmt.Errorf("Invalid value specified, must be a positive integer")
	}
	return nil
}

// settings are the keys of git:set. rev-env-var keeps an empty value (it
// disables the GIT_REV injection) instead of deleting it.
var settings = setting.Spec{
	Plugin: pluginName,
	Bash:   true,
	Keys: map[string]setting.Key{
		propDeployBranch: {Scope: setting.AppAndGlobal, Validate: func(v string) error {
			if !gitrepo.ValidBranchName(v) {
				return fmt.Errorf("Invalid branch name '%s', see git-check-ref-format(1)", v)
			}
			return nil
		}},
		propKeepGitDir: {Scope: setting.AppAndGlobal, Validate: setting.Bool},
		propRevEnvVar: {Scope: setting.AppOnly, KeepEmpty: true, Validate: func(v string) error {
			if !envVarName().MatchString(v) {
				return fmt.Errorf("Invalid environment variable name '%s'", v)
			}
			return nil
		}},
		propSourceImage:     {Scope: setting.AppOnly},
		propArchiveMaxSize:  {Scope: setting.GlobalOnly, Validate: validPositive},
		propArchiveMaxFiles: {Scope: setting.GlobalOnly, Validate: validPositive},
	},
}
