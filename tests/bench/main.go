// Command bench measures the installed Dokku (`make bench`, as root): each
// benchmark runs a command many times as the dokku user, with the
// credentials set directly on the process (no sudo) and the environment an
// ssh session's forced command would give, and prints min / median / p90
// beside the project's target and Dokku 0.38's figure.
//
// Everything it creates (100 apps, 60 community plugins, a trigger) is named
// with a unique bench<hex> prefix and removed afterwards, also on Ctrl-C.
//
//	go run ./tests/bench [-runs 30] [-warmup 3] [-only version,help] [-keep] [-strict]
package main

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() { os.Exit(run()) }

func run() int {
	runs := flag.Int("runs", 30, "timed runs per benchmark")
	warmup := flag.Int("warmup", 3, "untimed runs before timing")
	only := flag.String("only", "", "comma-separated benchmark names to run (default: all)")
	keep := flag.Bool("keep", false, "leave the apps and plugins in place")
	strict := flag.Bool("strict", false, "exit 1 when a median misses its target")
	bin := flag.String("dokku", "/usr/bin/dokku", "the installed dokku binary")
	flag.Parse()

	if os.Geteuid() != 0 {
		fmt.Fprintln(os.Stderr, "bench: run as root (sudo make bench): it creates apps and plugins and runs commands as the dokku user")
		return 2
	}
	if _, err := os.Stat(*bin); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %s is not installed (sudo make install)\n", *bin)
		return 2
	}
	b := make([]byte, 2)
	rand.Read(b)
	h, err := newHost(*bin, "/var/lib/dokku", "bench"+hex.EncodeToString(b))
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}

	var cleanOnce sync.Once
	cleanup := func() {
		if *keep {
			fmt.Printf("\nKept apps %s-* and plugins %s-p* (-keep).\n", h.Prefix, h.Prefix)
			return
		}
		cleanOnce.Do(func() { h.cleanup() })
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		fmt.Fprintln(os.Stderr, "\nbench: interrupted, cleaning up")
		cleanup()
		os.Exit(130)
	}()
	defer cleanup()

	selected := map[string]bool{}
	for _, n := range strings.Split(*only, ",") {
		if n = strings.TrimSpace(n); n != "" {
			selected[n] = true
		}
	}

	fmt.Printf("dokku %s at %s: %d timed runs after %d warm-up, as the dokku user with an ssh session's environment\n",
		h.Version, h.Bin, *runs, *warmup)
	fmt.Printf("%d CPUs, load average %s\n\n", runtime.NumCPU(), loadAverage())
	fmt.Printf("%-44s %5s %9s %9s %9s %9s %9s  %-20s %s\n", "benchmark", "runs", "min", "median", "p90", "cpu", "target", "dokku 0.38", "")
	failed, slow := false, false
	for _, bm := range benchmarks() {
		if len(selected) > 0 && !selected[bm.Name] {
			continue
		}
		stats, err := measure(h, bm, *runs, *warmup)
		if err != nil {
			failed = true
			fmt.Printf("%-44s  error: %s\n", bm.Rows[0].Label, strings.Join(strings.Fields(err.Error()), " "))
			continue
		}
		for i, row := range bm.Rows {
			verdict := ""
			if row.Target > 0 {
				verdict = "ok"
				if stats[i].Median > row.Target {
					verdict, slow = "SLOW", true
				}
			}
			fmt.Printf("%-44s %5d %9s %9s %9s %9s %9s  %-20s %s\n", row.Label, stats[i].N,
				ms(stats[i].Min), ms(stats[i].Median), ms(stats[i].P90), ms(stats[i].CPU), target(row.Target), dash(row.Dokku), verdict)
		}
	}
	fmt.Println("\nmin/median/p90: wall time from fork to exit of one command; the target applies to its median.")
	fmt.Println("cpu: median user+system time of the command (and the children it waited for); steadier than wall")
	fmt.Println("time on a busy machine. Dokku 0.38 figures: its own measurements on an idle host, for comparison.")
	if failed {
		return 1
	}
	if slow && *strict {
		return 1
	}
	return 0
}

// measure sets a benchmark up, warms it up and collects its samples.
func measure(h *Host, bm *Benchmark, runs, warmup int) ([]Stats, error) {
	if bm.Teardown != nil {
		defer bm.Teardown(h)
	}
	if bm.Setup != nil {
		if err := bm.Setup(h); err != nil {
			return nil, fmt.Errorf("setup: %w", err)
		}
	}
	if bm.Runs > runs {
		runs = bm.Runs
	}
	for i := 0; i < warmup; i++ {
		if _, err := bm.Measure(h, -1-i); err != nil {
			return nil, err
		}
	}
	series := make([][]Sample, len(bm.Rows))
	for i := 0; i < runs; i++ {
		ds, err := bm.Measure(h, i)
		if err != nil {
			return nil, err
		}
		for r := range bm.Rows {
			series[r] = append(series[r], ds[r])
		}
	}
	out := make([]Stats, len(bm.Rows))
	for r := range series {
		out[r] = summarise(series[r])
	}
	return out, nil
}

// cleanup removes what the run created: plugins first (so that destroying
// apps fires no bench hooks), then the apps.
func (h *Host) cleanup() {
	if err := h.removePlugins(); err != nil {
		fmt.Fprintln(os.Stderr, "bench: removing plugins:", err)
	}
	var wg sync.WaitGroup
	work := make(chan string)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for app := range work {
				if _, err := h.Output(h.Dokku("--force", "apps:destroy", app)); err != nil {
					fmt.Fprintln(os.Stderr, "bench: destroying", app+":", err)
				}
			}
		}()
	}
	for _, app := range h.apps {
		work <- app
	}
	close(work)
	wg.Wait()
	h.apps = nil
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}

func target(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("< %dms", d/time.Millisecond)
}

// loadAverage is the 1-minute load average: figures taken under load are
// slower than the machine can do.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
