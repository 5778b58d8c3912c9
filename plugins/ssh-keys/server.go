package sshkeys

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	osuser "os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/sshd"
	"github.com/godokku/dokku/internal/ui"
)

// DefaultListen is where `dokku ssh-server` listens without --listen.
const DefaultListen = ":2222"

type serverOptions struct {
	listen, hostKey string
}

func newServerCmd(ctx *plugin.Context) *cobra.Command {
	o := &serverOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		if len(args) > 0 {
			return ui.Failf("Unexpected argument %q", args[0])
		}
		return runServer(ctx, o)
	}}
	cmd.Flags().StringVar(&o.listen, "listen", DefaultListen, "")
	cmd.Flags().StringVar(&o.hostKey, "host-key", "", "")
	return cmd
}

// passedEnv are the variables of the server's environment handed to every
// command: what a development root or a Docker setup needs to find its
// paths. Anything per process (DOKKU_PID, flags) is left out.
var passedEnv = []string{
	"PATH", "TMPDIR", "DOCKER_HOST", "DOKKU_ROOT", "DOKKU_LIB_PATH", "DOKKU_SYSTEM_ROOT",
	"DOKKU_SYSTEM_USER", "DOKKU_SYSTEM_GROUP", "DOKKU_LOGS_DIR", "DOKKU_DEFAULTS_FILE",
	"DOKKU_CORE_FASTPATH", "PLUGIN_PATH", "PLUGIN_CORE_PATH",
}

// runServer is the hidden `dokku ssh-server [--listen ADDR] [--host-key
// FILE]`: the embedded ssh server, serving the dokku user's keys until
// SIGINT or SIGTERM. Started as root it runs commands as the dokku user;
// otherwise (the dispatcher normally switched to dokku already) as itself.
func runServer(ctx *plugin.Context, o *serverOptions) error {
	e := ctx.Env
	hostKey := o.hostKey
	if hostKey == "" {
		hostKey = filepath.Join(e.PluginDataRoot("ssh-keys"), "ssh_host_ed25519_key")
	}
	signer, err := sshd.LoadOrCreateHostKey(hostKey)
	if err != nil {
		return ui.Failf("Unable to load the host key %s: %s", hostKey, err.Error())
	}
	user := e.SystemUser()
	srv := &sshd.Server{
		AuthorizedKeys: keysFile(ctx),
		User:           user,
		Home:           e.Root(),
		HostSigners:    []gossh.Signer{signer},
		Log:            ctx.Stderr,
	}
	for _, k := range passedEnv {
		if v, ok := e.Lookup(k); ok {
			srv.Env = append(srv.Env, k+"="+v)
		}
	}
	if os.Geteuid() == 0 && user != "root" {
		uid, gid, ok := env.LookupIDs(user, e.SystemGroup())
		if !ok {
			return ui.Failf("The %s user does not exist", user)
		}
		srv.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: groupsOf(user)}
	}
	c, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	u := ctx.UI()
	err = srv.ListenAndServe(c, o.listen, func(a net.Addr) {
		u.Info1(fmt.Sprintf("Listening on %s (host key %s)", a.String(), fingerprint(signer)))
	})
	if err != nil && !strings.Contains(err.Error(), "use of closed network connection") {
		return ui.Failf("ssh server: %s", err.Error())
	}
	return nil
}

// groupsOf lists the supplementary groups of a user (docker among them).
func groupsOf(name string) []uint32 {
	u, err := osuser.Lookup(name)
	if err != nil {
		return nil
	}
	ids, _ := u.GroupIds()
	var out []uint32
	for _, id := range ids {
		if n, err := strconv.ParseUint(id, 10, 32); err == nil {
			out = append(out, uint32(n))
		}
	}
	return out
}

func fingerprint(s gossh.Signer) string { return gossh.FingerprintSHA256(s.PublicKey()) }
