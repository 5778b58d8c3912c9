package script

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestProxyDomainsDefaultVhostOnCreate(t *testing.T) {
	r := proxyRoot(t)
	res := proxyMust(t, r, "apps:create", "node-js-app")
	proxyContains(t, "apps:create", res.Stdout,
		"-----> Creating new app virtual host file...\n",
		"-----> Configuring node-js-app.dokku.me...(using built-in template)\n-----> Creating http nginx.conf\n       Reloading nginx\n")
	if got := proxyRead(t, r.Home, "node-js-app", "VHOST"); got != "node-js-app.dokku.me\n" {
		t.Fatalf("VHOST = %q", got)
	}
	// An app name with a dot is used as is; IP global entries are skipped.
	proxyWrite(t, "dokku.me\n10.0.0.1\nexample.net\n", r.Home, "VHOST")
	proxyMust(t, r, "apps:create", "www.example.org")
	if got := proxyRead(t, r.Home, "www.example.org", "VHOST"); got != "www.example.org\n" {
		t.Fatalf("dotted VHOST = %q", got)
	}
	proxyMust(t, r, "apps:create", "two")
	if got := proxyRead(t, r.Home, "two", "VHOST"); got != "two.dokku.me\ntwo.example.net\n" {
		t.Fatalf("two VHOST = %q", got)
	}
	// domains:setup is a no-op once the file exists.
	proxyExpect(t, proxyRun(r, "domains:setup", "two"), 0, "", "")
}

func TestProxyDomainsNginxHostnameTrigger(t *testing.T) {
	r := proxyRoot(t)
	r.AddPlugin("zz-hostname", map[string]string{
		"nginx-hostname": "#!/bin/sh\necho \"$2-custom.$3\"\n",
	})
	proxyMust(t, r, "apps:create", "myapp")
	if got := proxyRead(t, r.Home, "myapp", "VHOST"); got != "myapp-custom.dokku.me\n" {
		t.Fatalf("VHOST = %q", got)
	}
}

func TestProxyDomainsNoGlobalDomainDisablesVhost(t *testing.T) {
	r := proxyRoot(t)
	proxyWrite(t, "10.0.0.1\n", r.Home, "VHOST")
	res := proxyMust(t, r, "apps:create", "node-js-app")
	proxyContains(t, "apps:create", res.Stdout, "=====> Global server virtual host not set, disabling app vhost...\n")
	if proxyExists(r.Home, "node-js-app", "VHOST") {
		t.Fatal("VHOST file created without a global domain")
	}
	proxyExpect(t, proxyRun(r, "config:get", "node-js-app", "NO_VHOST"), 0, "1\n", "")
	proxyExpect(t, proxyRun(r, "domains:report", "node-js-app", "--domains-app-enabled"), 0, "false\n", "")
	proxyExpect(t, proxyRun(r, "domains:report", "node-js-app", "--domains-global-enabled"), 0, "true\n", "")
	// A random high port is chosen for apps without vhosts.
	port := strings.TrimSpace(proxyMust(t, r, "proxy:report", "node-js-app", "--proxy-proxy-port").Stdout)
	if port == "" || port == "80" {
		t.Fatalf("proxy port %q", port)
	}
	proxyContains(t, "nginx.conf", proxyRead(t, r.Home, "node-js-app", "nginx.conf"), "listen      "+port+";")
}

