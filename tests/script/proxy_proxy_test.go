package script

import (
	"strings"
	"testing"
)

func TestProxyProxySetAndReport(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	proxyExpect(t, proxyRun(r, "proxy:set", "node-js-app", "type", "caddy"), 0, "=====> Setting type to caddy\n", "")
	proxyExpect(t, proxyTrigger(r, nil, "proxy-type", "node-js-app"), 0, "caddy\n", "")
	// legacy form
	proxyExpect(t, proxyRun(r, "proxy:set", "node-js-app", "nginx"), 0, "=====> Setting type to nginx\n", "")
	proxyExpect(t, proxyRun(r, "proxy:set", "--global", "haproxy"), 0, "=====> Setting type to haproxy\n", "")
	proxyExpect(t, proxyRun(r, "proxy:set", "node-js-app", "type"), 0, "=====> Unsetting type\n", "")
	proxyExpect(t, proxyTrigger(r, nil, "proxy-type", "node-js-app"), 0, "haproxy\n", "")
	proxyExpect(t, proxyRun(r, "proxy:set", "--global", "type"), 0, "=====> Unsetting type\n", "")
	proxyExpect(t, proxyRun(r, "proxy:set", "node-js-app", "proxy-port", "http"), 1, "", " !     Invalid port specified, must be an integer between 1 and 65535\n")
	proxyExpect(t, proxyRun(r, "proxy:set", "node-js-app", "disabled", "maybe"), 1, "", " !     Invalid value specified, valid values include: true, false\n")
	proxyExpect(t, proxyRun(r, "proxy:set", "node-js-app", "bogus", "1"), 1, "", " !     Invalid property specified, valid properties include: disabled, proxy-port, proxy-ssl-port, type\n")
	proxyExpect(t, proxyRun(r, "proxy:set", "missing", "type", "nginx"), 20, "", " !     App missing does not exist\n")
	// disabled has no global scope in Dokku
	proxyExpect(t, proxyRun(r, "proxy:set", "--global", "disabled", "true"), 1, "", " !     Property cannot be specified globally\n")
	proxyMust(t, r, "proxy:set", "--global", "proxy-ssl-port", "8443")
	proxyExpect(t, proxyRun(r, "proxy:report", "node-js-app"), 0,
		"=====> node-js-app proxy information\n"+
			"       Proxy computed disabled:       false\n"+
			"       Proxy computed proxy port:     80\n"+
			"       Proxy computed proxy ssl port: 8443\n"+
			"       Proxy computed type:           nginx\n"+
			"       Proxy disabled:                \n"+
			"       Proxy enabled:                 true\n"+
			"       Proxy global proxy port:       \n"+
			"       Proxy global proxy ssl port:   8443\n"+
			"       Proxy global type:             \n"+
			"       Proxy proxy port:              80\n"+
			"       Proxy proxy ssl port:          \n"+
			"       Proxy type:                    \n", "")
	proxyExpect(t, proxyRun(r, "proxy:report", "--global", "--proxy-global-proxy-ssl-port"), 0, "8443\n", "")
	// --global has no disabled keys, and the ports no built-in default
	proxyMust(t, r, "proxy:set", "--global", "proxy-ssl-port")
	proxyExpect(t, proxyRun(r, "proxy:report", "--global"), 0,
		"=====> --global proxy information\n"+
			"       Proxy computed proxy port:     \n"+
			"       Proxy computed proxy ssl port: \n"+
			"       Proxy computed type:           nginx\n"+
			"       Proxy global proxy port:       \n"+
			"       Proxy global proxy ssl port:   \n"+
			"       Proxy global type:             \n", "")
	res := proxyMust(t, r, "proxy:report", "node-js-app", "--format", "json")
	proxyContains(t, "json", res.Stdout, `"computed-type":"nginx"`, `"proxy-computed-type":"nginx"`, `"enabled":"true"`)
}

