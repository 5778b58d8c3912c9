package sshkeys

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/sshd"
	"github.com/godokku/dokku/internal/ui"
)

// maxKeyInput bounds what is read from a key file or stdin: a public key
// is a few kilobytes at most.
const maxKeyInput = 64 << 10

type addOptions struct {
	name, file string
}

func newAddCmd(ctx *plugin.Context) *cobra.Command {
	o := &addOptions{}
	return &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		if len(args) > 0 {
			o.name = args[0]
		}
		if len(args) > 1 {
			o.file = args[1]
		}
		return runAdd(ctx, o)
	}}
}

// runAdd is ssh-keys:add <name> [<key-file>] (sshcommand acl-add): one
// valid public key from the file or piped on stdin, refused when its name
// or the key itself is already installed (SSHCOMMAND_CHECK_DUPLICATE_NAME /
// _FINGERPRINT=false lift the checks); prints the key's fingerprint.
func runAdd(ctx *plugin.Context, o *addOptions) error {
	if err := sshd.ValidName(o.name); err != nil {
		return ui.Fail(err.Error())
	}
	data, err := keyInput(ctx, o.file)
	if err != nil {
		return err
	}
	key, text, err := sshd.ParsePublicKey(data)
	if err != nil {
		return ui.Fail(err.Error())
	}
	fp := sshd.Fingerprint(key)
	line, err := sshd.FormatLine(fp, o.name, sshcommandFile(ctx), ctx.Env.Get("SSHCOMMAND_ALLOWED_KEYS"), text)
	if err != nil {
		return ui.Fail("Invalid SSHCOMMAND_ALLOWED_KEYS value, it must be a comma-separated list of ssh key options")
	}
	checkName := ctx.Env.Get("SSHCOMMAND_CHECK_DUPLICATE_NAME") != "false"
	checkKey := ctx.Env.Get("SSHCOMMAND_CHECK_DUPLICATE_FINGERPRINT") != "false"
	err = update(ctx, func(entries []sshd.Entry) ([]string, error) {
		for _, e := range entries {
			if checkName && e.Dokku && e.Name == o.name {
				return nil, ui.Fail("Duplicate ssh key name")
			}
			if checkKey && e.Key != nil && bytes.Equal(e.Key.Marshal(), key.Marshal()) {
				return nil, ui.Fail("Duplicate ssh public key specified")
			}
		}
		return append(lines(entries), line), nil
	})
	if err != nil {
		return err
	}
	if err := ensureSSHCommand(ctx); err != nil {
		return err
	}
	fmt.Fprintln(ctx.Stdout, fp)
	return nil
}

// ensureSSHCommand writes $DOKKU_ROOT/.sshcommand (the dokku binary the
// forced command runs) when the installer has not (sshcommand create).
func ensureSSHCommand(ctx *plugin.Context) error {
	path := sshcommandFile(ctx)
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	exe, err := env.DokkuBinary()
	if err != nil {
		return ui.Failf("Unable to find the dokku binary: %s", err.Error())
	}
	if err := atomicfile.Write(path, []byte(exe+"\n"), 0o644, owner(ctx)); err != nil {
		return ui.Failf("Unable to write %s: %s", path, err.Error())
	}
	return nil
}

// keyInput reads the key from the named file, else from stdin when it is
// a pipe or a file (not a terminal).
func keyInput(ctx *plugin.Context, file string) ([]byte, error) {
	var r io.Reader
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, ui.Failf("Key file %s does not exist", file)
			}
			return nil, ui.Failf("Unable to read key file %s: %s", file, err.Error())
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return nil, ui.Failf("Key file %s is a directory", file)
		}
		r = f
	} else {
		if f, ok := ctx.Stdin.(*os.File); ok {
			fi, err := f.Stat()
			if err != nil || fi.Mode()&(os.ModeNamedPipe|os.ModeSocket) == 0 && !fi.Mode().IsRegular() {
				return nil, ui.Fail("No key specified via file or pipe")
			}
		}
		if ctx.Stdin == nil {
			return nil, ui.Fail("No key specified via file or pipe")
		}
		r = ctx.Stdin
	}
	data, err := io.ReadAll(io.LimitReader(r, maxKeyInput+1))
	if err != nil {
		return nil, ui.Failf("Unable to read the key: %s", err.Error())
	}
	if len(data) > maxKeyInput {
		return nil, ui.Fail(sshd.ErrInvalidKey.Error())
	}
	return data, nil
}
