package ports

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// PortMap is one scheme:host-port:container-port mapping. The JSON field
// names are those of Dokku's ports-get json output.
type PortMap struct {
	ContainerPort int    `json:"container_port"`
	HostPort      int    `json:"host_port"`
	Scheme        string `json:"scheme"`
}

func (p PortMap) String() string {
	return fmt.Sprintf("%s:%d:%d", p.Scheme, p.HostPort, p.ContainerPort)
}

// hostOnly marks a bare host port given to ports:remove.
const hostOnly = "__internal__"

var validSchemes = map[string]bool{"http": true, "https": true, "grpc": true, "grpcs": true, "tcp": true, "udp": true}

func inRange(v int) bool { return v > 0 && v < 65536 }

// Parse reads whitespace-separated port maps. allowHostOnly accepts a bare
// host port (ports:remove).
func Parse(words []string, allowHostOnly bool) ([]PortMap, error) {
	var out []PortMap
	for _, w := range words {
		for _, v := range strings.Fields(w) {
			pm, err := parseOne(v, allowHostOnly)
			if err != nil {
				return nil, err
			}
			out = append(out, pm)
		}
	}
	return unique(out), nil
}

func parseOne(v string, allowHostOnly bool) (PortMap, error) {
	parts := strings.Split(v, ":")
	if len(parts) == 1 && allowHostOnly {
		host, err := strconv.Atoi(v)
		if err != nil {
			return PortMap{}, fmt.Errorf("Invalid port map %s [err=%s]", v, err.Error())
		}
		if !inRange(host) {
			return PortMap{}, fmt.Errorf("Invalid port map %s [hostPort=%d]", v, host)
		}
		return PortMap{HostPort: host, Scheme: hostOnly}, nil
	}
	if len(parts) != 3 {
		return PortMap{}, fmt.Errorf("Invalid port map %s [len=%d]", v, len(parts))
	}
	if !validSchemes[parts[0]] {
		return PortMap{}, fmt.Errorf("Invalid port map %s [scheme=%s]", v, parts[0])
	}
	host, err := strconv.Atoi(parts[1])
	if err != nil {
		return PortMap{}, fmt.Errorf("Invalid port map %s [err=%s]", v, err.Error())
	}
	container, err := strconv.Atoi(parts[2])
	if err != nil {
		return PortMap{}, fmt.Errorf("Invalid port map %s [err=%s]", v, err.Error())
	}
	if !inRange(host) {
		return PortMap{}, fmt.Errorf("Invalid port map %s [hostPort=%d]", v, host)
	}
	if !inRange(container) {
		return PortMap{}, fmt.Errorf("Invalid port map %s [containerPort=%d]", v, container)
	}
	return PortMap{Scheme: parts[0], HostPort: host, ContainerPort: container}, nil
}

func unique(in []PortMap) []PortMap {
	seen := map[string]bool{}
	var out []PortMap
	for _, p := range in {
		if seen[p.String()] {
			continue
		}
		seen[p.String()] = true
		out = append(out, p)
	}
	return out
}

// sortedStrings renders maps sorted, as Dokku stores them.
func sortedStrings(maps []PortMap) []string {
	out := make([]string, 0, len(maps))
	for _, p := range unique(maps) {
		if p.Scheme == hostOnly {
			continue
		}
		out = append(out, p.String())
	}
	sort.Strings(out)
	return out
}

func joinMaps(maps []PortMap) string {
	s := make([]string, len(maps))
	for i, p := range maps {
		s[i] = p.String()
	}
	return strings.Join(s, " ")
}

func jsonMaps(maps []PortMap) string {
	if maps == nil {
		maps = []PortMap{}
	}
	b, _ := json.Marshal(maps)
	return string(b)
}
