package script

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProxyNginxInstallFiles(t *testing.T) {
	r := proxyRoot(t)
	conf := proxyRead(t, r.Sys, "etc/nginx/conf.d/dokku.conf")
	proxyContains(t, "dokku.conf", conf,
		"include "+r.Home+"/*/nginx.conf;\n",
		"server_tokens off;\n",
		"ssl_session_cache   shared:SSL:20m;\nssl_session_timeout 1d;\nssl_session_tickets off;\n",
		"ssl_dhparam "+filepath.Join(r.Sys, "etc/nginx/dhparam.pem")+";\n",
		"ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:")
	proxyContains(t, "dhparam", proxyRead(t, r.Sys, "etc/nginx/dhparam.pem"), "-----BEGIN DH PARAMETERS-----")
	if got := proxyRead(t, r.Sys, "etc/nginx/conf.d/server_names_hash_bucket_size.conf"); got != "server_names_hash_bucket_size 512;\n" {
		t.Fatalf("bucket size: %q", got)
	}
	sudoers := filepath.Join(r.Sys, "etc/sudoers.d/dokku-nginx")
	fi, err := os.Stat(sudoers)
	if err != nil || fi.Mode().Perm() != 0o440 {
		t.Fatalf("sudoers: %v %v", err, fi)
	}
	proxyContains(t, "sudoers", proxyRead(t, sudoers), " -t, ", " -t -c *, ", " -s reload", "NOPASSWD:", "!requiretty")
	for _, p := range []string{"400", "404", "500", "502"} {
		proxyContains(t, p+" page", proxyRead(t, r.Lib, "data/nginx-vhosts/dokku-errors", p+"-error.html"), "<html")
	}
	// a customised bucket size survives a reinstall; a template plugin
	// replaces dokku.conf
	proxyWrite(t, "server_names_hash_bucket_size 128;\n", r.Sys, "etc/nginx/conf.d/server_names_hash_bucket_size.conf")
	tpl := r.WriteFile("dokku-template.sigil", "# custom for {{ $.DOKKU_ROOT }}\n", 0o644)
	r.AddPlugin("zz-dokku-template", map[string]string{"nginx-dokku-template-source": "#!/bin/sh\necho " + tpl + "\n"})
	proxyMust(t, r, "plugin:install")
	if got := proxyRead(t, r.Sys, "etc/nginx/conf.d/server_names_hash_bucket_size.conf"); got != "server_names_hash_bucket_size 128;\n" {
		t.Fatalf("bucket size overwritten: %q", got)
	}
	if got := proxyRead(t, r.Sys, "etc/nginx/conf.d/dokku.conf"); got != "# custom for "+r.Home+"\n" {
		t.Fatalf("dokku.conf = %q", got)
	}
}

func TestProxyNginxUndeployedApp502(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	conf := proxyRead(t, r.Home, "node-js-app", "nginx.conf")
	proxyContains(t, "nginx.conf", conf,
		"  listen      [::]:80;\n  listen      80;\n",
		"server_name node-js-app.dokku.me;",
		"    return 502;\n",
		"error_page 502 /502-error.html;",
		"root "+r.Lib+"/data/nginx-vhosts/dokku-errors;",
		"include "+r.Home+"/node-js-app/nginx.conf.d/*.conf;")
	if strings.Contains(conf, "upstream") || strings.Contains(conf, "proxy_pass") {
		t.Fatalf("502 config proxies:\n%s", conf)
	}
	if !proxyExists(r.Home, "node-js-app", "nginx.conf.d") {
		t.Fatal("nginx.conf.d not created")
	}
}

