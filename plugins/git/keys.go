package git

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/ui"
)

func sshDir(ctx *plugin.Context) string { return filepath.Join(ctx.Env.Root(), ".ssh") }

// noArgs wraps a command taking no argument.
func noArgs(ctx *plugin.Context, run func(ctx *plugin.Context) error) *cobra.Command {
	return &cobra.Command{RunE: func(_ *cobra.Command, _ []string) error { return run(ctx) }}
}

// git:public-key prints the deploy key's public half.
func newPublicKeyCmd(ctx *plugin.Context) *cobra.Command {
	return noArgs(ctx, func(ctx *plugin.Context) error {
		for _, n := range []string{"id_ed25519.pub", "id_rsa.pub"} {
			if b, err := os.ReadFile(filepath.Join(sshDir(ctx), n)); err == nil {
				ctx.Stdout.Write(b)
				return nil
			}
		}
		return ui.Fail("There is no deploy key")
	})
}

// git:generate-deploy-key makes an ed25519 key pair in $DOKKU_ROOT/.ssh
// (what `ssh-keygen -t ed25519` writes) unless a deploy key exists.
func newGenerateDeployKeyCmd(ctx *plugin.Context) *cobra.Command {
	return noArgs(ctx, func(ctx *plugin.Context) error {
		dir := sshDir(ctx)
		u := ctx.UI()
		for _, n := range []string{"id_ed25519", "id_rsa"} {
			if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
				u.Info1("Deploy key already exists at " + filepath.Join(dir, n))
				return nil
			}
		}
		if err := atomicfile.MkdirAll(dir, 0o700, owner(ctx)); err != nil {
			return ui.Failf("Unable to create %s: %s", dir, err.Error())
		}
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		host, _ := os.Hostname()
		comment := "dokku@" + host
		block, err := gossh.MarshalPrivateKey(priv, comment)
		if err != nil {
			return err
		}
		sshPub, err := gossh.NewPublicKey(pub)
		if err != nil {
			return err
		}
		pubLine := strings.TrimSuffix(string(gossh.MarshalAuthorizedKey(sshPub)), "\n") + " " + comment + "\n"
		if err := atomicfile.Write(filepath.Join(dir, "id_ed25519"), pem.EncodeToMemory(block), 0o600, owner(ctx)); err != nil {
			return err
		}
		if err := atomicfile.Write(filepath.Join(dir, "id_ed25519.pub"), []byte(pubLine), 0o644, owner(ctx)); err != nil {
			return err
		}
		u.Info1("Generated deploy key " + filepath.Join(dir, "id_ed25519"))
		return nil
	})
}

var hostName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.:\[\]-]*$`) })

// git:allow-host <host> appends the host's rsa key (ssh-keyscan) to
// $DOKKU_ROOT/.ssh/known_hosts.
func newAllowHostCmd(ctx *plugin.Context) *cobra.Command {
	return &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		host := plugin.Arg(args, 0)
		if host == "" {
			return ui.Fail("Please supply a git host")
		}
		if !hostName().MatchString(host) {
			return ui.Failf("Invalid host %q", host)
		}
		out, err := proc.Output(context.Background(), proc.Cmd{
			Name: "ssh-keyscan", Args: []string{"-t", "rsa", "--", host},
			Env: ctx.Env.Environ(), Timeout: 30 * time.Second,
		})
		if err != nil || strings.TrimSpace(out) == "" {
			return ui.Failf("Unable to scan the ssh host key of %s", host)
		}
		dir := sshDir(ctx)
		if err := atomicfile.MkdirAll(dir, 0o700, owner(ctx)); err != nil {
			return err
		}
		path := filepath.Join(dir, "known_hosts")
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return ui.Failf("Unable to write %s: %s", path, err.Error())
		}
		_, werr := f.WriteString(out)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return ui.Failf("Unable to write %s: %s", path, werr.Error())
		}
		if o := owner(ctx); o != nil {
			os.Chown(path, o.UID, o.GID)
		}
		ctx.UI().Info1(fmt.Sprintf("%s added to known hosts", host))
		return nil
	}}
}
