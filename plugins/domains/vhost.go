// Package domains is Dokku's domains core plugin.
//
// Domains live in plain files, one hostname per line: the app's
// $DOKKU_ROOT/<app>/VHOST and the global $DOKKU_ROOT/VHOST (whose non-IP
// entries give new apps their default `<app>.<domain>` names). Vhost routing
// is on unless the app's config has NO_VHOST=1.
package domains

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/plugin"
)

var (
	hostnameRegex = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9.*-]*[a-z0-9*-]$`) })
	ipv4Regex     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([0-9]{1,3}[.]){3}[0-9]{1,3}$`) })
)

// ValidHostname is is_valid_hostname: lower-cased, the Dokku pattern or "_".
func ValidHostname(h string) bool {
	h = strings.ToLower(h)
	return h == "_" || hostnameRegex().MatchString(h)
}

// isIP reports whether a VHOST entry is an IPv4 or IPv6 address.
func isIP(h string) bool {
	if ipv4Regex().MatchString(h) {
		return true
	}
	return strings.Contains(h, ":") && net.ParseIP(strings.Trim(h, "[]")) != nil
}

func appVhostPath(ctx *plugin.Context, app string) string {
	return filepath.Join(ctx.Env.AppRoot(app), "VHOST")
}

func globalVhostPath(ctx *plugin.Context) string {
	return filepath.Join(ctx.Env.Root(), "VHOST")
}

// readLines returns the non-empty, trimmed lines of a file (nil if absent).
func readLines(path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func owner(ctx *plugin.Context) *atomicfile.Owner {
	if uid, gid, ok := ctx.Env.Owner(); ok {
		return &atomicfile.Owner{UID: uid, GID: gid}
	}
	return nil
}

// writeLines replaces a domain file atomically (one entry per line).
func writeLines(ctx *plugin.Context, path string, lines []string) error {
	content := ""
	if len(lines) > 0 {
		content = strings.Join(lines, "\n") + "\n"
	}
	return atomicfile.Write(path, []byte(content), 0o644, owner(ctx))
}

// globalVhosts are the lines of $DOKKU_ROOT/VHOST.
func globalVhosts(ctx *plugin.Context) []string { return readLines(globalVhostPath(ctx)) }

// globalVhostEnabled: some global entry is a valid hostname.
func globalVhostEnabled(ctx *plugin.Context) bool {
	for _, h := range globalVhosts(ctx) {
		if ValidHostname(h) {
			return true
		}
	}
	return false
}

// appVhostEnabled is is_app_vhost_enabled: NO_VHOST is not "1".
func appVhostEnabled(ctx *plugin.Context, app string) bool {
	return ctx.TriggerValue("config-get", app, "NO_VHOST") != "1"
}

// appDomains is get_app_domains: the app's VHOST (or the legacy
// $DOKKU_ROOT/HOSTNAME) when vhosts are enabled.
func appDomains(ctx *plugin.Context, app string) []string {
	if !appVhostEnabled(ctx, app) {
		return nil
	}
	if p := appVhostPath(ctx, app); exists(p) {
		return readLines(p)
	}
	// compat: Dokku falls back to the legacy global HOSTNAME file.
	return readLines(filepath.Join(ctx.Env.Root(), "HOSTNAME"))
}

// defaultVhosts is get_default_vhosts: <app>.<domain> for every non-IP
// global domain (or what nginx-hostname answers); an app name containing a
// dot is used as is.
func defaultVhosts(ctx *plugin.Context, app string) []string {
	if !globalVhostEnabled(ctx) {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, vhost := range globalVhosts(ctx) {
		if isIP(vhost) {
			continue
		}
		sub := strings.TrimSuffix(app, "."+vhost)
		host, _ := ctx.TriggerInput("nginx-hostname", "", app, sub, vhost)
		host = strings.TrimSpace(host)
		if host == "" {
			if strings.Contains(app, ".") {
				host = strings.ReplaceAll(app, "/", "-")
			} else {
				host = strings.ReplaceAll(app, "/", "-") + "." + vhost
			}
		}
		if !seen[host] {
			seen[host] = true
			out = append(out, host)
		}
	}
	return out
}
