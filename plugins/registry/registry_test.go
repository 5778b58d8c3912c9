package registry

import "testing"

func TestBuildRegistryNaming(t *testing.T) {
	for in, want := range map[string]string{"": "", "docker.io": "", "hub.docker.com/": "", "reg.example.com": "reg.example.com/", " reg:5000/ ": "reg:5000/"} {
		if got := NormalizeServer(in); got != want {
			t.Errorf("NormalizeServer(%q) = %q", in, got)
		}
	}
	got, err := RepoFromTemplate("team/{{ .AppName }}-img", "web")
	if err != nil || got != "team/web-img" {
		t.Errorf("%q %v", got, err)
	}
	if got, _ := RepoFromTemplate("", "web"); got != "" {
		t.Error("empty template")
	}
	if _, err := RepoFromTemplate("{{ .Nope", "web"); err == nil {
		t.Error("bad template must fail")
	}
}
