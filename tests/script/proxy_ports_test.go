package script

import (
	"strconv"
	"strings"
	"testing"
)

func TestProxyPortsCommands(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	log := proxyRecorder(t, r, "post-proxy-ports-update")
	proxyExpect(t, proxyRun(r, "ports:list", "node-js-app"), 0,
		"-----> Port mappings for node-js-app\n    -----> scheme  host port  container port\n    http           80         5000\n", "")

	res := proxyMust(t, r, "ports:add", "node-js-app", "http:8080:5000", "https:8443:5000")
	proxyContains(t, "ports:add", res.Stdout, "-----> Creating http nginx.conf\n")
	proxyContains(t, "ports:add", res.Stderr, " !     Ignoring https port mapping https:8443:5000: the app has no SSL certificate\n")
	proxyExpect(t, proxyRun(r, "ports:list", "node-js-app"), 0,
		"-----> Port mappings for node-js-app\n    -----> scheme  host port  container port\n    http           8080       5000\n    https          8443       5000\n", "")
	proxyContains(t, "nginx.conf", proxyRead(t, r.Home, "node-js-app", "nginx.conf"), "listen      8080;")

	proxyMust(t, r, "ports:set", "node-js-app", "http:80:3000", "http:8080:3000")
	proxyExpect(t, proxyRun(r, "ports:report", "node-js-app", "--ports-map"), 0, "http:8080:3000 http:80:3000\n", "")
	proxyMust(t, r, "ports:remove", "node-js-app", "8080")
	proxyExpect(t, proxyRun(r, "ports:report", "node-js-app", "--ports-map"), 0, "http:80:3000\n", "")
	proxyMust(t, r, "ports:add", "node-js-app", "http:9000:3000")
	proxyMust(t, r, "ports:remove", "node-js-app", "http:80:3000")
	proxyExpect(t, proxyRun(r, "ports:report", "node-js-app", "--ports-map"), 0, "http:9000:3000\n", "")
	proxyMust(t, r, "ports:clear", "node-js-app")
	proxyExpect(t, proxyRun(r, "ports:report", "node-js-app", "--ports-map"), 0, "\n", "")
	proxyExpect(t, proxyRun(r, "ports:list", "node-js-app", "--quiet"), 0, "    http  80  5000\n", "")

	want := []string{
		"post-proxy-ports-update node-js-app add",
		"post-proxy-ports-update node-js-app set",
		"post-proxy-ports-update node-js-app remove",
		"post-proxy-ports-update node-js-app add",
		"post-proxy-ports-update node-js-app remove",
		"post-proxy-ports-update node-js-app clear",
	}
	if got := proxyLog(t, log); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("triggers:\n%s", strings.Join(got, "\n"))
	}
}

func TestProxyPortsErrors(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	proxyMust(t, r, "ports:set", "node-js-app", "http:8080:5000")
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"ports:add", "node-js-app"}, 1, "No port mapping specified"},
		{[]string{"ports:set", "node-js-app", "ftp:21:21"}, 1, "Invalid port map ftp:21:21 [scheme=ftp]"},
		{[]string{"ports:set", "node-js-app", "http:80"}, 1, "Invalid port map http:80 [len=2]"},
		{[]string{"ports:set", "node-js-app", "http:99999:5000"}, 1, "Invalid port map http:99999:5000 [hostPort=99999]"},
		{[]string{"ports:set", "node-js-app", "http:80:0"}, 1, "Invalid port map http:80:0 [containerPort=0]"},
		{[]string{"ports:set", "node-js-app", "http:x:5000"}, 1, `Invalid port map http:x:5000 [err=strconv.Atoi: parsing "x": invalid syntax]`},
		{[]string{"ports:set", "node-js-app", "8080"}, 1, "Invalid port map 8080 [len=1]"},
		{[]string{"ports:add", "node-js-app", "http:8080:3000"}, 1, "Port mapping http:8080:3000 conflicts with existing mapping http:8080:5000"},
		{[]string{"ports:remove", "node-js-app", "abc"}, 1, `Invalid port map abc [err=strconv.Atoi: parsing "abc": invalid syntax]`},
		{[]string{"ports:list", "missing"}, 20, "App missing does not exist"},
		{[]string{"ports:list"}, 1, "Please specify an app to run the command on"},
	}
	for _, c := range cases {
		proxyExpect(t, proxyRun(r, c.args...), c.code, "", " !     "+c.err+"\n")
	}
	proxyExpect(t, proxyRun(r, "ports:report", "node-js-app", "--ports-map"), 0, "http:8080:5000\n", "")
}

func TestProxyPortsReport(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	proxyMust(t, r, "ports:set", "node-js-app", "http:80:5000")
	proxyExpect(t, proxyTrigger(r, nil, "ports-set-detected", "node-js-app", "http:3000:3000 udp:53:53"), 0, "", "")
	proxyExpect(t, proxyRun(r, "ports:report", "node-js-app"), 0,
		"=====> node-js-app ports information\n"+
			"       Ports map:                     http:80:5000\n"+
			"       Ports map detected:            http:3000:3000 udp:53:53\n"+
			`       Ports map detected json:       [{"container_port":3000,"host_port":3000,"scheme":"http"},{"container_port":53,"host_port":53,"scheme":"udp"}]`+"\n"+
			`       Ports map json:                [{"container_port":5000,"host_port":80,"scheme":"http"}]`+"\n", "")
	proxyExpect(t, proxyRun(r, "ports:report", "--global"), 1, "", " !     --global is not supported by this report\n")
}

