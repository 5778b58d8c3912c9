package shellapi

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"time"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/archive"
	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// imageDocker is what the image verbs of the common helper need of Docker.
type imageDocker interface {
	ImageInspect(ctx context.Context, ref string) (*docker.Image, error)
	CopyFromImage(ctx context.Context, image, path string, labels map[string]string, fn func(io.Reader) error) error
	Cleanup(ctx context.Context, app, containerLabel string) error
}

// dockerFor returns the Docker client (replaced in tests).
var dockerFor = func(ctx *plugin.Context) (imageDocker, error) {
	c, err := docker.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	return c, nil
}

const (
	inspectTimeout = 2 * time.Minute
	copyTimeout    = 10 * time.Minute
	cleanupTimeout = 10 * time.Minute
	// maxCopiedFile bounds a file copied out of an image into memory.
	maxCopiedFile = 256 << 20
	// herokuishUser is the user herokuish images run as by default.
	herokuishUser = "herokuishuser"
	// labelCNBLifecycle marks images produced by the CNB lifecycle.
	labelCNBLifecycle = "io.buildpacks.lifecycle.metadata"
)

func inspectImage(ctx *plugin.Context, ref string) (*docker.Image, error) {
	if ref == "" {
		return nil, nil
	}
	d, err := dockerFor(ctx)
	if err != nil {
		return nil, err
	}
	c, cancel := context.WithTimeout(context.Background(), inspectTimeout)
	defer cancel()
	return d.ImageInspect(c, ref)
}

// isCNBImage reports whether an image was built by cloud native buildpacks.
func isCNBImage(img *docker.Image) bool {
	return img != nil && (img.Labels[docker.LabelCNBStack] != "" || img.Labels[labelCNBLifecycle] != "")
}

// isHerokuishImage reports whether an image was built by herokuish (its
// environment sets USER to the app's DOKKU_APP_USER, default
// herokuishuser). compat: CNB images count as herokuish-based, as in Dokku.
func isHerokuishImage(ctx *plugin.Context, img *docker.Image, appName string) bool {
	if img == nil {
		return false
	}
	if isCNBImage(img) {
		return true
	}
	user := ""
	if appName != "" && appName != property.Global {
		user = ctx.TriggerValue("config-get", appName, "DOKKU_APP_USER")
	}
	if user == "" {
		user = herokuishUser
	}
	return slices.Contains(img.Env, "USER="+user)
}

func runImageIsCNBBased(ctx *plugin.Context, _ *commonOptions, args []string) error {
	img, _ := inspectImage(ctx, args[0])
	printBool(ctx, isCNBImage(img))
	return nil
}

func runImageIsHerokuishBased(ctx *plugin.Context, _ *commonOptions, args []string) error {
	appName := plugin.Arg(args, 1)
	img, _ := inspectImage(ctx, args[0])
	printBool(ctx, isHerokuishImage(ctx, img, appName))
	return nil
}

// imageSourcePath makes a relative source path absolute: below /workspace
// for CNB images, /app for herokuish ones, else the image's WORKDIR.
func imageSourcePath(ctx *plugin.Context, img *docker.Image, appName, src string) string {
	if path.IsAbs(src) {
		return src
	}
	workDir := img.WorkingDir
	switch {
	case isCNBImage(img):
		workDir = "/workspace"
	case isHerokuishImage(ctx, img, appName):
		workDir = "/app"
	}
	if workDir == "" {
		workDir = "/"
	}
	return path.Join(workDir, src)
}

// copySource resolves what a copy verb needs: the client, the image's
// absolute source path and the labels of the scratch container.
func copySource(ctx *plugin.Context, args []string) (imageDocker, string, map[string]string, error) {
	appName, image, src := args[0], args[1], args[2]
	if err := app.Verify(ctx, appName); err != nil {
		return nil, "", nil, err
	}
	if image == "" || src == "" {
		return nil, "", nil, ui.Fail("Invalid docker image for copying content")
	}
	d, err := dockerFor(ctx)
	if err != nil {
		return nil, "", nil, err
	}
	c, cancel := context.WithTimeout(context.Background(), inspectTimeout)
	defer cancel()
	img, err := d.ImageInspect(c, image)
	if err != nil {
		return nil, "", nil, ui.Failf("Unable to inspect image %s: %v", image, err)
	}
	if img == nil {
		return nil, "", nil, ui.Fail("Invalid docker image for copying content")
	}
	labels := docker.LabelArgs(ctx.Env.Get("DOKKU_GLOBAL_RUN_ARGS"))
	labels[docker.LabelAppName] = appName
	return d, imageSourcePath(ctx, img, appName, src), labels, nil
}

