// Package network is Dokku's network core plugin: the docker networks app
// containers join (initial-network at create, attach-post-create before
// start, attach-post-deploy after a deploy), whether web ports are
// published (bind-all-interfaces), and the IP.<type>.<n> / PORT.<type>.<n>
// listener files proxies read.
package network

import (
	"fmt"
	"strings"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/setting"
	"github.com/godokku/dokku/internal/ui"
)

// Property names.
const (
	PropAttachPostCreate  = "attach-post-create"
	PropAttachPostDeploy  = "attach-post-deploy"
	PropBindAllInterfaces = "bind-all-interfaces"
	PropInitialNetwork    = "initial-network"
	PropTLD               = "tld"
	PropStaticWebListener = "static-web-listener"
)

// defaults of the computed properties.
var defaults = map[string]string{
	PropAttachPostCreate:  "",
	PropAttachPostDeploy:  "",
	PropBindAllInterfaces: "false",
	PropInitialNetwork:    "",
	PropTLD:               "",
	PropStaticWebListener: "",
}

// Plugin returns the network plugin registration.
func Plugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name:        "network",
		Description: "dokku core network plugin",
		Summary:     "Manage network settings for an app",
		Commands: []*plugin.Command{
			{Name: "network:create", Args: "<network>", Desc: "Creates an attachable docker network", Run: runCreate},
			{Name: "network:destroy", Args: "<network>", Desc: "Destroys a docker network", Run: runDestroy},
			{Name: "network:exists", Args: "<network>", Desc: "Checks if a docker network exists", Run: runExists},
			{Name: "network:info", Args: "<network>", Desc: "Outputs information about a docker network", Run: runInfo},
			{Name: "network:list", Desc: "Lists all docker networks", Run: runList},
			{Name: "network:rebuild", Args: "<app>", Desc: "Rebuilds network settings for an app", Run: runRebuild},
			{Name: "network:rebuildall", Desc: "Rebuild network settings for all apps", Run: runRebuildAll},
			{Name: "network:report", Args: "[<app>] [<flag>]", Desc: "Displays a network report for one or more apps", Run: report.Command(reportSpec)},
			{Name: "network:set", Args: "<app> <property> (<value>...)", Desc: "Set or clear a network property for an app", Run: setting.Command(setSpec)},
		},
		Triggers: map[string]plugin.Handler{
			"docker-args-process-build":    dockerArgsBuild,
			"docker-args-process-deploy":   dockerArgs,
			"docker-args-process-run":      dockerArgs,
			"network-build-config":         networkBuildConfig,
			"network-config-exists":        networkConfigExists,
			"network-get-ipaddr":           networkGetIPAddr,
			"network-get-listeners":        networkGetListeners,
			"network-get-property":         networkGetProperty,
			"network-get-static-listeners": networkGetStaticListeners,
			"network-write-ipaddr":         networkWriteIPAddr,
			"network-write-port":           networkWritePort,
			"post-container-create":        postContainerCreate,
			"core-post-deploy":             corePostDeploy,
			"install":                      install,
			"post-create":                  postCreate,
			"post-delete":                  plugin.DestroyProperties("network"),
			"post-app-clone-setup":         postAppCloneSetup,
			"post-app-rename-setup":        postAppRenameSetup,
			"report":                       report.Trigger(reportSpec),
		},
	}
}

// Computed returns a property for an app: app value, global value, default.
func Computed(ctx *plugin.Context, appName, key string) string {
	if key == PropStaticWebListener {
		v, _ := ctx.Props().Get("network", appName, key)
		return v
	}
	return ctx.Props().Computed("network", appName, key, defaults[key])
}

var reportSpec = report.Spec{
	Namespace:      "network",
	Type:           "network",
	LegacyJSONKeys: true,
	Collect: func(ctx *plugin.Context, appName string) (map[string]string, error) {
		v := map[string]string{}
		for _, k := range []string{PropAttachPostCreate, PropAttachPostDeploy, PropBindAllInterfaces, PropInitialNetwork, PropTLD} {
			report.Triple(ctx, v, "network", "network", appName, k, defaults[k])
		}
		// compat: Dokku shows the global bind-all-interfaces with its default.
		if v["--network-global-bind-all-interfaces"] == "" {
			v["--network-global-bind-all-interfaces"] = "false"
		}
		if appName == property.Global {
			return v, nil
		}
		v["--network-static-web-listener"], _ = ctx.Props().Get("network", appName, PropStaticWebListener)
		v["--network-web-listeners"] = strings.Join(Listeners(ctx, appName, "web"), " ")
		return v, nil
	},
}

