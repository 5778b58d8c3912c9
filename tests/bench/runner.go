package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Host is the installed system the benchmarks drive.
type Host struct {
	Bin     string // /usr/bin/dokku
	Plugn   string // /usr/bin/plugn
	Root    string // DOKKU_ROOT: the dokku user's home
	LibRoot string // /var/lib/dokku
	Version string
	Prefix  string // every app / plugin / trigger this run creates starts with it

	cred *syscall.Credential
	env  []string // the environment sshd's forced command gives the dokku user

	apps    []string // created by needApps
	plugins []string // community plugins written by the fan-out setup
	devnull *os.File
}

func newHost(bin, libRoot, prefix string) (*Host, error) {
	u, err := user.Lookup("dokku")
	if err != nil {
		return nil, fmt.Errorf("the dokku user does not exist (sudo make install): %w", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	var groups []uint32
	gids, _ := u.GroupIds()
	for _, g := range gids {
		if n, err := strconv.ParseUint(g, 10, 32); err == nil {
			groups = append(groups, uint32(n))
		}
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	v, _ := os.ReadFile(libRoot + "/VERSION")
	h := &Host{
		Bin: bin, Plugn: "/usr/bin/plugn", Root: u.HomeDir, LibRoot: libRoot,
		Version: strings.TrimSpace(string(v)), Prefix: prefix,
		cred:    &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: groups},
		devnull: devnull,
	}
	// What a session opened by sshd for a key line of ~dokku/.ssh/authorized_keys
	// carries: the login basics (Debian's sshd PATH), the client address,
	// FINGERPRINT and NAME from the command= prefix, LANG from AcceptEnv.
	// SSH_ORIGINAL_COMMAND is added per command.
	h.env = []string{
		"USER=dokku", "LOGNAME=dokku", "HOME=" + u.HomeDir, "SHELL=/bin/bash",
		"PATH=/usr/local/bin:/usr/bin:/bin:/usr/games", "MAIL=/var/mail/dokku",
		"LANG=C.UTF-8",
		"SSH_CLIENT=127.0.0.1 50022 22", "SSH_CONNECTION=127.0.0.1 50022 127.0.0.1 22",
		"FINGERPRINT=SHA256:bench" + prefix, "NAME=" + prefix,
	}
	return h, nil
}

// Cmd describes one process run as the dokku user.
type Cmd struct {
	Path string
	Args []string // argv after argv[0]
	Env  []string // on top of the ssh session environment
	// AsRoot runs it as root (this process's user) instead of the dokku
	// user: `sudo dokku ...` by an administrator.
	AsRoot bool
}

// Dokku is `ssh dokku@host <words>` as the forced command runs it:
// SSH_ORIGINAL_COMMAND holds the words and argv is their whitespace split.
func (h *Host) Dokku(words ...string) Cmd {
	line := strings.Join(words, " ")
	return Cmd{Path: h.Bin, Args: strings.Fields(line), Env: []string{"SSH_ORIGINAL_COMMAND=" + line}}
}

func (h *Host) command(ctx context.Context, c Cmd) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.Path, c.Args...)
	cmd.Env = append(append([]string{}, h.env...), c.Env...)
	cmd.Dir = h.Root
	if !c.AsRoot {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: h.cred}
	}
	return cmd
}

// Output runs c once and returns its stdout; a non-zero exit is an error
// carrying stderr. Used for setup and to check a command before timing it.
func (h *Host) Output(c Cmd) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := h.command(ctx, c)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Stdin = h.devnull
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %v: %s", c.Path, strings.Join(c.Args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// Sample is one timed run.
type Sample struct {
	Wall time.Duration // fork to reaped exit
	CPU  time.Duration // user+system time of the process and the children it waited for
}

// Sub is the difference of two samples (a derived figure).
func (s Sample) Sub(o Sample) Sample { return Sample{Wall: s.Wall - o.Wall, CPU: s.CPU - o.CPU} }

// Add sums two samples.
func (s Sample) Add(o Sample) Sample { return Sample{Wall: s.Wall + o.Wall, CPU: s.CPU + o.CPU} }

// Time runs c once with its output discarded and measures it.
func (h *Host) Time(c Cmd) (Sample, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := h.command(ctx, c)
	// Files, not Go writers: no copying goroutines inside the measurement.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = h.devnull, h.devnull, h.devnull
	start := time.Now()
	err := cmd.Run()
	s := Sample{Wall: time.Since(start)}
	if cmd.ProcessState != nil {
		s.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		return s, fmt.Errorf("%s %s: %w", c.Path, strings.Join(c.Args, " "), err)
	}
	return s, nil
}

// Stats summarises one series of samples: wall-time min / median / p90 and
// the median CPU time.
type Stats struct {
	N                int
	Min, Median, P90 time.Duration
	CPU              time.Duration
}

func summarise(samples []Sample) Stats {
	if len(samples) == 0 {
		return Stats{}
	}
	wall := make([]time.Duration, len(samples))
	cpu := make([]time.Duration, len(samples))
	for i, s := range samples {
		wall[i], cpu[i] = s.Wall, s.CPU
	}
	sortDurations(wall)
	sortDurations(cpu)
	// Nearest-rank 90th percentile.
	rank := (len(wall)*90 + 99) / 100
	return Stats{N: len(wall), Min: wall[0], Median: median(wall), P90: wall[rank-1], CPU: median(cpu)}
}

func sortDurations(d []time.Duration) { sort.Slice(d, func(i, j int) bool { return d[i] < d[j] }) }

func median(sorted []time.Duration) time.Duration {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