func TestProxyNginxBuildWithListeners(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	proxyWrite(t, "172.17.0.5:5000 172.17.0.6:5000\n", r.Home, "node-js-app", "TEST_LISTENERS_web")
	proxyMust(t, r, "domains:add", "node-js-app", "www.example.com")
	proxyExpect(t, proxyRun(r, "proxy:build-config", "node-js-app"), 0,
		"-----> Configuring node-js-app.dokku.me...(using built-in template)\n"+
			"-----> Configuring www.example.com...(using built-in template)\n"+
			"-----> Creating http nginx.conf\n"+
			"       Reloading nginx\n", "")
	conf := proxyRead(t, r.Home, "node-js-app", "nginx.conf")
	proxyContains(t, "nginx.conf", conf,
		"proxy_pass  http://node-js-app-5000;",
		"upstream node-js-app-5000 {\n  server 172.17.0.5:5000;\n  server 172.17.0.6:5000;\n}\n",
		"proxy_set_header X-Request-Start $msec;")
	// a reload command runs when configured, also in a scratch root
	mark := r.Path("reloaded")
	proxyMust(t, r, "nginx:set", "--global", "nginx-service-command", "echo reloaded >> "+mark)
	proxyMust(t, r, "proxy:build-config", "node-js-app")
	if got := proxyRead(t, mark); got != "reloaded\n" {
		t.Fatalf("reload command: %q", got)
	}
	// nginx-pre-reload receives the app
	log := proxyRecorder(t, r, "nginx-pre-reload")
	proxyMust(t, r, "proxy:build-config", "node-js-app")
	if got := proxyLog(t, log); len(got) != 1 || got[0] != "nginx-pre-reload node-js-app  " {
		t.Fatalf("nginx-pre-reload: %q", got)
	}
	// the early rebuild of scheduler-post-deploy-process only runs for web
	proxyExpect(t, proxyTrigger(r, nil, "scheduler-post-deploy-process", "node-js-app", "worker"), 0, "", "")
	res := proxyTrigger(r, nil, "scheduler-post-deploy-process", "node-js-app", "web")
	proxyContains(t, "early rebuild", res.Stdout, "=====> Triggering early nginx proxy rebuild\n-----> Configuring")
}

func TestProxyNginxSettings(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	proxyWrite(t, "172.17.0.5:5000\n", r.Home, "node-js-app", "TEST_LISTENERS_web")
	for _, kv := range [][]string{
		{"client-max-body-size", "50m"}, {"bind-address-ipv4", "127.0.0.1"}, {"bind-address-ipv6", "::1"},
		{"x-forwarded-ssl", "on"}, {"proxy-keepalive", "32"}, {"access-log-path", "off"}, {"access-log-format", "combined"},
		{"underscore-in-headers", "on"}, {"proxy-read-timeout", "120s"},
	} {
		proxyExpect(t, proxyRun(r, "nginx:set", "node-js-app", kv[0], kv[1]), 0, "=====> Setting "+kv[0]+" to "+kv[1]+"\n", "")
	}
	proxyMust(t, r, "proxy:build-config", "node-js-app")
	conf := proxyRead(t, r.Home, "node-js-app", "nginx.conf")
	proxyContains(t, "nginx.conf", conf,
		"client_max_body_size 50m;", "listen      [::1]:80;", "listen      127.0.0.1:80;",
		"proxy_set_header X-Forwarded-Ssl on;", "keepalive 32;", "access_log  off;\n",
		"underscores_in_headers on;", "proxy_read_timeout 120s;")
	proxyExpect(t, proxyRun(r, "nginx:report", "node-js-app", "--nginx-computed-client-max-body-size"), 0, "50m\n", "")
	proxyExpect(t, proxyRun(r, "nginx:report", "node-js-app", "--nginx-computed-send-timeout"), 0, "60s\n", "")
	proxyExpect(t, proxyRun(r, "nginx:set", "node-js-app", "client-max-body-size"), 0, "=====> Unsetting client-max-body-size\n", "")
	proxyExpect(t, proxyRun(r, "nginx:report", "node-js-app", "--nginx-computed-client-max-body-size"), 0, "1m\n", "")
	proxyExpect(t, proxyRun(r, "nginx:set", "node-js-app", "hsts", "yes"), 1, "", " !     Invalid value specified, valid values include: true, false\n")
	proxyExpect(t, proxyRun(r, "nginx:set", "node-js-app", "send-timeout", "1s; return 200"), 1, "", " !     Invalid value for send-timeout: \"1s; return 200\"\n")
	proxyExpect(t, proxyRun(r, "nginx:set", "node-js-app", "proxy-keepalive", "-1"), 1, "", " !     Invalid value for proxy-keepalive, must be a non-negative integer: -1\n")
	res := proxyRun(r, "nginx:set", "node-js-app", "nope", "1")
	if res.Code != 1 || !strings.HasPrefix(res.Stderr, " !     Invalid key specified, valid keys include: access-log-format, access-log-path,") {
		t.Fatalf("%s", res)
	}
	proxyMust(t, r, "nginx:set", "--global", "hsts-max-age", "100")
	res = proxyMust(t, r, "nginx:report", "--global")
	proxyContains(t, "global report", res.Stdout, "=====> --global nginx information\n", "       Nginx global hsts max age:")
	if strings.Contains(res.Stdout, "computed") {
		t.Fatalf("global report shows computed keys:\n%s", res.Stdout)
	}
	res = proxyMust(t, r, "nginx:report", "node-js-app")
	if n := strings.Count(res.Stdout, "\n"); n != 1+31*3+1 {
		t.Fatalf("report has %d lines:\n%s", n, res.Stdout)
	}
}

