package network

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
	"github.com/godokku/dokku/plugins/ps"
)

// engine is the part of the Docker client this plugin uses.
type engine interface {
	ContainerInfo(ctx context.Context, id string) (*docker.ContainerInfo, error)
	ContainerList(ctx context.Context, all bool, filters ...string) ([]docker.ContainerSummary, error)
	NetworkGet(ctx context.Context, name string) (*docker.Network, error)
	NetworkList(ctx context.Context) ([]docker.Network, error)
	NetworkCreate(ctx context.Context, name string, labels map[string]string) error
	NetworkRemove(ctx context.Context, name string) error
	NetworkConnect(ctx context.Context, name, containerID string, aliases []string) error
}

// newEngine connects to Docker (lazily shared per process).
var newEngine = func(ctx *plugin.Context) (engine, error) { return docker.FromContext(ctx) }

// timeout bounds every Docker request of this plugin.
const timeout = 2 * time.Minute

func withTimeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), timeout)
}

// dockerArgs adds --network=<initial-network> to deploy and run containers
// (stdin, the arguments so far, is passed through first).
func dockerArgs(ctx *plugin.Context, args []string) error {
	in, _ := io.ReadAll(ctx.Stdin)
	if _, err := ctx.Stdout.Write(in); err != nil {
		return err
	}
	if len(args) == 0 {
		return nil
	}
	if n := Computed(ctx, args[0], PropInitialNetwork); n != "" {
		_, err := fmt.Fprintf(ctx.Stdout, " --network=%s ", n)
		return err
	}
	return nil
}

// dockerArgsBuild is dockerArgs for builds, except Dockerfile builds
// (docker build has no --network for user networks).
func dockerArgsBuild(ctx *plugin.Context, args []string) error {
	if len(args) > 1 && args[1] == "dockerfile" {
		in, _ := io.ReadAll(ctx.Stdin)
		_, err := ctx.Stdout.Write(in)
		return err
	}
	return dockerArgs(ctx, args)
}

// ContainerIP is the address a container is reached at: the static web
// listener's, 127.0.0.1 in host mode, else its address on the initial
// network (default bridge).
func ContainerIP(ctx *plugin.Context, e engine, appName, processType, cid string) (string, error) {
	if processType == "web" {
		if l := Computed(ctx, appName, PropStaticWebListener); l != "" {
			host, _, _ := strings.Cut(l, ":")
			return host, nil
		}
	}
	c, cancel := withTimeout()
	defer cancel()
	info, err := e.ContainerInfo(c, cid)
	if err != nil {
		return "", err
	}
	if info == nil {
		return "", nil
	}
	if info.NetworkMode == "host" {
		return "127.0.0.1", nil
	}
	name := Computed(ctx, appName, PropInitialNetwork)
	if name == "" {
		name = "bridge"
	}
	if ip := info.Networks[name]; ip != "" {
		return ip, nil
	}
	if ip := info.Networks[info.NetworkMode]; ip != "" {
		return ip, nil
	}
	if info.NetworkMode == "default" || info.NetworkMode == "" {
		return info.Networks["bridge"], nil
	}
	return "", nil
}

func networkGetIPAddr(ctx *plugin.Context, args []string) error {
	if len(args) < 3 {
		return ui.Fail("Usage: network-get-ipaddr <app> <process-type> <container-id>")
	}
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	ip, err := ContainerIP(ctx, e, args[0], args[1], args[2])
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(ctx.Stdout, ip)
	return err
}

