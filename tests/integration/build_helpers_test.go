//go:build integration

package integration

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/plugins"
)

// buildApp creates a uniquely named app directory in r and removes the
// app's images and containers when the test ends.
func buildApp(t *testing.T, r *dokkutest.Root, prefix string) string {
	t.Helper()
	b := make([]byte, 4)
	rand.Read(b)
	name := prefix + "-" + hex.EncodeToString(b)
	if err := os.MkdirAll(filepath.Join(r.Home, name), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { buildRemoveAppObjects(name) })
	return name
}

func buildRemoveAppObjects(app string) {
	out, _ := exec.Command("docker", "container", "ls", "-aq", "--filter", "label=com.dokku.app-name="+app).Output()
	if ids := strings.Fields(string(out)); len(ids) > 0 {
		exec.Command("docker", append([]string{"container", "rm", "-f"}, ids...)...).Run()
	}
	for _, filter := range []string{"reference=dokku/" + app, "label=com.dokku.app-name=" + app} {
		out, _ := exec.Command("docker", "image", "ls", "-aq", "--filter", filter).Output()
		if ids := strings.Fields(string(out)); len(ids) > 0 {
			exec.Command("docker", append([]string{"image", "rm", "-f"}, ids...)...).Run()
		}
	}
	exec.Command("docker", "image", "rm", "-f", "dokku/"+app+":latest").Run()
}

// buildSource writes files (rel path -> content) into a fresh source dir.
func buildSource(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// buildCtx is a plugin context on the scratch root, as the dispatcher
// would make it, with captured output: the pipeline entry points are Go
// functions called by the git plugin.
type buildCtx struct {
	*plugin.Context
	out, errb *bytes.Buffer
}

func newBuildCtx(t *testing.T, r *dokkutest.Root) *buildCtx {
	t.Helper()
	e, err := env.Load(r.Env)
	if err != nil {
		t.Fatal(err)
	}
	ctx := plugin.NewContext(e, plugins.Registry())
	var out, errb bytes.Buffer
	ctx = ctx.WithIO(strings.NewReader(""), &out, &errb)
	return &buildCtx{Context: ctx, out: &out, errb: &errb}
}

func (c *buildCtx) String() string {
	return "stdout:\n" + c.out.String() + "\nstderr:\n" + c.errb.String()
}

// buildInspect returns docker image inspect data of ref (nil when missing).
func buildInspect(t *testing.T, ref string) map[string]any {
	t.Helper()
	out, err := exec.Command("docker", "image", "inspect", ref).Output()
	if err != nil {
		return nil
	}
	var list []map[string]any
	if err := json.Unmarshal(out, &list); err != nil || len(list) != 1 {
		t.Fatalf("inspect %s: %v", ref, err)
	}
	return list[0]
}

func buildLabels(img map[string]any) map[string]string {
	out := map[string]string{}
	cfg, _ := img["Config"].(map[string]any)
	labels, _ := cfg["Labels"].(map[string]any)
	for k, v := range labels {
		out[k], _ = v.(string)
	}
	return out
}

func buildRecorder(r *dokkutest.Root, trigger string) string {
	path := r.Path("recorded-" + trigger)
	r.AddPlugin("rec-"+trigger, map[string]string{
		trigger: "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + path + "\n",
	})
	return path
}

func buildSetProp(t *testing.T, r *dokkutest.Root, plugin, app, key, value string) {
	t.Helper()
	p := filepath.Join(r.Lib, "config", plugin, app, key)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(value), 0o600); err != nil {
		t.Fatal(err)
	}
}