func TestProxyProxyDisableEnable(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	log := proxyRecorder(t, r, "proxy-disable", "proxy-enable")
	res := proxyMust(t, r, "proxy:disable", "node-js-app")
	proxyContains(t, "disable", res.Stdout, "-----> Disabling proxy for app\n", "-----> Nginx support is disabled for app (node-js-app)\n")
	if proxyExists(r.Home, "node-js-app", "nginx.conf") {
		t.Fatal("nginx.conf kept with the proxy disabled")
	}
	proxyExpect(t, proxyTrigger(r, nil, "proxy-is-enabled", "node-js-app"), 0, "false\n", "")
	proxyExpect(t, proxyRun(r, "proxy:disable", "node-js-app"), 0, "-----> Proxy is already disable for app\n", "")
	// a rebuild keeps it off
	proxyExpect(t, proxyRun(r, "proxy:build-config", "node-js-app"), 0, "-----> Nginx support is disabled for app (node-js-app)\n", "")
	res = proxyMust(t, r, "proxy:enable", "node-js-app")
	proxyContains(t, "enable", res.Stdout, "-----> Enabling proxy for app\n", "-----> Creating http nginx.conf\n")
	if strings.Count(res.Stdout, "Creating http nginx.conf") != 1 {
		t.Fatalf("config built more than once:\n%s", res.Stdout)
	}
	if !proxyExists(r.Home, "node-js-app", "nginx.conf") {
		t.Fatal("no nginx.conf after enable")
	}
	proxyExpect(t, proxyTrigger(r, nil, "proxy-is-enabled", "node-js-app"), 0, "true\n", "")
	if got := proxyLog(t, log); strings.Join(got, "|") != "proxy-disable node-js-app|proxy-enable node-js-app" {
		t.Fatalf("triggers: %v", got)
	}
}

func TestProxyProxyAllApps(t *testing.T) {
	r := proxyRoot(t, "a-app", "b-app")
	// default and 0/1: serial, with Dokku's warning and per-app header
	for _, p := range [][]string{nil, {"--parallel", "1"}} {
		res := proxyMust(t, r, append([]string{"proxy:build-config", "--all"}, p...)...)
		proxyContains(t, "build-config --all", res.Stdout,
			"-----> Running build-config against app a-app\n-----> Configuring a-app.dokku.me",
			"-----> Running build-config against app b-app\n-----> Configuring b-app.dokku.me")
		if res.Stderr != " !     Running build-config in serial mode\n" {
			t.Fatalf("serial stderr: %q", res.Stderr)
		}
	}
	res := proxyMust(t, r, "proxy:build-config", "--all", "--parallel", "2")
	proxyContains(t, "build-config --all --parallel 2", res.Stdout,
		"-----> Running command against a-app\n-----> Configuring a-app.dokku.me",
		"-----> Running command against b-app\n-----> Configuring b-app.dokku.me")
	res = proxyMust(t, r, "proxy:build-config", "--all", "--parallel", "-1")
	proxyContains(t, "build-config --parallel -1", res.Stderr, " !     Setting --parallel=-1 value to CPU count of ")
	proxyExpect(t, proxyRun(r, "proxy:build-config", "--all", "--parallel", "-2"), 1, "", " !     Invalid value -2 for --parallel flag\n")
	res = proxyMust(t, r, "proxy:disable", "--all")
	proxyContains(t, "disable --all", res.Stdout, "-----> Running disable against app a-app\n-----> Disabling proxy for app\n")
	proxyMust(t, r, "proxy:enable", "--all", "--parallel", "2")
	proxyExpect(t, proxyRun(r, "proxy:build-config"), 1, "", " !     Please specify an app to run the command on\n")
	proxyExpect(t, proxyRun(r, "proxy:build-config", "--parallel", "x", "a-app"), 1, "", " !     invalid argument \"x\" for \"--parallel\" flag\n")
	proxyExpect(t, proxyRun(r, "proxy:build-config", "missing"), 20, "", " !     App missing does not exist\n")
	proxyMust(t, r, "proxy:clear-config", "a-app")
	if proxyExists(r.Home, "a-app", "nginx.conf") || !proxyExists(r.Home, "b-app", "nginx.conf") {
		t.Fatal("clear-config removed the wrong files")
	}
	proxyMust(t, r, "proxy:clear-config", "--all")
	if proxyExists(r.Home, "b-app", "nginx.conf") {
		t.Fatal("clear-config --all kept a config")
	}
}

func TestProxyProxyAllAppsNone(t *testing.T) {
	r := proxyRoot(t)
	proxyExpect(t, proxyRun(r, "proxy:enable", "--all"), 0, "",
		" !     Running enable in serial mode\n !     You haven't deployed any applications yet\n")
}

func TestProxyProxyOtherType(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	before := proxyRead(t, r.Home, "node-js-app", "nginx.conf")
	proxyMust(t, r, "proxy:set", "node-js-app", "type", "caddy")
	proxyMust(t, r, "domains:add", "node-js-app", "www.example.com")
	proxyExpect(t, proxyRun(r, "proxy:build-config", "node-js-app"), 0, "", "")
	if proxyRead(t, r.Home, "node-js-app", "nginx.conf") != before {
		t.Fatal("nginx.conf rebuilt for a caddy app")
	}
}