var errCopyIsDir = errors.New("is a directory")

// runCopyFromImage: copy-from-image <app> <image> <source> <destination>.
// The file is written to destination (inside it when it is a directory);
// symlinks in the image are followed.
func runCopyFromImage(ctx *plugin.Context, _ *commonOptions, args []string) error {
	d, src, labels, err := copySource(ctx, args)
	if err != nil {
		return err
	}
	image, dst := args[1], args[3]
	c, cancel := context.WithTimeout(context.Background(), copyTimeout)
	defer cancel()
	var content []byte
	mode := fs.FileMode(0o644)
	for hop := 0; ; hop++ {
		link := ""
		err := d.CopyFromImage(c, image, src, labels, func(r io.Reader) error {
			tr := tar.NewReader(r)
			h, err := tr.Next()
			if err != nil {
				return err
			}
			switch h.Typeflag {
			case tar.TypeReg, tar.TypeRegA:
				content, err = io.ReadAll(io.LimitReader(tr, maxCopiedFile+1))
				if len(content) > maxCopiedFile {
					return fmt.Errorf("file is larger than %d bytes", maxCopiedFile)
				}
				if p := h.FileInfo().Mode().Perm(); p != 0 {
					mode = p
				}
				return err
			case tar.TypeSymlink:
				link = h.Linkname
				return nil
			case tar.TypeDir:
				return errCopyIsDir
			}
			return fmt.Errorf("not a regular file")
		})
		if err != nil {
			return ui.Failf("Unable to copy file %s from image: %v", src, copyError(err, ""))
		}
		if link == "" {
			break
		}
		if hop >= 8 {
			return ui.Failf("Unable to copy file %s from image: too many levels of symbolic links", args[2])
		}
		if !path.IsAbs(link) {
			link = path.Join(path.Dir(src), link)
		}
		src = link
	}
	// compat: files copied out of images get unix line endings (Dokku
	// converts them, so Procfiles written on Windows still parse).
	content = bytes.ReplaceAll(content, []byte("\r\n"), []byte("\n"))
	if fi, err := os.Stat(dst); err == nil && fi.IsDir() {
		dst = filepath.Join(dst, path.Base(src))
	}
	if err := atomicfile.Write(dst, content, mode, nil); err != nil {
		return ui.Failf("Unable to write %s: %v", dst, err)
	}
	return nil
}

// runCopyDirFromImage: copy-dir-from-image <app> <image> <source> <destination>,
// with `docker container cp` semantics: into destination/<base> when
// destination exists, else as destination.
func runCopyDirFromImage(ctx *plugin.Context, _ *commonOptions, args []string) error {
	d, src, labels, err := copySource(ctx, args)
	if err != nil {
		return err
	}
	image, dst := args[1], args[3]
	strip := 0
	if fi, err := os.Stat(dst); err != nil {
		if err := os.Mkdir(dst, 0o755); err != nil {
			return ui.Failf("Unable to create %s: %v", dst, err)
		}
		strip = 1
	} else if !fi.IsDir() {
		return ui.Failf("Destination %s is not a directory", dst)
	}
	root, err := realDir(dst)
	if err != nil {
		return err
	}
	o := archiveOptions("tar", strip)
	// Symlinks are the image's own: kept as they are, never followed.
	o.Symlinks = archive.SymlinksAny
	first := true
	o.Visit = func(e *archive.Entry) (bool, error) {
		if first && e.Kind != archive.KindDir {
			return false, fmt.Errorf("not a directory")
		}
		first = false
		return false, nil
	}
	c, cancel := context.WithTimeout(context.Background(), copyTimeout)
	defer cancel()
	err = d.CopyFromImage(c, image, src, labels, func(r io.Reader) error {
		return archive.Extract(r, root, o)
	})
	if err != nil {
		return ui.Failf("Unable to copy directory %s from image: %v", src, copyError(err, root))
	}
	return nil
}

