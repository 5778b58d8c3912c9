package plugin

import (
	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/ui"
)

// Cobra adapts a cobra command to a Handler (the gh pattern: an options
// struct, a constructor declaring flags, a runX function using only the
// options). The constructor is called per invocation with the context; the
// command receives the arguments after the command word. Cobra's own voice
// is silenced: no usage dumps, no "Error:" prefix, no help or completion
// commands; a flag error becomes ` !     <message>` with exit 1.
//
// Flags are interspersed with positionals by default, as Dokku's parsers
// allow; commands that pass trailing words through verbatim (run, enter)
// set cmd.Flags().SetInterspersed(false) or DisableFlagParsing.
func Cobra(mk func(ctx *Context) *cobra.Command) Handler {
	return func(ctx *Context, args []string) error {
		cmd := mk(ctx)
		cmd.SilenceUsage = true
		cmd.SilenceErrors = true
		cmd.CompletionOptions.DisableDefaultCmd = true
		cmd.SetHelpCommand(&cobra.Command{Hidden: true})
		cmd.SetHelpFunc(func(*cobra.Command, []string) {})
		cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return ui.Fail(err.Error()) })
		if cmd.Args == nil {
			cmd.Args = cobra.ArbitraryArgs
		}
		cmd.SetIn(ctx.Stdin)
		cmd.SetOut(ctx.Stdout)
		cmd.SetErr(ctx.Stderr)
		rest := []string{}
		if len(args) > 1 {
			rest = args[1:]
		}
		cmd.SetArgs(rest)
		if len(args) > 0 {
			cmd.Use = args[0]
		}
		return cmd.Execute()
	}
}

// GlobalFlags declares the dispatcher's global flags (--quiet, --trace,
// --force, --app <name>) but those in except on a command, so that
// `apps:list --quiet` or `apps:create --app x` parse: the dispatcher already
// acted on them (environment, app name insertion), the command ignores them.
func GlobalFlags(cmd *cobra.Command, except ...string) {
	skip := map[string]bool{}
	for _, e := range except {
		skip[e] = true
	}
	fs := cmd.Flags()
	var ignored bool
	var ignoredApp string
	for _, name := range []string{"quiet", "trace", "force"} {
		if !skip[name] {
			fs.BoolVar(&ignored, name, false, "")
		}
	}
	if !skip["app"] {
		fs.StringVar(&ignoredApp, "app", "", "")
	}
}
