package shellapi

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// commonOptions are the global flags of the common helper.
type commonOptions struct {
	quiet  bool // --quiet: DOKKU_QUIET_OUTPUT=1 and failures exit silently
	global bool // --global: the verb applies to the global scope
}

// commonVerb is one verb of the common helper.
type commonVerb struct {
	args    []string // required positional arguments (for the message)
	noFirst bool     // with --global the first positional is optional
	run     func(ctx *plugin.Context, o *commonOptions, args []string) error
}

var commonVerbs map[string]commonVerb

func init() {
	commonVerbs = map[string]commonVerb{
		"is-valid-app-name":         {args: []string{"app"}, run: runIsValidAppName},
		"is-valid-app-name-old":     {args: []string{"app"}, run: runIsValidAppNameOld},
		"verify-app-name":           {args: []string{"app"}, run: runVerifyAppName},
		"is-deployed":               {args: []string{"app"}, run: runIsDeployed},
		"scheduler-detect":          {args: []string{"app"}, noFirst: true, run: runSchedulerDetect},
		"plugn-trigger-exists":      {args: []string{"trigger"}, run: runPlugnTriggerExists},
		"image-is-cnb-based":        {args: []string{"image"}, run: runImageIsCNBBased},
		"image-is-herokuish-based":  {args: []string{"image"}, run: runImageIsHerokuishBased},
		"copy-from-image":           {args: []string{"app", "image", "source", "destination"}, run: runCopyFromImage},
		"copy-dir-from-image":       {args: []string{"app", "image", "source", "destination"}, run: runCopyDirFromImage},
		"docker-cleanup":            {args: []string{"app"}, noFirst: true, run: runDockerCleanup},
		"compose-up":                {args: []string{"project-name", "compose-file"}, run: runComposeUp},
		"compose-down":              {args: []string{"project-name", "compose-file"}, run: runComposeDown},
		"archive-extract-tar":       {args: []string{"archive", "destination"}, run: runArchiveExtractTar},
		"archive-extract-tar-stdin": {args: []string{"destination"}, run: runArchiveExtractTarStdin},
		"archive-extract-zip":       {args: []string{"archive", "destination"}, run: runArchiveExtractZip},
	}
}

// runCommon is the common/common helper: `common [--quiet] [--global]
// <verb> <args>...` (runtime.md §11). Predicates print true/false without a
// newline; with --quiet a failure exits with its code and prints nothing.
func runCommon(ctx *plugin.Context, args []string) error {
	fs := pflag.NewFlagSet("common", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SetInterspersed(true)
	o := &commonOptions{}
	fs.BoolVar(&o.quiet, "quiet", false, "")
	fs.BoolVar(&o.global, "global", false, "")
	if err := fs.Parse(args); err != nil {
		return ui.Fail(err.Error())
	}
	rest := fs.Args()
	if o.quiet {
		e := ctx.Env.Clone()
		e.Set("DOKKU_QUIET_OUTPUT", "1")
		ctx = ctx.WithEnv(e)
	}
	name := ""
	if len(rest) > 0 {
		name = rest[0]
		rest = rest[1:]
	}
	verb, ok := commonVerbs[name]
	if !ok {
		return ui.Failf("Invalid common command call: %v", name)
	}
	required := verb.args
	if verb.noFirst && o.global {
		required = required[1:]
	}
	var err error
	if len(rest) < len(required) {
		err = ui.Failf("Missing %s argument for common %s", required[len(rest)], name)
	} else {
		err = verb.run(ctx, o, rest)
	}
	if err != nil && o.quiet {
		return ui.Exit(max(ui.Code(err), 1))
	}
	return err
}

func printBool(ctx *plugin.Context, b bool) {
	if b {
		fmt.Fprint(ctx.Stdout, "true")
	} else {
		fmt.Fprint(ctx.Stdout, "false")
	}
}

func runIsValidAppName(ctx *plugin.Context, _ *commonOptions, args []string) error {
	return app.Validate(args[0])
}

func runIsValidAppNameOld(ctx *plugin.Context, _ *commonOptions, args []string) error {
	return app.ValidateLegacy(args[0])
}

func runVerifyAppName(ctx *plugin.Context, _ *commonOptions, args []string) error {
	return app.Verify(ctx, args[0])
}

func runIsDeployed(ctx *plugin.Context, _ *commonOptions, args []string) error {
	if err := app.ValidateLegacy(args[0]); err != nil {
		return err
	}
	if !app.IsDeployed(ctx, args[0]) {
		return ui.Failf("App %s not deployed", args[0])
	}
	return nil
}

func runSchedulerDetect(ctx *plugin.Context, o *commonOptions, args []string) error {
	name := property.Global
	if !o.global && len(args) > 0 && args[0] != "" {
		name = args[0]
	}
	fmt.Fprint(ctx.Stdout, app.Scheduler(ctx, name))
	return nil
}

func runPlugnTriggerExists(ctx *plugin.Context, _ *commonOptions, args []string) error {
	name := args[0]
	if err := property.ValidName(name); err != nil {
		printBool(ctx, false)
		return nil
	}
	printBool(ctx, ctx.TriggerExists(name))
	return nil
}
