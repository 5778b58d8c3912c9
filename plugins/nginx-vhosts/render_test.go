package nginxvhosts

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/godokku/dokku/internal/sigil"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixtureVars are the variables gather produces for an app with default
// properties on nginx 1.22.1.
func fixtureVars(over map[string]string) map[string]string {
	v := map[string]string{
		"APP":                         "node-js-app",
		"DOKKU_ROOT":                  "/home/dokku",
		"DOKKU_LIB_ROOT":              "/var/lib/dokku",
		"NOSSL_SERVER_NAME":           "node-js-app.dokku.me",
		"SSL_SERVER_NAME":             "",
		"SSL_INUSE":                   "",
		"APP_SSL_PATH":                "/home/dokku/node-js-app/tls",
		"PROXY_PORT":                  "80",
		"PROXY_SSL_PORT":              "",
		"NGINX_PORT":                  "80",
		"NGINX_SSL_PORT":              "",
		"PROXY_PORT_MAP":              "http:80:5000",
		"PROXY_UPSTREAM_PORTS":        "5000",
		"DOKKU_APP_WEB_LISTENERS":     "172.17.0.5:5000",
		"DOKKU_APP_LISTENERS":         "172.17.0.5:5000",
		"DOKKU_APP_LISTEN_PORT":       "",
		"DOKKU_APP_LISTEN_IP":         "",
		"PASSED_LISTEN_IP_PORT":       "",
		"NGINX_LOG_ROOT":              "/var/log/nginx",
		"NGINX_ACCESS_LOG_FORMAT":     "",
		"NGINX_ACCESS_LOG_PATH":       "/var/log/nginx/node-js-app-access.log",
		"NGINX_ERROR_LOG_PATH":        "/var/log/nginx/node-js-app-error.log",
		"NGINX_BIND_ADDRESS_IP4":      "",
		"NGINX_BIND_ADDRESS_IP6":      "::",
		"NGINX_UNDERSCORE_IN_HEADERS": "off",
		"CLIENT_BODY_TIMEOUT":         "60s",
		"CLIENT_HEADER_TIMEOUT":       "60s",
		"CLIENT_MAX_BODY_SIZE":        "1m",
		"KEEPALIVE_TIMEOUT":           "75s",
		"LINGERING_TIMEOUT":           "5s",
		"PROXY_CONNECT_TIMEOUT":       "60s",
		"PROXY_READ_TIMEOUT":          "60s",
		"PROXY_SEND_TIMEOUT":          "60s",
		"SEND_TIMEOUT":                "60s",
		"PROXY_BUFFER_SIZE":           "4k",
		"PROXY_BUFFERING":             "on",
		"PROXY_BUFFERS":               "8 4k",
		"PROXY_BUSY_BUFFERS_SIZE":     "8k",
		"PROXY_KEEPALIVE":             "",
		"PROXY_X_FORWARDED_FOR":       "$remote_addr",
		"PROXY_X_FORWARDED_PORT":      "$server_port",
		"PROXY_X_FORWARDED_PROTO":     "$scheme",
		"PROXY_X_FORWARDED_SSL":       "",
	}
	for k, val := range features("1.22.1") {
		v[k] = val
	}
	for k, val := range over {
		v[k] = val
	}
	return v
}

func goldenFile(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("%s differs:\n--- got ---\n%s", name, got)
	}
}

