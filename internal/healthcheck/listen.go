package healthcheck

import (
	"bufio"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// hostPort is one listening socket.
type hostPort struct {
	ip   net.IP
	port int
}

// tcpListen is the socket state "LISTEN" in /proc/net/tcp.
const tcpListen = "0A"

// listeningAddresses reads the TCP listening sockets of pid's network
// namespace from <procRoot>/<pid>/net/tcp and tcp6.
func listeningAddresses(procRoot string, pid int) ([]hostPort, error) {
	var out []hostPort
	found := false
	for _, name := range []string{"tcp", "tcp6"} {
		f, err := os.Open(filepath.Join(procRoot, strconv.Itoa(pid), "net", name))
		if err != nil {
			if errors.Is(err, os.ErrNotExist) && name == "tcp6" {
				continue
			}
			return nil, err
		}
		found = true
		addrs, err := parseProcNet(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, addrs...)
	}
	if !found {
		return nil, os.ErrNotExist
	}
	return out, nil
}

func parseProcNet(f *os.File) ([]hostPort, error) {
	var out []hostPort
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || fields[3] != tcpListen {
			continue
		}
		hp, ok := parseHexAddr(fields[1])
		if ok {
			out = append(out, hp)
		}
	}
	return out, sc.Err()
}

// parseHexAddr decodes "0100007F:1388" (little-endian 32-bit words).
func parseHexAddr(s string) (hostPort, bool) {
	ipHex, portHex, ok := strings.Cut(s, ":")
	if !ok {
		return hostPort{}, false
	}
	raw, err := hex.DecodeString(ipHex)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return hostPort{}, false
	}
	for i := 0; i+4 <= len(raw); i += 4 {
		raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	port, err := strconv.ParseUint(portHex, 16, 16)
	if err != nil {
		return hostPort{}, false
	}
	return hostPort{ip: net.IP(raw), port: int(port)}, true
}
