package builderdockerfile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/pipeline"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/ui"
)

// builderType is the type this plugin builds and releases.
const builderType = "dockerfile"

// triggerDetect prints "dockerfile" when the source has a Dockerfile and
// neither the herokuish nor the pack builder (when installed) claims it.
func triggerDetect(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	appName, dir := args[0], args[1]
	for _, other := range []string{"builder-herokuish", "builder-pack"} {
		if otherDetects(ctx, other, appName, dir) {
			return nil
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "Dockerfile")); err == nil && !fi.IsDir() {
		fmt.Fprintln(ctx.Stdout, builderType)
	}
	return nil
}

// otherDetects runs another builder's builder-detect entry directly, as
// Dokku does, to let it win over a Dockerfile.
func otherDetects(ctx *plugin.Context, name, appName, dir string) bool {
	path := filepath.Join(ctx.Env.PluginEnabledPath(), name, "builder-detect")
	if fi, err := os.Stat(path); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return false
	}
	out, _ := proc.Output(context.Background(), proc.Cmd{
		Name: path, Args: []string{appName, dir}, Env: ctx.Env.Environ(), Timeout: time.Minute,
	})
	return strings.TrimSpace(out) != ""
}

// triggerCorePostExtract moves a custom dockerfile-path into place as
// Dockerfile.
func triggerCorePostExtract(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	appName, dir := args[0], args[1]
	custom := DockerfilePath(ctx, appName)
	if custom == "" || custom == defaultDockerfile {
		return nil
	}
	clean := filepath.Clean(custom)
	src := filepath.Join(dir, clean)
	fi, err := os.Stat(src)
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || err != nil || fi.IsDir() {
		return ui.Failf("Invalid dockerfile-path specified: %s", custom)
	}
	return os.Rename(src, filepath.Join(dir, "Dockerfile"))
}

// triggerBuild is builder-build for dockerfile apps: the image
// dokku/<app>:latest built from the source with the Engine API, then its
// detected ports.
func triggerBuild(ctx *plugin.Context, args []string) error {
	if len(args) < 3 || args[0] != builderType {
		return nil
	}
	appName, dir := args[1], args[2]
	u := ctx.UI()
	u.Info1("Building " + appName + " from Dockerfile")
	dockerfile := filepath.Join(dir, "Dockerfile")
	if fi, err := os.Stat(dockerfile); err != nil || fi.IsDir() {
		return ui.Fail("No Dockerfile found in source code directory")
	}
	if ctx.TriggerExists("pre-build-dockerfile") {
		u.Warn("Deprecated: please upgrade plugin to use 'pre-build' plugin trigger instead of pre-build-dockerfile")
		if err := ctx.Trigger("pre-build-dockerfile", appName); err != nil {
			return err
		}
	}
	if err := ctx.Trigger("pre-build", builderType, appName, dir); err != nil {
		return err
	}

	image := pipeline.ImageName(appName, "latest")
	opts, err := buildOptions(ctx, appName, dir, image)
	if err != nil {
		return err
	}
	cli, err := docker.FromContext(ctx)
	if err != nil {
		return err
	}
	c := context.Background()
	if _, err := cli.Build(c, *opts, ctx.Stdout); err != nil {
		var se *docker.StreamError
		if errors.As(err, &se) {
			// the daemon's own words, as `docker build` prints them
			fmt.Fprintln(ctx.Stderr, se.Message)
			return ui.Exit(1)
		}
		return ui.Failf("Unable to build %s: %v", image, err)
	}

	portMap, err := detectPortMap(ctx, cli, appName, image, dockerfile)
	if err != nil {
		return err
	}
	if err := ctx.Trigger("ports-set-detected", appName, portMap); err != nil {
		return err
	}
	if ctx.TriggerExists("post-build-dockerfile") {
		u.Warn("Deprecated: please upgrade plugin to use 'post-build' plugin trigger instead of post-build-dockerfile")
		if err := ctx.Trigger("post-build-dockerfile", appName); err != nil {
			return err
		}
	}
	return ctx.Trigger("post-build", builderType, appName, dir)
}

// buildOptions collects the build: labels, the filtered docker-args-build
// and docker-args-process-build flags plus the global build arguments, and
// the app's merged config for `--build-arg KEY`.
func buildOptions(ctx *plugin.Context, appName, dir, image string) (*docker.BuildOptions, error) {
	quiet := ctx.WithIO(nil, nil, nil)
	buildArgs, err := quiet.TriggerInput("docker-args-build", "", appName, builderType)
	if err != nil {
		return nil, err
	}
	processArgs, err := quiet.TriggerInput("docker-args-process-build", "", appName, builderType)
	if err != nil {
		return nil, err
	}
	all := buildArgs + " " + processArgs + " " + ctx.Env.Get("DOKKU_GLOBAL_BUILD_ARGS")
	tokens, err := docker.SplitArgs(all)
	if err != nil {
		return nil, ui.Fail(err.Error())
	}
	flags, err := docker.FilterBuildArgs(tokens)
	if err != nil {
		return nil, ui.Fail(err.Error())
	}
	env, err := pipeline.AppEnv(ctx, appName)
	if err != nil {
		return nil, err
	}
	opts := &docker.BuildOptions{
		Dir:         dir,
		Tags:        []string{image},
		FinalLabels: pipeline.BuildLabels(appName, builderType),
	}
	warnings, err := docker.ApplyBuildArgs(opts, flags, pipeline.Lookup(env))
	if err != nil {
		return nil, ui.Fail(err.Error())
	}
	for _, w := range warnings {
		ctx.UI().Warn(w)
	}
	// --label values of the docker options win over the builder's own, as
	// later flags do with `docker build`; all go into one LABEL step
	for k, v := range opts.Labels {
		opts.FinalLabels[k] = v
	}
	opts.Labels = nil
	// the image name comes first, extra --tag values after it
	opts.Tags = append([]string{image}, without(opts.Tags[1:], image)...)
	return opts, nil
}

func without(list []string, s string) []string {
	var out []string
	for _, v := range list {
		if v != s {
			out = append(out, v)
		}
	}
	return out
}

// detectPortMap derives the detected port map from the Dockerfile's EXPOSE
// lines, else from the image's exposed ports, else the proxy default
// http:<proxy-port>:5000 (after ports-configure).
func detectPortMap(ctx *plugin.Context, cli *docker.Client, appName, image, dockerfile string) (string, error) {
	ports := ReadDockerfilePorts(dockerfile)
	if len(ports) == 0 {
		img, err := cli.ImageInspect(context.Background(), image)
		if err != nil {
			return "", err
		}
		if img != nil {
			ports = img.ExposedPorts
		}
	}
	if len(ports) > 0 {
		return PortMap(ports), nil
	}
	if err := ctx.Trigger("ports-configure", appName); err != nil {
		return "", err
	}
	proxyPort := ctx.TriggerValue("ports-get-property", appName, "proxy-port")
	return "http:" + proxyPort + ":5000", nil
}
