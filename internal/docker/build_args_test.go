package docker

import (
	"reflect"
	"testing"
)

func TestBuildSplitArgs(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  --label=a   -e X ", []string{"--label=a", "-e", "X"}},
		{`--build-arg "A=hello world" --label='k=v w'`, []string{"--build-arg", "A=hello world", "--label=k=v w"}},
		{`--x=$(id) $HOME *`, []string{"--x=$(id)", "$HOME", "*"}},
		{`a\ b c\"d`, []string{"a b", `c"d`}},
		{"--a\n--b\t--c", []string{"--a", "--b", "--c"}},
		{`''`, []string{""}},
	}
	for _, c := range cases {
		got, err := SplitArgs(c.in)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("SplitArgs(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{`"abc`, `'x`, "'a\nb'"} {
		if _, err := SplitArgs(bad); err == nil {
			t.Errorf("SplitArgs(%q) must fail", bad)
		}
	}
}

func TestBuildFilterArgs(t *testing.T) {
	in := []string{"--label=a=b", "-v", "/x:/y", "--build-arg", "K", "--restart=always", "--no-cache",
		"-m", "64m", "--memory=128m", "--network", "host", "--target=prod", "--ulimit", "nofile=10:20", "--check", "--env=SECRET"}
	got, err := FilterBuildArgs(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"--label", "a=b", "--build-arg", "K", "--no-cache", "--memory", "64m", "--memory", "128m",
		"--network", "host", "--target", "prod", "--ulimit", "nofile=10:20", "--check"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	// compat: an empty word ends the scan
	got, _ = FilterBuildArgs([]string{"--no-cache", "", "--label=x"})
	if !reflect.DeepEqual(got, []string{"--no-cache"}) {
		t.Fatalf("empty word: %q", got)
	}
	if _, err := FilterBuildArgs([]string{"--label"}); err == nil {
		t.Fatal("a value flag at the end must fail")
	}
}

func TestBuildApplyArgs(t *testing.T) {
	o := &BuildOptions{Tags: []string{"dokku/a:latest"}, Labels: map[string]string{"com.dokku.app-name": "a"}}
	env := map[string]string{"FROMENV": "v1"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	flags := []string{"--build-arg", "X=1", "--build-arg", "FROMENV", "--build-arg", "MISSING", "--label", "user=yes",
		"--label", "com.dokku.app-name=override", "--memory", "64m", "--memory-swap", "-1", "--shm-size", "1g",
		"--network", "host", "--add-host", "h:1.2.3.4", "--cache-from", "img", "--target", "t", "--platform", "linux/amd64",
		"--tag", "extra:1", "--no-cache", "--ulimit", "nofile=10:20", "--secret", "id=x", "--progress", "plain"}
	warnings, err := ApplyBuildArgs(o, flags, lookup)
	if err != nil {
		t.Fatal(err)
	}
	if *o.BuildArgs["X"] != "1" || *o.BuildArgs["FROMENV"] != "v1" || o.BuildArgs["MISSING"] != nil {
		t.Errorf("build args %v", o.BuildArgs)
	}
	if _, ok := o.BuildArgs["MISSING"]; !ok {
		t.Error("an unresolved --build-arg KEY is still sent (the Dockerfile default applies)")
	}
	if o.Labels["user"] != "yes" || o.Labels["com.dokku.app-name"] != "override" {
		t.Errorf("labels %v", o.Labels)
	}
	if o.Memory != 64<<20 || o.MemorySwap != -1 || o.ShmSize != 1<<30 || o.NetworkMode != "host" || !o.NoCache ||
		o.Target != "t" || o.Platform != "linux/amd64" || len(o.Ulimits) != 1 || o.Ulimits[0].Soft != 10 {
		t.Errorf("options %+v", o)
	}
	if !reflect.DeepEqual(o.Tags, []string{"dokku/a:latest", "extra:1"}) || !reflect.DeepEqual(o.ExtraHosts, []string{"h:1.2.3.4"}) {
		t.Errorf("tags %v hosts %v", o.Tags, o.ExtraHosts)
	}
	if len(warnings) != 1 || warnings[0] != "Ignoring --secret: not supported by the Docker Engine API builder" {
		t.Errorf("warnings %q", warnings)
	}
	if _, err := ApplyBuildArgs(&BuildOptions{}, []string{"--memory", "lots"}, lookup); err == nil {
		t.Error("bad memory value must fail")
	}
}

func TestBuildLabelArgs(t *testing.T) {
	got := LabelArgs("--label=org.label-schema.schema-version=1.0 --label=org.label-schema.vendor=dokku --label=dokku -e X --label y=z")
	want := map[string]string{"org.label-schema.schema-version": "1.0", "org.label-schema.vendor": "dokku", "dokku": "", "y": "z"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%v", got)
	}
}

func TestTaskDropRunFlags(t *testing.T) {
	in := []string{"--env=A", "--cpus", "2", "--memory=1g", "-p", "80:80", "-P", "--restart=always", "--label", "x", "--publish-all", "-v", "/a:/b"}
	got := DropRunFlags(in, []string{"--cpus", "--memory", "-p", "-P", "--restart", "--publish-all"}, map[string]bool{"-P": true, "--publish-all": true})
	want := []string{"--env=A", "--label", "x", "-v", "/a:/b"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q", got)
	}
}