func TestProxyNginxSSLAndHSTS(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	proxyWrite(t, "172.17.0.5:5000\n", r.Home, "node-js-app", "TEST_LISTENERS_web")
	proxyMust(t, r, "domains:add", "node-js-app", "www.example.com")
	proxyCert(t, r, "node-js-app", "www.example.com")
	res := proxyMust(t, r, "proxy:build-config", "node-js-app")
	proxyContains(t, "build", res.Stdout, "-----> Creating https nginx.conf\n")
	conf := proxyRead(t, r.Home, "node-js-app", "nginx.conf")
	proxyContains(t, "nginx.conf", conf,
		"return 301 https://$host:443$request_uri;",
		"listen      443 ssl http2;",
		"ssl_certificate           "+r.Home+"/node-js-app/tls/server.crt;")
	if got := proxyRead(t, r.Home, "node-js-app", "nginx.conf.d", "hsts.conf"); got != "add_header Strict-Transport-Security \"max-age=15724800; includeSubdomains\" always;\n" {
		t.Fatalf("hsts.conf = %q", got)
	}
	proxyMust(t, r, "nginx:set", "node-js-app", "hsts-preload", "true")
	proxyMust(t, r, "proxy:build-config", "node-js-app")
	proxyContains(t, "hsts.conf", proxyRead(t, r.Home, "node-js-app", "nginx.conf.d", "hsts.conf"), "includeSubdomains; preload")
	proxyMust(t, r, "nginx:set", "node-js-app", "hsts", "false")
	proxyMust(t, r, "proxy:build-config", "node-js-app")
	if proxyExists(r.Home, "node-js-app", "nginx.conf.d", "hsts.conf") {
		t.Fatal("hsts.conf kept with hsts=false")
	}
	// no configured domain in the certificate: a hint
	proxyCert(t, r, "node-js-app", "other.example.org")
	res = proxyMust(t, r, "proxy:build-config", "node-js-app")
	proxyContains(t, "mismatch", res.Stdout, "-----> No matching configured domains for node-js-app found in SSL certificate.", "-----> Domains found in SSL certificate:\n=====> other.example.org\n")
}

const proxyAppTemplate = `{{ range $pm := .PROXY_PORT_MAP | split " " }}{{ $p := $pm | split ":" }}
server {
  listen {{ index $p 1 }};
  server_name {{ $.NOSSL_SERVER_NAME }};
  location / { proxy_pass http://{{ $.APP }}-{{ index $p 2 }}; add_header X-Custom "{{ var "CUSTOM" | default "none" }}"; }
}
{{ end }}
{{ range $port := $.PROXY_UPSTREAM_PORTS | split " " }}
upstream {{ $.APP }}-{{ $port }} {
{{ range $l := $.DOKKU_APP_WEB_LISTENERS | split " " }}  server {{ index ($l | split ":") 0 }}:{{ $port }};
{{ end }}}
{{ end }}
`