func TestProxyDomainsMutations(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	log := proxyRecorder(t, r, "post-domains-update")
	conf := "-----> Creating http nginx.conf\n       Reloading nginx\n"

	res := proxyRun(r, "domains:add", "node-js-app", "www.example.com", "example.com")
	proxyExpect(t, res, 0, "-----> Added www.example.com to node-js-app\n-----> Added example.com to node-js-app\n"+
		"-----> Configuring example.com...(using built-in template)\n"+
		"-----> Configuring node-js-app.dokku.me...(using built-in template)\n"+
		"-----> Configuring www.example.com...(using built-in template)\n"+conf, "")
	res = proxyRun(r, "domains:add", "node-js-app", "example.com")
	proxyContains(t, "re-add", res.Stdout, "-----> Skipping: example.com already added to node-js-app\n")
	if got := proxyRead(t, r.Home, "node-js-app", "VHOST"); got != "node-js-app.dokku.me\nwww.example.com\nexample.com\n" {
		t.Fatalf("VHOST = %q", got)
	}
	nginx := proxyRead(t, r.Home, "node-js-app", "nginx.conf")
	proxyContains(t, "nginx.conf", nginx, "server_name node-js-app.dokku.me www.example.com example.com;")

	res = proxyRun(r, "domains:remove", "node-js-app", "www.example.com")
	proxyContains(t, "remove", res.Stdout, "-----> Removed www.example.com from node-js-app\n")
	res = proxyRun(r, "domains:set", "node-js-app", "a.example.com", "b.example.com")
	proxyContains(t, "set", res.Stdout, "-----> Set a.example.com b.example.com for node-js-app\n")
	if got := proxyRead(t, r.Home, "node-js-app", "VHOST"); got != "a.example.com\nb.example.com\n" {
		t.Fatalf("VHOST after set = %q", got)
	}
	res = proxyRun(r, "domains:clear", "node-js-app")
	proxyContains(t, "clear", res.Stdout, "-----> Cleared domains in node-js-app\n")
	if got := proxyRead(t, r.Home, "node-js-app", "VHOST"); got != "" {
		t.Fatalf("VHOST after clear = %q", got)
	}
	if strings.Contains(proxyRead(t, r.Home, "node-js-app", "nginx.conf"), "server_name") {
		t.Fatal("server_name kept after clear")
	}
	res = proxyRun(r, "domains:reset", "node-js-app")
	proxyContains(t, "reset", res.Stdout, "-----> Creating new app virtual host file...\n", "-----> Reset domains for node-js-app\n")
	if got := proxyRead(t, r.Home, "node-js-app", "VHOST"); got != "node-js-app.dokku.me\n" {
		t.Fatalf("VHOST after reset = %q", got)
	}
	want := []string{
		"post-domains-update node-js-app add www.example.com example.com",
		"post-domains-update node-js-app add example.com",
		"post-domains-update node-js-app remove www.example.com",
		"post-domains-update node-js-app set a.example.com b.example.com",
		"post-domains-update node-js-app clear",
		"post-domains-update node-js-app reset",
	}
	if got := proxyLog(t, log); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("triggers:\n%s", strings.Join(got, "\n"))
	}
}

func TestProxyDomainsErrors(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	before := proxyRead(t, r.Home, "node-js-app", "VHOST")
	proxyExpect(t, proxyRun(r, "domains:add", "node-js-app", "ok.example.com", "bad_domain"), 1, "", " !     bad_domain is invalid. exiting...\n")
	proxyExpect(t, proxyRun(r, "domains:set", "node-js-app", "UPPER.example.com", "no spaces"), 1, "", " !     no spaces is invalid. exiting...\n")
	proxyExpect(t, proxyRun(r, "domains:add", "node-js-app"), 1, "", " !     Please specify a domain name. Usage: dokku domains:add node-js-app <domain> [<domain> ...]\n")
	proxyExpect(t, proxyRun(r, "domains:add"), 1, "", " !     Please specify an app to run the command on\n")
	proxyExpect(t, proxyRun(r, "domains:add", "missing", "a.com"), 20, "", " !     App missing does not exist\n")
	proxyExpect(t, proxyRun(r, "domains:clear", "missing"), 20, "", " !     App missing does not exist\n")
	proxyExpect(t, proxyRun(r, "domains:add-global"), 1, "", " !     Please specify a domain name. Usage: dokku domains:add-global <domain> [<domain> ...]\n")
	proxyExpect(t, proxyRun(r, "domains:set-global", "bad/name"), 1, "", " !     bad/name is invalid. exiting...\n")
	if got := proxyRead(t, r.Home, "node-js-app", "VHOST"); got != before {
		t.Fatalf("VHOST changed by failed commands: %q", got)
	}
	// Wildcards, upper case and "_" are valid.
	proxyMust(t, r, "domains:add", "node-js-app", "*.Example.com", "_")
}

