package script

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godokku/dokku/internal/dokkutest"
)

// proxyEnv keeps the proxy tests away from the real Docker daemon.
var proxyEnv = []string{"DOCKER_HOST=unix:///nonexistent/docker.sock"}

// proxyRoot is a scratch root with a global domain, the test listener and
// certificate plugins, and the given apps created.
func proxyRoot(t *testing.T, apps ...string) *dokkutest.Root {
	t.Helper()
	r := dokkutest.New(t)
	if err := os.WriteFile(filepath.Join(r.Home, "VHOST"), []byte("dokku.me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Listeners come from $DOKKU_ROOT/<app>/TEST_LISTENERS_<type>; a
	// certificate exists when $DOKKU_ROOT/<app>/TEST_CERT exists.
	r.AddPlugin("zz-proxy-fakes", map[string]string{
		"network-get-listeners": "#!/bin/sh\ncat \"$DOKKU_ROOT/$1/TEST_LISTENERS_$2\" 2>/dev/null\nexit 0\n",
		"certs-exists":          "#!/bin/sh\nif [ -f \"$DOKKU_ROOT/$1/TEST_CERT\" ]; then echo true; else echo false; fi\n",
	})
	for _, a := range apps {
		proxyMust(t, r, "apps:create", a)
	}
	return r
}

func proxyRun(r *dokkutest.Root, args ...string) *dokkutest.Result {
	r.T.Helper()
	return r.RunOpts(dokkutest.Opts{Env: proxyEnv}, args...)
}

func proxyRunEnv(r *dokkutest.Root, env []string, args ...string) *dokkutest.Result {
	r.T.Helper()
	return r.RunOpts(dokkutest.Opts{Env: append(append([]string{}, proxyEnv...), env...)}, args...)
}

func proxyMust(t *testing.T, r *dokkutest.Root, args ...string) *dokkutest.Result {
	t.Helper()
	res := proxyRun(r, args...)
	if res.Code != 0 {
		t.Fatalf("unexpected failure: %s", res)
	}
	return res
}

func proxyExpect(t *testing.T, res *dokkutest.Result, code int, stdout, stderr string) {
	t.Helper()
	if res.Code != code || res.Stdout != stdout || res.Stderr != stderr {
		t.Fatalf("want exit %d stdout %q stderr %q, got %s", code, stdout, stderr, res)
	}
}

func proxyContains(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Fatalf("%s does not contain %q:\n%s", what, sub, s)
		}
	}
}

func proxyRead(t *testing.T, path ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(path...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func proxyExists(path ...string) bool {
	_, err := os.Stat(filepath.Join(path...))
	return err == nil
}

func proxyWrite(t *testing.T, content string, path ...string) {
	t.Helper()
	p := filepath.Join(path...)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// proxyRecorder logs "<trigger> <args>" for each named trigger.
func proxyRecorder(t *testing.T, r *dokkutest.Root, triggers ...string) string {
	t.Helper()
	log := r.Path("proxy-triggers.log")
	files := map[string]string{}
	for _, tr := range triggers {
		files[tr] = fmt.Sprintf("#!/bin/sh\necho \"%s $*\" >> %s\n", tr, log)
	}
	r.AddPlugin("zz-proxy-recorder", files)
	return log
}

func proxyLog(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// proxyCert writes a self-signed certificate for names into the app's
// tls/ directory and turns the fake certs-exists on.
func proxyCert(t *testing.T, r *dokkutest.Root, app string, names ...string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: names[0]},
		DNSNames:     names,
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kd, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(r.Home, app, "tls")
	proxyWrite(t, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), dir, "server.crt")
	proxyWrite(t, string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd})), dir, "server.key")
	proxyWrite(t, "", r.Home, app, "TEST_CERT")
}

// proxyTrigger fires a trigger through plugin:trigger.
func proxyTrigger(r *dokkutest.Root, env []string, args ...string) *dokkutest.Result {
	r.T.Helper()
	return proxyRunEnv(r, env, append([]string{"plugin:trigger"}, args...)...)
}
