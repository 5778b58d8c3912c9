package appjson

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/pipeline"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// Deployment task phases.
const (
	phasePredeploy        = "predeploy"
	phasePostdeploy       = "postdeploy"
	phaseRelease          = "release"
	phaseHerokuPostdeploy = "heroku.postdeploy"
)

// taskDroppedFlags are the docker-args Dokku keeps out of deployment-task
// containers: resources, published ports and restart policies.
var taskDroppedFlags = []string{
	"--cpus", "--gpus", "--memory", "--memory-reservation", "--memory-swap",
	"--publish", "--publish-all", "--restart", "-p", "-P",
}

var taskBoolFlags = map[string]bool{"--publish-all": true, "-P": true}

// tiniEntrypoints are entrypoints that exec their arguments: tasks still
// run through a shell with them.
var tiniEntrypoints = map[string]bool{
	`["/tini","--"]`:               true,
	`["/bin/tini","--"]`:           true,
	`["/usr/bin/tini","--"]`:       true,
	`["/usr/local/bin/tini","--"]`: true,
}

// taskCommand returns the command of a phase: the Procfile release entry
// or the app.json script.
func taskCommand(ctx *plugin.Context, appName, phase string) (command, source string, err error) {
	if phase == phaseRelease {
		return ctx.WithIO(nil, nil, nil).TriggerValue("procfile-get-command", appName, phaseRelease, "5000"), "Procfile", nil
	}
	a, err := Read(ctx, appName)
	if err != nil {
		return "", "app.json", err
	}
	switch phase {
	case phaseHerokuPostdeploy:
		return a.Scripts.Postdeploy, "app.json", nil
	case phasePredeploy:
		return a.Scripts.Dokku.Predeploy, "app.json", nil
	default:
		return a.Scripts.Dokku.Postdeploy, "app.json", nil
	}
}

// serializeProcess renders an image's ENTRYPOINT or CMD as a Dockerfile
// instruction: shell form for `/bin/sh -c X`, JSON form otherwise.
func serializeProcess(directive string, words []string) string {
	if len(words) == 0 {
		return ""
	}
	if len(words) == 3 && words[0] == "/bin/sh" && words[1] == "-c" {
		return directive + " " + words[2]
	}
	b, _ := json.Marshal(words)
	return directive + " " + string(b)
}

// jsonInstruction is a Dockerfile instruction in JSON (exec) form; none is
// "[]", which clears the setting.
func jsonInstruction(directive string, words []string) string {
	if len(words) == 0 {
		return directive + " []"
	}
	b, _ := json.Marshal(words)
	return directive + " " + string(b)
}

// passesToEntrypoint reports whether a task command is handed to the
// image's ENTRYPOINT (any but tini) instead of a shell.
func passesToEntrypoint(entrypoint string) bool {
	return entrypoint != "" && !tiniEntrypoints[strings.TrimPrefix(entrypoint, "ENTRYPOINT ")]
}

// ConstructScript builds the container command of a task. Images whose
// ENTRYPOINT is not tini get the command split into words (handed to the
// entrypoint); everything else runs `<shell> -c "set -e; ...; <cmd> || exit 1;"`,
// herokuish images first entering /app and sourcing /app/.profile.d.
func ConstructScript(command, shell string, herokuish, cnb bool, entrypoint string, trace bool) ([]string, error) {
	if passesToEntrypoint(entrypoint) {
		words, err := docker.SplitArgs(strings.TrimSpace(command))
		if err != nil {
			return nil, fmt.Errorf("Skipping command construction for app with ENTRYPOINT: %v", err)
		}
		return words, nil
	}
	script := []string{"set -e;", "set -o pipefail || true;"}
	if trace {
		script = append(script, "set -x;")
	}
	if herokuish && !cnb {
		script = append(script,
			"if [[ -d '/app' ]]; then", "  export HOME=/app;", "  cd $HOME;", "fi;",
			"if [[ -d '/app/.profile.d' ]]; then", "  for file in /app/.profile.d/*; do source $file; done;", "fi;",
			"if [[ -d '/cache' ]]; then", "  rm -rf /tmp/cache ;", "  ln -sf /cache /tmp/cache;", "fi;")
	}
	if strings.HasPrefix(command, "/") {
		bin := strings.Split(command, " ")[0]
		script = append(script, fmt.Sprintf("if [[ ! -x \"%s\" ]]; then", bin), "  echo specified binary is not executable;", "  exit 1;", "fi;")
	}
	script = append(script, command+" || exit 1;")
	if herokuish && !cnb {
		script = append(script, "if [[ -d '/cache' ]]; then", "  rm -f /tmp/cache;", "fi;")
	}
	return []string{shell, "-c", strings.Join(script, " ")}, nil
}

