package capture

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

func TestCaptureTeesAndFinishes(t *testing.T) {
	dir := t.TempDir()
	e := env.FromMap(map[string]string{
		"DOKKU_LIB_ROOT":      filepath.Join(dir, "lib"),
		"PLUGIN_ENABLED_PATH": filepath.Join(dir, "enabled"), // no plugins: no id generator
		"DOKKU_PID":           "4242",
	})
	ctx := plugin.NewContext(e, plugin.NewRegistry("test"))
	var out, errb bytes.Buffer
	ctx = ctx.WithIO(strings.NewReader(""), &out, &errb)

	s, err := Start(ctx, "web", "git-hook")
	if err != nil || s == nil {
		t.Fatalf("start: %v %v", s, err)
	}
	if s.ID() != "pid-4242" || !Active(ctx.Env) || ctx.Env.Get(EnvSource) != "git-hook" {
		t.Fatalf("id %q env %v", s.ID(), ctx.Env.Environ())
	}
	// A nested start does nothing.
	if again, err := Start(ctx, "web", "ps:rebuild"); again != nil || err != nil {
		t.Fatalf("nested capture started: %v %v", again, err)
	}
	ctx.UI().Info1("building")
	ctx.UI().Warn("careful")
	s.Finish(ui.Fail("App build failed"))
	s.Finish(nil) // once only

	if out.String() != "-----> building\n" || errb.String() != " !     careful\n" {
		t.Errorf("live streams: %q %q", out.String(), errb.String())
	}
	log, _ := os.ReadFile(LogPath(ctx.Env, "web", "pid-4242"))
	if string(log) != "-----> building\n !     careful\n !     App build failed\n" {
		t.Errorf("log:\n%s", log)
	}
	// The streams are back to the originals.
	ctx.UI().Info1("after")
	if log2, _ := os.ReadFile(LogPath(ctx.Env, "web", "pid-4242")); !bytes.Equal(log, log2) {
		t.Error("output after Finish reached the log")
	}
}
