//go:build integration

package integration

import (
	"os/exec"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

func TestIntegrationBaseImageRuns(t *testing.T) {
	img := dokkutest.BaseImage(t)
	out, err := exec.Command("docker", "run", "--rm", img, "echo", "hello").CombinedOutput()
	if err != nil || string(out) != "hello\n" {
		t.Fatalf("%v %q", err, out)
	}
}
