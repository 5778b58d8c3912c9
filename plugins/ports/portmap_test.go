package ports

import (
	"reflect"
	"testing"
)

func TestPortsParse(t *testing.T) {
	maps, err := Parse([]string{"http:80:5000 https:443:5000", "http:80:5000", "udp:53:53"}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []PortMap{{Scheme: "http", HostPort: 80, ContainerPort: 5000}, {Scheme: "https", HostPort: 443, ContainerPort: 5000}, {Scheme: "udp", HostPort: 53, ContainerPort: 53}}
	if !reflect.DeepEqual(maps, want) {
		t.Fatalf("%v", maps)
	}
	if m, err := Parse([]string{"8080"}, true); err != nil || m[0].HostPort != 8080 || m[0].Scheme != hostOnly {
		t.Fatalf("host only: %v %v", m, err)
	}
	for in, msg := range map[string]string{
		"8080":         "Invalid port map 8080 [len=1]",
		"http:80":      "Invalid port map http:80 [len=2]",
		"gopher:70:70": "Invalid port map gopher:70:70 [scheme=gopher]",
		"http:0:1":     "Invalid port map http:0:1 [hostPort=0]",
		"http:1:70000": "Invalid port map http:1:70000 [containerPort=70000]",
		"http:a:1":     `Invalid port map http:a:1 [err=strconv.Atoi: parsing "a": invalid syntax]`,
		"http:1:2:3":   "Invalid port map http:1:2:3 [len=4]",
	} {
		if _, err := Parse([]string{in}, false); err == nil || err.Error() != msg {
			t.Errorf("%s: got %v, want %s", in, err, msg)
		}
	}
}

func TestPortsFormatting(t *testing.T) {
	maps := []PortMap{{Scheme: "http", HostPort: 80, ContainerPort: 5000}, {Scheme: "http", HostPort: 8080, ContainerPort: 5000}, {Scheme: hostOnly, HostPort: 1}}
	if got := sortedStrings(maps); !reflect.DeepEqual(got, []string{"http:8080:5000", "http:80:5000"}) {
		t.Fatalf("%v", got)
	}
	if jsonMaps(nil) != "[]" || jsonMaps(maps[:1]) != `[{"container_port":5000,"host_port":80,"scheme":"http"}]` {
		t.Fatal("json")
	}
	if joinMaps(maps[:2]) != "http:80:5000 http:8080:5000" {
		t.Fatal("join")
	}
}
