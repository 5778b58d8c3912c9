package nginxvhosts

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/setting"
)

// pluginName is the property namespace (config/nginx/<app>/<key>).
const pluginName = "nginx"

// dataName is the data directory ($DOKKU_LIB_ROOT/data/nginx-vhosts).
const dataName = "nginx-vhosts"

// Keys are the 31 nginx:set properties, sorted.
var Keys = []string{
	"access-log-format", "access-log-path", "bind-address-ipv4", "bind-address-ipv6",
	"client-body-timeout", "client-header-timeout", "client-max-body-size",
	"disable-custom-config", "error-log-path", "hsts", "hsts-include-subdomains",
	"hsts-max-age", "hsts-preload", "keepalive-timeout", "lingering-timeout",
	"nginx-conf-sigil-path", "nginx-service-command", "proxy-buffer-size",
	"proxy-buffering", "proxy-buffers", "proxy-busy-buffers-size",
	"proxy-connect-timeout", "proxy-keepalive", "proxy-read-timeout",
	"proxy-send-timeout", "send-timeout", "underscore-in-headers",
	"x-forwarded-for-value", "x-forwarded-port-value", "x-forwarded-proto-value",
	"x-forwarded-ssl",
}

func pageKB() int { return os.Getpagesize() / 1024 }

// logRoot is /var/log/nginx (/var/log/openresty with OpenResty), under
// DOKKU_SYSTEM_ROOT.
func logRoot(ctx *plugin.Context) string {
	if isOpenResty() {
		return ctx.Env.SystemPath("/var/log/openresty")
	}
	return ctx.Env.SystemPath("/var/log/nginx")
}

// defaultValue is the built-in default of a key for an app ("" = none).
func defaultValue(ctx *plugin.Context, app, key string) string {
	switch key {
	case "access-log-path":
		return filepath.Join(logRoot(ctx), app+"-access.log")
	case "error-log-path":
		return filepath.Join(logRoot(ctx), app+"-error.log")
	case "bind-address-ipv6":
		return "::"
	case "client-body-timeout", "client-header-timeout", "proxy-connect-timeout",
		"proxy-read-timeout", "proxy-send-timeout", "send-timeout":
		return "60s"
	case "client-max-body-size":
		return "1m"
	case "disable-custom-config", "hsts-preload":
		return "false"
	case "hsts", "hsts-include-subdomains":
		return "true"
	case "hsts-max-age":
		return "15724800"
	case "keepalive-timeout":
		return "75s"
	case "lingering-timeout":
		return "5s"
	case "nginx-conf-sigil-path":
		return "nginx.conf.sigil"
	case "proxy-buffer-size":
		return fmt.Sprintf("%dk", pageKB())
	case "proxy-buffering":
		return "on"
	case "proxy-buffers":
		return fmt.Sprintf("8 %dk", pageKB())
	case "proxy-busy-buffers-size":
		return fmt.Sprintf("%dk", pageKB()*2)
	case "underscore-in-headers":
		return "off"
	case "x-forwarded-for-value":
		return "$remote_addr"
	case "x-forwarded-port-value":
		return "$server_port"
	case "x-forwarded-proto-value":
		return "$scheme"
	}
	return ""
}

// computed is app → global → default.
func computed(ctx *plugin.Context, app, key string) string {
	props := ctx.Props()
	if app != property.Global {
		if v, _ := props.Get(pluginName, app, key); v != "" {
			return v
		}
	}
	if v, _ := props.Get(pluginName, property.Global, key); v != "" {
		return v
	}
	if app == property.Global {
		return ""
	}
	return defaultValue(ctx, app, key)
}

var sizeOrTime = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]+[a-zA-Z]*$`) })

func validateKey(key string) func(string) error {
	switch key {
	case "disable-custom-config", "hsts", "hsts-include-subdomains", "hsts-preload":
		return setting.Bool
	case "proxy-keepalive", "hsts-max-age":
		return func(v string) error {
			if n, err := strconv.Atoi(v); err != nil || n < 0 {
				return fmt.Errorf("Invalid value for %s, must be a non-negative integer: %s", key, v)
			}
			return nil
		}
	case "underscore-in-headers", "proxy-buffering":
		return setting.OneOf("on", "off")
	case "client-body-timeout", "client-header-timeout", "keepalive-timeout", "lingering-timeout",
		"proxy-connect-timeout", "proxy-read-timeout", "proxy-send-timeout", "send-timeout",
		"client-max-body-size", "proxy-buffer-size", "proxy-busy-buffers-size":
		return func(v string) error {
			if !sizeOrTime().MatchString(v) {
				return fmt.Errorf("Invalid value for %s: %s", key, v)
			}
			return nil
		}
	}
	return nil
}

// noDirectiveBreak refuses values that would end or open an nginx
// directive or block (they are pasted into nginx.conf).
func noDirectiveBreak(key string, next func(string) error) func(string) error {
	return func(v string) error {
		if strings.ContainsAny(v, ";{}\n\r") {
			return fmt.Errorf("Invalid value for %s: %q", key, v)
		}
		if next != nil {
			return next(v)
		}
		return nil
	}
}

func setSpec() setting.Spec {
	keys := map[string]setting.Key{}
	for _, k := range Keys {
		v := validateKey(k)
		if k != "nginx-service-command" {
			v = noDirectiveBreak(k, v)
		}
		keys[k] = setting.Key{Validate: v}
	}
	return setting.Spec{Plugin: pluginName, Keys: keys, Bash: true}
}
