package appjson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	schema "github.com/godokku/dokku/internal/appjson"
	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// maxAppJSON bounds the app.json read from a source tree.
const maxAppJSON = 16 << 20

func dataDir(ctx *plugin.Context, appName string) string {
	return filepath.Join(ctx.Env.PluginDataRoot(pluginName), appName)
}

// appJSONPath is data/app-json/<app>/app.json: the copy of the deployed
// release.
func appJSONPath(ctx *plugin.Context, appName string) string {
	return filepath.Join(dataDir(ctx, appName), defaultFileName)
}

// stagedPath is the copy extracted by the running build (runtime.md §8.4).
func stagedPath(ctx *plugin.Context, appName string) string {
	return appJSONPath(ctx, appName) + "." + ctx.Env.Get("DOKKU_PID")
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// hasAppJSON: a staged ".missing" marker means the build has none; else the
// staged copy or the deployed one.
func hasAppJSON(ctx *plugin.Context, appName string) bool {
	staged := stagedPath(ctx, appName)
	if exists(staged + ".missing") {
		return false
	}
	return exists(staged) || exists(appJSONPath(ctx, appName))
}

// currentPath prefers the staged copy of the running build.
func currentPath(ctx *plugin.Context, appName string) string {
	if staged := stagedPath(ctx, appName); exists(staged) {
		return staged
	}
	return appJSONPath(ctx, appName)
}

// Read returns the app's app.json (staged copy preferred); none is empty.
func Read(ctx *plugin.Context, appName string) (*schema.AppJSON, error) {
	if !hasAppJSON(ctx, appName) {
		return &schema.AppJSON{}, nil
	}
	b, err := os.ReadFile(currentPath(ctx, appName))
	if err != nil {
		if os.IsNotExist(err) {
			return &schema.AppJSON{}, nil
		}
		return nil, fmt.Errorf("Cannot read app.json file: %v", err)
	}
	return schema.Parse(b)
}

// triggerGetContent prints the app.json content (compact JSON), or {}.
func triggerGetContent(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return ui.Fail("Please specify an app to run the command on")
	}
	appName := args[0]
	if !hasAppJSON(ctx, appName) {
		fmt.Fprint(ctx.Stdout, "{}")
		return nil
	}
	b, err := os.ReadFile(currentPath(ctx, appName))
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("Cannot read app.json file: %v", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		fmt.Fprint(ctx.Stdout, "{}")
		return nil
	}
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return ui.Failf("Cannot parse app.json: %v", err)
	}
	ctx.Stdout.Write(out.Bytes())
	return nil
}

// triggerCorePostExtract stages the source's app.json (path appjson-path,
// relative to the builder build-dir) as app.json.<DOKKU_PID>, or a
// ".missing" marker, and validates it. With a custom path the file also
// replaces app.json in the source tree.
func triggerCorePostExtract(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	appName, workDir := args[0], args[1]
	rel := strings.Trim(ctx.Props().Computed(pluginName, appName, "appjson-path", defaultFileName), "/")
	if rel == "" {
		rel = defaultFileName
	}
	buildDir := strings.Trim(ctx.WithIO(nil, nil, nil).TriggerValue("builder-get-property", appName, "build-dir"), "/")
	dir := dataDir(ctx, appName)
	own := owner(ctx)
	if err := atomicfile.MkdirAll(dir, 0o755, own); err != nil {
		return err
	}
	final := appJSONPath(ctx, appName)
	if err := removeStaged(final); err != nil {
		return err
	}
	staged := stagedPath(ctx, appName)
	missing := staged + ".missing"

	var content []byte
	if image := ctx.WithIO(nil, nil, nil).TriggerValue("git-get-property", appName, "source-image"); image != "" {
		b, err := readFromImage(ctx, image, filepath.Join(buildDir, rel))
		if err != nil {
			return touch(missing, own)
		}
		content = b
	} else {
		root := workDir
		if buildDir != "" {
			root = filepath.Join(workDir, buildDir)
		}
		b, found, err := readInside(workDir, filepath.Join(root, rel))
		if err != nil {
			return err
		}
		def := filepath.Join(root, defaultFileName)
		if !found {
			// a custom path that does not exist: the default file must not
			// sneak in either
			if rel != defaultFileName {
				os.Remove(def)
			}
			return touch(missing, own)
		}
		content = b
		if rel != defaultFileName {
			if err := os.WriteFile(def, content, 0o644); err != nil {
				return fmt.Errorf("Unable to move app.json into place: %v", err)
			}
		}
	}
	if err := atomicfile.Write(staged, content, 0o644, own); err != nil {
		return fmt.Errorf("Unable to extract app.json: %v", err)
	}
	if _, err := schema.Parse(content); err != nil {
		return ui.Fail(err.Error())
	}
	return validate(ctx, appName, staged)
}

