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
