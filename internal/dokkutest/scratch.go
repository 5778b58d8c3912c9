package dokkutest

import (
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// scratchBase is the directory test roots are made in. A root is mostly
// metadata (plugin:install --core writes ~700 directories and symlinks),
// which costs ~0.5 ms per entry on a virtual machine's journalled disk and
// microseconds on tmpfs, so /dev/shm is used when it is a tmpfs that allows
// exec (plugin triggers run from the root) and has room; else the default
// temp dir. $DOKKU_TEST_SCRATCH chooses the directory.
var scratchBase = sync.OnceValue(func() string {
	if d := os.Getenv("DOKKU_TEST_SCRATCH"); d != "" {
		return d
	}
	const shm = "/dev/shm"
	if usableTmpfs(shm, 1<<30) {
		return shm
	}
	return ""
})

// usableTmpfs reports whether dir is a tmpfs mount point without noexec,
// writable by this user, with at least free bytes available.
func usableTmpfs(dir string, free uint64) bool {
	b, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		return false
	}
	found := false
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || f[1] != dir {
			continue
		}
		// The last mount of a point is the visible one.
		found = f[2] == "tmpfs"
		for _, o := range strings.Split(f[3], ",") {
			if o == "noexec" || o == "ro" {
				found = false
			}
		}
	}
	if !found || syscall.Access(dir, 2|1) != nil { // W_OK|X_OK
		return false
	}
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return false
	}
	return st.Bavail*uint64(st.Bsize) >= free
}

// scratchDir makes a directory for one test root, removed when t ends.
func scratchDir(t testing.TB) string {
	t.Helper()
	base := scratchBase()
	if base == "" {
		return t.TempDir()
	}
	dir, err := os.MkdirTemp(base, "dokku-test-")
	if err != nil {
		return t.TempDir()
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