func TestProxyNginxAppTemplateLifecycle(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	src := r.Path("src")
	proxyWrite(t, proxyAppTemplate, src, "nginx.conf.sigil")
	pid := []string{"DOKKU_PID=4242"}
	res := proxyTrigger(r, pid, "core-post-extract", "node-js-app", src, "deadbeef")
	proxyExpect(t, res, 0, "-----> Pre-validating custom nginx.conf.sigil\n", "")
	data := filepath.Join(r.Lib, "data", "nginx-vhosts", "app-node-js-app")
	if proxyRead(t, data, "nginx.conf.sigil.4242") != proxyAppTemplate {
		t.Fatal("template not staged")
	}
	// Without listeners the app still gets the built-in 502 config.
	res = proxyRunEnv(r, pid, "proxy:build-config", "node-js-app")
	proxyContains(t, "no listeners", res.Stdout, "(using built-in template)")
	proxyWrite(t, "172.17.0.5:5000\n", r.Home, "node-js-app", "TEST_LISTENERS_web")
	proxyMust(t, r, "config:set", "--no-restart", "node-js-app", "CUSTOM=from-config")
	res = proxyRunEnv(r, pid, "proxy:build-config", "node-js-app")
	proxyContains(t, "staged", res.Stdout, "-----> Configuring node-js-app.dokku.me...(using app-supplied template)\n")
	proxyContains(t, "nginx.conf", proxyRead(t, r.Home, "node-js-app", "nginx.conf"), `add_header X-Custom "from-config";`, "server 172.17.0.5:5000;")
	// another build (other PID) does not see the staged file yet
	res = proxyRunEnv(r, []string{"DOKKU_PID=1"}, "proxy:build-config", "node-js-app")
	proxyContains(t, "other pid", res.Stdout, "(using built-in template)")
	// promotion
	if res := proxyTrigger(r, pid, "core-post-deploy", "node-js-app", "", "", "latest"); res.Code != 0 {
		t.Fatalf("%s", res)
	}
	if proxyExists(data, "nginx.conf.sigil.4242") || proxyRead(t, data, "nginx.conf.sigil") != proxyAppTemplate {
		t.Fatal("template not promoted")
	}
	res = proxyRun(r, "proxy:build-config", "node-js-app")
	proxyContains(t, "promoted", res.Stdout, "(using app-supplied template)")
	proxyMust(t, r, "nginx:set", "node-js-app", "disable-custom-config", "true")
	res = proxyRun(r, "proxy:build-config", "node-js-app")
	proxyContains(t, "disabled custom", res.Stdout, "(using built-in template)")
	proxyMust(t, r, "nginx:set", "node-js-app", "disable-custom-config")
	// a source without the template removes the promoted one on deploy
	empty := r.Path("empty-src")
	os.MkdirAll(empty, 0o755)
	proxyExpect(t, proxyTrigger(r, []string{"DOKKU_PID=5555"}, "core-post-extract", "node-js-app", empty, "rev"), 0, "", "")
	if !proxyExists(data, "nginx.conf.sigil.5555.missing") {
		t.Fatal("missing marker not written")
	}
	res = proxyRunEnv(r, []string{"DOKKU_PID=5555"}, "plugin:trigger", "core-post-deploy", "node-js-app", "", "", "latest")
	if res.Code != 0 || proxyExists(data, "nginx.conf.sigil") {
		t.Fatalf("template not removed: %s", res)
	}
	// nginx-conf-sigil-path moves the template
	proxyMust(t, r, "nginx:set", "node-js-app", "nginx-conf-sigil-path", "config/nginx.sigil")
	proxyWrite(t, proxyAppTemplate, src, "config", "nginx.sigil")
	proxyExpect(t, proxyTrigger(r, []string{"DOKKU_PID=77"}, "core-post-extract", "node-js-app", src, "rev"), 0, "-----> Pre-validating custom nginx.conf.sigil\n", "")
	if !proxyExists(data, "nginx.conf.sigil.77") {
		t.Fatal("custom path not staged")
	}
}

