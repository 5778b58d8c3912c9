package schedulerdockerlocal

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// DefaultWaitToRetire is the grace period of a retired container when the
// caller gives none.
const DefaultWaitToRetire = 60

func deadContainersFile(ctx *plugin.Context) string {
	return filepath.Join(dataDir(ctx, ""), "dead-containers")
}

func deadImagesFile(ctx *plugin.Context) string {
	return filepath.Join(dataDir(ctx, ""), "dead-images")
}

// registerRetired is scheduler-register-retired <app> <container> [<wait>]:
// the container and its image are registered for removal once wait
// seconds have passed.
func registerRetired(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return ui.Fail("Usage: scheduler-register-retired <app> <container-id> [<wait>]")
	}
	appName, cid := args[0], args[1]
	wait := DefaultWaitToRetire
	if len(args) > 2 && args[2] != "" {
		n, err := strconv.Atoi(args[2])
		if err != nil || n < 0 {
			return ui.Failf("Invalid wait value: %s", args[2])
		}
		wait = n
	}
	deadline := time.Now().Unix() + int64(wait)
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	c, cancel := withTimeout()
	info, err := e.ContainerInfo(c, cid)
	cancel()
	if err != nil {
		return err
	}
	if info != nil && info.ImageID != "" {
		image := strings.TrimPrefix(info.ImageID, "sha256:")
		if err := addDead(deadImagesFile(ctx), owner(ctx), deadEntry{appName, image, deadline}); err != nil {
			return err
		}
	}
	return addDead(deadContainersFile(ctx), owner(ctx), deadEntry{appName, cid, deadline})
}

// retire is scheduler-retire <scheduler> [<app>]: containers and images
// past their deadline are removed, then expired run containers.
func retire(ctx *plugin.Context, args []string) error {
	if !mine(args) {
		return nil
	}
	appName := plugin.Arg(args, 1)
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	if err := retireContainers(ctx, e, appName); err != nil {
		return err
	}
	if err := retireImages(ctx, e, appName); err != nil {
		return err
	}
	return retireRunContainers(ctx, e, appName)
}

func stopTimeout(ctx *plugin.Context, appName string) *int {
	v := ctx.Props().Computed("ps", appName, "stop-timeout-seconds", "30")
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		n = 30
	}
	return &n
}

// stopContainer disables restarts and stops a container, killing it when
// stopping fails. It reports whether the container is no longer running.
func stopContainer(ctx *plugin.Context, e engine, appName, cid string) bool {
	c, cancel := withTimeout()
	defer cancel()
	info, err := e.ContainerInfo(c, cid)
	if err != nil || info == nil {
		return err == nil
	}
	if info.Status == "exited" || info.Status == "dead" || info.Status == "created" {
		return true
	}
	e.ContainerSetRestartPolicy(c, cid, "no")
	if err := e.ContainerStop(c, cid, stopTimeout(ctx, appName)); err != nil {
		if err := e.ContainerKill(c, cid, "SIGKILL"); err != nil {
			ctx.UI().Warn("Unable to kill container " + cid)
			return false
		}
	}
	return true
}

// retireContainer stops and removes a container; false when it survived.
func retireContainer(ctx *plugin.Context, e engine, appName, cid string) bool {
	ctx.UI().VerboseQuiet(fmt.Sprintf("Attempting to retire %s container %s", appName, cid))
	stopContainer(ctx, e, appName, cid)
	c, cancel := withTimeout()
	defer cancel()
	e.ContainerRemove(c, cid, true)
	info, err := e.ContainerInfo(c, cid)
	if err != nil || info != nil {
		ctx.UI().Warn(fmt.Sprintf("Container %s still running", cid))
		return false
	}
	return true
}

func retireContainers(ctx *plugin.Context, e engine, appName string) error {
	entries, err := readDead(deadContainersFile(ctx))
	if err != nil {
		return err
	}
	// Containers stop concurrently: one slow to stop must not hold the
	// retire lock for the sum of every stop timeout.
	list := due(entries, appName, time.Now().Unix())
	gone := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for _, d := range list {
		wg.Add(1)
		sem <- struct{}{}
		go func(d deadEntry) {
			defer func() { <-sem; wg.Done() }()
			if retireContainer(ctx, e, d.App, d.ID) {
				mu.Lock()
				gone[d.ID] = true
				mu.Unlock()
			}
		}(d)
	}
	wg.Wait()
	return removeDead(deadContainersFile(ctx), owner(ctx), gone)
}

