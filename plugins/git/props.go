package git

import (
	"regexp"
	"strconv"
	"sync"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/gitrepo"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
)

// Properties of the git plugin and their defaults.
const (
	propDeployBranch    = "deploy-branch"
	propKeepGitDir      = "keep-git-dir"
	propRevEnvVar       = "rev-env-var"
	propSourceImage     = "source-image"
	propArchiveMaxSize  = "archive-max-size"
	propArchiveMaxFiles = "archive-max-files"

	defaultRevEnvVar       = "GIT_REV"
	defaultArchiveMaxSize  = 1073741824
	defaultArchiveMaxFiles = 10000
)

func get(ctx *plugin.Context, app, key string) string {
	v, _ := ctx.Props().Get(pluginName, app, key)
	return v
}

// deployBranch is the app's deploy-branch, else the global one, else master.
func deployBranch(ctx *plugin.Context, app string) string {
	if v := get(ctx, app, propDeployBranch); v != "" {
		return v
	}
	if v := get(ctx, property.Global, propDeployBranch); v != "" {
		return v
	}
	return gitrepo.DefaultBranch
}

// keepGitDir is keep-git-dir, app then global, default false.
func keepGitDir(ctx *plugin.Context, app string) bool {
	return ctx.Props().Computed(pluginName, app, propKeepGitDir, "false") == "true"
}

// revEnvVar is the config key GIT_REV is stored under; ok is false when
// the property is set to an empty value (the injection is disabled).
func revEnvVar(ctx *plugin.Context, app string) (string, bool) {
	v, _ := ctx.Props().Get(pluginName, app, propRevEnvVar)
	if v == "" {
		if ctx.Props().Exists(pluginName, app, propRevEnvVar) {
			return "", false
		}
		return defaultRevEnvVar, true
	}
	return v, true
}

// archiveLimit reads a global positive integer limit.
func archiveLimit(ctx *plugin.Context, key string, def int64) int64 {
	v := get(ctx, property.Global, key)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return def
	}
	return n
}

var envVarName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

func owner(ctx *plugin.Context) *atomicfile.Owner {
	if uid, gid, ok := ctx.Env.Owner(); ok {
		return &atomicfile.Owner{UID: uid, GID: gid}
	}
	return nil
}

// repoDir is $DOKKU_ROOT/<app>, the app's bare repository.
func repoDir(ctx *plugin.Context, app string) string { return ctx.Env.AppRoot(app) }
