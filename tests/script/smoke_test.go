package script

import (
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

func TestVersion(t *testing.T) {
	r := dokkutest.New(t)
	for _, arg := range []string{"version", "-v", "--version"} {
		res := r.MustRun(arg)
		if res.Stdout != "dokku version 0.38.27\n" {
			t.Errorf("%s: %q", arg, res.Stdout)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	r := dokkutest.New(t)
	res := r.Run("foo:bar", "x")
	if res.Code != 1 || res.Stderr != " !     `foo:bar x` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n" {
		t.Fatalf("%s", res)
	}
	if !strings.Contains(r.Run("help").Stdout, "") {
		t.Fatal()
	}
}
