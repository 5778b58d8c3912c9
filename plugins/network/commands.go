package network

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// LabelNetworkName marks networks created by network:create.
const LabelNetworkName = "com.dokku.network-name"

// flagArgs splits args (after the command word) into positionals and the
// value of --format; --force and --dokku-managed are booleans.
type flagArgs struct {
	pos          []string
	format       string
	force        bool
	dokkuManaged bool
}

func parseFlags(args []string, defaultFormat string) (flagArgs, error) {
	f := flagArgs{format: defaultFormat}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--format":
			if i+1 >= len(args) {
				return f, ui.Fail("--format requires a value")
			}
			i++
			f.format = args[i]
		case strings.HasPrefix(a, "--format="):
			f.format = strings.TrimPrefix(a, "--format=")
		case a == "--force":
			f.force = true
		case a == "--dokku-managed":
			f.dokkuManaged = true
		default:
			f.pos = append(f.pos, a)
		}
	}
	if f.format != "text" && f.format != "json" {
		return f, ui.Fail("Invalid format specified, use either text or json")
	}
	return f, nil
}

func networkArg(f flagArgs) (string, error) {
	if len(f.pos) == 0 || f.pos[0] == "" {
		return "", ui.Fail("No network name specified")
	}
	return f.pos[0], nil
}

// networkCommand parses the arguments of a command on one network (after
// the command word): its flags and the network name.
func networkCommand(args []string) (flagArgs, string, error) {
	f, err := parseFlags(args[1:], "text")
	if err != nil {
		return f, "", err
	}
	name, err := networkArg(f)
	return f, name, err
}

// existingNetwork looks a network up; "Network does not exist" without one.
func existingNetwork(ctx *plugin.Context, name string) (*docker.Network, error) {
	e, err := newEngine(ctx)
	if err != nil {
		return nil, err
	}
	c, cancel := withTimeout()
	defer cancel()
	n, err := e.NetworkGet(c, name)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, ui.Fail("Network does not exist")
	}
	return n, nil
}

func runCreate(ctx *plugin.Context, args []string) error {
	_, name, err := networkCommand(args)
	if err != nil {
		return err
	}
	ctx.UI().Info1Quiet("Creating network " + name)
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	c, cancel := withTimeout()
	defer cancel()
	if err := e.NetworkCreate(c, name, map[string]string{LabelNetworkName: name}); err != nil {
		return ui.Failf("Unable to create network: %v", err)
	}
	return nil
}

func runDestroy(ctx *plugin.Context, args []string) error {
	f, name, err := networkCommand(args)
	if err != nil {
		return err
	}
	if !f.force && ctx.Env.Get("DOKKU_APPS_FORCE_DELETE") != "1" {
		u := ctx.UI()
		u.Warn("WARNING: Potentially Destructive Action")
		u.Warn(fmt.Sprintf("This command will destroy network %s.", name))
		u.Warn(fmt.Sprintf("To proceed, type \"%s\"", name))
		fmt.Fprint(ctx.Stdout, "\n> ")
		answer, _ := bufio.NewReader(ctx.Stdin).ReadString('\n')
		if strings.TrimSpace(answer) != name {
			return ui.Fail("Confirmation did not match test. Aborted.")
		}
	}
	ctx.UI().Info1Quiet("Destroying network " + name)
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	c, cancel := withTimeout()
	defer cancel()
	if err := e.NetworkRemove(c, name); err != nil {
		return ui.Failf("Unable to destroy network: %v", err)
	}
	return nil
}

func runExists(ctx *plugin.Context, args []string) error {
	_, name, err := networkCommand(args)
	if err != nil {
		return err
	}
	if _, err := existingNetwork(ctx, name); err != nil {
		return err
	}
	ctx.UI().Info1Quiet("Network exists")
	return nil
}

func runInfo(ctx *plugin.Context, args []string) error {
	f, name, err := networkCommand(args)
	if err != nil {
		return err
	}
	n, err := existingNetwork(ctx, name)
	if err != nil {
		return err
	}
	if f.format == "json" {
		b, err := json.Marshal(n)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(ctx.Stdout, string(b))
		return err
	}
	u := ctx.UI()
	u.Info2Quiet(name + " network information")
	for _, kv := range [][2]string{{"ID:", n.ID}, {"Name:", n.Name}, {"Driver:", n.Driver}, {"Scope:", n.Scope}} {
		u.Verbose(fmt.Sprintf("%-10s%s", kv[0], kv[1]))
	}
	return nil
}

func runList(ctx *plugin.Context, args []string) error {
	f, err := parseFlags(args[1:], "text")
	if err != nil {
		return err
	}
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	c, cancel := withTimeout()
	defer cancel()
	list, err := e.NetworkList(c)
	if err != nil {
		return err
	}
	if f.dokkuManaged {
		var kept = list[:0]
		for _, n := range list {
			if n.Labels[LabelNetworkName] != "" {
				kept = append(kept, n)
			}
		}
		list = kept
	}
	if f.format == "json" {
		b, err := json.Marshal(list)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(ctx.Stdout, string(b))
		return err
	}
	ctx.UI().Info2Quiet("Networks")
	for _, n := range list {
		fmt.Fprintln(ctx.Stdout, n.Name)
	}
	return nil
}

func runRebuild(ctx *plugin.Context, args []string) error {
	appName, err := app.VerifyArg(ctx, args, 1)
	if err != nil {
		return err
	}
	failed, err := BuildConfig(ctx, appName)
	if err != nil {
		return err
	}
	return ui.Exit(failed)
}

func runRebuildAll(ctx *plugin.Context, args []string) error {
	apps, err := app.List(ctx)
	if err != nil {
		return err
	}
	failed := 0
	for _, a := range apps {
		n, err := BuildConfig(ctx, a)
		if err != nil {
			return err
		}
		failed += n
	}
	return ui.Exit(failed)
}
