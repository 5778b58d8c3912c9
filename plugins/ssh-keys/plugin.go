// Package sshkeys is Dokku's ssh-keys core plugin: the keys allowed to
// reach dokku over ssh, kept as sshcommand forced-command lines in
// $DOKKU_ROOT/.ssh/authorized_keys (the format is internal/sshd's), and the
// opt-in embedded ssh server (`dokku ssh-server`).
package sshkeys

import "github.com/godokku/dokku/internal/plugin"

// Plugin returns the ssh-keys plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "ssh-keys",
		Description: "dokku core ssh-keys plugin",
		Summary:     "Manage public ssh keys used for deployment",
		ShellHelp:   true, // compat: Dokku renders this help with `sort | column -t -s,`
		Commands: []*plugin.Command{
			// Help lines: Dokku 0.38's ssh-keys help, sorted as its usage is.
			{Name: "ssh-keys:add", Args: "<name> [/path/to/key]", Desc: "Add a new public key by pipe or path", Run: plugin.Cobra(newAddCmd)},
			{Name: "ssh-keys:list", Args: "[--format text|json] [<name>]", Desc: "List of all authorized dokku public ssh keys", Run: plugin.Cobra(newListCmd)},
			{Name: "ssh-keys:remove", Args: "[--fingerprint fingerprint|<name>]", Desc: "Remove SSH public key by name", Run: plugin.Cobra(newRemoveCmd)},
			// The embedded ssh server (opt-in; not a Dokku command).
			{Name: "ssh-server", Hidden: true, ViaCommands: true, Run: plugin.Cobra(newServerCmd)},
		},
	}
}