func TestProxyNginxBrokenTemplateRejected(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	proxyWrite(t, "172.17.0.5:5000\n", r.Home, "node-js-app", "TEST_LISTENERS_web")
	proxyMust(t, r, "proxy:build-config", "node-js-app")
	good := proxyRead(t, r.Home, "node-js-app", "nginx.conf")
	src := r.Path("src")

	// nginx rejects it: the deploy stops at extraction
	proxyWrite(t, "server {\n  listen 80;\n  not_a_directive on;\n}\n", src, "nginx.conf.sigil")
	res := proxyTrigger(r, []string{"DOKKU_PID=1234"}, "core-post-extract", "node-js-app", src, "rev")
	if res.Code == 0 || !strings.Contains(res.Stdout, "-----> Pre-validating custom nginx.conf.sigil\n") ||
		!strings.Contains(res.Stderr, `unknown directive "not_a_directive"`) ||
		!strings.HasSuffix(res.Stderr, " !     Custom nginx.conf.sigil failed nginx -t validation\n") {
		t.Fatalf("%s", res)
	}
	// sigil rejects it
	proxyWrite(t, "server {\n  listen {{ .PROXY_PORT | nosuch }};\n}\n", src, "nginx.conf.sigil")
	res = proxyTrigger(r, []string{"DOKKU_PID=1234"}, "core-post-extract", "node-js-app", src, "rev")
	if res.Code == 0 || !strings.Contains(res.Stderr, `template: nginx.conf.sigil:2: function "nosuch" not defined`) ||
		!strings.HasSuffix(res.Stderr, " !     Custom nginx.conf.sigil failed to render\n") {
		t.Fatalf("%s", res)
	}
	// a bad promoted template fails the build and keeps the running config
	proxyWrite(t, "server {\n  listen 80;\n  not_a_directive on;\n}\n", r.Lib, "data", "nginx-vhosts", "app-node-js-app", "nginx.conf.sigil")
	res = proxyRun(r, "proxy:build-config", "node-js-app")
	if res.Code != 1 || !strings.Contains(res.Stderr, `unknown directive "not_a_directive"`) ||
		!strings.HasSuffix(res.Stderr, " !     nginx configuration for node-js-app is invalid, keeping the previous configuration\n") {
		t.Fatalf("%s", res)
	}
	if proxyRead(t, r.Home, "node-js-app", "nginx.conf") != good {
		t.Fatal("nginx.conf replaced by a rejected rendering")
	}
}

func TestProxyNginxPluginTemplateSource(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	proxyWrite(t, "172.17.0.5:5000\n", r.Home, "node-js-app", "TEST_LISTENERS_web")
	tpl := r.WriteFile("plugin.sigil", "# plugin template for {{ $.APP }}\n", 0o644)
	r.AddPlugin("zz-template", map[string]string{"nginx-app-template-source": "#!/bin/sh\n[ \"$2\" = app-config ] && echo " + tpl + "\nexit 0\n"})
	res := proxyMust(t, r, "proxy:build-config", "node-js-app")
	proxyContains(t, "build", res.Stdout, "(using plugin-supplied template)")
	if got := proxyRead(t, r.Home, "node-js-app", "nginx.conf"); got != "# plugin template for node-js-app\n" {
		t.Fatalf("nginx.conf = %q", got)
	}
}

