package cli

import (
	"path/filepath"
	"testing"

	"github.com/godokku/dokku/internal/env"
)

func TestCLICommandWord(t *testing.T) {
	cases := []struct {
		ssh  string
		args []string
		want string
	}{
		{"", []string{"apps:list"}, "apps:list"},
		{"", []string{"--quiet", "--app", "x", "config:get", "K"}, "config:get"},
		{"", nil, ""},
		{"", []string{"--app"}, "--app"},
		// The forced command: the words come from SSH_ORIGINAL_COMMAND.
		{"config:get app K", []string{"config:get", "app", "K"}, "config:get"},
		{"--quiet apps:list", []string{"--quiet", "apps:list"}, "apps:list"},
		{"git-receive-pack 'app'", []string{"git-receive-pack", "'app'"}, "git-receive-pack"},
		{"apps:list 'unterminated", []string{"apps:list", "'unterminated"}, ""},
	}
	for _, c := range cases {
		var kv []string
		if c.ssh != "" {
			kv = []string{"SSH_ORIGINAL_COMMAND=" + c.ssh}
		}
		if got := commandWord(env.New(kv), c.args); got != c.want {
			t.Errorf("ssh %q args %q: got %q, want %q", c.ssh, c.args, got, c.want)
		}
	}
}

func TestCLIEngineBeside(t *testing.T) {
	if got := Engine("/usr/bin/dokku"); got != filepath.Join("/usr/bin", env.EngineName) {
		t.Errorf("Engine = %q", got)
	}
}