func retireImages(ctx *plugin.Context, e engine, appName string) error {
	entries, err := readDead(deadImagesFile(ctx))
	if err != nil {
		return err
	}
	gone := map[string]bool{}
	for _, d := range due(entries, appName, time.Now().Unix()) {
		c, cancel := withTimeout()
		img, err := e.ImageInspect(c, d.ID)
		if err != nil {
			cancel()
			continue
		}
		if img == nil {
			cancel()
			gone[d.ID] = true
			continue
		}
		ctx.UI().VerboseQuiet(fmt.Sprintf("Attempting to retire %s image %s", d.App, d.ID))
		err = e.ImageRemove(c, d.ID, false)
		cancel()
		switch {
		case err == nil:
			gone[d.ID] = true
		case strings.Contains(err.Error(), "has dependent child images"):
			if len(img.RepoTags) == 0 {
				ctx.UI().Warn(fmt.Sprintf("Image %s has children images and is untagged, skipping rm and marking dead", d.ID))
				gone[d.ID] = true
			} else {
				ctx.UI().Warn(fmt.Sprintf("Image %s has children images and has %d tags, skipping rm", d.ID, len(img.RepoTags)))
			}
		case strings.Contains(err.Error(), "is being used by running container"):
			// The running container registers the image again when it is
			// retired itself; keeping the entry would only repeat this.
			ctx.UI().VerboseQuiet(fmt.Sprintf("Image %s has running containers, skipping rm", d.ID))
			gone[d.ID] = true
		case strings.Contains(err.Error(), "is being used by stopped container"),
			strings.Contains(err.Error(), "referenced in multiple repositories"):
			// still in use by the app (a stopped app, another tag): keep it
		default:
			ctx.UI().Warn(fmt.Sprintf("Image %s still running", d.ID))
		}
	}
	return removeDead(deadImagesFile(ctx), owner(ctx), gone)
}

// LabelActiveDeadline is the lifetime in seconds of run and cron containers.
const LabelActiveDeadline = "com.dokku.active-deadline-seconds"

// retireRunContainers stops and removes run/cron containers older than
// their active deadline.
func retireRunContainers(ctx *plugin.Context, e engine, appName string) error {
	now := time.Now().Unix()
	for _, kind := range []string{"run", "cron"} {
		filters := []string{"label=" + docker.LabelContainerType + "=" + kind}
		if appName != "" {
			filters = append(filters, "label="+docker.LabelAppName+"="+appName)
		}
		c, cancel := withTimeout()
		list, err := e.ContainerList(c, true, filters...)
		cancel()
		if err != nil {
			return err
		}
		for _, s := range list {
			ttl, err := strconv.ParseInt(s.Labels[LabelActiveDeadline], 10, 64)
			if err != nil || ttl <= 0 || s.Created+ttl > now {
				continue
			}
			app := s.Labels[docker.LabelAppName]
			ctx.UI().VerboseQuiet(fmt.Sprintf("Retiring %s container %s (%s)", kind, s.Name, docker.ShortID(s.ID)))
			stopContainer(ctx, e, app, s.ID)
			c, cancel := withTimeout()
			e.ContainerRemove(c, s.ID, true)
			cancel()
		}
	}
	return nil
}

// runRetire is scheduler-run-retire [<scheduler> [<app>]].
func runRetire(ctx *plugin.Context, args []string) error {
	if len(args) > 0 && !mine(args) {
		return nil
	}
	appName := plugin.Arg(args, 1)
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	return retireRunContainers(ctx, e, appName)
}

// RetireAtEnv makes `dokku ps:retire` wait until the given unix time.
const RetireAtEnv = "DOKKU_RETIRE_AT"

// scheduleRetire starts a detached `dokku ps:retire <app>` that wakes up
// once the deadline has passed, so a deploy returns at once while its old
// containers still get stopped on time (the periodic ps:retire is the
// safety net when this process dies).
func scheduleRetire(ctx *plugin.Context, appName string, at time.Time) error {
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer devnull.Close()
	cmd := exec.Command(bin, "ps:retire", appName)
	cmd.Args[0] = "dokku"
	cmd.Env = ctx.Env.With(RetireAtEnv + "=" + strconv.FormatInt(at.Unix()+1, 10))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, devnull, devnull
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}