func TestProxyDomainsGlobal(t *testing.T) {
	r := proxyRoot(t)
	proxyExpect(t, proxyRun(r, "domains:add-global", "example.com", "dokku.me"), 0, "-----> Added example.com\n-----> Skipping dokku.me: already added\n", "")
	proxyExpect(t, proxyRun(r, "domains:report", "--global"), 0,
		"=====> --global domains information\n"+
			"       Domains global enabled:        true\n"+
			"       Domains global vhosts:         dokku.me example.com\n", "")
	proxyExpect(t, proxyRun(r, "domains:remove-global", "dokku.me"), 0, "-----> Removed dokku.me\n", "")
	proxyExpect(t, proxyRun(r, "domains:set-global", "a.test", "b.test"), 0, "-----> Set a.test b.test\n", "")
	if got := proxyRead(t, r.Home, "VHOST"); got != "a.test\nb.test\n" {
		t.Fatalf("VHOST = %q", got)
	}
	proxyExpect(t, proxyRun(r, "domains:clear-global"), 0, "-----> Clearing global domains\n", "")
	if got := proxyRead(t, r.Home, "VHOST"); got != "" {
		t.Fatalf("VHOST after clear = %q", got)
	}
	proxyExpect(t, proxyRun(r, "domains:report", "--global", "--format", "json"), 0, `{"global-enabled":"false","global-vhosts":""}`+"\n", "")
}

