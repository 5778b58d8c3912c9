package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// redeployBench times a warm redeploy: a source change pushed with
// `git push` over the real sshd to an app with an app.json HTTP startup
// check, until nginx serves the new content (polled every few
// milliseconds, no sleeps in the measurement). Beside it, the same
// `docker build` (cached base layers, Dokku's image labels) and container
// start until the container answers, done directly with the docker CLI;
// the difference is what Dokku adds (ssh and git transport included). The last row is the time from the check passing (the
// `All checks successful` line of the push) to nginx serving the new
// version.
func redeployBench() *Benchmark {
	r := &redeploy{}
	return &Benchmark{
		Name: "redeploy",
		Rows: []Row{
			{Label: "git push redeploy until served (nginx)", Dokku: "build + over 10 s"},
			{Label: "  same docker build + container start, direct"},
			{Label: "  overhead (difference)", Target: time.Second, Dokku: "over 10 s (uptime wait)"},
			{Label: "  served after its check passed", Target: time.Second},
		},
		Setup:    r.setup,
		Measure:  r.measure,
		Teardown: r.teardown,
	}
}

type redeploy struct {
	app, host    string
	keyName, key string
	dir          string // scratch: key, source repo, direct build context
	src, direct  string
	image        string // the direct build's tag
	containers   []string
}

// benchBase is the base image the apps are built FROM (imported from the
// host's busybox-static when missing; there is no registry).
const benchBase = "dokku-test/busybox:latest"

const redeployAppJSON = `{"healthchecks":{"web":[{"type":"startup","name":"index","path":"/index.html","attempts":60,"wait":1,"timeout":2}]}}`

func (r *redeploy) dockerfile() string {
	return "FROM " + benchBase + "\nCOPY index.html /www/index.html\nCMD [\"httpd\", \"-f\", \"-p\", \"5000\", \"-h\", \"/www\"]\n"
}

// root runs a program as root (the bench's own user) with a clean environment.
func rootRun(dir string, env []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8"}, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, clip(strings.TrimSpace(out.String())))
	}
	return out.String(), nil
}

func (r *redeploy) gitEnv() []string {
	return []string{
		"GIT_SSH_COMMAND=ssh -i " + r.key + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR",
		"GIT_AUTHOR_NAME=bench", "GIT_AUTHOR_EMAIL=bench@example.com", "GIT_COMMITTER_NAME=bench", "GIT_COMMITTER_EMAIL=bench@example.com",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
	}
}

func (r *redeploy) setup(h *Host) error {
	if err := ensureBaseImage(); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", h.Prefix+"-redeploy-")
	if err != nil {
		return err
	}
	r.dir = dir
	r.app = h.Prefix + "-redeploy"
	r.host = r.app + ".bench.test"
	r.image = h.Prefix + "-direct:latest"
	if _, err := h.Output(h.Dokku("apps:create", r.app)); err != nil {
		return err
	}
	h.apps = append(h.apps, r.app)
	if _, err := h.Output(h.Dokku("domains:set", r.app, r.host)); err != nil {
		return err
	}
	r.key = filepath.Join(dir, "id_ed25519")
	r.keyName = h.Prefix + "-redeploy"
	if _, err := rootRun(dir, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", r.key); err != nil {
		return err
	}
	if _, err := rootRun(dir, nil, h.Bin, "ssh-keys:add", r.keyName, r.key+".pub"); err != nil {
		return err
	}
	r.src = filepath.Join(dir, "src")
	r.direct = filepath.Join(dir, "direct")
	for _, d := range []string{r.src, r.direct} {
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, "Dockerfile"), []byte(r.dockerfile()), 0o644)
		os.WriteFile(filepath.Join(d, "index.html"), []byte("setup\n"), 0o644)
	}
	os.WriteFile(filepath.Join(r.src, "app.json"), []byte(redeployAppJSON), 0o644)
	for _, args := range [][]string{{"init", "-q", "-b", "master"}, {"add", "."}, {"commit", "-q", "-m", "setup"}} {
		if _, err := rootRun(r.src, r.gitEnv(), "git", args...); err != nil {
			return err
		}
	}
	// The first deploy builds the base layers; the timed ones are warm.
	if _, err := rootRun(r.src, r.gitEnv(), "git", "push", "dokku@127.0.0.1:"+r.app, "master"); err != nil {
		return err
	}
	return waitServed(r.host, "setup\n", 30*time.Second)
}

func (r *redeploy) measure(h *Host, i int) ([]Sample, error) {
	content := fmt.Sprintf("run %d %d\n", i, time.Now().UnixNano())
	if err := os.WriteFile(filepath.Join(r.src, "index.html"), []byte(content), 0o644); err != nil {
		return nil, err
	}
	if _, err := rootRun(r.src, r.gitEnv(), "git", "commit", "-q", "-am", "run"); err != nil {
		return nil, err
	}
	pushed, checked, served, err := r.push(content)
	if err != nil {
		return nil, err
	}
	direct, err := r.directDeploy(content, i)
	if err != nil {
		return nil, err
	}
	push := Sample{Wall: served.Sub(pushed)}
	afterCheck := Sample{Wall: served.Sub(checked)}
	return []Sample{push, direct, push.Sub(direct), afterCheck}, nil
}

