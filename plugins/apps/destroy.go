package apps

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/ui"
)

type destroyOptions struct{ force bool }

func newDestroyCmd(ctx *plugin.Context) *cobra.Command {
	o := &destroyOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		name := plugin.Arg(args, 0)
		if err := app.Verify(ctx, name); err != nil {
			return err
		}
		return destroyApp(ctx, name, o.force)
	}}
	cmd.Flags().BoolVar(&o.force, "force", false, "")
	plugin.GlobalFlags(cmd, "force")
	return cmd
}

// forced reports whether destroy confirmations are skipped: the --force
// flag, or DOKKU_APPS_FORCE_DELETE=1 (set by the dispatcher for a --force
// anywhere on the command line).
func forced(ctx *plugin.Context, flag bool) bool {
	return flag || ctx.Env.Get("DOKKU_APPS_FORCE_DELETE") == "1"
}

// destroyApp removes an existing (verified) app the way Dokku does: after
// confirmation, pre-delete, scheduler-stop (removing containers),
// scheduler-post-delete, post-delete (every plugin drops its state), a
// forced cleanup, scheduler-retire, then the app directory itself.
func destroyApp(ctx *plugin.Context, name string, force bool) error {
	u := ctx.UI()
	if !forced(ctx, force) {
		if err := confirm(ctx, name); err != nil {
			return err
		}
	}
	u.Info1(fmt.Sprintf("Destroying %s (including all add-ons)", name))

	tag := ctx.TriggerValue("deployed-app-image-tag", name)
	if tag == "" {
		tag = "latest"
	}
	if err := ctx.Trigger("pre-delete", name, tag); err != nil {
		return err
	}
	// The scheduler is looked up before post-delete drops its property.
	scheduler := app.Scheduler(ctx, name)
	if err := ctx.Trigger("scheduler-stop", scheduler, name, "true"); err != nil {
		return err
	}
	if err := ctx.Trigger("scheduler-post-delete", scheduler, name, tag); err != nil {
		return err
	}
	if err := ctx.Trigger("post-delete", name, tag); err != nil {
		return err
	}
	// compat: Dokku ignores the outcome of the forced cleanup.
	cleanup(ctx, name)
	u.Info1("Retiring old containers and images")
	if err := ctx.Trigger("scheduler-retire", scheduler, name); err != nil {
		return err
	}
	if err := removeAppDir(ctx.Env.AppRoot(name)); err != nil {
		u.Warn(err.Error())
	}
	return nil
}

// confirm is Dokku's destructive-action prompt: three warnings, "> " on
// stdout, one line read from stdin that must equal the app name.
func confirm(ctx *plugin.Context, name string) error {
	u := ctx.UI()
	u.Warn("WARNING: Potentially Destructive Action")
	u.Warn(fmt.Sprintf("This command will destroy app %s.", name))
	u.Warn(fmt.Sprintf("To proceed, type \"%s\"", name))
	io.WriteString(ctx.Stdout, "> ")
	// compat: an empty answer or end of input is a mismatch like any other
	// (Dokku prints the scanner's error text, e.g. "unexpected newline").
	if answer := readAnswer(ctx.Stdin); answer != name {
		u.Stderr("Confirmation did not match test. Aborted.")
		return ui.Exit(1)
	}
	return nil
}

// readAnswer reads one line byte by byte (so nothing after it is consumed)
// and returns its first word, as fmt.Scanln would.
func readAnswer(r io.Reader) string {
	if r == nil {
		return ""
	}
	var line []byte
	b := make([]byte, 1)
	for len(line) < 4096 {
		n, err := r.Read(b)
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			line = append(line, b[0])
		}
		if err != nil {
			break
		}
	}
	fields := strings.Fields(string(line))
	if len(fields) != 1 {
		return ""
	}
	return fields[0]
}

// cleanup runs the `cleanup <app>` command of 00_dokku-standard (forced
// removal of the app's exited containers and dangling images), in-process
// when it is the core entry point. Its failure is reported, not fatal.
func cleanup(ctx *plugin.Context, name string) {
	const standard = "00_dokku-standard"
	path := filepath.Join(ctx.Env.PluginEnabledPath(), standard, "subcommands", "cleanup")
	fi, err := os.Stat(path)
	if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return
	}
	args := []string{"cleanup", name}
	if p := ctx.Registry.Get(standard); p != nil && ctx.FastPath && plugin.IsCoreEntry(path) {
		child := ctx.WithIO(nil, nil, nil)
		child.Plugin = standard
		if err := p.RunSubcommand(child, "cleanup", args); err != nil {
			ui.Render(err, ctx.Stderr)
		}
		return
	}
	proc.Run(context.Background(), proc.Cmd{Name: path, Args: args, Env: ctx.Env.Environ(), Stdout: ctx.Stdout, Stderr: ctx.Stderr})
}

// removeAppDir deletes the app directory. An app directory that is a
// symlink to storage elsewhere has that storage emptied and the link
// removed (the target directory itself is left, as Dokku does).
func removeAppDir(dir string) error {
	fi, err := os.Lstat(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		if target, err := filepath.EvalSymlinks(dir); err == nil {
			if ents, err := os.ReadDir(target); err == nil {
				for _, e := range ents {
					if err := os.RemoveAll(filepath.Join(target, e.Name())); err != nil {
						return err
					}
				}
			}
		}
		return os.Remove(dir)
	}
	return os.RemoveAll(dir)
}
