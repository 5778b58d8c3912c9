package ps

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
)

// containerStates maps container ids to their state (created, running,
// exited...); missing containers are absent.
func containerStates(ctx *plugin.Context, ids []string, only string) map[string]string {
	out := map[string]string{}
	c, err := docker.FromContext(ctx)
	if err != nil {
		return out
	}
	dctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, id := range ids {
		info, err := c.ContainerInfo(dctx, id)
		if err == nil && info != nil {
			out[id] = info.Status
		}
	}
	return out
}

// appRestart redeploys an app (proxy enable/disable).
func appRestart(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return Restart(ctx, args[0], "")
}

// corePostDeploy promotes the staged Procfile, forgets process types that
// left the formation and marks the app for restore on boot.
func corePostDeploy(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	appName := args[0]
	if err := promoteProcfile(ctx, appName); err != nil {
		return err
	}
	props := ctx.Props()
	if err := props.Delete("ps", appName, PropScaleOld); err != nil {
		return err
	}
	return props.Write("ps", appName, PropRestore, "true")
}

// dockerArgsProcessDeploy adds the restart policy to deploy containers.
func dockerArgsProcessDeploy(ctx *plugin.Context, args []string) error {
	in, _ := io.ReadAll(ctx.Stdin)
	if _, err := ctx.Stdout.Write(in); err != nil {
		return err
	}
	if len(args) == 0 {
		return nil
	}
	_, err := fmt.Fprintf(ctx.Stdout, " --restart=%s ", RestartPolicy(ctx, args[0]))
	return err
}

// postCreate makes the data directory and scales web to 1.
func postCreate(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	appName := args[0]
	if err := os.MkdirAll(dataDir(ctx, appName), 0o755); err != nil {
		return err
	}
	chown(ctx, dataDir(ctx, appName))
	return updateScale(ctx, appName, false, []Formation{{"web", 1}})
}

func chown(ctx *plugin.Context, path string) {
	if uid, gid, ok := ctx.Env.Owner(); ok {
		os.Chown(path, uid, gid)
	}
}

func postDelete(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	dataErr := os.RemoveAll(dataDir(ctx, args[0]))
	if err := ctx.Props().Destroy("ps", args[0]); err != nil {
		return err
	}
	return dataErr
}

func postStop(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return ctx.Props().Write("ps", args[0], PropRestore, "false")
}

// postReleaseBuilder refreshes the formation from the new Procfile.
func postReleaseBuilder(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	return updateScale(ctx, args[1], false, nil)
}

// copyDir copies the regular files of a data directory (Procfile...).
func copyDir(src, dst string) error {
	ents, err := os.ReadDir(src)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func postAppCloneSetup(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	if err := ctx.Props().Clone("ps", args[0], args[1]); err != nil {
		return err
	}
	return copyDir(dataDir(ctx, args[0]), dataDir(ctx, args[1]))
}

func postAppRenameSetup(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	if err := ctx.Props().Rename("ps", args[0], args[1]); err != nil {
		return err
	}
	return copyDir(dataDir(ctx, args[0]), dataDir(ctx, args[1]))
}

// postAppClone rebuilds the new app unless SKIP_REBUILD=true.
func postAppClone(ctx *plugin.Context, args []string) error {
	if len(args) < 2 || ctx.Env.Get("SKIP_REBUILD") == "true" {
		return nil
	}
	return Rebuild(ctx, args[1])
}

// postAppRename drops the old app's data and rebuilds the new one unless
// SKIP_REBUILD=true.
func postAppRename(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	if err := os.RemoveAll(dataDir(ctx, args[0])); err != nil {
		return err
	}
	if ctx.Env.Get("SKIP_REBUILD") == "true" {
		return nil
	}
	return Rebuild(ctx, args[1])
}