func TestProxyNginxShowValidateLogs(t *testing.T) {
	r := proxyRoot(t, "node-js-app", "other")
	proxyExpect(t, proxyRun(r, "nginx:show-config", "node-js-app"), 0, proxyRead(t, r.Home, "node-js-app", "nginx.conf"), "")
	proxyExpect(t, proxyRun(r, "nginx:show-conf", "node-js-app"), 0, proxyRead(t, r.Home, "node-js-app", "nginx.conf"), "")
	os.Remove(filepath.Join(r.Home, "other", "nginx.conf"))
	proxyExpect(t, proxyRun(r, "nginx:show-config", "other"), 1, "", " !     No nginx.conf exists for other\n")
	proxyExpect(t, proxyRun(r, "nginx:validate-config"), 0, "", " !     No nginx config found for other\n")
	proxyWrite(t, "server { bogus; }\n", r.Home, "node-js-app", "nginx.conf")
	res := proxyRun(r, "nginx:validate-config", "node-js-app")
	if res.Code != 1 || !strings.Contains(res.Stderr, " !     Failed to validate nginx config for node-js-app. Contents below...\n") || !strings.Contains(res.Stdout, "server { bogus; }") {
		t.Fatalf("%s", res)
	}
	res = proxyRun(r, "nginx:validate", "--clean")
	if res.Code != 0 || !strings.Contains(res.Stderr, " !     Removing invalid nginx file\n") || proxyExists(r.Home, "node-js-app", "nginx.conf") {
		t.Fatalf("%s", res)
	}
	logs := filepath.Join(r.Sys, "var/log/nginx")
	var b strings.Builder
	for i := 1; i <= 25; i++ {
		b.WriteString("request " + strings.Repeat("x", i) + "\n")
	}
	proxyWrite(t, b.String(), logs, "node-js-app-access.log")
	res = proxyMust(t, r, "nginx:access-logs", "node-js-app")
	if lines := strings.Split(strings.TrimSuffix(res.Stdout, "\n"), "\n"); len(lines) != 20 || lines[19] != "request "+strings.Repeat("x", 25) {
		t.Fatalf("access-logs: %q", res.Stdout)
	}
	proxyWrite(t, "boom\n", logs, "node-js-app-error.log")
	proxyExpect(t, proxyRun(r, "nginx:error-logs", "node-js-app"), 0, "boom\n", "")
	proxyMust(t, r, "nginx:set", "node-js-app", "access-log-path", "off")
	proxyExpect(t, proxyRun(r, "nginx:access-logs", "node-js-app"), 1, "", " !     access logs are disabled for this app\n")
}

func TestProxyNginxAppLifecycleTriggers(t *testing.T) {
	r := proxyRoot(t, "node-js-app", "copy", "renamed")
	data := filepath.Join(r.Lib, "data", "nginx-vhosts")
	proxyWrite(t, proxyAppTemplate, data, "app-node-js-app", "nginx.conf.sigil")
	proxyMust(t, r, "nginx:set", "node-js-app", "client-max-body-size", "5m")
	proxyExpect(t, proxyTrigger(r, nil, "post-app-clone-setup", "node-js-app", "copy"), 0, "", "")
	if proxyRead(t, data, "app-copy", "nginx.conf.sigil") != proxyAppTemplate {
		t.Fatal("template not cloned")
	}
	if proxyExists(r.Home, "copy", "nginx.conf") {
		t.Fatal("copied nginx.conf kept")
	}
	proxyExpect(t, proxyRun(r, "nginx:report", "copy", "--nginx-client-max-body-size"), 0, "5m\n", "")
	proxyExpect(t, proxyTrigger(r, nil, "post-app-rename-setup", "copy", "renamed"), 0, "", "")
	if proxyRead(t, data, "app-renamed", "nginx.conf.sigil") != proxyAppTemplate || proxyExists(data, "app-copy") {
		t.Fatal("template not moved on rename")
	}
	proxyExpect(t, proxyRun(r, "nginx:report", "node-js-app", "--nginx-client-max-body-size"), 0, "5m\n", "")
}

func TestProxyNginxStartStop(t *testing.T) {
	r := proxyRoot(t)
	proxyExpect(t, proxyRun(r, "nginx:stop"), 0, "-----> Stopping nginx\n", "")
	if got := proxyRead(t, r.Lib, "config", "nginx", "--global", "proxy-status"); got != "stopped" {
		t.Fatalf("proxy-status = %q", got)
	}
	// a stopped proxy gets no config for new apps
	proxyMust(t, r, "apps:create", "node-js-app")
	if proxyExists(r.Home, "node-js-app", "nginx.conf") {
		t.Fatal("config written while nginx is stopped")
	}
	proxyExpect(t, proxyRun(r, "nginx:start"), 0, "-----> Starting nginx\n", "")
	if got := proxyRead(t, r.Lib, "config", "nginx", "--global", "proxy-status"); got != "started" {
		t.Fatalf("proxy-status = %q", got)
	}
	proxyExpect(t, proxyTrigger(r, nil, "pre-restore"), 0, "", "")
	proxyExpect(t, proxyRun(r, "nginx:reload"), 0, "", "")
}
