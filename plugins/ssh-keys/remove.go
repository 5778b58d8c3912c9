package sshkeys

import (
	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/sshd"
	"github.com/godokku/dokku/internal/ui"
)

type removeOptions struct {
	fingerprint string
}

func newRemoveCmd(ctx *plugin.Context) *cobra.Command {
	o := &removeOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		name := plugin.Arg(args, 0)
		return runRemove(ctx, o, name)
	}}
	cmd.Flags().StringVar(&o.fingerprint, "fingerprint", "", "")
	return cmd
}

// runRemove is ssh-keys:remove <name> | --fingerprint <fp> (sshcommand
// acl-remove / acl-remove-by-fingerprint): every dokku key line with that
// NAME, or that FINGERPRINT, is dropped; other lines are kept verbatim.
func runRemove(ctx *plugin.Context, o *removeOptions, name string) error {
	if o.fingerprint == "" && name == "" {
		return ui.Fail("A name is required to remove a key, ie: dokku ssh-keys:remove <name>")
	}
	entries, err := readKeys(ctx)
	if err != nil {
		return err
	}
	if !hasKeys(entries) {
		return ui.Fail("No public keys found.")
	}
	return update(ctx, func(entries []sshd.Entry) ([]string, error) {
		var kept []string
		removed := 0
		for _, e := range entries {
			match := e.Dokku && ((o.fingerprint != "" && e.Fingerprint == o.fingerprint) || (o.fingerprint == "" && e.Name == name))
			if match {
				removed++
				continue
			}
			kept = append(kept, e.Line)
		}
		if removed == 0 {
			if o.fingerprint != "" {
				return nil, ui.Failf("No ssh key with fingerprint %s found", o.fingerprint)
			}
			return nil, ui.Failf("No ssh key named %s found", name)
		}
		return kept, nil
	})
}
