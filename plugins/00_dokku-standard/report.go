package standard

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/ui"
)

// dockerTimeout bounds every Docker request of the report: an unreachable
// daemon must not hang a diagnostics command.
const dockerTimeout = 3 * time.Second

// runReport is `report [<app>|--all]`: host diagnostics, then the report
// trigger for the app (or every app).
func runReport(ctx *plugin.Context, args []string) error {
	target := plugin.Arg(args, 1)
	for _, a := range args[1:] {
		if a == "--format" || strings.HasPrefix(a, "--format=") {
			return ui.Fail("--format flag not supported on global report")
		}
	}
	var apps []string
	switch {
	case target == "--all":
		list, err := app.List(ctx)
		if err != nil {
			return err
		}
		apps = list
	case target != "":
		if err := app.Verify(ctx, target); err != nil {
			return err
		}
		apps = []string{target}
	}
	if err := hostReport(ctx); err != nil {
		return err
	}
	for _, a := range apps {
		if err := ctx.Trigger("report", a); err != nil {
			return err
		}
	}
	return nil
}

// hostReport prints the host part of `dokku report`.
func hostReport(ctx *plugin.Context) error {
	u := ctx.UI()
	block := func(title string, lines []string) {
		u.Info1(title + ": ")
		for _, l := range lines {
			u.Verbose(l)
		}
	}
	u.Info1("uname: " + uname())
	block("memory", memory())
	block("disk", disk(ctx))
	version, info := dockerReport(ctx)
	block("docker version", version)
	block("docker daemon info", info)
	u.Info1("git version: " + gitVersion())
	v, err := dokkuVersion(ctx)
	if err != nil {
		return err
	}
	u.Info1("dokku version: dokku version " + v)
	u.Info1("plugn version: plugn: " + ctx.Registry.Version)
	var plugins bytes.Buffer
	plugin.FormatList(&plugins, plugin.List(ctx.Env))
	block("dokku plugins", splitLines(plugins.String()))
	return nil
}

func splitLines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// uname is `uname -a` on Linux.
func uname() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "unknown"
	}
	f := func(b []byte) string { return unix.ByteSliceToString(b) }
	return strings.Join([]string{f(u.Sysname[:]), f(u.Nodename[:]), f(u.Release[:]), f(u.Version[:]), f(u.Machine[:]), "GNU/Linux"}, " ")
}

// memory is `free -m` (procps 4 layout, used = total - available).
func memory() []string {
	m, err := meminfo("/proc/meminfo")
	if err != nil {
		return []string{"unavailable: " + err.Error()}
	}
	mib := func(k string) int64 { return m[k] / 1024 }
	total, avail := mib("MemTotal"), mib("MemAvailable")
	row := func(name string, cols ...int64) string {
		s := fmt.Sprintf("%-8s", name)
		for _, c := range cols {
			s += fmt.Sprintf("%12d", c)
		}
		return s
	}
	header := fmt.Sprintf("%-8s%12s%12s%12s%12s%12s%12s", "", "total", "used", "free", "shared", "buff/cache", "available")
	return []string{
		header,
		row("Mem:", total, total-avail, mib("MemFree"), mib("Shmem"), (m["Buffers"]+m["Cached"]+m["SReclaimable"])/1024, avail),
		row("Swap:", mib("SwapTotal"), mib("SwapTotal")-mib("SwapFree"), mib("SwapFree")),
	}
}

// meminfo parses /proc/meminfo into kB values.
func meminfo(path string) (map[string]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			continue
		}
		if n, err := strconv.ParseInt(fields[0], 10, 64); err == nil {
			out[k] = n
		}
	}
	return out, sc.Err()
}

// disk reports the space of the filesystems holding the Dokku trees.
func disk(ctx *plugin.Context) []string {
	var lines []string
	seen := map[string]bool{}
	for _, p := range []string{ctx.Env.Root(), ctx.Env.LibRoot(), "/var/lib/docker"} {
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		var st unix.Statfs_t
		if err := unix.Statfs(p, &st); err != nil {
			continue
		}
		size := st.Blocks * uint64(st.Bsize)
		free := st.Bavail * uint64(st.Bsize)
		used := (st.Blocks - st.Bfree) * uint64(st.Bsize)
		pct := 0
		if used+free > 0 {
			pct = int((used*100 + used + free - 1) / (used + free))
		}
		lines = append(lines, fmt.Sprintf("%s: %s size, %s used, %s available (%d%% used)", p, human(size), human(used), human(free), pct))
	}
	return lines
}

// human renders bytes like df -h.
func human(b uint64) string {
	units := []string{"B", "K", "M", "G", "T", "P"}
	v := float64(b)
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%dB", b)
	}
	if v < 10 {
		return fmt.Sprintf("%.1f%s", v, units[i])
	}
	return fmt.Sprintf("%.0f%s", v, units[i])
}

// dockerReport asks the daemon, within dockerTimeout.
func dockerReport(ctx *plugin.Context) (version, info []string) {
	c, err := docker.FromContext(ctx)
	if err != nil {
		return []string{"unavailable: " + err.Error()}, nil
	}
	cctx, cancel := context.WithTimeout(context.Background(), dockerTimeout)
	defer cancel()
	r, err := c.SystemReport(cctx)
	if err != nil {
		if r.Version == nil {
			return []string{"unavailable: " + oneLine(err.Error())}, nil
		}
		return r.Version, []string{"unavailable: " + oneLine(err.Error())}
	}
	return r.Version, r.Info
}

func oneLine(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), "\n", " ") }

// gitVersion is `git --version`.
func gitVersion() string {
	out, err := proc.Output(context.Background(), proc.Cmd{Name: "git", Args: []string{"--version"}, Timeout: 5 * time.Second})
	if err != nil {
		return "unavailable"
	}
	return strings.TrimSpace(out)
}
