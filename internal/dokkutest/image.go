package dokkutest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// BaseImageName is the base image test apps are built FROM.
const BaseImageName = "dokku-test/busybox:latest"

var baseOnce sync.Once

// BaseImage makes sure a tiny base image exists, imported from a rootfs
// holding Debian's busybox-static and its applet links (no registry needed),
// and returns its name. It fails the test when Docker is unreachable.
func BaseImage(t testing.TB) string {
	t.Helper()
	var err error
	baseOnce.Do(func() {
		if exec.Command("docker", "image", "inspect", BaseImageName).Run() == nil {
			return
		}
		err = importBusybox()
	})
	if err != nil {
		t.Fatalf("building base image: %v", err)
	}
	return BaseImageName
}

func importBusybox() error {
	bb, err := exec.LookPath("busybox")
	if err != nil {
		bb = "/bin/busybox"
	}
	dir, err := os.MkdirTemp("", "dokku-test-rootfs-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for _, d := range []string{"bin", "tmp", "etc", "app", "usr/bin", "sbin"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	os.Chmod(filepath.Join(dir, "tmp"), 0o1777)
	data, err := os.ReadFile(bb)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "bin", "busybox"), data, 0o755); err != nil {
		return err
	}
	out, err := exec.Command(bb, "--list").Output()
	if err != nil {
		return err
	}
	for _, applet := range strings.Fields(string(out)) {
		if applet != "busybox" {
			os.Symlink("busybox", filepath.Join(dir, "bin", applet))
		}
	}
	os.WriteFile(filepath.Join(dir, "etc", "passwd"), []byte("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "etc", "group"), []byte("root:x:0:\nnogroup:x:65534:\n"), 0o644)
	tar := exec.Command("tar", "-C", dir, "-c", ".")
	imp := exec.Command("docker", "import", "-c", "ENV PATH=/bin:/usr/bin:/sbin", "-", BaseImageName)
	pipe, err := tar.StdoutPipe()
	if err != nil {
		return err
	}
	imp.Stdin = pipe
	if err := tar.Start(); err != nil {
		return err
	}
	if out, err := imp.CombinedOutput(); err != nil {
		return &importError{string(out), err}
	}
	return tar.Wait()
}

type importError struct {
	out string
	err error
}

func (e *importError) Error() string { return e.err.Error() + ": " + e.out }