// RenderCases are the golden renderings; the integration tests run
// `nginx -t` over the same files.
var RenderCases = []struct {
	Golden   string
	Template string // "" = built-in
	Vars     map[string]string
	Env      map[string]string
}{
	{Golden: "one-listener.conf.golden"},
	{Golden: "several-listeners.conf.golden", Vars: map[string]string{
		"DOKKU_APP_WEB_LISTENERS": "172.17.0.5:5000 172.17.0.6:5000 172.17.0.7:5000",
		"PROXY_PORT_MAP":          "http:80:5000 http:8080:3000",
		"PROXY_UPSTREAM_PORTS":    "5000 3000",
		"NOSSL_SERVER_NAME":       "node-js-app.dokku.me www.example.com",
		"PROXY_KEEPALIVE":         "16",
		"NGINX_ACCESS_LOG_FORMAT": "combined",
		"PROXY_X_FORWARDED_SSL":   "on",
	}},
	{Golden: "no-listeners-502.conf.golden", Vars: map[string]string{
		"DOKKU_APP_WEB_LISTENERS": "",
		"DOKKU_APP_LISTENERS":     "",
	}},
	{Golden: "ssl-custom-ports.conf.golden", Vars: map[string]string{
		"SSL_INUSE":              "true",
		"PROXY_SSL_PORT":         "443",
		"PROXY_PORT_MAP":         "http:80:5000 https:443:5000 https:8443:5001 grpc:50051:50051",
		"PROXY_UPSTREAM_PORTS":   "5000 5001 50051",
		"NGINX_BIND_ADDRESS_IP4": "10.0.0.1",
		"NGINX_BIND_ADDRESS_IP6": "::1",
		"CLIENT_MAX_BODY_SIZE":   "",
	}},
	{Golden: "http2-directive.conf.golden", Vars: func() map[string]string {
		v := map[string]string{"SSL_INUSE": "true", "PROXY_SSL_PORT": "443", "PROXY_PORT_MAP": "http:80:5000 https:443:5000"}
		for k, val := range features("1.27.0") {
			v[k] = val
		}
		return v
	}()},
	{Golden: "app-template.conf.golden", Template: "testdata/app-template.sigil", Vars: map[string]string{
		"DOKKU_APP_WORKER_LISTENERS": "172.17.0.9:5000",
	}, Env: map[string]string{"RELEASE": "v42"}},
}

func TestNginxRenderGolden(t *testing.T) {
	for _, c := range RenderCases {
		t.Run(c.Golden, func(t *testing.T) {
			vars := fixtureVars(c.Vars)
			env := map[string]string{}
			for k, v := range c.Env {
				env[k] = v
			}
			var out string
			var err error
			if c.Template == "" {
				out, err = sigil.Render(builtinTemplate, sigil.Options{Name: "nginx.conf.sigil", Vars: vars, Env: env})
			} else {
				out, err = sigil.RenderFile(c.Template, sigil.Options{Name: "nginx.conf.sigil", Vars: vars, Env: env})
			}
			if err != nil {
				t.Fatal(err)
			}
			goldenFile(t, c.Golden, sigil.SqueezeBlank(out))
		})
	}
}

func TestNginxFeatures(t *testing.T) {
	cases := map[string]map[string]string{
		"1.22.1": {"HTTP2_SUPPORTED": "true", "HTTP2_DIRECTIVE_SUPPORTED": "false", "HTTP2_PUSH_SUPPORTED": "true", "TLS13_SUPPORTED": "true"},
		"1.25.1": {"HTTP2_DIRECTIVE_SUPPORTED": "true", "HTTP2_PUSH_SUPPORTED": "false"},
		"1.9.4":  {"HTTP2_SUPPORTED": "false", "TLS13_SUPPORTED": "false"},
		"":       {"HTTP2_SUPPORTED": "true", "HTTP2_DIRECTIVE_SUPPORTED": "false", "SPDY_SUPPORTED": "false", "GRPC_SUPPORTED": "true"},
	}
	for v, want := range cases {
		got := features(v)
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%q %s = %s, want %s", v, k, got[k], w)
			}
		}
	}
	if parseVersion("nginx version: nginx/1.22.1\n") != "1.22.1" || parseVersion("nginx version: openresty/1.21.4.1") != "1.21.4.1" {
		t.Fatal("parseVersion")
	}
}

func TestNginxUserDirective(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "nginx.conf")
	os.WriteFile(p, []byte("#user nobody;\n  user   www-data www-data; # workers\nuserid on;\n"), 0o644)
	if u := nginxUser(p); u != "www-data" {
		t.Fatalf("got %q", u)
	}
	os.WriteFile(p, []byte("#user nobody;\nuserid on;\n"), 0o644)
	if u := nginxUser(p); u != "" {
		t.Fatalf("got %q", u)
	}
}

func TestNginxCertMatcher(t *testing.T) {
	re := certMatcher([]string{"*.example.com", "example.org"})
	for h, want := range map[string]bool{"www.example.com": true, "a.b.example.com": false, "example.org": true, "xexample.org": false} {
		if re.MatchString(h) != want {
			t.Errorf("%s: want %v", h, want)
		}
	}
}

func TestNginxLastLines(t *testing.T) {
	p := filepath.Join(t.TempDir(), "log")
	var content string
	for i := 0; i < 30; i++ {
		content += "line" + string(rune('a'+i%26)) + "\n"
	}
	os.WriteFile(p, []byte(content), 0o644)
	out, err := lastLines(p, 20)
	if err != nil {
		t.Fatal(err)
	}
	if want := content[len(content)-20*6:]; out != want {
		t.Fatalf("got %q want %q", out, want)
	}
}
