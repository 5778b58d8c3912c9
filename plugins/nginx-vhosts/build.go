package nginxvhosts

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/sigil"
	"github.com/godokku/dokku/internal/ui"
)

// Template sources, as printed by "Configuring <domain>...(using <source> template)".
const (
	sourceBuiltIn = "built-in"
	sourcePlugin  = "plugin-supplied"
	sourceApp     = "app-supplied"
)

// placeholderListener stands in for web listeners when pre-validating an
// app template before the first deploy (so upstream blocks have a server).
const placeholderListener = "127.0.0.1:5000"

// tmpl is a template to render: a file, or the embedded built-in.
type tmpl struct {
	path   string // file path ("" = built-in)
	source string
}

func (t tmpl) render(ctx *plugin.Context, name string, vars, env map[string]string) (string, error) {
	o := sigil.Options{Name: name, Vars: vars, Env: env}
	var out string
	var err error
	if t.path == "" {
		o.Path = []string{filepath.Join(ctx.Env.PluginAvailablePath(), "nginx-vhosts", "templates")}
		out, err = sigil.Render(builtinTemplate, o)
	} else {
		out, err = sigil.RenderFile(t.path, o)
	}
	if err != nil {
		return "", err
	}
	return sigil.SqueezeBlank(out), nil
}

