package apps

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

type listOptions struct{ format string }

func newListCmd(ctx *plugin.Context) *cobra.Command {
	o := &listOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, _ []string) error { return runList(ctx, o) }}
	cmd.Flags().StringVar(&o.format, "format", "stdout", "")
	plugin.GlobalFlags(cmd)
	return cmd
}

// runList prints `=====> My Apps` and one app per line, or a JSON array.
func runList(ctx *plugin.Context, o *listOptions) error {
	if o.format != "stdout" && o.format != "json" {
		return ui.Fail("Invalid --format value specified, valid values: json, stdout")
	}
	apps, err := app.List(ctx)
	if err != nil {
		return err
	}
	if o.format == "json" {
		if apps == nil {
			apps = []string{}
		}
		b, err := json.Marshal(apps)
		if err != nil {
			return err
		}
		fmt.Fprintln(ctx.Stdout, string(b))
		return nil
	}
	u := ctx.UI()
	u.Info2Quiet("My Apps")
	if len(apps) == 0 {
		u.Warn(app.ErrNoApps.Error())
		return nil
	}
	for _, a := range apps {
		u.Log(a)
	}
	return nil
}

func newExistsCmd(ctx *plugin.Context) *cobra.Command {
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		return app.Verify(ctx, plugin.Arg(args, 0))
	}}
	plugin.GlobalFlags(cmd)
	return cmd
}
