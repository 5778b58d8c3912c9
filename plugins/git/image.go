package git

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/capture"
	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

type fromImageOptions struct {
	buildDir string
	force    bool
}

func newFromImageCmd(ctx *plugin.Context) *cobra.Command {
	o := &fromImageOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		return runFromImage(ctx, o, args, false)
	}}
	cmd.Flags().StringVar(&o.buildDir, "build-dir", "", "")
	cmd.Flags().BoolVar(&o.force, "force", false, "")
	return cmd
}

func newLoadImageCmd(ctx *plugin.Context) *cobra.Command {
	o := &fromImageOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		return runFromImage(ctx, o, args, true)
	}}
	cmd.Flags().StringVar(&o.buildDir, "build-dir", "", "")
	return cmd
}

// imageRef accepts docker image references (no blanks or quotes that
// could change the generated Dockerfile).
var imageRef = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._/:@+-]*$`) })

// runFromImage is git:from-image [--build-dir DIR] [--force] <app> <image>
// [<git-username> <git-email>] and git:load-image (the image is first
// `docker load`ed from stdin).
func runFromImage(ctx *plugin.Context, o *fromImageOptions, args []string, load bool) (err error) {
	name, err := app.VerifyArg(ctx, args, 0)
	if err != nil {
		return err
	}
	image := plugin.Arg(args, 1)
	if image == "" {
		return ui.Fail("Please specify a docker image")
	}
	if !imageRef().MatchString(image) {
		return ui.Failf("Invalid docker image %q", image)
	}
	if o.buildDir != "" {
		if fi, serr := os.Stat(o.buildDir); serr != nil || !fi.IsDir() {
			return ui.Failf("Build directory %s does not exist", o.buildDir)
		}
	}
	source := "git:from-image"
	if load {
		source = "git:load-image"
	}
	ctx = ctx.WithEnv(ctx.Env.Clone())
	if s, serr := capture.Start(ctx, name, source); serr != nil {
		return serr
	} else if s != nil {
		defer func() { s.Finish(err) }()
	}
	cli, err := docker.FromContext(ctx)
	if err != nil {
		return err
	}
	c := context.Background()
	u := ctx.UI()
	if load {
		u.Info1("Loading image from stdin")
		if _, err := cli.ImageLoad(c, ctx.Stdin, ctx.Stdout); err != nil {
			return ui.Failf("Unable to load the image: %s", err.Error())
		}
	}
	present, err := cli.ImageExists(c, image)
	if err != nil {
		return err
	}
	if !present || (o.force && !load) {
		u.Info1("Pulling image " + image)
		if err := cli.ImagePull(c, image, registryAuth(ctx, name, image), ctx.Stdout); err != nil {
			return ui.Failf("Unable to pull %s: %s", image, err.Error())
		}
	}
	return ctx.Trigger("git-from-image", name, image, o.buildDir, plugin.Arg(args, 2), plugin.Arg(args, 3))
}

// triggerFromImage is git-from-image <app> <image> [<build-dir> <name>
// <email>]: a Dockerfile FROM the image (plus the build dir's files) is
// committed and deployed, and source-image records the image.
func triggerFromImage(ctx *plugin.Context, args []string) error {
	name, image, buildDir := plugin.Arg(args, 0), plugin.Arg(args, 1), plugin.Arg(args, 2)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	if !imageRef().MatchString(image) {
		return ui.Failf("Invalid docker image %q", image)
	}
	work, err := tempDir(ctx, "git_from_image")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if buildDir != "" {
		if err := copyTree(buildDir, work); err != nil {
			return ui.Failf("Unable to copy the build directory: %s", err.Error())
		}
	}
	dockerfile := "FROM " + image + "\nLABEL com.dokku.docker-image-labeler/alternate-tags=[\"" + image + "\"]\n"
	if err := os.WriteFile(filepath.Join(work, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		return err
	}
	if err := ctx.Props().Write(pluginName, name, propSourceImage, image); err != nil {
		return err
	}
	if err := fromDirectory(ctx, name, work, plugin.Arg(args, 3), plugin.Arg(args, 4)); err != nil {
		return err
	}
	return ctx.Trigger("deploy-source-set", name, "docker-image", image)
}

// registryAuth finds credentials for the image's registry in the app's
// registry config (registry:login <app>) or the dokku user's docker config.
func registryAuth(ctx *plugin.Context, name, image string) string {
	host := "https://index.docker.io/v1/"
	if first, _, ok := strings.Cut(image, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		host = first
	}
	for _, p := range []string{
		filepath.Join(ctx.Env.ConfigRoot(), "registry", name, "config.json"),
		filepath.Join(ctx.Env.Root(), ".docker", "config.json"),
	} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var cfg struct {
			Auths map[string]struct {
				Auth string `json:"auth"`
			} `json:"auths"`
		}
		if json.Unmarshal(b, &cfg) != nil {
			continue
		}
		for server, a := range cfg.Auths {
			if strings.TrimPrefix(strings.TrimPrefix(server, "https://"), "http://") != strings.TrimPrefix(host, "https://") && server != host {
				continue
			}
			raw, err := base64.StdEncoding.DecodeString(a.Auth)
			if err != nil {
				continue
			}
			user, pass, ok := strings.Cut(string(raw), ":")
			if !ok {
				continue
			}
			out, _ := json.Marshal(map[string]string{"username": user, "password": pass, "serveraddress": server})
			return base64.URLEncoding.EncodeToString(out)
		}
	}
	return ""
}
