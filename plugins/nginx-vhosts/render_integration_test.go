//go:build integration

package nginxvhosts

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/godokku/dokku/internal/sigil"
)

// TestNginxRenderGoldenCasesPassNginxT renders every golden case with paths
// inside a temp dir and runs the real `nginx -t` over each, inside the
// validation wrapper.
func TestNginxRenderGoldenCasesPassNginxT(t *testing.T) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if _, err = os.Stat("/usr/sbin/nginx"); err != nil {
			t.Skip("nginx is not installed")
		}
		bin = "/usr/sbin/nginx"
	}
	out, _ := exec.Command(bin, "-v").CombinedOutput()
	version := parseVersion(string(out))
	dir := t.TempDir()
	tls := filepath.Join(dir, "home", "node-js-app", "tls")
	os.MkdirAll(tls, 0o755)
	writeTestCert(t, tls)
	os.MkdirAll(filepath.Join(dir, "log"), 0o755)
	for _, c := range RenderCases {
		if _, pinned := c.Vars["HTTP2_DIRECTIVE_SUPPORTED"]; pinned && version != "" && !versionAtLeast(version, 1, 25, 1) {
			// This golden pins the `http2 on;` form of nginx >= 1.25.1; the
			// installed nginx cannot parse it, and the renderer never emits it
			// for this nginx (the other cases cover what it does emit).
			continue
		}
		t.Run(c.Golden, func(t *testing.T) {
			vars := fixtureVars(c.Vars)
			vars["DOKKU_ROOT"] = filepath.Join(dir, "home")
			vars["DOKKU_LIB_ROOT"] = filepath.Join(dir, "lib")
			vars["APP_SSL_PATH"] = tls
			vars["NGINX_ACCESS_LOG_PATH"] = filepath.Join(dir, "log", "access.log")
			vars["NGINX_ERROR_LOG_PATH"] = filepath.Join(dir, "log", "error.log")
			if vars["NGINX_BIND_ADDRESS_IP4"] != "" {
				vars["NGINX_BIND_ADDRESS_IP4"] = "127.0.0.1"
			}
			for k, v := range features(version) {
				if _, pinned := c.Vars["HTTP2_DIRECTIVE_SUPPORTED"]; pinned && (k == "HTTP2_DIRECTIVE_SUPPORTED" || k == "HTTP2_PUSH_SUPPORTED") {
					continue
				}
				vars[k] = v
			}
			var conf string
			var err error
			if c.Template == "" {
				conf, err = sigil.Render(builtinTemplate, sigil.Options{Name: "nginx.conf.sigil", Vars: vars, Env: c.Env})
			} else {
				conf, err = sigil.RenderFile(c.Template, sigil.Options{Name: "nginx.conf.sigil", Vars: vars, Env: c.Env})
			}
			if err != nil {
				t.Fatal(err)
			}
			confPath := filepath.Join(dir, "app.conf")
			os.WriteFile(confPath, []byte(conf), 0o644)
			wrapper, err := sigil.Render(validateTemplate, sigil.Options{Vars: map[string]string{"NGINX_CONF": confPath}})
			if err != nil {
				t.Fatal(err)
			}
			wrapperPath := filepath.Join(dir, "wrapper.conf")
			os.WriteFile(wrapperPath, []byte(wrapper), 0o644)
			if out, err := exec.Command(bin, "-t", "-c", wrapperPath).CombinedOutput(); err != nil {
				t.Fatalf("nginx -t: %v\n%s\n%s", err, out, conf)
			}
		})
	}
}

func writeTestCert(t *testing.T, dir string) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "node-js-app.dokku.me"},
		DNSNames: []string{"node-js-app.dokku.me"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kd, _ := x509.MarshalECPrivateKey(key)
	os.WriteFile(filepath.Join(dir, "server.crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(filepath.Join(dir, "server.key"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd}), 0o600)
}