// validate fires app-json-is-valid; a failing validator's stderr becomes
// the error.
func validate(ctx *plugin.Context, appName, path string) error {
	var errb bytes.Buffer
	err := ctx.WithIO(nil, nil, &errb).Trigger("app-json-is-valid", appName, path)
	if err == nil {
		ctx.Stderr.Write(errb.Bytes())
		return nil
	}
	msg := strings.TrimSpace(errb.String())
	if msg == "" {
		return err
	}
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		lines = append(lines, strings.TrimPrefix(l, ui.PrefixWarn))
	}
	return ui.Fail(strings.Join(lines, "\n"))
}

// readInside reads path when it is a regular file whose real location is
// inside root (an app.json symlinked out of the source tree is refused).
func readInside(root, path string) ([]byte, bool, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, false, nil
		}
		return nil, false, err
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, false, err
	}
	if real != realRoot && !strings.HasPrefix(real, realRoot+string(filepath.Separator)) {
		return nil, false, ui.Failf("app.json must be a file inside the source tree: %s", strings.TrimPrefix(path, root+"/"))
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, false, err
	}
	if !fi.Mode().IsRegular() {
		return nil, false, nil
	}
	if fi.Size() > maxAppJSON {
		return nil, false, ui.Failf("app.json is too large (%d bytes)", fi.Size())
	}
	b, err := os.ReadFile(real)
	return b, err == nil, err
}

func readFromImage(ctx *plugin.Context, image, rel string) ([]byte, error) {
	cli, err := docker.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	return cli.ImageFileContent(context.Background(), image, rel)
}

// removeStaged deletes every app.json.* left by earlier builds.
func removeStaged(final string) error {
	matches, err := filepath.Glob(final + ".*")
	if err != nil {
		return err
	}
	for _, m := range matches {
		if err := os.Remove(m); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

func touch(path string, own *atomicfile.Owner) error {
	return atomicfile.Write(path, nil, 0o644, own)
}

func owner(ctx *plugin.Context) *atomicfile.Owner {
	if uid, gid, ok := ctx.Env.Owner(); ok {
		return &atomicfile.Owner{UID: uid, GID: gid}
	}
	return nil
}

// triggerCorePostDeploy promotes the staged app.json of this deploy (or
// deletes the deployed one when the build had none).
func triggerCorePostDeploy(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	final := appJSONPath(ctx, args[0])
	staged := stagedPath(ctx, args[0])
	if exists(staged) {
		return os.Rename(staged, final)
	}
	if exists(staged + ".missing") {
		if err := os.Remove(staged + ".missing"); err != nil {
			return err
		}
		if err := os.Remove(final); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// triggerDeployParallelism prints formation.<type>.max_parallel (default 1).
func triggerDeployParallelism(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return ui.Fail("Please specify an app and a process type")
	}
	a, err := Read(ctx, args[0])
	if err != nil {
		return err
	}
	fmt.Fprintln(ctx.Stdout, a.MaxParallel(args[1]))
	return nil
}
