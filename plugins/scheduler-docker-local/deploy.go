package schedulerdockerlocal

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/lock"
	"github.com/godokku/dokku/internal/pipeline"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/procfile"
	"github.com/godokku/dokku/internal/ui"
	"github.com/godokku/dokku/plugins/ps"
)

// deployer holds one scheduler-deploy run.
type deployer struct {
	ctx        *plugin.Context
	u          *ui.UI
	e          engine
	app        string
	tag        string
	image      string
	img        *docker.Image
	sourceType string
	herokuish  bool
	cnb        bool
	env        map[string]string
	bindAll    bool
	wait       int
	initFlag   bool
	entries    []procfile.Entry
	procfile   bool

	mu      sync.Mutex
	pending map[string]dyno // created containers not accepted yet
	stopped map[string]bool // old containers stopped because checks are disabled
	warned  map[string]bool
	retire  sync.Once // one delayed ps:retire for failed containers
}

// schedulerDeploy is scheduler-deploy <scheduler> <app> <tag> [<type>].
func schedulerDeploy(ctx *plugin.Context, args []string) error {
	if !mine(args) {
		return nil
	}
	if len(args) < 2 || args[1] == "" {
		return ui.Fail("Please specify an app to deploy")
	}
	appName := args[1]
	if err := app.Verify(ctx, appName); err != nil {
		return err
	}
	tag, target := "", ""
	if len(args) > 2 {
		tag = args[2]
	}
	if len(args) > 3 {
		target = args[3]
	}
	if err := mkdirOwned(ctx, dataDir(ctx, appName)); err != nil {
		return err
	}
	// One deploy per app at a time; a flock dies with its process, so a
	// killed deploy never blocks the next one.
	l, err := lock.Poll(filepath.Join(dataDir(ctx, appName), ".deploy.lock"), 250*time.Millisecond, time.Hour, func() {
		ctx.UI().Verbose("Waiting for another deploy of " + appName + " to finish")
	})
	if err != nil {
		return ui.Failf("Unable to lock the deploy of %s: %v", appName, err)
	}
	defer l.Release()
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	d := &deployer{ctx: ctx, u: ctx.UI(), e: e, app: appName, tag: tag,
		pending: map[string]dyno{}, stopped: map[string]bool{}, warned: map[string]bool{}}
	stopSignals := d.handleSignals()
	defer stopSignals()
	return d.run(target)
}

// handleSignals makes an interrupted deploy retire the containers it
// started and not yet accepted, then die of the same signal: the running
// version stays untouched. The returned func waits for such a cleanup, so
// that returning from the deploy cannot cut it short.
func (d *deployer) handleSignals() func() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case sig := <-ch:
			d.mu.Lock()
			pending := d.pending
			d.pending = map[string]dyno{}
			d.mu.Unlock()
			for cid, dy := range pending {
				d.killNew(cid, dy)
			}
			signal.Reset(sig)
			syscall.Kill(os.Getpid(), sig.(syscall.Signal))
			time.Sleep(5 * time.Second) // the signal ends the process
		case <-done:
		}
	}()
	return func() {
		close(done)
		<-finished
		signal.Stop(ch)
	}
}

func (d *deployer) warnOnce(msg string) {
	d.mu.Lock()
	seen := d.warned[msg]
	d.warned[msg] = true
	d.mu.Unlock()
	if !seen {
		d.u.Warn(msg)
	}
}

// imageName is <deployed-app-repository><deployed-app-image-repo>:<tag>.
func (d *deployer) imageName() string {
	ctx := d.ctx
	server := ctx.TriggerValue("deployed-app-repository", d.app)
	repo := ctx.TriggerValue("deployed-app-image-repo", d.app)
	tag := d.tag
	if t := ctx.TriggerValue("deployed-app-image-tag", d.app); t != "" {
		tag = t
	}
	if repo == "" {
		repo = app.ImageRepo(d.app)
	}
	if tag == "" {
		tag = "latest"
	}
	return server + repo + ":" + tag
}

