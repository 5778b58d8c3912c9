package builderdockerfile

import (
	"reflect"
	"testing"
)

func TestBuildDockerfilePorts(t *testing.T) {
	df := "FROM x\r\nEXPOSE 3000 4000\r\n  EXPOSE 9\nexpose 10\nEXPOSE 53/udp\nEXPOSE 443/tcp\nRUN echo EXPOSE 1\nEXPOSE\n"
	got := DockerfilePorts([]byte(df))
	want := []string{"3000", "53/udp", "443/tcp"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q", got)
	}
}

func TestBuildPortMap(t *testing.T) {
	cases := map[string][]string{
		"http:5000:5000":                     {"5000"},
		"http:80:80 https:443:443 udp:53:53": {"80/tcp", "443", "53/udp"},
		"https:443:443 http:8080:8080":       {"443/tcp", "8080/tcp"},
		"":                                   nil,
	}
	for want, ports := range cases {
		if got := PortMap(ports); got != want {
			t.Errorf("PortMap(%q) = %q, want %q", ports, got, want)
		}
	}
}