func appDataDir(ctx *plugin.Context, name string) string {
	return filepath.Join(ctx.Env.PluginDataRoot(dataName), "app-"+name)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// appTemplate is the app's own nginx.conf.sigil: the copy staged by the
// running build (core-post-extract), else the promoted one. A build whose
// source has no template (".missing" marker) has none.
func appTemplate(ctx *plugin.Context, name string) string {
	if computed(ctx, name, "disable-custom-config") == "true" {
		return ""
	}
	dir := appDataDir(ctx, name)
	if pid := ctx.Env.Get("DOKKU_PID"); pid != "" {
		staged := filepath.Join(dir, "nginx.conf.sigil."+pid)
		if fileExists(staged) {
			return staged
		}
		if fileExists(staged + ".missing") {
			return ""
		}
	}
	if p := filepath.Join(dir, "nginx.conf.sigil"); fileExists(p) {
		return p
	}
	return ""
}

// pluginTemplate asks nginx-app-template-source for a template of a type.
func pluginTemplate(ctx *plugin.Context, name, kind string) string {
	p := ctx.TriggerValue("nginx-app-template-source", name, kind)
	if p != "" && fileExists(p) {
		return p
	}
	return ""
}

// chooseTemplate: app-supplied, else plugin-supplied, else built-in. Apps
// without web listeners always get the built-in 502 configuration.
func chooseTemplate(ctx *plugin.Context, name string, haveListeners bool) tmpl {
	if !haveListeners {
		return tmpl{source: sourceBuiltIn}
	}
	if p := appTemplate(ctx, name); p != "" {
		return tmpl{path: p, source: sourceApp}
	}
	if p := pluginTemplate(ctx, name, "app-config"); p != "" {
		return tmpl{path: p, source: sourcePlugin}
	}
	return tmpl{source: sourceBuiltIn}
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func uniq(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// certNames are the CN and DNS SANs of the app's certificate.
func certNames(ctx *plugin.Context, name string) []string {
	data, err := os.ReadFile(filepath.Join(ctx.Env.AppRoot(name), "tls", "server.crt"))
	if err != nil {
		return nil
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil
	}
	names := append([]string{cert.Subject.CommonName}, cert.DNSNames...)
	return uniq(names)
}

// certMatcher matches hostnames against certificate names (a `*` matches
// one label, as Dokku's regex does).
func certMatcher(names []string) *regexp.Regexp {
	var alts []string
	for _, n := range names {
		alts = append(alts, strings.ReplaceAll(regexp.QuoteMeta(n), `\*`, `[^.]*`))
	}
	if len(alts) == 0 {
		return nil
	}
	return regexp.MustCompile(`^(` + strings.Join(alts, "|") + `)$`)
}

// appEnv is the environment templates see: this process's environment
// with the app's config exported on top.
func appEnv(ctx *plugin.Context, name string) map[string]string {
	env := map[string]string{}
	for _, kv := range ctx.Env.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	if out, err := ctx.TriggerOutput("config-export", name, "false", "false", "json"); err == nil && out != "" {
		var cfg map[string]string
		if json.Unmarshal([]byte(out), &cfg) == nil {
			for k, v := range cfg {
				env[k] = v
			}
		}
	}
	return env
}

// state is everything one rendering needs.
type state struct {
	vars      map[string]string
	env       map[string]string
	listeners []string
	vhosts    []string // domains for the "Configuring" lines
	ssl       bool
}

// gather computes the template variables of pipeline.md §5.3. placeholder
// substitutes a listener when the app has none (pre-validation).
func gather(ctx *plugin.Context, name, listenPort, listenIP string, placeholder bool, quietWarn bool) (*state, error) {
	if err := ctx.Trigger("ports-configure", name); err != nil {
		return nil, err
	}
	st := &state{vars: map[string]string{}}
	v := st.vars
	webListeners := strings.Fields(ctx.TriggerValue("network-get-listeners", name, "web"))
	if len(webListeners) == 0 && placeholder {
		webListeners = []string{placeholderListener}
	}
	st.listeners = webListeners

	cert := ctx.TriggerValue("certs-exists", name) == "true"
	var portMap []string
	u := ctx.UI()
	for _, m := range lines(ctx.TriggerValue("ports-get", name)) {
		scheme, _, _ := strings.Cut(m, ":")
		if (scheme == "https" || scheme == "grpcs") && !cert {
			if !quietWarn {
				u.Warn(fmt.Sprintf("Ignoring %s port mapping %s: the app has no SSL certificate", scheme, m))
			}
			continue
		}
		portMap = append(portMap, m)
	}
	portMap = uniq(portMap)
	var upstreams []string
	for _, m := range portMap {
		f := strings.Split(m, ":")
		if len(f) == 3 {
			upstreams = append(upstreams, f[2])
		}
	}
	upstreams = uniq(upstreams)

	vhostOn := ctx.WithIO(nil, nil, nil).Trigger("domains-vhost-enabled", name) == nil
	nossl := lines(ctx.TriggerValue("domains-list", name))
	var sslVhosts, sslServerNames []string
	if cert {
		st.ssl = true
		names := certNames(ctx, name)
		re := certMatcher(names)
		if vhostOn {
			for _, h := range nossl {
				if re != nil && re.MatchString(h) {
					sslVhosts = append(sslVhosts, h)
				}
			}
			if len(sslVhosts) == 0 && len(nossl) > 0 && !quietWarn {
				u.Info1(fmt.Sprintf("No matching configured domains for %s found in SSL certificate. Your app will show as insecure in a browser if accessed via SSL", name))
				u.Info1("Please add appropriate domains via the dokku domains command")
				u.Info1("Configured domains for app:")
				for _, h := range nossl {
					u.Info2(h)
				}
				if len(names) > 0 {
					u.Info1("Domains found in SSL certificate:")
					for _, h := range names {
						u.Info2(h)
					}
				}
			}
		} else {
			data, _ := os.ReadFile(filepath.Join(ctx.Env.Root(), "VHOST"))
			sslVhosts = lines(string(data))
		}
		inNoSSL := map[string]bool{}
		for _, h := range nossl {
			inNoSSL[h] = true
		}
		for _, h := range sslVhosts {
			if !inNoSSL[h] {
				sslServerNames = append(sslServerNames, h)
			}
		}
	}
	st.vhosts = uniq(append(append([]string{}, sslVhosts...), nossl...))
	sort.Strings(st.vhosts)

	proxyPort := ctx.TriggerValue("ports-get-property", name, "proxy-port")
	sslPort := ""
	if cert {
		sslPort = ctx.TriggerValue("ports-get-property", name, "proxy-ssl-port")
	}

	v["APP"] = name
	v["DOKKU_ROOT"] = ctx.Env.Root()
	v["DOKKU_LIB_ROOT"] = ctx.Env.LibRoot()
	v["NOSSL_SERVER_NAME"] = strings.Join(nossl, " ")
	v["SSL_SERVER_NAME"] = strings.Join(sslServerNames, " ")
	v["SSL_INUSE"] = ""
	if cert {
		v["SSL_INUSE"] = "true"
	}
	v["APP_SSL_PATH"] = filepath.Join(ctx.Env.AppRoot(name), "tls")
	v["PROXY_PORT"] = proxyPort
	v["PROXY_SSL_PORT"] = sslPort
	v["NGINX_PORT"] = proxyPort // deprecated names
	v["NGINX_SSL_PORT"] = sslPort
	v["PROXY_PORT_MAP"] = strings.Join(portMap, " ")
	v["PROXY_UPSTREAM_PORTS"] = strings.Join(upstreams, " ")
	v["DOKKU_APP_WEB_LISTENERS"] = strings.Join(webListeners, " ")
	v["DOKKU_APP_LISTENERS"] = v["DOKKU_APP_WEB_LISTENERS"]
	v["DOKKU_APP_LISTEN_PORT"] = listenPort
	v["DOKKU_APP_LISTEN_IP"] = listenIP
	v["PASSED_LISTEN_IP_PORT"] = ""
	if listenPort != "" && listenIP != "" {
		v["PASSED_LISTEN_IP_PORT"] = "true"
	}
	for _, l := range lines(ctx.TriggerValue("ps-current-scale", name)) {
		proc, _, _ := strings.Cut(l, "=")
		if proc == "" {
			continue
		}
		key := "DOKKU_APP_" + strings.ToUpper(strings.ReplaceAll(proc, "-", "_")) + "_LISTENERS"
		if proc == "web" {
			v[key] = v["DOKKU_APP_WEB_LISTENERS"]
			continue
		}
		v[key] = strings.Join(strings.Fields(ctx.TriggerValue("network-get-listeners", name, proc)), " ")
	}
	v["NGINX_LOG_ROOT"] = logRoot(ctx)
	v["NGINX_ACCESS_LOG_FORMAT"] = computed(ctx, name, "access-log-format")
	v["NGINX_ACCESS_LOG_PATH"] = computed(ctx, name, "access-log-path")
	v["NGINX_ERROR_LOG_PATH"] = computed(ctx, name, "error-log-path")
	v["NGINX_BIND_ADDRESS_IP4"] = computed(ctx, name, "bind-address-ipv4")
	v["NGINX_BIND_ADDRESS_IP6"] = computed(ctx, name, "bind-address-ipv6")
	v["NGINX_UNDERSCORE_IN_HEADERS"] = computed(ctx, name, "underscore-in-headers")
	for key, prop := range map[string]string{
		"CLIENT_BODY_TIMEOUT":     "client-body-timeout",
		"CLIENT_HEADER_TIMEOUT":   "client-header-timeout",
		"CLIENT_MAX_BODY_SIZE":    "client-max-body-size",
		"KEEPALIVE_TIMEOUT":       "keepalive-timeout",
		"LINGERING_TIMEOUT":       "lingering-timeout",
		"PROXY_CONNECT_TIMEOUT":   "proxy-connect-timeout",
		"PROXY_READ_TIMEOUT":      "proxy-read-timeout",
		"PROXY_SEND_TIMEOUT":      "proxy-send-timeout",
		"SEND_TIMEOUT":            "send-timeout",
		"PROXY_BUFFER_SIZE":       "proxy-buffer-size",
		"PROXY_BUFFERING":         "proxy-buffering",
		"PROXY_BUFFERS":           "proxy-buffers",
		"PROXY_BUSY_BUFFERS_SIZE": "proxy-busy-buffers-size",
		"PROXY_KEEPALIVE":         "proxy-keepalive",
		"PROXY_X_FORWARDED_FOR":   "x-forwarded-for-value",
		"PROXY_X_FORWARDED_PORT":  "x-forwarded-port-value",
		"PROXY_X_FORWARDED_PROTO": "x-forwarded-proto-value",
		"PROXY_X_FORWARDED_SSL":   "x-forwarded-ssl",
	} {
		v[key] = computed(ctx, name, prop)
	}
	for k, val := range features(version(ctx)) {
		v[k] = val
	}
	st.env = appEnv(ctx, name)
	return st, nil
}

// hstsConf renders nginx.conf.d/hsts.conf; "" means the file must not exist.
func hstsConf(ctx *plugin.Context, name string, st *state) (string, error) {
	if !st.ssl || computed(ctx, name, "hsts") == "false" {
		return "", nil
	}
	headers := "max-age=" + computed(ctx, name, "hsts-max-age")
	if computed(ctx, name, "hsts-include-subdomains") == "true" {
		headers += "; includeSubdomains"
	}
	if computed(ctx, name, "hsts-preload") == "true" {
		headers += "; preload"
	}
	vars := map[string]string{"HSTS_HEADERS": headers, "APP": name}
	var out string
	var err error
	if p := pluginTemplate(ctx, name, "hsts-config"); p != "" {
		out, err = sigil.RenderFile(p, sigil.Options{Vars: vars, Env: st.env})
	} else {
		out, err = sigil.Render(hstsTemplate, sigil.Options{Name: "hsts.conf.sigil", Vars: vars, Env: st.env})
	}
	if err != nil {
		return "", err
	}
	return sigil.SqueezeBlank(out), nil
}

// buildConfig is nginx_build_config: render and install the app's
// nginx.conf, validate the whole configuration and reload nginx.
func buildConfig(ctx *plugin.Context, name, listenPort, listenIP string) error {
	if ctx.TriggerValue("proxy-type", name) != "nginx" {
		return nil
	}
	if ctx.TriggerValue("proxy-is-enabled", name) == "false" {
		return disabledConfig(ctx, name)
	}
	st, err := gather(ctx, name, listenPort, listenIP, false, false)
	if err != nil {
		return err
	}
	if deployed, _ := ctx.Props().Get("common", name, "deployed"); len(st.listeners) == 0 && deployed == "true" {
		ctx.UI().WarnQuiet("No web listeners specified for " + name + ", serving 502 responses")
	}
	t := chooseTemplate(ctx, name, len(st.listeners) > 0)
	u := ctx.UI()
	for _, h := range st.vhosts {
		u.Info1(fmt.Sprintf("Configuring %s...(using %s template)", h, t.source))
	}
	conf, err := t.render(ctx, "nginx.conf.sigil", st.vars, st.env)
	if err != nil {
		return ui.Fail(err.Error())
	}
	hsts, err := hstsConf(ctx, name, st)
	if err != nil {
		return ui.Fail(err.Error())
	}
	scheme := "http"
	if st.ssl {
		scheme = "https"
	}
	u.Info1("Creating " + scheme + " nginx.conf")
	return install(ctx, name, conf, hsts, listenPort, listenIP)
}

// disabledConfig removes the config of an app whose proxy is disabled.
func disabledConfig(ctx *plugin.Context, name string) error {
	ctx.UI().Info1("Nginx support is disabled for app (" + name + ")")
	p := filepath.Join(ctx.Env.AppRoot(name), "nginx.conf")
	if !fileExists(p) {
		return nil
	}
	l, err := lockNginx(ctx)
	if err != nil {
		return err
	}
	defer l.Release()
	if err := os.Remove(p); err != nil {
		return err
	}
	return validateAndReload(ctx, name)
}

// validateAndReload checks the whole configuration and reloads nginx.
func validateAndReload(ctx *plugin.Context, name string) error {
	out, skipped, err := testAll(ctx)
	if skipped {
		return nil
	}
	if err != nil {
		return failNginx(ctx, out, "nginx configuration is invalid, not reloading nginx")
	}
	if err := reload(ctx, name); err != nil {
		return ui.Fail(err.Error())
	}
	return nil
}

func owner(ctx *plugin.Context) *atomicfile.Owner {
	if uid, gid, ok := ctx.Env.Owner(); ok {
		return &atomicfile.Owner{UID: uid, GID: gid}
	}
	return nil
}

// fileState remembers a file's content to restore it.
type fileState struct {
	path   string
	data   []byte
	exists bool
}

func snapshot(p string) fileState {
	data, err := os.ReadFile(p)
	return fileState{path: p, data: data, exists: err == nil}
}

func (f fileState) restore(own *atomicfile.Owner) error {
	if !f.exists {
		if err := os.Remove(f.path); err != nil && !os.IsNotExist(err) {
			return err
		}
		return nil
	}
	return atomicfile.Write(f.path, f.data, 0o644, own)
}

// install puts a rendered configuration in place and makes nginx use it,
// or puts the previous files back when nginx rejects it: the running
// configuration and the other apps are never affected by a bad template.
func install(ctx *plugin.Context, name, conf, hsts, listenPort, listenIP string) error {
	own := owner(ctx)
	appRoot := ctx.Env.AppRoot(name)
	confD := filepath.Join(appRoot, "nginx.conf.d")
	if err := atomicfile.MkdirAll(confD, 0o755, own); err != nil {
		return err
	}
	confPath := filepath.Join(appRoot, "nginx.conf")
	hstsPath := filepath.Join(confD, "hsts.conf")

	l, err := lockNginx(ctx)
	if err != nil {
		return err
	}
	defer l.Release()

	// Without a global configuration to test (scratch tree), the candidate
	// is checked alone before it replaces anything.
	if _, ok := mainConf(ctx); !ok && nginxBin(ctx) != "" {
		if out, err := testCandidate(ctx, name, conf); err != nil {
			return failNginx(ctx, out, "nginx configuration for "+name+" is invalid, keeping the previous configuration")
		}
	}

	before := []fileState{snapshot(confPath), snapshot(hstsPath)}
	rollback := func() {
		for _, f := range before {
			if err := f.restore(own); err != nil {
				ctx.UI().Warn(fmt.Sprintf("Unable to restore %s: %v", f.path, err))
			}
		}
	}
	if err := atomicfile.Write(confPath, []byte(conf), 0o644, own); err != nil {
		return err
	}
	if hsts != "" {
		err = atomicfile.Write(hstsPath, []byte(hsts), 0o644, own)
	} else if err = os.Remove(hstsPath); os.IsNotExist(err) {
		err = nil
	}
	if err != nil {
		rollback()
		return err
	}
	if err := ctx.Trigger("nginx-pre-reload", name, listenPort, listenIP); err != nil {
		rollback()
		return err
	}
	ctx.UI().Verbose("Reloading nginx")
	out, skipped, err := testAll(ctx)
	if !skipped && err != nil {
		rollback()
		return failNginx(ctx, out, "nginx configuration for "+name+" is invalid, keeping the previous configuration")
	}
	if err := reload(ctx, name); err != nil {
		return ui.Fail(err.Error())
	}
	return nil
}

// testCandidate runs nginx -t over a configuration inside the validation
// wrapper (validate.conf.sigil, or the plugin-supplied validate-config
// template).
func testCandidate(ctx *plugin.Context, name, conf string) (string, error) {
	dir, err := os.MkdirTemp(ctx.Env.Get("TMPDIR"), "dokku-nginx-validate-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return "", err
	}
	vars := map[string]string{
		"APP":        name,
		"DOKKU_ROOT": ctx.Env.Root(),
		"NGINX_CONF": confPath,
		"NGINX_USER": nginxUser(filepath.Join(confDir(ctx), "nginx.conf")),
	}
	var wrapper string
	if p := pluginTemplate(ctx, name, "validate-config"); p != "" {
		wrapper, err = sigil.RenderFile(p, sigil.Options{Vars: vars})
	} else {
		wrapper, err = sigil.Render(validateTemplate, sigil.Options{Name: "validate.conf.sigil", Vars: vars})
	}
	if err != nil {
		return err.Error(), err
	}
	wrapperPath := filepath.Join(dir, "validate.conf")
	if err := os.WriteFile(wrapperPath, []byte(sigil.SqueezeBlank(wrapper)), 0o644); err != nil {
		return "", err
	}
	return testFile(ctx, wrapperPath)
}

// clearConfig deletes generated configs (one app or all) and reloads.
func clearConfig(ctx *plugin.Context, target string) error {
	var apps []string
	if target == "--all" {
		apps = app.ListAll(ctx)
	} else {
		apps = []string{target}
	}
	l, err := lockNginx(ctx)
	if err != nil {
		return err
	}
	defer l.Release()
	removed := false
	for _, a := range apps {
		if err := os.Remove(filepath.Join(ctx.Env.AppRoot(a), "nginx.conf")); err == nil {
			removed = true
		} else if !os.IsNotExist(err) {
			return err
		}
	}
	if !removed {
		return nil
	}
	if err := validateAndReload(ctx, ""); err != nil {
		ctx.UI().Warn("Unable to reload nginx after clearing the configuration")
	}
	return nil
}
