// Package sshd owns Dokku's ssh access: the sshcommand format of
// ~dokku/.ssh/authorized_keys (runtime.md §5.1) and an embedded ssh server
// with the semantics OpenSSH gives those lines.
//
// # authorized_keys
//
// Every key installed by ssh-keys:add is one line:
//
//	command="FINGERPRINT=<fp> NAME=\"<name>\" `cat <DOKKU_ROOT>/.sshcommand` $SSH_ORIGINAL_COMMAND",<allowed-keys> <type> <base64> [comment]
//
// <fp> is the key's SHA256 fingerprint (older lines may carry an MD5 one),
// <allowed-keys> defaults to
// no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding
// (SSHCOMMAND_ALLOWED_KEYS overrides it), and <DOKKU_ROOT>/.sshcommand
// holds the path of the dokku binary. OpenSSH runs the command= value with
// the user's shell, so the dokku process gets FINGERPRINT and NAME in its
// environment, SSH_ORIGINAL_COMMAND holds what the client asked for, and
// argv is that string split on blanks (the expansion is not re-parsed: a
// `;` or `$(...)` from the client is a plain word). Lines without
// NAME=\"...\" quotes (written by old sshcommand versions) are read too.
//
// # Embedded server
//
// Server accepts the users' keys listed with such a forced command (read
// afresh for every connection, so ssh-keys:add and :remove take effect at
// once) and runs the dokku binary named by .sshcommand directly, without a
// shell, the way the forced command line would: FINGERPRINT, NAME,
// SSH_ORIGINAL_COMMAND, SSH_CLIENT and SSH_CONNECTION are exported, argv is
// the blank-split command, stdin/stdout/stderr are streamed and the exit
// status is returned. A "shell" request runs the forced command without
// SSH_ORIGINAL_COMMAND (dokku then prints its help), exactly as OpenSSH
// does; subsystems (sftp), port forwarding, agent and X11 forwarding are
// refused. A pty is allocated when the client asks for one (interactive
// `dokku run`).
package sshd
