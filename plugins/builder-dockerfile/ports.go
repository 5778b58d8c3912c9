package builderdockerfile

import (
	"bufio"
	"bytes"
	"os"
	"strings"
)

// DockerfilePorts returns the ports named by the Dockerfile's EXPOSE lines.
// compat: like Dokku (`grep -E "^EXPOSE " | awk '{ print $2 }'`), only
// lines starting with "EXPOSE " count and only the first port of each.
func DockerfilePorts(content []byte) []string {
	var ports []string
	sc := bufio.NewScanner(bytes.NewReader(content))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if !strings.HasPrefix(line, "EXPOSE ") {
			continue
		}
		if f := strings.Fields(line); len(f) > 1 {
			ports = append(ports, f[1])
		}
	}
	return ports
}

// ReadDockerfilePorts is DockerfilePorts on a file (missing: none).
func ReadDockerfilePorts(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return DockerfilePorts(b)
}

// PortMap turns exposed ports ("80", "443/tcp", "53/udp") into Dokku's
// detected port map: http:<p>:<p>, https:443:443, udp:<p>:<p>,
// space-separated.
func PortMap(ports []string) string {
	var maps []string
	for _, p := range ports {
		if strings.Contains(p, "udp") {
			p = strings.ReplaceAll(p, "/udp", "")
			maps = append(maps, "udp:"+p+":"+p)
			continue
		}
		p = strings.ReplaceAll(p, "/tcp", "")
		scheme := "http"
		if p == "443" {
			scheme = "https"
		}
		maps = append(maps, scheme+":"+p+":"+p)
	}
	return strings.Join(maps, " ")
}
