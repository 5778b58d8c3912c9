package pipeline

import (
	"reflect"
	"testing"

	"github.com/godokku/dokku/internal/docker"
)

func TestBuildLabelSets(t *testing.T) {
	want := map[string]string{
		"org.label-schema.schema-version": "1.0",
		"org.label-schema.vendor":         "dokku",
		"dokku":                           "",
		"com.dokku.image-stage":           "build",
		"com.dokku.builder-type":          "dockerfile",
		"com.dokku.app-name":              "web",
	}
	if got := BuildLabels("web", "dockerfile"); !reflect.DeepEqual(got, want) {
		t.Errorf("build labels %v", got)
	}
	rel := ReleaseLabels("web")
	if rel["com.dokku.image-stage"] != "release" || rel["com.dokku.app-name"] != "web" || rel["dokku"] != "" || len(rel) != 5 {
		t.Errorf("release labels %v", rel)
	}
}

func TestBuildImageNaming(t *testing.T) {
	if ImageName("a.b", "") != "dokku/a.b:latest" || ImageName("x", "v2") != "dokku/x:v2" || ImageRepo("x") != "dokku/x" {
		t.Error("image names")
	}
	for in, want := range map[string]string{
		"dokku/x:latest": "latest", "dokku/x:3": "3", "dokku/x": "latest",
		"reg:5000/dokku/x": "latest", "reg:5000/dokku/x:7": "7",
	} {
		if got := TagOf(in); got != want {
			t.Errorf("TagOf(%q) = %q", in, got)
		}
	}
}

func TestBuildSourceType(t *testing.T) {
	cases := []struct {
		img  *docker.Image
		user string
		want string
	}{
		{&docker.Image{Labels: map[string]string{"com.dokku.builder-type": "dockerfile"}}, "", "dockerfile"},
		{&docker.Image{Labels: map[string]string{"com.dokku.builder-type": "nixpacks"}}, "", "nixpacks"},
		{&docker.Image{Labels: map[string]string{"io.buildpacks.stack.id": "x", "com.dokku.builder-type": "pack"}}, "", "pack"},
		{&docker.Image{Labels: map[string]string{}, Env: []string{"USER=herokuishuser"}}, "", "herokuish"},
		{&docker.Image{Labels: map[string]string{}, Env: []string{"USER=app"}}, "app", "herokuish"},
		{&docker.Image{Labels: map[string]string{}, Env: []string{"USER=app"}}, "", "dockerfile"},
		{nil, "", "dockerfile"},
	}
	for i, c := range cases {
		if got := SourceType(c.img, c.user); got != c.want {
			t.Errorf("case %d: %q, want %q", i, got, c.want)
		}
	}
}