func (d *deployer) run(target string) error {
	ctx := d.ctx
	os.Remove(filepath.Join(dataDir(ctx, d.app), "failed-containers"))
	d.image = d.imageName()
	c, cancel := withTimeout()
	img, err := d.e.ImageInspect(c, d.image)
	cancel()
	if err != nil {
		return err
	}
	if img == nil {
		return ui.Failf("App image (%s) not found", d.image)
	}
	d.img = img
	if d.env, err = appEnv(ctx, d.app); err != nil {
		return err
	}
	d.cnb = pipeline.IsCNBImage(img)
	d.herokuish = pipeline.IsHerokuishImage(img, d.env["DOKKU_APP_USER"])
	switch {
	case d.cnb:
		d.sourceType = "pack"
	case d.herokuish:
		d.sourceType = "herokuish"
	default:
		d.sourceType = "dockerfile"
	}
	d.bindAll = ctx.TriggerValue("network-get-property", d.app, "bind-all-interfaces") == "true"
	d.wait = waitToRetire(ctx, d.app)
	d.initFlag = d.initProcess()
	if d.entries, d.procfile, err = ps.CurrentProcfile(ctx, d.app); err != nil {
		return ui.Fail(err.Error())
	}

	old := appContainers(ctx, d.app, target)
	removeUnreferencedUpcoming(ctx, d.e, d.app)

	var queued []formationEntry
	for _, f := range currentScale(ctx, d.app) {
		if target != "" && f.Type != target {
			continue
		}
		if d.procfile {
			if _, ok := procfile.Find(d.entries, f.Type); !ok {
				d.u.Warn(fmt.Sprintf("Skipping %s as it is missing from the current Procfile", f.Type))
				continue
			}
		}
		if f.Type == "web" {
			if err := d.deployType(f); err != nil {
				return err
			}
			continue
		}
		queued = append(queued, f)
	}
	if err := runLimited(len(queued), parallelScheduleCount(ctx, d.app), func(i int) error {
		return d.deployType(queued[i])
	}); err != nil {
		return err
	}

	d.u.Info1("Running post-deploy")
	err = ctx.Trigger("core-post-deploy", d.app, "", "", d.tag)
	if err == nil {
		err = ctx.Trigger("post-deploy", d.app, "", "", d.tag)
	}
	if err != nil {
		// The new containers serve already; the replaced ones were
		// registered for retirement and keep running until their deadline.
		scheduleRetire(ctx, d.app, time.Now().Add(time.Duration(d.wait)*time.Second))
		return err
	}
	return d.retireOld(old)
}

