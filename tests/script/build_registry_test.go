package script

import (
	"strings"
	"testing"
)

func TestBuildRegistrySettings(t *testing.T) {
	r := buildRoot(t, "web")
	if res := buildMust(t, r, "plugin:trigger", "deployed-app-image-repo", "web"); res.Stdout != "dokku/web\n" {
		t.Fatalf("%s", res)
	}
	if res := buildMust(t, r, "plugin:trigger", "deployed-app-image-tag", "web"); res.Stdout != "" {
		t.Fatalf("%s", res)
	}
	if res := buildMust(t, r, "plugin:trigger", "deployed-app-repository", "web"); res.Stdout != "\n" {
		t.Fatalf("%q", res.Stdout)
	}
	buildMust(t, r, "registry:set", "--global", "server", "registry.example.com/")
	buildMust(t, r, "registry:set", "--global", "image-repo-template", "team/{{ .AppName }}")
	if res := buildMust(t, r, "plugin:trigger", "deployed-app-repository", "web"); res.Stdout != "registry.example.com/\n" {
		t.Fatalf("%s", res)
	}
	if res := buildMust(t, r, "plugin:trigger", "deployed-app-image-repo", "web"); res.Stdout != "team/web\n" {
		t.Fatalf("%s", res)
	}
	buildMust(t, r, "registry:set", "web", "image-repo", "custom/repo")
	buildMust(t, r, "registry:set", "web", "push-on-release", "true")
	if res := buildMust(t, r, "plugin:trigger", "deployed-app-image-repo", "web"); res.Stdout != "custom/repo\n" {
		t.Fatalf("%s", res)
	}
	if res := buildMust(t, r, "plugin:trigger", "deployed-app-image-tag", "web"); res.Stdout != "1\n" {
		t.Fatalf("%s", res)
	}
	res := buildMust(t, r, "registry:report", "web")
	for _, want := range []string{
		"=====> web registry information\n",
		"       Registry computed image repo:          custom/repo\n",
		"       Registry computed push on release:     true\n",
		"       Registry computed server:              registry.example.com/\n",
		"       Registry global image repo template:   team/{{ .AppName }}\n",
		"       Registry image repo:                   custom/repo\n",
		"       Registry tag version:                  \n",
	} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, res.Stdout)
		}
	}
	res = r.Run("registry:set", "--global", "image-repo", "x")
	if res.Code != 1 || res.Stderr != " !     Property cannot be specified globally\n" {
		t.Fatalf("%s", res)
	}
	res = r.Run("registry:set", "web", "push-on-release", "yes")
	if res.Code != 1 {
		t.Fatalf("%s", res)
	}
}