// push runs git push, noting when the check passed (from the streamed
// output) and when nginx first served content.
func (r *redeploy) push(content string) (start, checked, served time.Time, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "push", "dokku@127.0.0.1:"+r.app, "master")
	cmd.Dir = r.src
	cmd.Env = append([]string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8"}, r.gitEnv()...)
	stderr, _ := cmd.StderrPipe()
	var log bytes.Buffer
	checkedCh := make(chan time.Time, 1)
	start = time.Now()
	if err = cmd.Start(); err != nil {
		return
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			log.WriteString(line + "\n")
			if strings.Contains(line, "All checks successful") {
				select {
				case checkedCh <- time.Now():
				default:
				}
			}
		}
	}()
	servedCh := make(chan time.Time, 1)
	go func() {
		deadline := time.Now().Add(5 * time.Minute)
		for time.Now().Before(deadline) && ctx.Err() == nil {
			if body, code, _ := benchGet(r.host); code == 200 && body == content {
				servedCh <- time.Now()
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		close(servedCh)
	}()
	werr := cmd.Wait()
	if werr != nil {
		return start, checked, served, fmt.Errorf("git push: %v: %s", werr, clip(log.String()))
	}
	var ok bool
	served, ok = <-servedCh
	if !ok {
		return start, checked, served, errors.New("the new version was never served")
	}
	select {
	case checked = <-checkedCh:
	default:
		return start, checked, served, fmt.Errorf("no 'All checks successful' line in the push output: %s", clip(log.String()))
	}
	return start, checked, served, nil
}

// directDeploy is the same build and start done with docker directly.
func (r *redeploy) directDeploy(content string, i int) (Sample, error) {
	if err := os.WriteFile(filepath.Join(r.direct, "index.html"), []byte(content), 0o644); err != nil {
		return Sample{}, err
	}
	name := fmt.Sprintf("%s-direct-%d", strings.TrimSuffix(r.image, ":latest"), i+100)
	start := time.Now()
	// The build Dokku runs: the same labels (each adds a LABEL step to the
	// classic builder) and, for the container, --init as Dokku's default.
	build := []string{"build", "-q", "-t", r.image,
		"--label=org.label-schema.schema-version=1.0", "--label=org.label-schema.vendor=dokku", "--label=dokku",
		"--label=com.dokku.image-stage=build", "--label=com.dokku.builder-type=dockerfile", "--label=com.dokku.app-name=" + r.app, "."}
	if _, err := rootRun(r.direct, nil, "docker", build...); err != nil {
		return Sample{}, err
	}
	if _, err := rootRun(r.direct, nil, "docker", "run", "-d", "--init", "--name", name, r.image); err != nil {
		return Sample{}, err
	}
	r.containers = append(r.containers, name)
	ip, err := rootRun("", nil, "docker", "inspect", "--format", "{{.NetworkSettings.IPAddress}}", name)
	if err != nil {
		return Sample{}, err
	}
	url := "http://" + strings.TrimSpace(ip) + ":5000/index.html"
	deadline := time.Now().Add(time.Minute)
	for {
		if body, code, _ := benchFetch(url, ""); code == 200 && body == content {
			break
		}
		if time.Now().After(deadline) {
			return Sample{}, errors.New("the direct container never served")
		}
		time.Sleep(5 * time.Millisecond)
	}
	s := Sample{Wall: time.Since(start)}
	rootRun("", nil, "docker", "rm", "-f", name)
	r.containers = r.containers[:len(r.containers)-1]
	return s, nil
}

func (r *redeploy) teardown(h *Host) {
	if r.keyName != "" {
		rootRun("", nil, h.Bin, "ssh-keys:remove", r.keyName)
	}
	for _, c := range r.containers {
		rootRun("", nil, "docker", "rm", "-f", c)
	}
	if r.image != "" {
		rootRun("", nil, "docker", "image", "rm", "-f", r.image)
	}
	if r.dir != "" {
		os.RemoveAll(r.dir)
	}
}

var benchHTTP = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

func benchFetch(url, host string) (string, int, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return "", 0, err
	}
	if host != "" {
		req.Host = host
	}
	res, err := benchHTTP.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), res.StatusCode, err
}

// benchGet requests /index.html through nginx with the app's Host header.
func benchGet(host string) (string, int, error) {
	return benchFetch("http://127.0.0.1/index.html", host)
}

func waitServed(host, content string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if body, code, _ := benchGet(host); code == 200 && body == content {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("nginx did not serve %q for %s", strings.TrimSpace(content), host)
}

// ensureBaseImage imports benchBase from busybox-static when it is missing.
func ensureBaseImage() error {
	if _, err := rootRun("", nil, "docker", "image", "inspect", benchBase); err == nil {
		return nil
	}
	bb, err := exec.LookPath("busybox")
	if err != nil {
		bb = "/bin/busybox"
	}
	data, err := os.ReadFile(bb)
	if err != nil {
		return fmt.Errorf("busybox-static is needed to build %s: %w", benchBase, err)
	}
	applets, err := exec.Command(bb, "--list").Output()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, d := range []string{"bin/", "tmp/", "www/", "etc/"} {
		tw.WriteHeader(&tar.Header{Name: d, Typeflag: tar.TypeDir, Mode: 0o755})
	}
	tw.WriteHeader(&tar.Header{Name: "bin/busybox", Mode: 0o755, Size: int64(len(data))})
	tw.Write(data)
	for _, a := range strings.Fields(string(applets)) {
		if a != "busybox" {
			tw.WriteHeader(&tar.Header{Name: "bin/" + a, Typeflag: tar.TypeSymlink, Linkname: "busybox", Mode: 0o777})
		}
	}
	tw.Close()
	cmd := exec.Command("docker", "import", "-c", `ENV PATH=/bin`, "-", benchBase)
	cmd.Stdin = &buf
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("docker import: %v: %s", err, out)
	}
	return nil
}
