package ps

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// allArgs are the arguments of the --all capable commands.
type allArgs struct {
	all      bool
	parallel int
	pos      []string
}

func parseAllArgs(args []string) (allArgs, error) {
	a := allArgs{}
	for i := 0; i < len(args); i++ {
		s := args[i]
		switch {
		case s == "--all":
			a.all = true
		case s == "--parallel":
			if i+1 >= len(args) {
				return a, ui.Fail("flag needs an argument: --parallel")
			}
			i++
			n, err := strconv.Atoi(args[i])
			if err != nil {
				return a, ui.Failf("invalid argument %q for \"--parallel\" flag", args[i])
			}
			a.parallel = n
		case strings.HasPrefix(s, "--parallel="):
			n, err := strconv.Atoi(strings.TrimPrefix(s, "--parallel="))
			if err != nil {
				return a, ui.Failf("invalid argument %q for \"--parallel\" flag", strings.TrimPrefix(s, "--parallel="))
			}
			a.parallel = n
		default:
			a.pos = append(a.pos, s)
		}
	}
	return a, nil
}

// runAgainstAllApps runs fn for every app: serially for 0 and 1, with N
// workers otherwise, -1 meaning the CPU count.
func runAgainstAllApps(ctx *plugin.Context, name string, parallel int, fn func(*plugin.Context, string) error) error {
	u := ctx.UI()
	if parallel < -1 {
		return ui.Failf("Invalid value %d for --parallel flag", parallel)
	}
	if parallel == -1 {
		n := runtime.NumCPU()
		u.Warn(fmt.Sprintf("Setting --parallel=%d value to CPU count of %d", parallel, n))
		parallel = n
	}
	apps, err := app.List(ctx)
	if err != nil {
		return err
	}
	if len(apps) == 0 {
		u.Warn(app.ErrNoApps.Error())
		return nil
	}
	if parallel == 0 || parallel == 1 {
		u.Warn(fmt.Sprintf("Running %s in serial mode", name))
		failed := 0
		for _, a := range apps {
			u.Info1(fmt.Sprintf("Running %s against app %s", name, a))
			if err := fn(ctx, a); err != nil {
				u.Warn(fmt.Sprintf("Error running %s against app %s: %s", name, a, errText(err)))
				failed++
			}
		}
		if failed > 0 {
			return ui.Failf("%s command returned %d errors", name, failed)
		}
		return nil
	}
	jobs := make(chan string)
	var mu sync.Mutex
	failed := 0
	var wg sync.WaitGroup
	for i := 0; i < parallel; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range jobs {
				u.Info1(fmt.Sprintf("Running command against %s", a))
				if err := fn(ctx, a); err != nil {
					u.Warn(fmt.Sprintf("Error running %s against %s: %s", name, a, errText(err)))
					mu.Lock()
					failed++
					mu.Unlock()
				}
			}
		}()
	}
	for _, a := range apps {
		jobs <- a
	}
	close(jobs)
	wg.Wait()
	if failed > 0 {
		return ui.Failf("Encountered %d errors during parallel run", failed)
	}
	return nil
}

func errText(err error) string {
	var te *plugin.TriggerError
	if errors.As(err, &te) {
		return fmt.Sprintf("exit status %d", te.Code)
	}
	return err.Error()
}

// oneOrAll runs fn for the named app, or for every app with --all.
func oneOrAll(ctx *plugin.Context, args []string, name string, fn func(*plugin.Context, string) error) error {
	a, err := parseAllArgs(args[1:])
	if err != nil {
		return err
	}
	if a.all {
		return runAgainstAllApps(ctx, name, a.parallel, fn)
	}
	appName, err := app.VerifyArg(ctx, a.pos, 0)
	if err != nil {
		return err
	}
	return fn(ctx, appName)
}

func scheduler(ctx *plugin.Context, appName string) string { return app.Scheduler(ctx, appName) }

func notDeployed(ctx *plugin.Context, appName string) {
	ctx.UI().Warn(fmt.Sprintf("App %s has not been deployed", appName))
}

// Rebuild rebuilds an app from its source (receive-app).
func Rebuild(ctx *plugin.Context, appName string) error {
	return ctx.Trigger("receive-app", appName)
}

// Restart redeploys the running image (all types, or one).
func Restart(ctx *plugin.Context, appName, processType string) error {
	if !app.IsDeployed(ctx, appName) {
		notDeployed(ctx, appName)
		return nil
	}
	args := []string{appName, runningImageTag(ctx, appName)}
	if processType != "" {
		args = append(args, processType)
	}
	return ctx.Trigger("deploy", args...)
}