// appShell is the shell tasks run with: the scheduler `shell` property
// (app, then global), else DOKKU_APP_SHELL from the config; "" means the
// default, /bin/bash, with /bin/sh for images without bash.
func appShell(ctx *plugin.Context, appName string, env map[string]string) string {
	if s := strings.TrimSpace(ctx.Props().Computed("scheduler", appName, "shell", "")); s != "" {
		return s
	}
	return strings.TrimSpace(env["DOKKU_APP_SHELL"])
}

// executeTask runs one deployment task (Dokku's executeScript).
func executeTask(ctx *plugin.Context, appName, image, tag, phase string) error {
	u := ctx.UI()
	u.Info1(fmt.Sprintf("Checking for %s task", phase))
	command, source, err := taskCommand(ctx, appName, phase)
	if err != nil {
		u.Exclaim(err.Error())
	}
	if command == "" {
		u.Verbose(fmt.Sprintf("No %s task found, skipping", phase))
		return nil
	}
	if phase == phasePredeploy {
		u.Verbose(fmt.Sprintf("Executing %s task from %s: %s", phase, source, command))
	} else {
		u.Verbose(fmt.Sprintf("Executing %s task from %s in ephemeral container: %s", phase, source, command))
	}

	cli, err := docker.FromContext(ctx)
	if err != nil {
		return err
	}
	c := context.Background()
	img, err := cli.ImageInspect(c, image)
	if err != nil {
		return err
	}
	if img == nil {
		return ui.Failf("App image (%s) not found", image)
	}
	env, err := pipeline.AppEnv(ctx, appName)
	if err != nil {
		return err
	}
	herokuish := pipeline.IsHerokuishImage(img, env["DOKKU_APP_USER"])
	cnb := pipeline.IsCNBImage(img)
	entrypoint := ""
	if !herokuish {
		entrypoint = serializeProcess("ENTRYPOINT", img.Entrypoint)
	}
	sourceType := "dockerfile"
	if herokuish {
		sourceType = "herokuish"
	} else if cnb {
		sourceType = "pack"
	}

	spec, err := taskSpec(ctx, appName, tag, sourceType, env)
	if err != nil {
		return err
	}
	labels := docker.LabelArgs(ctx.Env.Get("DOKKU_GLOBAL_RUN_ARGS"))
	labels[docker.LabelAppName] = appName
	labels[docker.LabelPhaseScript] = phase
	if herokuish && !cnb {
		spec.Host.Binds = append(spec.Host.Binds, "cache-"+appName+":/tmp/cache")
	}
	taskEnv := mergedEnv(env, spec.Config.Env)
	spec.Config.Env = nil
	if t := ctx.Env.Get("DOKKU_TRACE"); t != "" {
		taskEnv = append(taskEnv, "DOKKU_TRACE="+t)
	}

	shell := appShell(ctx, appName, env)
	defaultShell := shell == ""
	if defaultShell {
		shell = "/bin/bash"
	}
	script, err := ConstructScript(command, shell, herokuish, cnb, entrypoint, ctx.Env.Get("DOKKU_TRACE") == "1")
	if err != nil || len(script) == 0 {
		if err != nil {
			u.Warn(err.Error())
		}
		return nil
	}
	shellMode := !passesToEntrypoint(entrypoint)
	// A shell script runs as the container's entrypoint with no command, so
	// that a commit can restore the image's own ENTRYPOINT and CMD (the
	// daemon refills an empty CMD from the container's command).
	var entry, cmdWords []string
	switch {
	case cnb:
		// pack sets the web process as entrypoint; run through the launcher
		entry, cmdWords = []string{"/cnb/lifecycle/launcher"}, script
	case shellMode:
		entry = script
	default:
		cmdWords = script
	}

	quiet := ctx.Env.Quiet()
	out := io.Writer(newIndenter(ctx.Stdout))
	if quiet {
		out = io.Discard
	}
	var shortID, createdID string
	opts := docker.TaskOptions{
		Image: image, Spec: spec, Cmd: cmdWords, Entrypoint: entry, Env: taskEnv, Labels: labels,
		Keep: phase == phasePredeploy,
		Created: func(id string) error {
			createdID, shortID = id, docker.ShortID(id)[:9]
			if defaultShell && shellMode && !cnb && script[0] == "/bin/bash" {
				if ok, err := cli.TaskPathExists(c, id, "/bin/bash"); err == nil && !ok {
					return errNoBash
				}
			}
			return ctx.Trigger("post-container-create", "app", id, appName, phase)
		},
		Started: func(id string) {
			u.Info2Quiet(fmt.Sprintf("Start of %s %s task (%s) output", appName, phase, shortID))
		},
	}
	res, err := cli.RunTask(c, opts, out, out)
	if err == errNoBash {
		script = append([]string{"/bin/sh"}, script[1:]...)
		opts.Entrypoint = script
		createdID = ""
		res, err = cli.RunTask(c, opts, out, out)
	}
	flush(out)
	if res.ContainerID != "" {
		defer cli.TaskRemove(context.WithoutCancel(c), res.ContainerID)
	}
	if err != nil {
		if createdID == "" {
			return ui.Failf("Failed to create %s execution container: %v", phase, err)
		}
		if ui.Code(err) != ui.ExitFail || ui.Silent(err) {
			return err // a post-container-create handler failed; it spoke already
		}
		return ui.Failf("Execution of %s task failed: %s", phase, command)
	}
	u.Info2Quiet(fmt.Sprintf("End of %s %s task (%s) output", appName, phase, shortID))
	if res.ExitCode != 0 {
		return ui.Failf("Execution of %s task failed: %s", phase, command)
	}
	if phase != phasePredeploy {
		return nil
	}
	// The commit carries the task container's configuration; a build
	// `FROM` it puts the image's own ENTRYPOINT and CMD back (an empty one
	// stays empty, which a commit cannot express) and adds the labels.
	// compat: as with Dokku, the environment the task ran with stays in the
	// committed image's config.
	if _, err := cli.TaskCommit(c, res.ContainerID, image, nil); err != nil {
		return ui.Failf("Committing of '%s' to image failed: %v", phase, err)
	}
	process := []string{jsonInstruction("ENTRYPOINT", img.Entrypoint), jsonInstruction("CMD", img.Cmd)}
	labels = pipeline.BaseLabels()
	delete(labels, "dokku")
	labels[docker.LabelAppName] = appName
	labels["com.dokku."+phase+"-phase"] = "true"
	if _, err := cli.Restyle(c, image, process, labels, ctx.Stderr); err != nil {
		return ui.Failf("Committing of '%s' to image failed: %v", phase, err)
	}
	return nil
}

