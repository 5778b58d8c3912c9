//go:build integration

package integration

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godokku/dokku/internal/dokkutest"
)

// proxyScratchNginx is a private nginx instance: its own nginx.conf in the
// scratch root including the conf.d Dokku's install wrote there.
type proxyScratchNginx struct {
	bin, conf, dir string
	port           int
}

func proxyNginxBin(t *testing.T) string {
	for _, p := range []string{"/usr/sbin/nginx", "/usr/bin/nginx"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, err := exec.LookPath("nginx")
	if err != nil {
		t.Skip("nginx is not installed")
	}
	return p
}

func proxyFreePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func proxyRandom() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func newProxyScratchNginx(t *testing.T, r *dokkutest.Root) *proxyScratchNginx {
	n := &proxyScratchNginx{bin: proxyNginxBin(t), dir: r.Path("nginx-run"), port: proxyFreePort(t)}
	os.MkdirAll(filepath.Join(n.dir, "tmp"), 0o755)
	n.conf = filepath.Join(r.Sys, "etc", "nginx", "nginx.conf")
	// Workers run as root: the scratch tree lives in 0700 temp dirs.
	conf := fmt.Sprintf(`user root;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 128; }
http {
  access_log %[1]s/access.log;
  client_body_temp_path %[1]s/tmp/body;
  proxy_temp_path %[1]s/tmp/proxy;
  fastcgi_temp_path %[1]s/tmp/fastcgi;
  uwsgi_temp_path %[1]s/tmp/uwsgi;
  scgi_temp_path %[1]s/tmp/scgi;
  include %[2]s/*.conf;
}
`, n.dir, filepath.Join(r.Sys, "etc", "nginx", "conf.d"))
	if err := os.WriteFile(n.conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return n
}

func (n *proxyScratchNginx) start(t *testing.T) {
	if out, err := exec.Command(n.bin, "-c", n.conf).CombinedOutput(); err != nil {
		t.Fatalf("starting nginx: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command(n.bin, "-c", n.conf, "-s", "quit").Run() })
}

func (n *proxyScratchNginx) test(t *testing.T) {
	t.Helper()
	if out, err := exec.Command(n.bin, "-t", "-c", n.conf).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
}

// get fetches / with a Host header: status and body.
func (n *proxyScratchNginx) get(host string) (int, string, error) {
	req, _ := http.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:%d/", n.port), nil)
	req.Host = host
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

// waitFor polls until host answers status with a body containing want.
func (n *proxyScratchNginx) waitFor(t *testing.T, host string, status int, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var code int
	var body string
	var err error
	for time.Now().Before(deadline) {
		code, body, err = n.get(host)
		if err == nil && code == status && strings.Contains(body, want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: want %d %q, last %d %q %v", host, status, want, code, body, err)
}

func proxyDokku(t *testing.T, r *dokkutest.Root, args ...string) *dokkutest.Result {
	t.Helper()
	res := r.Run(args...)
	if res.Code != 0 {
		t.Fatalf("unexpected failure: %s", res)
	}
	return res
}

func TestProxyIntegrationNginxServesAndRejectsBrokenTemplates(t *testing.T) {
	img := dokkutest.BaseImage(t)
	r := dokkutest.New(t)
	n := newProxyScratchNginx(t, r)
	os.WriteFile(filepath.Join(r.Home, "VHOST"), []byte("dokku.test\n"), 0o644)
	r.AddPlugin("zz-proxy-listeners", map[string]string{
		"network-get-listeners": "#!/bin/sh\ncat \"$DOKKU_ROOT/$1/TEST_LISTENERS_$2\" 2>/dev/null\nexit 0\n",
	})
	n.test(t)
	n.start(t)
	proxyDokku(t, r, "proxy:set", "--global", "proxy-port", fmt.Sprint(n.port))
	proxyDokku(t, r, "nginx:set", "--global", "nginx-service-command", n.bin+" -c "+n.conf+" -s reload")
	suffix := proxyRandom()
	web1, web2 := "pit-"+suffix+"-a", "pit-"+suffix+"-b"
	proxyDokku(t, r, "apps:create", web1)
	proxyDokku(t, r, "apps:create", web2)
	n.test(t)

	// created, not deployed: Dokku's 502 page
	n.waitFor(t, web1+".dokku.test", 502, "Application unavailable")

	// a web container behind the proxy
	name := "proxy-it-" + suffix
	out, err := exec.Command("docker", "run", "-d", "--name", name, img, "sh", "-c",
		"mkdir -p /www && echo hello-from-app > /www/index.html && exec httpd -f -p 5000 -h /www").CombinedOutput()
	if err != nil {
		t.Fatalf("docker run: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("docker", "rm", "-f", name).Run() })
	ipOut, err := exec.Command("docker", "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	ip := strings.TrimSpace(string(ipOut))
	for _, a := range []string{web1, web2} {
		os.WriteFile(filepath.Join(r.Home, a, "TEST_LISTENERS_web"), []byte(ip+":5000\n"), 0o644)
		res := proxyDokku(t, r, "proxy:build-config", a)
		if !strings.Contains(res.Stdout, "       Reloading nginx\n") {
			t.Fatalf("%s", res)
		}
	}
	n.waitFor(t, web1+".dokku.test", 200, "hello-from-app")
	n.waitFor(t, web2+".dokku.test", 200, "hello-from-app")

	// A template nginx accepts alone but that breaks the whole
	// configuration (it redefines the other app's upstream) is rejected:
	// web1 keeps its previous config and everything keeps serving.
	good := mustRead(t, r.Home, web1, "nginx.conf")
	other := mustRead(t, r.Home, web2, "nginx.conf")
	tpl := fmt.Sprintf("server {\n  listen %d;\n  server_name broken.dokku.test;\n  location / { proxy_pass http://%s-5000; }\n}\nupstream %s-5000 { server 127.0.0.1:1; }\n", n.port, web2, web2)
	dataDir := filepath.Join(r.Lib, "data", "nginx-vhosts", "app-"+web1)
	os.MkdirAll(dataDir, 0o755)
	os.WriteFile(filepath.Join(dataDir, "nginx.conf.sigil"), []byte(tpl), 0o644)
	res := r.Run("proxy:build-config", web1)
	if res.Code == 0 || !strings.Contains(res.Stderr, "duplicate upstream") ||
		!strings.HasSuffix(res.Stderr, " !     nginx configuration for "+web1+" is invalid, keeping the previous configuration\n") {
		t.Fatalf("broken template accepted: %s", res)
	}
	if mustRead(t, r.Home, web1, "nginx.conf") != good || mustRead(t, r.Home, web2, "nginx.conf") != other {
		t.Fatal("configuration files changed by a rejected build")
	}
	n.test(t)
	proxyDokku(t, r, "nginx:reload")
	n.waitFor(t, web1+".dokku.test", 200, "hello-from-app")
	n.waitFor(t, web2+".dokku.test", 200, "hello-from-app")

	// A template sigil cannot render changes nothing either.
	os.WriteFile(filepath.Join(dataDir, "nginx.conf.sigil"), []byte("{{ if }}\n"), 0o644)
	res = r.Run("proxy:build-config", web1)
	if res.Code != 1 || !strings.Contains(res.Stderr, "template: nginx.conf.sigil:1:") || mustRead(t, r.Home, web1, "nginx.conf") != good {
		t.Fatalf("%s", res)
	}

	// A valid app template takes over, with the app's config in its env.
	os.WriteFile(filepath.Join(dataDir, "nginx.conf.sigil"), []byte(fmt.Sprintf(
		"server {\n  listen %d;\n  server_name {{ $.NOSSL_SERVER_NAME }};\n  location / { add_header X-Release \"{{ var \"RELEASE\" }}\" always; proxy_pass http://{{ $.APP }}-5000; }\n}\n"+
			"upstream {{ $.APP }}-5000 {\n{{ range $l := $.DOKKU_APP_WEB_LISTENERS | split \" \" }}  server {{ $l }};\n{{ end }}}\n", n.port)), 0o644)
	proxyDokku(t, r, "config:set", "--no-restart", web1, "RELEASE=v7")
	res = proxyDokku(t, r, "proxy:build-config", web1)
	if !strings.Contains(res.Stdout, "(using app-supplied template)") {
		t.Fatalf("%s", res)
	}
	// the reload is asynchronous: poll until the new workers answer
	deadline := time.Now().Add(20 * time.Second)
	for {
		req, _ := http.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:%d/", n.port), nil)
		req.Host = web1 + ".dokku.test"
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.Header.Get("X-Release") == "v7" && strings.Contains(string(body), "hello-from-app") {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("app template not serving: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// proxy:disable removes the config and nginx stops routing the app.
	proxyDokku(t, r, "proxy:disable", web2)
	if _, err := os.Stat(filepath.Join(r.Home, web2, "nginx.conf")); !os.IsNotExist(err) {
		t.Fatal("nginx.conf kept after proxy:disable")
	}
	// web2's host now falls through to the default server (web1's block,
	// recognisable by its X-Release header).
	deadline = time.Now().Add(10 * time.Second)
	for {
		req, _ := http.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:%d/", n.port), nil)
		req.Host = web2 + ".dokku.test"
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.Header.Get("X-Release") == "v7" {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("disabled app still served by its own config")
		}
		time.Sleep(50 * time.Millisecond)
	}
	n.test(t)

	// destroying an app removes its config from the running nginx
	res = r.Run("apps:destroy", web1, "--force")
	if res.Code != 0 {
		t.Fatalf("%s", res)
	}
	if _, err := os.Stat(filepath.Join(r.Lib, "data", "nginx-vhosts", "app-"+web1)); !os.IsNotExist(err) {
		t.Fatal("template data kept after destroy")
	}
	n.test(t)
	deadline = time.Now().Add(10 * time.Second)
	for {
		code, body, err := n.get(web1 + ".dokku.test")
		if err != nil || !strings.Contains(body, "hello-from-app") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("destroyed app still served: %d", code)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func mustRead(t *testing.T, path ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(path...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