// Start releases and deploys an app that is not (fully) running.
func Start(ctx *plugin.Context, appName string) error {
	if !app.IsDeployed(ctx, appName) {
		notDeployed(ctx, appName)
		return nil
	}
	u := ctx.UI()
	tag := runningImageTag(ctx, appName)
	if err := ctx.Trigger("pre-start", appName); err != nil {
		return ui.Failf("Failure in pre-start hook: %s", errText(err))
	}
	state := runningState(ctx, appName)
	switch state {
	case "mixed":
		u.Warn("App is running in mixed mode, releasing")
	case "false":
		u.Warn("App has been detected as not running, releasing")
	}
	if state != "true" {
		if err := ctx.Trigger("release-and-deploy", appName, tag); err != nil {
			return err
		}
	} else {
		u.Warn(fmt.Sprintf("App %s already running", appName))
	}
	return ctx.Trigger("proxy-build-config", appName)
}

// Stop stops an app's containers and clears its restore flag.
func Stop(ctx *plugin.Context, appName string) error {
	if !app.IsDeployed(ctx, appName) {
		notDeployed(ctx, appName)
		return nil
	}
	ctx.UI().Info1Quiet("Stopping " + appName)
	if err := ctx.Trigger("scheduler-stop", scheduler(ctx, appName), appName); err != nil {
		return err
	}
	return ctx.Trigger("post-stop", appName)
}

// Restore starts an app on boot unless it was stopped on purpose.
func Restore(ctx *plugin.Context, appName string) error {
	if err := ctx.Trigger("scheduler-pre-restore", scheduler(ctx, appName), appName); err != nil {
		return err
	}
	if !app.IsDeployed(ctx, appName) {
		notDeployed(ctx, appName)
		return nil
	}
	if ctx.Props().GetDefault("ps", appName, PropRestore, DefaultRestore) == "false" {
		ctx.UI().Warn(fmt.Sprintf("Skipping ps:restore for %s as restore property is false", appName))
		return nil
	}
	ctx.UI().Info1("Starting app")
	return Start(ctx, appName)
}

// restorePrep runs once before restoring every app: proxies are started
// and every proxy config is cleared (rebuilt as apps start).
func restorePrep(ctx *plugin.Context) error {
	if err := ctx.Trigger("pre-restore"); err != nil {
		return err
	}
	if err := ctx.Trigger("proxy-clear-config", "--all"); err != nil {
		ctx.UI().Warn(fmt.Sprintf("Error clearing proxy config: %s", errText(err)))
	}
	return nil
}

// runningState is the second word of scheduler-app-status: true, false or
// mixed.
func runningState(ctx *plugin.Context, appName string) string {
	out := ctx.TriggerValue("scheduler-app-status", scheduler(ctx, appName), appName)
	f := strings.Fields(out)
	if len(f) < 2 {
		return "false"
	}
	return f[1]
}

func processCount(ctx *plugin.Context, appName string) string {
	out := ctx.TriggerValue("scheduler-app-status", scheduler(ctx, appName), appName)
	f := strings.Fields(out)
	if len(f) == 0 {
		return "-1"
	}
	if _, err := strconv.Atoi(f[0]); err != nil {
		return "-1"
	}
	return f[0]
}

func runInspect(ctx *plugin.Context, args []string) error {
	appName, err := app.VerifyArg(ctx, args, 1)
	if err != nil {
		return err
	}
	return ctx.Trigger("scheduler-inspect", scheduler(ctx, appName), appName)
}

func runRebuild(ctx *plugin.Context, args []string) error {
	return oneOrAll(ctx, args, "rebuild", Rebuild)
}

func runStart(ctx *plugin.Context, args []string) error {
	return oneOrAll(ctx, args, "start", Start)
}

func runStop(ctx *plugin.Context, args []string) error {
	return oneOrAll(ctx, args, "stop", Stop)
}

func runRestart(ctx *plugin.Context, args []string) error {
	a, err := parseAllArgs(args[1:])
	if err != nil {
		return err
	}
	if a.all {
		if len(a.pos) > 0 {
			return ui.Fail("Unable to restart all apps when specifying a process name")
		}
		return runAgainstAllApps(ctx, "restart", a.parallel, func(c *plugin.Context, n string) error { return Restart(c, n, "") })
	}
	appName, err := app.VerifyArg(ctx, a.pos, 0)
	if err != nil {
		return err
	}
	processType := ""
	if len(a.pos) > 1 {
		processType = a.pos[1]
	}
	return Restart(ctx, appName, processType)
}

func runRestore(ctx *plugin.Context, args []string) error {
	a, err := parseAllArgs(args[1:])
	if err != nil {
		return err
	}
	if !a.all && len(a.pos) == 0 {
		ctx.UI().Warn("Restore specified without app, assuming --all")
		a.all = true
	}
	if a.all {
		if err := restorePrep(ctx); err != nil {
			return err
		}
		return runAgainstAllApps(ctx, "restore", a.parallel, Restore)
	}
	appName, err := app.VerifyArg(ctx, a.pos, 0)
	if err != nil {
		return err
	}
	return Restore(ctx, appName)
}