var errNoBash = fmt.Errorf("image has no /bin/bash")

// taskSpec turns docker-args-deploy and docker-args-process-deploy into
// create options, without the flags tasks must not get.
func taskSpec(ctx *plugin.Context, appName, tag, sourceType string, env map[string]string) (*docker.CreateSpec, error) {
	quiet := ctx.WithIO(nil, nil, nil)
	deployArgs, err := quiet.TriggerInput("docker-args-deploy", "", appName, tag)
	if err != nil {
		return nil, err
	}
	processArgs, err := quiet.TriggerInput("docker-args-process-deploy", "", appName, sourceType, tag)
	if err != nil {
		return nil, err
	}
	tokens, err := docker.SplitArgs(deployArgs + " " + processArgs)
	if err != nil {
		return nil, ui.Fail(err.Error())
	}
	tokens = docker.DropRunFlags(tokens, taskDroppedFlags, taskBoolFlags)
	spec, warnings, err := docker.ParseCreateArgs(tokens, pipeline.Lookup(env))
	if err != nil {
		return nil, ui.Fail(err.Error())
	}
	for _, w := range warnings {
		ctx.UI().Warn(w)
	}
	spec.Name = "" // tasks get generated names
	return spec, nil
}

// mergedEnv is the app config with the explicit --env values of docker
// options on top, one entry per key, sorted.
func mergedEnv(config map[string]string, extra []string) []string {
	m := map[string]string{}
	for k, v := range config {
		m[k] = v
	}
	for _, kv := range extra {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k+"="+m[k])
	}
	return out
}
