// Package app holds what every plugin needs to know about apps: name rules,
// existence, listing (filtered through user-auth-app) and their paths.
package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

var (
	validName  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`) })
	legacyName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`) })
)

// MaxNameLength bounds app names (they become directory, container and
// image names; Docker refuses longer repository components).
const MaxNameLength = 128

// Messages of the naming rules.
const (
	msgMissing = "Please specify an app to run the command on"
	msgInvalid = "App name must begin with lowercase alphanumeric character, and cannot include uppercase characters, colons, or underscores"
)

// ErrNoApps is the message of an empty app list.
var ErrNoApps = errors.New("You haven't deployed any applications yet")

// Validate is is_valid_app_name: the naming rule for new apps.
func Validate(name string) error {
	if name == "" {
		return ui.Fail(msgMissing)
	}
	if len(name) > MaxNameLength || !validName().MatchString(name) {
		return ui.Fail(msgInvalid)
	}
	return nil
}

// validExisting accepts current names and legacy ones with underscores.
func validExisting(name string) error {
	if name == "" {
		return ui.Fail(msgMissing)
	}
	if len(name) > MaxNameLength || !(validName().MatchString(name) || legacyName().MatchString(name)) {
		return ui.Fail(msgInvalid)
	}
	return nil
}

// Exists reports whether $DOKKU_ROOT/<name> is a directory (no validation).
func Exists(ctx *plugin.Context, name string) bool {
	if validExisting(name) != nil {
		return false
	}
	fi, err := os.Stat(ctx.Env.AppRoot(name))
	return err == nil && fi.IsDir()
}

// Verify is verify_app_name: a valid name of an existing app the caller may
// see; otherwise the error exits 20 with "App <name> does not exist".
func Verify(ctx *plugin.Context, name string) error {
	if err := validExisting(name); err != nil {
		return err
	}
	if !Exists(ctx, name) {
		return ui.AppNotExist(name)
	}
	if ctx.TriggerExists("user-auth-app") {
		allowed, err := filter(ctx, []string{name})
		if err != nil {
			return err
		}
		if len(allowed) == 0 {
			return ui.AppNotExist(name)
		}
	}
	return nil
}

// Arg returns args[i] as an app name, or the "Please specify an app" error.
func Arg(args []string, i int) (string, error) {
	if i >= len(args) || args[i] == "" {
		return "", ui.Fail(msgMissing)
	}
	return args[i], nil
}

// VerifyArg combines Arg and Verify.
func VerifyArg(ctx *plugin.Context, args []string, i int) (string, error) {
	name, err := Arg(args, i)
	if err != nil {
		return "", err
	}
	return name, Verify(ctx, name)
}

// ListAll returns every app directory in $DOKKU_ROOT, sorted, unfiltered.
func ListAll(ctx *plugin.Context) []string {
	ents, err := os.ReadDir(ctx.Env.Root())
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, ".") || validExisting(n) != nil {
			continue
		}
		if !e.IsDir() {
			if e.Type()&os.ModeSymlink == 0 {
				continue
			}
			if fi, err := os.Stat(filepath.Join(ctx.Env.Root(), n)); err != nil || !fi.IsDir() {
				continue
			}
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// List returns the apps the current user may see (user-auth-app filter).
func List(ctx *plugin.Context) ([]string, error) {
	all := ListAll(ctx)
	if len(all) == 0 || !ctx.TriggerExists("user-auth-app") {
		return all, nil
	}
	return filter(ctx, all)
}

func filter(ctx *plugin.Context, apps []string) ([]string, error) {
	args := append([]string{ctx.Env.Get("SSH_USER"), ctx.Env.Get("SSH_NAME")}, apps...)
	out, err := ctx.TriggerOutput("user-auth-app", args...)
	if err != nil {
		return nil, err
	}
	var allowed []string
	for _, l := range strings.Fields(out) {
		allowed = append(allowed, l)
	}
	sort.Strings(allowed)
	return allowed, nil
}

// DeployLockPath is $DOKKU_LIB_ROOT/data/apps/<app>/.deploy.lock.
func DeployLockPath(ctx *plugin.Context, name string) string {
	return filepath.Join(ctx.Env.PluginDataRoot("apps"), name, ".deploy.lock")
}

// ImageRepo is dokku/<app>.
func ImageRepo(name string) string { return "dokku/" + name }

// ImageName is dokku/<app>:<tag> (tag default latest).
func ImageName(name, tag string) string {
	if tag == "" {
		tag = "latest"
	}
	return fmt.Sprintf("%s:%s", ImageRepo(name), tag)
}
