package nginxvhosts

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// reloadGrace bounds how long a reload waits for the previous worker
// generation to finish its requests.
const reloadGrace = 5 * time.Second

// nginxMaster is the pid of the running nginx master (0 when unknown).
func nginxMaster() int {
	for _, p := range []string{"/run/nginx.pid", "/var/run/nginx.pid", "/usr/local/openresty/nginx/logs/nginx.pid"} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
			if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil {
				return pid
			}
		}
	}
	return 0
}

// nginxChildren lists the processes whose parent is pid (the workers and
// cache processes of a master), from /proc.
func nginxChildren(pid int) map[int]bool {
	out := map[int]bool{}
	if pid <= 0 {
		return out
	}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return out
	}
	want := strconv.Itoa(pid)
	for _, e := range ents {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold blanks and parentheses.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 1 && f[1] == want {
			out[n] = true
		}
	}
	return out
}

// waitReloaded makes a reload effective before it returns: `nginx -s
// reload` only signals the master, which then starts new workers and lets
// the old ones finish their requests. Until the old generation is gone it
// may still proxy to the upstreams of the previous config, so a caller
// that retires the old containers right after the reload would cut those
// requests. It returns once a new worker runs and every old one exited, or
// after reloadGrace (long-lived connections keep old workers around).
func waitReloaded(master int, before map[int]bool) {
	if master <= 0 || len(before) == 0 {
		return
	}
	deadline := time.Now().Add(reloadGrace)
	for time.Now().Before(deadline) {
		cur := nginxChildren(master)
		fresh, old := false, false
		for pid := range cur {
			if before[pid] {
				old = true
			} else {
				fresh = true
			}
		}
		if fresh && !old {
			return
		}
		if len(cur) == 0 && nginxMaster() != master {
			return // the master itself went away
		}
		time.Sleep(10 * time.Millisecond)
	}
}
