package sshkeys

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/sshd"
	"github.com/godokku/dokku/internal/ui"
)

type listOptions struct {
	format string
}

func newListCmd(ctx *plugin.Context) *cobra.Command {
	o := &listOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		name := plugin.Arg(args, 0)
		return runList(ctx, o, name)
	}}
	cmd.Flags().StringVar(&o.format, "format", "text", "")
	return cmd
}

// runList is ssh-keys:list [--format text|json] [<name>] (sshcommand list):
// one `<fingerprint> NAME="<name>" SSHCOMMAND_ALLOWED_KEYS="<options>"`
// line per key, or a JSON array.
func runList(ctx *plugin.Context, o *listOptions, name string) error {
	if o.format != "text" && o.format != "json" {
		return ui.Failf("Invalid output format specified, supported formats: json, text")
	}
	entries, err := readKeys(ctx)
	if err != nil {
		return err
	}
	if !hasKeys(entries) {
		return ui.Fail("No public keys found.")
	}
	var selected []sshd.Entry
	for _, e := range entries {
		if e.Key != nil && (name == "" || e.Name == name) {
			selected = append(selected, e)
		}
	}
	if o.format == "json" && name != "" {
		// compat: Dokku filters sshcommand's JSON through `jq -cM`: a
		// compact array, `[]` (exit 0) when no key has that name.
		items := make([]string, 0, len(selected))
		for _, e := range selected {
			items = append(items, `{"fingerprint":`+jsonString(e.DisplayFingerprint())+`,"name":`+jsonString(e.Name)+
				`,"SSHCOMMAND_ALLOWED_KEYS":`+jsonString(e.AllowedKeys())+`,"public-key":`+jsonString(e.KeyText)+`}`)
		}
		fmt.Fprintln(ctx.Stdout, "["+strings.Join(items, ",")+"]")
		return nil
	}
	if len(selected) == 0 {
		return ui.Failf("No public keys found for %s", name)
	}
	if o.format == "json" {
		// compat: sshcommand's JSON layout, one line: [{ "k": "v", ... },{ ... }]
		items := make([]string, 0, len(selected))
		for _, e := range selected {
			items = append(items, fmt.Sprintf(`{ "fingerprint": %s, "name": %s, "SSHCOMMAND_ALLOWED_KEYS": %s, "public-key": %s }`,
				jsonString(e.DisplayFingerprint()), jsonString(e.Name), jsonString(e.AllowedKeys()), jsonString(e.KeyText)))
		}
		fmt.Fprintln(ctx.Stdout, "["+strings.Join(items, ",")+"]")
		return nil
	}
	for _, e := range selected {
		fmt.Fprintf(ctx.Stdout, "%s NAME=\"%s\" SSHCOMMAND_ALLOWED_KEYS=\"%s\"\n", e.DisplayFingerprint(), e.Name, e.AllowedKeys())
	}
	return nil
}

// jsonString quotes s as jq and sshcommand do (no HTML escaping).
func jsonString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
