package docker

import (
	"reflect"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/go-connections/nat"
)

func TestContainerArgsParse(t *testing.T) {
	raw := ` --env=USER=herokuishuser --env=SECRET --env=MISSING --label=com.dokku.app-name=my-app ` +
		`--label "traefik.http.routers.x.rule=Host(` + "`a.b`" + `)" --restart=on-failure:10 ` +
		`--log-opt=max-size=10m -v /host/data:/data:ro --volume=/anon --cpus=1.5 --memory=512m ` +
		`--memory-swap=-1 -p 8080:5000 --network=my-net --network-alias=web.local --init ` +
		`--name=my-app.web.1.upcoming-123 --shm-size 64m --ulimit nofile=1024:2048 --tmpfs /run:rw,size=1m ` +
		`--gpus all --rm -d --frobnicate x`
	tokens, err := SplitArgs(raw)
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(k string) (string, bool) {
		if k == "SECRET" {
			return "a 'b' \"c\" $d\nline2", true
		}
		return "", false
	}
	s, warnings, err := ParseCreateArgs(tokens, lookup)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(warnings, []string{"Ignoring unsupported docker option: --frobnicate"}) {
		t.Fatalf("warnings %q", warnings)
	}
	wantEnv := []string{"USER=herokuishuser", "SECRET=a 'b' \"c\" $d\nline2"}
	if !reflect.DeepEqual(s.Config.Env, wantEnv) {
		t.Fatalf("env %q", s.Config.Env)
	}
	if s.Config.Labels["traefik.http.routers.x.rule"] != "Host(`a.b`)" || s.Config.Labels["com.dokku.app-name"] != "my-app" {
		t.Fatalf("labels %v", s.Config.Labels)
	}
	if s.Host.RestartPolicy != (container.RestartPolicy{Name: "on-failure", MaximumRetryCount: 10}) {
		t.Fatalf("restart %+v", s.Host.RestartPolicy)
	}
	if s.Host.LogConfig.Config["max-size"] != "10m" {
		t.Fatalf("log %+v", s.Host.LogConfig)
	}
	if !reflect.DeepEqual(s.Host.Binds, []string{"/host/data:/data:ro"}) {
		t.Fatalf("binds %v", s.Host.Binds)
	}
	if _, ok := s.Config.Volumes["/anon"]; !ok {
		t.Fatalf("volumes %v", s.Config.Volumes)
	}
	if s.Host.NanoCPUs != 1500000000 || s.Host.Memory != 512*1024*1024 || s.Host.MemorySwap != -1 || s.Host.ShmSize != 64*1024*1024 {
		t.Fatalf("resources %+v", s.Host.Resources)
	}
	if b := s.Host.PortBindings[nat.Port("5000/tcp")]; len(b) != 1 || b[0].HostPort != "8080" || !s.PublishesPorts() {
		t.Fatalf("ports %v", s.Host.PortBindings)
	}
	if s.Host.NetworkMode != "my-net" || !reflect.DeepEqual(s.Networking.EndpointsConfig["my-net"].Aliases, []string{"web.local"}) {
		t.Fatalf("network %v %+v", s.Host.NetworkMode, s.Networking)
	}
	if s.Host.Init == nil || !*s.Host.Init || s.Name != "my-app.web.1.upcoming-123" {
		t.Fatalf("init/name")
	}
	if len(s.Host.Ulimits) != 1 || s.Host.Ulimits[0].Soft != 1024 || s.Host.Ulimits[0].Hard != 2048 {
		t.Fatalf("ulimits %+v", s.Host.Ulimits)
	}
	if s.Host.Tmpfs["/run"] != "rw,size=1m" || len(s.Host.DeviceRequests) != 1 || s.Host.DeviceRequests[0].Count != -1 {
		t.Fatalf("tmpfs/gpus")
	}
	if v, ok := s.EnvValue("SECRET"); !ok || !strings.HasPrefix(v, "a 'b'") {
		t.Fatalf("EnvValue")
	}
}

func TestContainerArgsShortForms(t *testing.T) {
	s, _, err := ParseCreateArgs([]string{"-e", "A=1", "-eB=2", "-e=C=3", "-l", "x=y", "-P", "-m", "1g", "--init=false", "--restart", "no"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Config.Env, []string{"A=1", "B=2", "C=3"}) {
		t.Fatalf("env %q", s.Config.Env)
	}
	if s.Config.Labels["x"] != "y" || !s.Host.PublishAllPorts || s.Host.Memory != 1<<30 || *s.Host.Init {
		t.Fatalf("short forms %+v", s)
	}
}

func TestContainerArgsErrors(t *testing.T) {
	cases := [][]string{
		{"--restart=sometimes"},
		{"--memory=lots"},
		{"--cpus=x"},
		{"--env"},
		{"--log-opt=nokey"},
		{"--restart=always:3"},
	}
	for _, c := range cases {
		if _, _, err := ParseCreateArgs(c, nil); err == nil {
			t.Errorf("%v: no error", c)
		}
	}
	if _, err := SplitArgs(`--label "unterminated`); err == nil {
		t.Errorf("unterminated quote accepted")
	}
}
