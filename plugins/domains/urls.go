package domains

import (
	"context"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
)

// formatURL is fn-domains-generate-url.
func formatURL(scheme, host, port string) string {
	switch {
	case port == "80":
		return "http://" + host
	case scheme == "https" && port == "443":
		return "https://" + host
	}
	return scheme + "://" + host + ":" + port
}

// fqdn is `hostname -f`, falling back to the kernel hostname.
func fqdn(ctx *plugin.Context) string {
	out, err := proc.Output(context.Background(), proc.Cmd{Name: "hostname", Args: []string{"-f"}, Env: ctx.Env.Environ(), Timeout: 5 * time.Second})
	if h := strings.TrimSpace(out); err == nil && h != "" {
		return h
	}
	h, _ := os.Hostname()
	return h
}

// generateURLs lists the URLs of an app for every domain and port mapping
// (pipeline.md §5.4).
func generateURLs(ctx *plugin.Context, name, defaultScheme, defaultPort string) []string {
	hosts := splitLines(ctx.TriggerValue("domains-list", name))
	if len(hosts) == 0 {
		hosts = globalVhosts(ctx)
		if len(hosts) == 0 {
			if h := fqdn(ctx); h != "" {
				hosts = []string{h}
			}
		}
	}
	cert := ctx.TriggerValue("certs-exists", name) == "true"
	proxied := ctx.TriggerValue("proxy-is-enabled", name) != "false"
	var ports [][2]string // scheme, port
	if !proxied {
		for _, l := range strings.Fields(ctx.TriggerValue("network-get-listeners", name, "web")) {
			if i := strings.LastIndexByte(l, ':'); i >= 0 {
				ports = append(ports, [2]string{defaultScheme, l[i+1:]})
			}
		}
	} else {
		for _, m := range splitLines(ctx.TriggerValue("ports-get", name)) {
			parts := strings.Split(m, ":")
			if len(parts) != 3 {
				continue
			}
			if (parts[0] == "https" || parts[0] == "grpcs") && !cert {
				continue
			}
			ports = append(ports, [2]string{parts[0], parts[1]})
		}
		if len(ports) == 0 {
			ports = [][2]string{{defaultScheme, defaultPort}}
		}
	}
	var urls []string
	for _, h := range hosts {
		for _, p := range ports {
			urls = append(urls, formatURL(p[0], h, p[1]))
		}
	}
	return urls
}

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// urls answers domains-urls: `url` is the first URL of the default scheme,
// `urls` every URL, sorted (and unique when detected). app-urls output
// replaces detection.
func urls(ctx *plugin.Context, name, kind string) []string {
	scheme, port := "http", "80"
	if ctx.TriggerValue("certs-exists", name) == "true" {
		scheme, port = "https", "443"
	}
	var list []string
	custom := ctx.TriggerValue("app-urls", name, kind)
	if custom != "" {
		list = strings.Fields(custom)
	} else {
		list = generateURLs(ctx, name, scheme, port)
	}
	if kind == "url" {
		for _, u := range list {
			if strings.Contains(u, scheme+"://") {
				return []string{u}
			}
		}
		return nil
	}
	sort.Strings(list)
	if custom != "" {
		// compat: Dokku sorts an app-urls answer without removing repeats.
		return list
	}
	out := list[:0]
	for i, u := range list {
		if i == 0 || u != list[i-1] {
			out = append(out, u)
		}
	}
	return out
}