func TestProxyDomainsReport(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	proxyMust(t, r, "domains:add", "node-js-app", "www.example.com")
	proxyExpect(t, proxyRun(r, "domains:report", "node-js-app"), 0,
		"=====> node-js-app domains information\n"+
			"       Domains app enabled:           true\n"+
			"       Domains app vhosts:            node-js-app.dokku.me www.example.com\n"+
			"       Domains global enabled:        true\n"+
			"       Domains global vhosts:         dokku.me\n", "")
	res := proxyMust(t, r, "domains:report", "node-js-app", "--format", "json")
	var got map[string]string
	if err := json.Unmarshal([]byte(res.Stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got["app-vhosts"] != "node-js-app.dokku.me www.example.com" || got["app-enabled"] != "true" {
		t.Fatalf("json: %v", got)
	}
	proxyExpect(t, proxyRun(r, "domains:report", "node-js-app", "--domains-app-vhosts"), 0, "node-js-app.dokku.me www.example.com\n", "")
	res = proxyRun(r, "domains:report", "node-js-app", "--nope")
	if res.Code != 1 || !strings.Contains(res.Stderr, "Invalid flag passed, valid flags: --domains-app-enabled, --domains-app-vhosts, --domains-global-enabled, --domains-global-vhosts") {
		t.Fatalf("%s", res)
	}
}

func TestProxyDomainsDisableEnable(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	log := proxyRecorder(t, r, "post-domains-update", "pre-disable-vhost", "pre-enable-vhost")
	proxyMust(t, r, "domains:add", "node-js-app", "www.example.com")
	res := proxyMust(t, r, "domains:disable", "node-js-app")
	proxyContains(t, "disable", res.Stdout, "-----> App virtual host support disabled\n")
	if proxyExists(r.Home, "node-js-app", "VHOST") {
		t.Fatal("VHOST kept")
	}
	proxyExpect(t, proxyRun(r, "config:get", "node-js-app", "NO_VHOST"), 0, "1\n", "")
	proxyExpect(t, proxyRun(r, "domains:disable", "node-js-app"), 0, "-----> Domains (VHOST) support is already disabled for app (node-js-app)\n", "")
	res = proxyMust(t, r, "domains:enable", "node-js-app")
	proxyContains(t, "enable", res.Stdout, "-----> Configuring node-js-app.dokku.me...(using built-in template)\n")
	if got := proxyRead(t, r.Home, "node-js-app", "VHOST"); got != "node-js-app.dokku.me\n" {
		t.Fatalf("VHOST = %q", got)
	}
	proxyExpect(t, proxyRun(r, "config:get", "node-js-app", "NO_VHOST"), 0, "0\n", "")
	proxyExpect(t, proxyRun(r, "domains:enable", "node-js-app"), 0, "-----> Domains (VHOST) support is already enabled for app (node-js-app)\n", "")
	got := strings.Join(proxyLog(t, log), "\n")
	for _, want := range []string{"pre-disable-vhost node-js-app", "post-domains-update node-js-app disable", "pre-enable-vhost node-js-app", "post-domains-update node-js-app enable"} {
		proxyContains(t, "triggers", got, want)
	}
	// Adding a domain to an app with vhosts disabled switches them back on
	// and keeps the list.
	proxyMust(t, r, "domains:disable", "node-js-app")
	proxyMust(t, r, "domains:add", "node-js-app", "c.example.com")
	proxyExpect(t, proxyRun(r, "config:get", "node-js-app", "NO_VHOST"), 0, "0\n", "")
	if got := proxyRead(t, r.Home, "node-js-app", "VHOST"); got != "c.example.com\n" {
		t.Fatalf("VHOST = %q", got)
	}
}

func TestProxyDomainsURLs(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	proxyMust(t, r, "domains:add", "node-js-app", "www.example.com")
	proxyExpect(t, proxyTrigger(r, nil, "domains-urls", "node-js-app", "urls"), 0, "http://node-js-app.dokku.me\nhttp://www.example.com\n", "")
	proxyExpect(t, proxyTrigger(r, nil, "domains-urls", "node-js-app", "url"), 0, "http://node-js-app.dokku.me\n", "")
	proxyMust(t, r, "ports:set", "node-js-app", "http:8080:5000", "https:443:5000")
	// https without a certificate is skipped
	proxyExpect(t, proxyTrigger(r, nil, "domains-urls", "node-js-app", "urls"), 0, "http://node-js-app.dokku.me:8080\nhttp://www.example.com:8080\n", "")
	proxyCert(t, r, "node-js-app", "www.example.com")
	proxyExpect(t, proxyTrigger(r, nil, "domains-urls", "node-js-app", "urls"), 0,
		"http://node-js-app.dokku.me:8080\nhttp://www.example.com:8080\nhttps://node-js-app.dokku.me\nhttps://www.example.com\n", "")
	proxyExpect(t, proxyTrigger(r, nil, "domains-urls", "node-js-app", "url"), 0, "https://node-js-app.dokku.me\n", "")
	// app-urls replaces detection
	// (sorted, repeats kept, as Dokku's plain sort)
	r.AddPlugin("zz-app-urls", map[string]string{"app-urls": "#!/bin/sh\necho \"https://z.example https://a.example http://b.example https://a.example\"\n"})
	proxyExpect(t, proxyTrigger(r, nil, "domains-urls", "node-js-app", "urls"), 0, "http://b.example\nhttps://a.example\nhttps://a.example\nhttps://z.example\n", "")
	proxyExpect(t, proxyTrigger(r, nil, "domains-urls", "node-js-app", "url"), 0, "https://z.example\n", "")
}

func TestProxyDomainsURLsWithoutDomains(t *testing.T) {
	r := proxyRoot(t, "node-js-app")
	proxyMust(t, r, "domains:clear", "node-js-app")
	proxyWrite(t, "dokku.me\nexample.net\n", r.Home, "VHOST")
	proxyExpect(t, proxyTrigger(r, nil, "domains-urls", "node-js-app", "urls"), 0, "http://dokku.me\nhttp://example.net\n", "")
	// proxy disabled: one URL per web listener port
	proxyMust(t, r, "proxy:disable", "node-js-app")
	proxyWrite(t, "172.17.0.5:5000 172.17.0.6:5001\n", r.Home, "node-js-app", "TEST_LISTENERS_web")
	proxyExpect(t, proxyTrigger(r, nil, "domains-urls", "node-js-app", "urls"), 0,
		"http://dokku.me:5000\nhttp://dokku.me:5001\nhttp://example.net:5000\nhttp://example.net:5001\n", "")
}

func TestProxyDomainsRenameCarriesDomains(t *testing.T) {
	r := proxyRoot(t, "old", "new")
	proxyMust(t, r, "domains:add", "old", "www.example.com")
	proxyExpect(t, proxyTrigger(r, nil, "post-app-rename-setup", "old", "new"), 0, "", "")
	if got := proxyRead(t, r.Home, "new", "VHOST"); got != "new.dokku.me\nwww.example.com\n" {
		t.Fatalf("VHOST = %q", got)
	}
	proxyExpect(t, proxyTrigger(r, nil, "post-app-clone-setup", "old", "new"), 0, "", "")
	if !proxyExists(filepath.Join(r.Home, "new", "VHOST")) {
		t.Fatal("clone removed the VHOST")
	}
}
