package light

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLightIsDockerFree: the point of the front binary is not linking the
// Docker client (its package inits dominate a command's start-up).
func TestLightIsDockerFree(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/godokku/dokku/cmd/dokku").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, heavy := range []string{"github.com/docker/", "github.com/distribution/", "go.opentelemetry.io/", "github.com/godokku/dokku/internal/docker"} {
			if strings.HasPrefix(dep, heavy) {
				t.Errorf("cmd/dokku links %s", dep)
			}
		}
	}
}

// TestLightCommandsAreServed: every light command but version belongs to a
// plugin of the front's registry, so the front never execs for its own
// command word.
func TestLightCommandsAreServed(t *testing.T) {
	reg := Registry()
	for word := range Commands {
		switch word {
		case "version", "-v", "--version":
			continue
		}
		ns, _, _ := strings.Cut(word, ":")
		p := reg.Get(ns)
		if p == nil {
			t.Errorf("%s: plugin %s is not in the front's registry", word, ns)
			continue
		}
		if p.Command(word) == nil && word != ns {
			t.Errorf("%s: not a command of %s", word, ns)
		}
	}
}