// retireOld sends SIGTERM to the replaced containers now (traffic already
// moved) and has them stopped and removed once wait-to-retire has passed.
func (d *deployer) retireOld(old []recorded) error {
	current := map[string]bool{}
	for _, r := range appContainers(d.ctx, d.app, "") {
		current[r.ID] = true
	}
	var ids []string
	seen := map[string]bool{}
	for _, r := range old {
		if current[r.ID] || d.stopped[r.ID] || seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		ids = append(ids, r.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	c, cancel := withTimeout()
	for _, id := range ids {
		d.e.ContainerKill(c, id, "SIGTERM")
	}
	cancel()
	d.u.Info1(fmt.Sprintf("Shutting down old containers in %d seconds", d.wait))
	for _, id := range ids {
		d.u.VerboseQuiet(id)
		if err := d.ctx.Trigger("scheduler-register-retired", d.app, id, strconv.Itoa(d.wait)); err != nil {
			return err
		}
	}
	if err := scheduleRetire(d.ctx, d.app, time.Now().Add(time.Duration(d.wait)*time.Second)); err != nil {
		d.u.Warn("Unable to schedule the shutdown of old containers, ps:retire will stop them: " + err.Error())
	}
	return nil
}

// initProcess is the init-process property (app, global), else false for
// linuxserver.io images (they bring s6), else true.
func (d *deployer) initProcess() bool {
	v := d.ctx.Props().Computed("scheduler-docker-local", d.app, PropInitProcess, "")
	if v != "" {
		return v == "true"
	}
	return d.img.Labels["org.opencontainers.image.vendor"] != "linuxserver.io"
}

// runLimited runs n jobs with at most limit at once; after the first
// failure no new job starts and that failure is returned.
func runLimited(n, limit int, job func(i int) error) error {
	if limit < 1 {
		limit = 1
	}
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
		next     int
	)
	for w := 0; w < min(limit, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if firstErr != nil || next >= n {
					mu.Unlock()
					return
				}
				i := next
				next++
				mu.Unlock()
				if err := job(i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// deployType starts the containers of one process type.
func (d *deployer) deployType(f formationEntry) error {
	ctx := d.ctx
	d.u.Info1(fmt.Sprintf("Deploying %s (count=%d)", f.Type, f.Count))
	disabled := isListed(ctx, d.app, "disabled", f.Type)
	if disabled {
		d.u.Verbose(fmt.Sprintf("Zero downtime is disabled, stopping currently running containers  (%s)", f.Type))
		for _, r := range appContainers(ctx, d.app, f.Type) {
			c, cancel := withTimeout()
			info, err := d.e.ContainerInfo(c, r.ID)
			cancel()
			if err != nil || info == nil || !info.Running {
				continue
			}
			d.u.Verbose(fmt.Sprintf("Stopping %s (%s)", r.ID, f.Type))
			if err := ctx.Trigger("scheduler-register-retired", d.app, r.ID, strconv.Itoa(d.wait)); err != nil {
				return err
			}
			stopContainer(ctx, d.e, d.app, r.ID)
			d.mu.Lock()
			d.stopped[r.ID] = true
			d.mu.Unlock()
		}
	}
	maxParallel := 1
	if v, err := strconv.Atoi(ctx.TriggerValue("app-json-process-deploy-parallelism", d.app, f.Type)); err == nil && v > 0 {
		maxParallel = v
	}
	if err := runLimited(f.Count, maxParallel, func(i int) error {
		return d.deployContainer(dyno{f.Type, i + 1}, f.Count, disabled)
	}); err != nil {
		return err
	}
	if err := ctx.Trigger("scheduler-post-deploy-process", d.app, f.Type); err != nil {
		return err
	}
	for _, r := range appContainers(ctx, d.app, f.Type) {
		if r.Dyno.Index <= f.Count {
			continue
		}
		d.u.Verbose(fmt.Sprintf("Scheduling orphaned container shutdown in %d seconds (%s)", d.wait, r.Dyno))
		if err := ctx.Trigger("scheduler-register-retired", d.app, r.ID, strconv.Itoa(d.wait)); err != nil {
			return err
		}
		removeStateFiles(ctx, d.app, r.Dyno)
	}
	d.removeOrphanListenerFiles(f)
	return nil
}

// removeOrphanListenerFiles drops IP/PORT files above the new count that
// have no CONTAINER file.
func (d *deployer) removeOrphanListenerFiles(f formationEntry) {
	ents, err := os.ReadDir(d.ctx.Env.AppRoot(d.app))
	if err != nil {
		return
	}
	for _, e := range ents {
		for _, kind := range []string{"IP.", "PORT."} {
			rest, ok := strings.CutPrefix(e.Name(), kind+f.Type+".")
			if !ok {
				continue
			}
			if n, err := strconv.Atoi(rest); err == nil && n > f.Count {
				os.Remove(filepath.Join(d.ctx.Env.AppRoot(d.app), e.Name()))
			}
		}
	}
}

// webPorts are the container ports of the app's port mappings (first the
// PORT of the web process: the first non-udp one).
func (d *deployer) webPorts() (port string, all []string) {
	out, _ := d.ctx.TriggerOutput("ports-get", d.app)
	seen := map[string]bool{}
	for _, line := range strings.Fields(out) {
		parts := strings.Split(line, ":")
		if len(parts) != 3 || parts[2] == "" {
			continue
		}
		if parts[0] != "udp" && port == "" {
			port = parts[2]
		}
		if !seen[parts[2]] {
			seen[parts[2]] = true
			all = append(all, parts[2])
		}
	}
	if port == "" {
		port = strconv.Itoa(procfile.DefaultPort)
	}
	return port, all
}

// args assembles the docker create arguments of one container, in Dokku's
// order (later flags win).
func (d *deployer) args(dy dyno, port string, exposed []string) ([]string, bool, error) {
	ctx := d.ctx
	idx := strconv.Itoa(dy.Index)
	raw, err := ctx.TriggerInput("docker-args-deploy", "", d.app, d.tag, dy.Type, idx)
	if err != nil {
		return nil, false, err
	}
	deployArgs, err := docker.SplitArgs(raw)
	if err != nil {
		return nil, false, ui.Failf("Invalid docker-args-deploy output: %v", err)
	}
	raw, err = ctx.TriggerInput("docker-args-process-deploy", "", d.app, d.sourceType, d.tag, dy.Type, idx)
	if err != nil {
		return nil, false, err
	}
	processArgs, err := docker.SplitArgs(raw)
	if err != nil {
		return nil, false, ui.Failf("Invalid docker-args-process-deploy output: %v", err)
	}
	userPublishes := publishes(deployArgs) || publishes(processArgs)
	tokens := append([]string{}, deployArgs...)
	tokens = append(tokens,
		"--label="+docker.LabelProcessType+"="+dy.Type,
		"--label="+docker.LabelDyno+"="+dy.String(),
		"--env=DYNO="+dy.String(),
		"--name="+d.app+"."+dy.String()+".upcoming-"+strconv.Itoa(rand.IntN(32768)),
	)
	if d.initFlag {
		tokens = append(tokens, "--init")
	}
	tokens = append(tokens,
		"--label="+docker.LabelAppName+"="+d.app,
		"--label="+docker.LabelContainerType+"=deploy",
		"--label=org.label-schema.schema-version=1.0",
		"--label=org.label-schema.vendor=dokku",
		"--label="+docker.LabelDokku,
	)
	tokens = append(tokens, processArgs...)
	if ctx.Env.Trace() {
		tokens = append(tokens, "--env=TRACE=true")
	}
	if dy.Type == "web" && d.bindAll {
		for _, p := range exposed {
			tokens = append(tokens, "-p", p)
		}
	}
	tokens = append(tokens, "--env=PORT="+port)
	if d.img.Architecture == "amd64" && runtime.GOARCH != "amd64" {
		d.warnOnce("Detected linux/amd64 image, forcing --platform=linux/amd64")
		tokens = append(tokens, "--platform=linux/amd64")
	}
	return tokens, userPublishes, nil
}

func publishes(tokens []string) bool {
	for _, t := range tokens {
		name, _, _ := strings.Cut(t, "=")
		switch {
		case name == "-p" || name == "--publish" || name == "-P" || name == "--publish-all":
			return true
		case strings.HasPrefix(t, "-p") && !strings.HasPrefix(t, "--"):
			return true
		}
	}
	return false
}

// deployContainer starts one container, checks it and makes it current.
func (d *deployer) deployContainer(dy dyno, count int, checksDisabled bool) error {
	ctx := d.ctx
	port := ""
	var exposed []string
	if dy.Type == "web" {
		port, exposed = d.webPorts()
	}
	tokens, userPublishes, err := d.args(dy, port, exposed)
	if err != nil {
		return err
	}
	if userPublishes && (count > 1 || !checksDisabled) {
		d.warnOnce("Deploys may fail when publishing ports (-p, --publish, -P) with more than one container or with zero-downtime checks enabled: containers cannot share a host port")
	}
	spec, warnings, err := docker.ParseCreateArgs(tokens, func(k string) (string, bool) {
		v, ok := d.env[k]
		return v, ok
	})
	for _, w := range warnings {
		d.warnOnce(w)
	}
	if err != nil {
		return ui.Fail(err.Error())
	}
	procCmd := ""
	entry, hasEntry := procfile.Find(d.entries, dy.Type)
	if hasEntry {
		procCmd = entry.Command
	}
	portNum, _ := strconv.Atoi(port)
	props := ctx.Props()
	startCmd, _ := props.Get("ps", d.app, "start-cmd")
	dockerfileStartCmd, _ := props.Get("ps", d.app, "dockerfile-start-cmd")
	cmd, err := resolveCommand(commandInputs{
		ProcessType: dy.Type, Herokuish: d.herokuish, CNB: d.cnb,
		StartCmd: startCmd, DockerfileStartCmd: dockerfileStartCmd,
		ProcfileCmd: procCmd, HasProcfileCmd: hasEntry && d.procfile,
		Port: portNum, ConfigPort: d.env["PORT"],
	})
	if err != nil {
		return ui.Failf("Invalid start command: %v", err)
	}
	spec.Image = d.image
	spec.Cmd = cmd

	c, cancel := withTimeout()
	cid, err := d.e.ContainerCreate(c, spec)
	cancel()
	if err != nil {
		return ui.Failf("Unable to create container (%s): %v", dy, err)
	}
	d.mu.Lock()
	d.pending[cid] = dy
	d.mu.Unlock()
	fail := func(err error) error {
		d.mu.Lock()
		_, stillPending := d.pending[cid]
		delete(d.pending, cid)
		d.mu.Unlock()
		if stillPending {
			d.killNew(cid, dy)
		}
		return err
	}
	if err := ctx.Trigger("post-container-create", "app", cid, d.app, "deploy", dy.Type); err != nil {
		return fail(err)
	}
	c, cancel = withTimeout()
	err = d.e.ContainerStart(c, cid)
	cancel()
	if err != nil {
		return fail(ui.Failf("Unable to start container (%s): %v", dy, err))
	}
	ip := ctx.TriggerValue("network-get-ipaddr", d.app, dy.Type, cid)
	if !checksDisabled {
		d.u.Verbose(fmt.Sprintf("Attempting pre-flight checks (%s)", dy))
		if err := ctx.Trigger("check-deploy", d.app, cid, dy.Type, port, ip, strconv.Itoa(dy.Index)); err != nil {
			return fail(err)
		}
	}
	file := containerFile(ctx, d.app, dy)
	if old := readFirstLine(file); old != "" {
		d.u.Verbose(fmt.Sprintf("Scheduling old container shutdown in %d seconds (%s)", d.wait, dy))
		if err := ctx.Trigger("scheduler-register-retired", d.app, old, strconv.Itoa(d.wait)); err != nil {
			return fail(err)
		}
	}
	if err := atomicfile.Write(file, []byte(cid), 0o644, owner(ctx)); err != nil {
		return fail(err)
	}
	d.mu.Lock()
	delete(d.pending, cid)
	d.mu.Unlock()
	if ip != "" {
		if err := ctx.Trigger("network-write-ipaddr", d.app, dy.Type, strconv.Itoa(dy.Index), ip); err != nil {
			return err
		}
	}
	if port != "" {
		if err := ctx.Trigger("network-write-port", d.app, dy.Type, strconv.Itoa(dy.Index), port); err != nil {
			return err
		}
	}
	for _, legacy := range []string{"CONTAINER", "IP", "PORT"} {
		os.Remove(filepath.Join(ctx.Env.AppRoot(d.app), legacy))
	}
	return nil
}

// killNew gives up on a new container: it is registered for retirement,
// recorded in failed-containers (logs:failed) and stopped.
func (d *deployer) killNew(cid string, dy dyno) {
	ctx := d.ctx
	ctx.WithIO(nil, discard{}, discard{}).Trigger("scheduler-register-retired", d.app, cid, strconv.Itoa(d.wait))
	failed := filepath.Join(dataDir(ctx, d.app), "failed-containers")
	if f, err := os.OpenFile(failed, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644); err == nil {
		fmt.Fprintf(f, "%s %s\n", cid, dy)
		f.Close()
	}
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d.e.ContainerSetRestartPolicy(c, cid, "no")
	timeout := 10
	if err := d.e.ContainerStop(c, cid, &timeout); err != nil {
		d.e.ContainerKill(c, cid, "SIGKILL")
	}
	d.retire.Do(func() {
		scheduleRetire(ctx, d.app, time.Now().Add(time.Duration(d.wait)*time.Second))
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// waitToRetire is the checks wait-to-retire of the app (default 60).
func waitToRetire(ctx *plugin.Context, appName string) int {
	v := ctx.TriggerValue("checks-get-property", appName, "wait-to-retire")
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return DefaultWaitToRetire
	}
	return n
}