// setSpec are the keys of network:set <app>|--global <key> [<value>...].
var setSpec = setting.Spec{
	Plugin: "network",
	Keys: map[string]setting.Key{
		PropAttachPostCreate:  {Scope: setting.AppAndGlobal, Value: attachNetworks(PropAttachPostCreate)},
		PropAttachPostDeploy:  {Scope: setting.AppAndGlobal, Value: attachNetworks(PropAttachPostDeploy)},
		PropBindAllInterfaces: {Scope: setting.AppAndGlobal, Validate: setting.Bool, Value: bindAllInterfaces},
		PropInitialNetwork:    {Scope: setting.AppAndGlobal},
		PropTLD:               {Scope: setting.AppAndGlobal},
		PropStaticWebListener: {Scope: setting.AppOnly, Validate: validListener},
	},
}

// attachNetworks makes the value of an attach key: the network names
// given, comma or space separated, joined with commas; host, bridge and
// networks the app has under another key are refused.
func attachNetworks(key string) func(*plugin.Context, string, []string) (string, error) {
	return func(ctx *plugin.Context, appName string, words []string) (string, error) {
		var names []string
		for _, v := range words {
			for _, n := range strings.Split(v, ",") {
				if n = strings.TrimSpace(n); n != "" {
					names = append(names, n)
				}
			}
		}
		for _, n := range names {
			if n == "host" || n == "bridge" {
				return "", ui.Failf("Invalid network name specified for attach: %s", n)
			}
			if conflicting(ctx, appName, key, n) {
				return "", ui.Failf("Network name already associated with this app: %s", n)
			}
		}
		return strings.Join(names, ","), nil
	}
}

// bindAllInterfaces: compat: clearing bind-all-interfaces stores "false".
func bindAllInterfaces(_ *plugin.Context, _ string, words []string) (string, error) {
	if strings.Join(words, "") == "" {
		return "false", nil
	}
	return strings.Join(words, " "), nil
}

// conflicting reports whether network is already one of the app's networks
// under another property.
func conflicting(ctx *plugin.Context, appName, key, network string) bool {
	for _, other := range []string{PropAttachPostCreate, PropAttachPostDeploy, PropInitialNetwork} {
		if other == key {
			continue
		}
		v, _ := ctx.Props().Get("network", appName, other)
		for _, n := range strings.Split(v, ",") {
			if strings.TrimSpace(n) == network {
				return true
			}
		}
	}
	return false
}

func validListener(v string) error {
	host, port, ok := strings.Cut(v, ":")
	if !ok || host == "" || port == "" || strings.ContainsAny(v, " \t/") {
		return fmt.Errorf("Invalid static-web-listener specified, must be in the format ip:port")
	}
	return nil
}

// networkGetProperty prints a computed network property.
func networkGetProperty(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return ui.Fail("Please specify an app and a property")
	}
	if _, ok := defaults[args[1]]; !ok {
		return ui.Failf("Invalid network property specified: %s", args[1])
	}
	_, err := fmt.Fprintln(ctx.Stdout, Computed(ctx, args[0], args[1]))
	return err
}

func install(ctx *plugin.Context, _ []string) error {
	return ctx.Props().Setup("network")
}

func postCreate(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if err := ctx.Props().Write("network", args[0], PropBindAllInterfaces, "false"); err != nil {
		ctx.UI().Warn(err.Error())
	}
	return nil
}

func postAppCloneSetup(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	if err := clearListenerFiles(ctx, args[1]); err != nil {
		return err
	}
	return ctx.Props().Clone("network", args[0], args[1])
}

func postAppRenameSetup(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	if err := clearListenerFiles(ctx, args[1]); err != nil {
		return err
	}
	return ctx.Props().Rename("network", args[0], args[1])
}