func copyError(err error, root string) error {
	if docker.IsNotFound(err) {
		return errors.New("no such file or directory")
	}
	if r := archiveRejection(err, false, false); r != nil {
		return errors.New(r.msg)
	}
	return archiveDetail(err, root)
}

// runDockerCleanup: docker-cleanup [--global] [<app>] [<force>]. Without
// force, builder skip-cleanup (app, then global), DOKKU_SKIP_CLEANUP in the
// environment or the app's legacy DOKKU_SKIP_CLEANUP config skip it.
func runDockerCleanup(ctx *plugin.Context, o *commonOptions, args []string) error {
	name, force := property.Global, false
	if o.global {
		if len(args) > 0 {
			force = args[len(args)-1] == "true"
		}
	} else {
		if args[0] != "" && args[0] != property.Global {
			name = args[0]
		}
		force = len(args) > 1 && args[1] == "true"
	}
	if name != property.Global {
		if err := app.ValidateLegacy(name); err != nil {
			return err
		}
	}
	u := ctx.UI()
	if !force && skipCleanup(ctx, name) {
		u.Info1("DOKKU_SKIP_CLEANUP set. Skipping dokku cleanup")
		return nil
	}
	u.Info1("Cleaning up...")
	d, err := dockerFor(ctx)
	if err != nil {
		return ui.Failf("Failure while cleaning up app: %v", err)
	}
	label := ctx.Env.Get("DOKKU_CONTAINER_LABEL")
	if label == "" {
		label = docker.LabelDokku
	}
	target := name
	if target == property.Global {
		target = ""
	}
	c, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	if err := d.Cleanup(c, target, label); err != nil {
		return ui.Failf("Failure while cleaning up app: %v", err)
	}
	return nil
}

func skipCleanup(ctx *plugin.Context, name string) bool {
	if ctx.Env.Get("DOKKU_SKIP_CLEANUP") == "true" {
		return true
	}
	if ctx.Props().Computed("builder", name, "skip-cleanup", "") == "true" {
		return true
	}
	// compat: the pre-property way of skipping cleanup, a config variable.
	return name != property.Global && ctx.TriggerValue("config-get", name, "DOKKU_SKIP_CLEANUP") == "true"
}

func dockerBin(ctx *plugin.Context) string {
	if b := ctx.Env.Get("DOCKER_BIN"); b != "" {
		return b
	}
	return "docker"
}

// composeInstalled reports whether `docker compose` works.
func composeInstalled(ctx *plugin.Context) bool {
	err := proc.Run(context.Background(), proc.Cmd{Name: dockerBin(ctx), Args: []string{"compose", "version"},
		Env: ctx.Env.Environ(), Stdout: io.Discard, Stderr: io.Discard, Timeout: 30 * time.Second})
	return err == nil
}

func runCompose(ctx *plugin.Context, args []string, action ...string) error {
	if !composeInstalled(ctx) {
		return ui.Fail("docker compose is not installed")
	}
	if _, err := os.Stat(args[1]); err != nil {
		return ui.Failf("Compose file %s does not exist", args[1])
	}
	cmd := append([]string{"compose", "--file", args[1], "--project-name", args[0]}, action...)
	return proc.Run(context.Background(), proc.Cmd{Name: dockerBin(ctx), Args: cmd, Env: ctx.Env.Environ(),
		Stdout: ctx.Stdout, Stderr: ctx.Stderr, Timeout: 30 * time.Minute})
}

// runComposeUp: compose-up <project-name> <compose-file>.
func runComposeUp(ctx *plugin.Context, _ *commonOptions, args []string) error {
	return runCompose(ctx, args, "up", "--detach", "--quiet-pull")
}

// runComposeDown: compose-down <project-name> <compose-file>.
func runComposeDown(ctx *plugin.Context, _ *commonOptions, args []string) error {
	return runCompose(ctx, args, "down")
}
