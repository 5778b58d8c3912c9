package ports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/ui"
)

// triggerConfigure initialises proxy-port (and proxy-ssl-port when the app
// has a certificate) for an app that has none.
func triggerConfigure(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	props := ctx.Props()
	u := ctx.UI()
	vhost := vhostEnabled(ctx, name)
	if propInt(ctx, name, keyProxyPort) == 0 {
		port := propInt(ctx, "--global", keyProxyPort)
		if !vhost {
			u.Info1("No port set, setting to random open high port")
			p, err := availablePort()
			if err != nil {
				return ui.Fail(err.Error())
			}
			port = p
			u.Info1(fmt.Sprintf("Random port %d", port))
		}
		if port == 0 {
			port = 80
		}
		if err := props.Write(proxyPlugin, name, keyProxyPort, strconv.Itoa(port)); err != nil {
			return err
		}
	}
	if propInt(ctx, name, keySSLPort) == 0 && hasCert(ctx, name) {
		port := propInt(ctx, "--global", keySSLPort)
		if !vhost {
			u.Info1("No ssl port set, setting to random open high port")
			p, err := availablePort()
			if err != nil {
				return ui.Fail(err.Error())
			}
			port = p
			u.Info1(fmt.Sprintf("Random ssl port %d", port))
		}
		if port == 0 {
			port = 443
		}
		if err := props.Write(proxyPlugin, name, keySSLPort, strconv.Itoa(port)); err != nil {
			return err
		}
	}
	return nil
}

// triggerGet prints the effective map, one per line, or as JSON.
func triggerGet(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	maps := Effective(ctx, name)
	switch format := plugin.Arg(args, 1); format {
	case "", "stdout":
		for _, pm := range maps {
			fmt.Fprintln(ctx.Stdout, pm.String())
		}
	case "json":
		fmt.Fprintln(ctx.Stdout, jsonMaps(maps))
	default:
		return ui.Failf("Invalid format specified: %s", format)
	}
	return nil
}

func triggerGetProperty(ctx *plugin.Context, args []string) error {
	name, key := plugin.Arg(args, 0), plugin.Arg(args, 1)
	if name != "--global" {
		if err := app.Verify(ctx, name); err != nil {
			return err
		}
	}
	var v string
	switch key {
	case keyProxyPort:
		v = strconv.Itoa(proxyPort(ctx, name))
	case keySSLPort:
		v = strconv.Itoa(proxySSLPort(ctx, name))
	case keyMap, keyDetected:
		l, _ := ctx.Props().ListGet(pluginName, name, key)
		v = strings.Join(l, " ")
	default:
		if key == "" {
			return ui.Fail("No property specified")
		}
		v, _ = ctx.Props().Get(pluginName, name, key)
	}
	fmt.Fprintln(ctx.Stdout, v)
	return nil
}

func triggerGetAvailable(ctx *plugin.Context, args []string) error {
	port, err := availablePort()
	if err != nil {
		return ui.Fail(err.Error())
	}
	fmt.Fprintln(ctx.Stdout, port)
	return nil
}

// triggerSetDetected stores the builder's detected maps (one argument with
// space-separated maps, or several arguments).
func triggerSetDetected(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	maps, err := Parse(args[1:], false)
	if err != nil {
		return ui.Fail(err.Error())
	}
	if len(maps) == 0 {
		return ctx.Props().Delete(pluginName, name, keyDetected)
	}
	values := make([]string, len(maps))
	for i, pm := range maps {
		values[i] = pm.String()
	}
	return ctx.Props().ListWrite(pluginName, name, keyDetected, values)
}

// triggerClear resets the user map and the proxy ports (they are chosen
// again by ports-configure: 80/443, or random when vhosts are disabled).
// The detected map is kept: it describes the image, not the routing.
func triggerClear(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	props := ctx.Props()
	for _, k := range []string{keyMap} {
		if err := props.Delete(pluginName, name, k); err != nil {
			return err
		}
	}
	for _, k := range []string{keyProxyPort, keySSLPort} {
		if err := props.Delete(proxyPlugin, name, k); err != nil {
			return err
		}
	}
	return nil
}

// triggerPostCertsUpdate adds https:443:<c> for every http:80:<c> of a user
// map that has no https:443 entry yet.
func triggerPostCertsUpdate(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	current := userMap(ctx, name)
	if len(current) == 0 {
		return nil
	}
	var add []PortMap
	for _, pm := range current {
		if pm.Scheme == "https" && pm.HostPort == 443 {
			return nil
		}
		if pm.Scheme == "http" && pm.HostPort == 80 {
			add = append(add, PortMap{Scheme: "https", HostPort: 443, ContainerPort: pm.ContainerPort})
		}
	}
	if len(add) == 0 {
		return nil
	}
	return writeUserMap(ctx, name, append(current, add...))
}

// triggerPostCertsRemove drops https:443 entries and the proxy-ssl-port.
func triggerPostCertsRemove(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	var keep []PortMap
	current := userMap(ctx, name)
	for _, pm := range current {
		if pm.Scheme == "https" && pm.HostPort == 443 {
			continue
		}
		keep = append(keep, pm)
	}
	if len(keep) != len(current) {
		if err := writeUserMap(ctx, name, keep); err != nil {
			return err
		}
	}
	return ctx.Props().Delete(proxyPlugin, name, keySSLPort)
}

func triggerReport(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if name == "" {
		return nil
	}
	return report.Run(ctx, reportSpec(), []string{name})
}