// attachNames splits a comma-separated network list.
func attachNames(v string) []string {
	var out []string
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// attach connects a container to a network; deploy containers get the
// aliases <app>.<type>[.<tld>] and <hostname>.<app>.<type>[.<tld>].
func attach(ctx *plugin.Context, e engine, cid, network, appName, phase, processType string) error {
	var aliases []string
	if phase == "deploy" && processType != "" {
		base := appName + "." + processType
		if tld := Computed(ctx, appName, PropTLD); tld != "" {
			base += "." + tld
		}
		aliases = []string{base, docker.ShortID(cid) + "." + base}
	}
	c, cancel := withTimeout()
	defer cancel()
	if info, err := e.ContainerInfo(c, cid); err == nil && info != nil {
		if _, ok := info.Networks[network]; ok {
			return nil // already attached (initial network, earlier deploy)
		}
	}
	if err := e.NetworkConnect(c, network, cid, aliases); err != nil {
		return ui.Failf("Unable to attach container %s to network %s: %v", docker.ShortID(cid), network, err)
	}
	return nil
}

func networksExist(ctx *plugin.Context, e engine, names []string) error {
	c, cancel := withTimeout()
	defer cancel()
	for _, n := range names {
		got, err := e.NetworkGet(c, n)
		if err != nil {
			return err
		}
		if got == nil {
			return ui.Failf("Network %s does not exist", n)
		}
	}
	return nil
}

// postContainerCreate attaches a new app container to the attach-post-create
// networks before it starts.
func postContainerCreate(ctx *plugin.Context, args []string) error {
	if len(args) < 4 || args[0] != "app" {
		return nil
	}
	cid, appName, phase := args[1], args[2], args[3]
	processType := ""
	if len(args) > 4 {
		processType = args[4]
	}
	names := attachNames(Computed(ctx, appName, PropAttachPostCreate))
	if len(names) == 0 {
		return nil
	}
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	if err := networksExist(ctx, e, names); err != nil {
		return err
	}
	for _, n := range names {
		if err := attach(ctx, e, cid, n, appName, phase, processType); err != nil {
			return err
		}
	}
	return nil
}

// corePostDeploy attaches every running app container to the
// attach-post-deploy networks.
func corePostDeploy(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	appName := args[0]
	names := attachNames(Computed(ctx, appName, PropAttachPostDeploy))
	if len(names) == 0 {
		return nil
	}
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	for _, n := range names {
		ctx.UI().Info1Quiet("Associating app with network " + n)
	}
	if err := networksExist(ctx, e, names); err != nil {
		return err
	}
	c, cancel := withTimeout()
	list, err := e.ContainerList(c, false, "label=com.dokku.app-name="+appName, "label="+docker.LabelContainerType+"=deploy")
	cancel()
	if err != nil {
		return err
	}
	for _, s := range list {
		for _, n := range names {
			if err := attach(ctx, e, s.ID, n, appName, "deploy", s.Labels[docker.LabelProcessType]); err != nil {
				return err
			}
		}
	}
	return nil
}

// BuildConfig rewrites the IP files of an app's running containers (and a
// missing PORT file of web ones); a container whose address cannot be
// found counts as a failure.
func BuildConfig(ctx *plugin.Context, appName string) (failed int, err error) {
	if !app.IsDeployed(ctx, appName) {
		return 0, nil
	}
	formation := ps.CurrentScale(ctx, appName)
	if len(formation) == 0 {
		return 0, nil
	}
	ctx.UI().Info1(fmt.Sprintf("Ensuring network configuration is in sync for %s", appName))
	e, err := newEngine(ctx)
	if err != nil {
		return 0, err
	}
	for _, f := range formation {
		for i := 1; i <= f.Quantity; i++ {
			idx := strconv.Itoa(i)
			cid := readFirstLine(stateFile(ctx, appName, "CONTAINER", f.ProcessType, idx))
			if cid == "" {
				continue
			}
			c, cancel := withTimeout()
			info, err := e.ContainerInfo(c, cid)
			cancel()
			if err != nil {
				return failed, err
			}
			if info == nil || !info.Running {
				continue
			}
			ip, err := ContainerIP(ctx, e, appName, f.ProcessType, cid)
			if err != nil || ip == "" {
				failed++
				continue
			}
			if err := writeStateFile(ctx, []string{appName, f.ProcessType, idx, ip}, "IP"); err != nil {
				return failed, err
			}
			if f.ProcessType == "web" && !fileExists(stateFile(ctx, appName, "PORT", "web", idx)) {
				if err := writeStateFile(ctx, []string{appName, "web", idx, webPort(ctx, appName)}, "PORT"); err != nil {
					return failed, err
				}
			}
		}
	}
	return failed, nil
}

// webPort is the container port of the first non-udp port mapping.
func webPort(ctx *plugin.Context, appName string) string {
	out, _ := ctx.TriggerOutput("ports-get", appName)
	for _, line := range strings.Fields(out) {
		parts := strings.Split(line, ":")
		if len(parts) == 3 && parts[0] != "udp" && parts[2] != "" {
			return parts[2]
		}
	}
	return DefaultPort
}

func networkBuildConfig(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	failed, err := BuildConfig(ctx, args[0])
	if err != nil {
		return err
	}
	return ui.Exit(failed)
}
