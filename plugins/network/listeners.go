package network

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// DefaultPort is the port of a listener without a PORT file.
const DefaultPort = "5000"

// stateFile is $DOKKU_ROOT/<app>/<kind>.<type>.<index>.
func stateFile(ctx *plugin.Context, appName, kind, processType, index string) string {
	return filepath.Join(ctx.Env.AppRoot(appName), kind+"."+processType+"."+index)
}

func readFirstLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(line)
}

// indexesOf lists the container indexes with a <kind>.<type>.<n> file,
// numerically sorted.
func indexesOf(ctx *plugin.Context, appName, kind, processType string) []int {
	prefix := kind + "." + processType + "."
	ents, err := os.ReadDir(ctx.Env.AppRoot(appName))
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range ents {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		n, err := strconv.Atoi(strings.TrimPrefix(name, prefix))
		if err != nil || n < 1 {
			continue
		}
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// Listeners are the ip:port pairs of a process type: the static web
// listener when set, else one per IP.<type>.<n> file (port from
// PORT.<type>.<n>, default 5000).
func Listeners(ctx *plugin.Context, appName, processType string) []string {
	if processType == "web" {
		if l := Computed(ctx, appName, PropStaticWebListener); l != "" {
			return []string{l}
		}
	}
	var out []string
	for _, n := range indexesOf(ctx, appName, "IP", processType) {
		idx := strconv.Itoa(n)
		ip := readFirstLine(stateFile(ctx, appName, "IP", processType, idx))
		if ip == "" {
			continue
		}
		port := readFirstLine(stateFile(ctx, appName, "PORT", processType, idx))
		if port == "" {
			port = DefaultPort
		}
		out = append(out, ip+":"+port)
	}
	return out
}

func networkGetListeners(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return ui.Fail("Please specify an app to run the command on")
	}
	processType := "web"
	if len(args) > 1 && args[1] != "" {
		processType = args[1]
	} else {
		ctx.UI().Warn("Deprecated: Please specify a processType argument for the network-get-listeners plugin trigger")
	}
	_, err := fmt.Fprintln(ctx.Stdout, strings.Join(Listeners(ctx, args[0], processType), " "))
	return err
}

func networkGetStaticListeners(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return ui.Fail("Please specify an app to run the command on")
	}
	if len(args) > 1 && args[1] != "" && args[1] != "web" {
		return nil
	}
	_, err := fmt.Fprintln(ctx.Stdout, Computed(ctx, args[0], PropStaticWebListener))
	return err
}

func networkConfigExists(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return ui.Fail("Please specify an app to run the command on")
	}
	exists := "false"
	if fileExists(stateFile(ctx, args[0], "IP", "web", "1")) && fileExists(stateFile(ctx, args[0], "PORT", "web", "1")) {
		exists = "true"
	}
	_, err := fmt.Fprintln(ctx.Stdout, exists)
	return err
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// writeStateFile writes one listener file atomically (readers are proxies
// rebuilding their config concurrently).
func writeStateFile(ctx *plugin.Context, args []string, kind string) error {
	if len(args) < 4 {
		return ui.Failf("Usage: network-write-%s <app> <process-type> <index> <value>", strings.ToLower(kind))
	}
	appName, processType, index, value := args[0], args[1], args[2], args[3]
	for _, part := range []string{appName, processType, index} {
		if part == "" || strings.ContainsAny(part, "/\x00") || part == "." || part == ".." {
			return ui.Failf("Invalid argument %q", part)
		}
	}
	return atomicfile.Write(stateFile(ctx, appName, kind, processType, index), []byte(value), 0o644, owner(ctx))
}

// owner is the dokku user when running as root (files other dokku
// processes rewrite must stay theirs).
func owner(ctx *plugin.Context) *atomicfile.Owner {
	if uid, gid, ok := ctx.Env.Owner(); ok {
		return &atomicfile.Owner{UID: uid, GID: gid}
	}
	return nil
}

func networkWriteIPAddr(ctx *plugin.Context, args []string) error {
	return writeStateFile(ctx, args, "IP")
}

func networkWritePort(ctx *plugin.Context, args []string) error {
	return writeStateFile(ctx, args, "PORT")
}

// clearListenerFiles removes every IP.* and PORT.* file of an app (a cloned
// or renamed app starts without the old app's listeners).
func clearListenerFiles(ctx *plugin.Context, appName string) error {
	ents, err := os.ReadDir(ctx.Env.AppRoot(appName))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, "IP.") || strings.HasPrefix(n, "PORT.") {
			if err := os.Remove(filepath.Join(ctx.Env.AppRoot(appName), n)); err != nil && !errors.Is(err, os.ErrNotExist) {
				ctx.UI().Warn("Unable to remove file " + n)
				return ui.Exit(1)
			}
		}
	}
	return nil
}