func TestProxyPortsTriggers(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	// default map, then detected map when no user map
	proxyExpect(t, proxyTrigger(r, nil, "ports-get", "node-js-app"), 0, "http:80:5000\n", "")
	proxyMust(t, r, "plugin:trigger", "ports-set-detected", "node-js-app", "http:3000:3000")
	proxyExpect(t, proxyTrigger(r, nil, "ports-get", "node-js-app", "json"), 0, `[{"container_port":3000,"host_port":3000,"scheme":"http"}]`+"\n", "")
	proxyExpect(t, proxyTrigger(r, nil, "ports-set-detected", "node-js-app", "bogus"), 1, "", " !     Invalid port map bogus [len=1]\n")
	proxyExpect(t, proxyTrigger(r, nil, "ports-get-property", "node-js-app", "proxy-port"), 0, "80\n", "")
	proxyExpect(t, proxyTrigger(r, nil, "ports-get-property", "node-js-app", "proxy-ssl-port"), 0, "443\n", "")
	proxyExpect(t, proxyTrigger(r, nil, "ports-get-property", "node-js-app", "map-detected"), 0, "http:3000:3000\n", "")
	res := proxyMust(t, r, "plugin:trigger", "ports-get-available", "node-js-app")
	if p, err := strconv.Atoi(strings.TrimSpace(res.Stdout)); err != nil || p <= 1024 || p > 65535 {
		t.Fatalf("ports-get-available: %q", res.Stdout)
	}

	// A certificate adds https for the detected/default http:80 entries...
	proxyMust(t, r, "plugin:trigger", "ports-set-detected", "node-js-app", "")
	proxyCert(t, r, "node-js-app", "node-js-app.dokku.me")
	proxyExpect(t, proxyTrigger(r, nil, "ports-get", "node-js-app"), 0, "http:80:5000\nhttps:443:5000\n", "")
	// ...or serves every http entry as https without an http:80 entry.
	proxyMust(t, r, "plugin:trigger", "ports-set-detected", "node-js-app", "http:3000:3000")
	proxyExpect(t, proxyTrigger(r, nil, "ports-get", "node-js-app"), 0, "https:3000:3000\n", "")

	// post-certs-update / remove edit a user map.
	proxyMust(t, r, "ports:set", "node-js-app", "http:80:5000", "http:80:6000", "http:8080:5000")
	proxyExpect(t, proxyTrigger(r, nil, "post-certs-update", "node-js-app"), 0, "", "")
	proxyExpect(t, proxyRun(r, "ports:report", "node-js-app", "--ports-map"), 0, "http:8080:5000 http:80:5000 http:80:6000 https:443:5000 https:443:6000\n", "")
	proxyExpect(t, proxyTrigger(r, nil, "post-certs-update", "node-js-app"), 0, "", "")
	proxyExpect(t, proxyRun(r, "ports:report", "node-js-app", "--ports-map"), 0, "http:8080:5000 http:80:5000 http:80:6000 https:443:5000 https:443:6000\n", "")
	proxyExpect(t, proxyTrigger(r, nil, "post-certs-remove", "node-js-app"), 0, "", "")
	proxyExpect(t, proxyRun(r, "ports:report", "node-js-app", "--ports-map"), 0, "http:8080:5000 http:80:5000 http:80:6000\n", "")

	// ports-clear resets the user map and the proxy ports.
	proxyMust(t, r, "proxy:set", "node-js-app", "proxy-port", "8000")
	proxyExpect(t, proxyTrigger(r, nil, "ports-clear", "node-js-app"), 0, "", "")
	proxyExpect(t, proxyRun(r, "ports:report", "node-js-app", "--ports-map"), 0, "\n", "")
	proxyExpect(t, proxyRun(r, "proxy:report", "node-js-app", "--proxy-proxy-port"), 0, "\n", "")
}

func TestProxyPortsConfigure(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	proxyMust(t, r, "proxy:set", "--global", "proxy-port", "8080")
	proxyMust(t, r, "proxy:set", "node-js-app", "proxy-port")
	proxyExpect(t, proxyTrigger(r, nil, "ports-configure", "node-js-app"), 0, "", "")
	proxyExpect(t, proxyRun(r, "proxy:report", "node-js-app", "--proxy-proxy-port"), 0, "8080\n", "")
	// vhosts disabled: a random high port, and one for ssl with a cert
	proxyMust(t, r, "config:set", "--no-restart", "node-js-app", "NO_VHOST=1")
	proxyMust(t, r, "proxy:set", "node-js-app", "proxy-port")
	proxyCert(t, r, "node-js-app", "node-js-app.dokku.me")
	res := proxyTrigger(r, nil, "ports-configure", "node-js-app")
	proxyContains(t, "ports-configure", res.Stdout, "-----> No port set, setting to random open high port\n-----> Random port ", "-----> No ssl port set, setting to random open high port\n")
	for _, k := range []string{"--proxy-proxy-port", "--proxy-proxy-ssl-port"} {
		p, err := strconv.Atoi(strings.TrimSpace(proxyMust(t, r, "proxy:report", "node-js-app", k).Stdout))
		if err != nil || p <= 1024 {
			t.Fatalf("%s: %v %d", k, err, p)
		}
	}
}
