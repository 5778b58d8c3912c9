package apps

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

const (
	pluginName = "apps"

	propCreatedAt            = "created-at"
	propDeploySource         = "deploy-source"
	propDeploySourceMetadata = "deploy-source-metadata"
	propDisableAutocreation  = "disable-autocreation"
)

var errNameTaken = errors.New("Name is already taken")

// runCreate is apps:create <app>. Its only flags are the dispatcher's
// global ones, so any other word (even one starting with "-") is the name
// and goes through the naming rule.
func runCreate(ctx *plugin.Context, args []string) error {
	return createApp(ctx, plugin.Arg(positionals(plugin.Rest(args)), 0))
}

// createApp validates a new name, makes $DOKKU_ROOT/<app>, records
// created-at and fires post-create. The directory is made with a single
// mkdir, so of two concurrent creates of one name exactly one wins.
func createApp(ctx *plugin.Context, name string) error {
	if err := app.Validate(name); err != nil {
		return err
	}
	if app.Exists(ctx, name) {
		return ui.Fail(errNameTaken.Error())
	}
	ctx.UI().Info1Quiet(fmt.Sprintf("Creating %s...", name))
	dir := ctx.Env.AppRoot(name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		if errors.Is(err, os.ErrExist) {
			return ui.Fail(errNameTaken.Error())
		}
		return ui.Failf("Unable to create app directory: %s", err.Error())
	}
	if uid, gid, ok := ctx.Env.Owner(); ok {
		os.Chown(dir, uid, gid)
	}
	now := strconv.FormatInt(time.Now().Unix(), 10)
	if err := ctx.Props().Write(pluginName, name, propCreatedAt, now); err != nil {
		return ui.Failf("Unable to record the creation time: %s", err.Error())
	}
	return ctx.Trigger("post-create", name)
}

// maybeCreateApp is the app-maybe-create contract: an existing app is fine;
// otherwise create it (quietly: its output is shown only on failure) unless
// the global disable-autocreation property is "true".
func maybeCreateApp(ctx *plugin.Context, name string) error {
	if app.Verify(ctx, name) == nil {
		return nil
	}
	if v, _ := ctx.Props().Get(pluginName, property.Global, propDisableAutocreation); v == "true" {
		ctx.UI().Warn("App auto-creation disabled.")
		return ui.Failf("Re-enable app auto-creation or create an app with 'dokku apps:create %s'", name)
	}
	var out bytes.Buffer
	err := createApp(ctx.WithIO(nil, &out, nil), name)
	if err != nil {
		io.Copy(ctx.Stdout, &out)
	}
	return err
}
