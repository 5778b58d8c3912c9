package main

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Row is one line of the results table.
type Row struct {
	Label  string
	Target time.Duration // the project's goal for the median; 0 = none
	Dokku  string        // Dokku 0.38's figure for comparison; "" = not known
}

// Benchmark is one named measurement. Measure returns one Sample per Row
// for run i (most benchmarks have a single row).
type Benchmark struct {
	Name    string // what -only matches
	Rows    []Row
	Runs    int                 // at least this many timed runs (else the -runs flag)
	Setup   func(h *Host) error // once, before the warm-up runs; may check output
	Measure func(h *Host, i int) ([]Sample, error)
	// Teardown, when set, removes what Setup made outside the apps
	// (keys, images); it runs after the measurement, also on failure.
	Teardown func(h *Host)
}

// benchmarks is everything `make bench` runs, in order. A benchmark lives
// in its own file and is added here with one line. Order matters where
// state accumulates: the fan-out benchmark adds 60 plugins, so it comes
// after the commands whose cost depends on the plugin count.
func benchmarks() []*Benchmark {
	return []*Benchmark{
		versionBench(),
		rootVersionBench(),
		appsListBench(),
		configGetBench(),
		configSetBench(),
		appsReportBench(),
		helpBench(),
		triggerFanoutBench(),
		redeployBench(),
	}
}

// single is a benchmark timing one dokku command per run.
func single(name string, row Row, setup func(h *Host) error, cmd func(h *Host, i int) Cmd) *Benchmark {
	return &Benchmark{
		Name:  name,
		Rows:  []Row{row},
		Setup: setup,
		Measure: func(h *Host, i int) ([]Sample, error) {
			s, err := h.Time(cmd(h, i))
			return []Sample{s}, err
		},
	}
}

// expect runs cmd once and checks its stdout.
func expect(h *Host, c Cmd, ok func(string) bool, want string) error {
	out, err := h.Output(c)
	if err != nil {
		return err
	}
	if !ok(out) {
		return fmt.Errorf("%s: unexpected output (want %s): %q", strings.Join(c.Args, " "), want, clip(out))
	}
	return nil
}

const benchApps = 100

var appsOnce struct {
	sync.Once
	err error
}

// needApps creates the benchmark's 100 apps once (four at a time).
func needApps(h *Host) error {
	appsOnce.Do(func() {
		names := make([]string, benchApps)
		for i := range names {
			names[i] = fmt.Sprintf("%s-%03d", h.Prefix, i+1)
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		work := make(chan string)
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for name := range work {
					_, err := h.Output(h.Dokku("apps:create", name))
					mu.Lock()
					if err == nil {
						h.apps = append(h.apps, name)
					} else if appsOnce.err == nil {
						appsOnce.err = err
					}
					mu.Unlock()
				}
			}()
		}
		for _, n := range names {
			work <- n
		}
		close(work)
		wg.Wait()
	})
	return appsOnce.err
}

func firstApp(h *Host) string { return h.Prefix + "-001" }

func versionBench() *Benchmark {
	return single("version",
		Row{Label: "dokku version", Target: 5 * time.Millisecond, Dokku: "35 ms"},
		func(h *Host) error {
			want := "dokku version " + h.Version + "\n"
			return expect(h, h.Dokku("version"), func(s string) bool { return s == want }, strconv.Quote(want))
		},
		func(h *Host, _ int) Cmd { return h.Dokku("version") })
}

// rootVersionBench is `dokku version` run by root, which switches to the
// dokku user before running the command (Dokku does it through sudo).
func rootVersionBench() *Benchmark {
	root := func(h *Host) Cmd {
		c := h.Dokku("version")
		c.Env = nil
		c.AsRoot = true
		return c
	}
	return single("version-as-root",
		Row{Label: "dokku version, run by root", Dokku: "35 ms + sudo"},
		func(h *Host) error {
			want := "dokku version " + h.Version + "\n"
			return expect(h, root(h), func(s string) bool { return s == want }, strconv.Quote(want))
		},
		func(h *Host, _ int) Cmd { return root(h) })
}

func appsListBench() *Benchmark {
	return single("apps:list",
		Row{Label: fmt.Sprintf("apps:list (%d apps)", benchApps), Target: 5 * time.Millisecond, Dokku: "35 ms"},
		func(h *Host) error {
			if err := needApps(h); err != nil {
				return err
			}
			return expect(h, h.Dokku("apps:list"), func(s string) bool {
				return strings.Count(s, "\n"+h.Prefix+"-") == benchApps
			}, fmt.Sprintf("%d %s-* lines", benchApps, h.Prefix))
		},
		func(h *Host, _ int) Cmd { return h.Dokku("apps:list") })
}

func configGetBench() *Benchmark {
	return single("config:get",
		Row{Label: "config:get APP KEY", Target: 5 * time.Millisecond, Dokku: "35 ms (config:show)"},
		func(h *Host) error {
			if err := needApps(h); err != nil {
				return err
			}
			if _, err := h.Output(h.Dokku("config:set", "--no-restart", firstApp(h), "BENCH_VALUE=fast")); err != nil {
				return err
			}
			return expect(h, h.Dokku("config:get", firstApp(h), "BENCH_VALUE"),
				func(s string) bool { return s == "fast\n" }, `"fast\n"`)
		},
		func(h *Host, _ int) Cmd { return h.Dokku("config:get", firstApp(h), "BENCH_VALUE") })
}

func configSetBench() *Benchmark {
	return single("config:set",
		Row{Label: "config:set --no-restart APP K=V", Dokku: "100 ms"},
		func(h *Host) error {
			if err := needApps(h); err != nil {
				return err
			}
			if _, err := h.Output(h.Dokku("config:set", "--no-restart", firstApp(h), "BENCH_COUNTER=start")); err != nil {
				return err
			}
			return expect(h, h.Dokku("config:get", firstApp(h), "BENCH_COUNTER"),
				func(s string) bool { return s == "start\n" }, `"start\n"`)
		},
		func(h *Host, i int) Cmd {
			return h.Dokku("config:set", "--no-restart", firstApp(h), "BENCH_COUNTER="+strconv.Itoa(i))
		})
}

func appsReportBench() *Benchmark {
	return single("apps:report",
		Row{Label: "apps:report APP"},
		func(h *Host) error {
			if err := needApps(h); err != nil {
				return err
			}
			return expect(h, h.Dokku("apps:report", firstApp(h)), func(s string) bool {
				return strings.HasPrefix(s, "=====> "+firstApp(h)+" app information\n")
			}, "the app information header")
		},
		func(h *Host, _ int) Cmd { return h.Dokku("apps:report", firstApp(h)) })
}

func helpBench() *Benchmark {
	return single("help",
		Row{Label: "help", Target: 20 * time.Millisecond, Dokku: "570 ms"},
		func(h *Host) error {
			return expect(h, h.Dokku("help"), func(s string) bool {
				return strings.Contains(s, "    apps ") && strings.Contains(s, "    config ")
			}, "the apps and config lines")
		},
		func(h *Host, _ int) Cmd { return h.Dokku("help") })
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}
