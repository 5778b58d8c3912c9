package ports

import (
	"fmt"
	"net"
	"strconv"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
)

// Property names.
const (
	pluginName   = "ports"
	proxyPlugin  = "proxy" // owner of proxy-port / proxy-ssl-port
	keyMap       = "map"
	keyDetected  = "map-detected"
	keyProxyPort = "proxy-port"
	keySSLPort   = "proxy-ssl-port"
	// DefaultContainerPort is the port apps without a detected map listen on.
	DefaultContainerPort = 5000
)

func readList(ctx *plugin.Context, app, key string) []PortMap {
	values, _ := ctx.Props().ListGet(pluginName, app, key)
	var out []PortMap
	for _, v := range values {
		// Entries written by other tools may hold several maps per line.
		if pm, err := Parse([]string{v}, false); err == nil {
			out = append(out, pm...)
		}
	}
	return unique(out)
}

func userMap(ctx *plugin.Context, app string) []PortMap     { return readList(ctx, app, keyMap) }
func detectedMap(ctx *plugin.Context, app string) []PortMap { return readList(ctx, app, keyDetected) }

func writeUserMap(ctx *plugin.Context, app string, maps []PortMap) error {
	values := sortedStrings(maps)
	if len(values) == 0 {
		return ctx.Props().Delete(pluginName, app, keyMap)
	}
	return ctx.Props().ListWrite(pluginName, app, keyMap, values)
}

func propInt(ctx *plugin.Context, app, key string) int {
	v, _ := ctx.Props().Get(proxyPlugin, app, key)
	n, err := strconv.Atoi(v)
	if err != nil || !inRange(n) {
		return 0
	}
	return n
}

// computedPort is app → global → def.
func computedPort(ctx *plugin.Context, app, key string, def int) int {
	if app != property.Global {
		if n := propInt(ctx, app, key); n != 0 {
			return n
		}
	}
	if n := propInt(ctx, property.Global, key); n != 0 {
		return n
	}
	return def
}

func proxyPort(ctx *plugin.Context, app string) int { return computedPort(ctx, app, keyProxyPort, 80) }
func proxySSLPort(ctx *plugin.Context, app string) int {
	return computedPort(ctx, app, keySSLPort, 443)
}

// hasCert asks the certs plugin; no implementation means no certificate.
func hasCert(ctx *plugin.Context, app string) bool {
	return ctx.TriggerValue("certs-exists", app) == "true"
}

// vhostEnabled asks the domains plugin (predicate trigger).
func vhostEnabled(ctx *plugin.Context, app string) bool {
	return ctx.WithIO(nil, nil, nil).Trigger("domains-vhost-enabled", app) == nil
}

// detectedOrDefault is the detected map, else http:<proxy-port>:5000, with
// the https variants an app with a certificate gets.
func detectedOrDefault(ctx *plugin.Context, app string) []PortMap {
	maps := detectedMap(ctx, app)
	if len(maps) == 0 {
		maps = []PortMap{{Scheme: "http", HostPort: proxyPort(ctx, app), ContainerPort: DefaultContainerPort}}
	}
	if !hasCert(ctx, app) {
		return maps
	}
	ssl := proxySSLPort(ctx, app)
	var extra []PortMap
	for _, pm := range maps {
		if pm.Scheme == "http" && pm.HostPort == 80 {
			extra = append(extra, PortMap{Scheme: "https", HostPort: ssl, ContainerPort: pm.ContainerPort})
		}
	}
	if len(extra) > 0 {
		return unique(append(maps, extra...))
	}
	out := make([]PortMap, len(maps))
	for i, pm := range maps {
		if pm.Scheme == "http" {
			pm.Scheme = "https"
		}
		out[i] = pm
	}
	return unique(out)
}

// Effective is the map the proxy serves: user map, else detected/default.
func Effective(ctx *plugin.Context, app string) []PortMap {
	if m := userMap(ctx, app); len(m) > 0 {
		return m
	}
	return detectedOrDefault(ctx, app)
}

// availablePort returns a free TCP port above 1024.
func availablePort() (int, error) {
	for i := 0; i < 20; i++ {
		l, err := net.Listen("tcp", ":0")
		if err != nil {
			return 0, err
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if port > 1024 {
			return port, nil
		}
	}
	return 0, fmt.Errorf("Unable to find an available port")
}
