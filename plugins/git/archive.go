package git

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/capture"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

type fromArchiveOptions struct{ archiveType string }

func newFromArchiveCmd(ctx *plugin.Context) *cobra.Command {
	o := &fromArchiveOptions{}
	cmd := &cobra.Command{}
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		// "--" (read the archive from stdin) is a positional here, but the
		// flag parser consumes it: put it back where it was.
		if at := cmd.ArgsLenAtDash(); at >= 0 && at <= len(args) {
			args = append(args[:at:at], append([]string{"--"}, args[at:]...)...)
		}
		return runFromArchive(ctx, o, args)
	}
	cmd.Flags().StringVar(&o.archiveType, "archive-type", "tar", "")
	return cmd
}

func validArchiveType(t string) bool { return t == "tar" || t == "tar.gz" || t == "zip" }

// runFromArchive is git:from-archive [--archive-type tar|tar.gz|zip] <app>
// <archive-url|--> [<git-username> <git-email>].
func runFromArchive(ctx *plugin.Context, o *fromArchiveOptions, args []string) (err error) {
	name, err := app.VerifyArg(ctx, args, 0)
	if err != nil {
		return err
	}
	source := plugin.Arg(args, 1)
	if source == "" {
		return ui.Fail("Please specify an archive url or -- for stdin")
	}
	if !validArchiveType(o.archiveType) {
		return ui.Fail("Invalid archive type specified, valid archive types include: tar, tar.gz, zip")
	}
	ctx = ctx.WithEnv(ctx.Env.Clone())
	if s, serr := capture.Start(ctx, name, "git:from-archive"); serr != nil {
		return serr
	} else if s != nil {
		defer func() { s.Finish(err) }()
	}
	return ctx.Trigger("git-from-archive", name, source, o.archiveType, plugin.Arg(args, 2), plugin.Arg(args, 3))
}

// triggerFromArchive is git-from-archive <app> <url|--> <type> [<name>
// <email>]: fetch the archive (http/https, or stdin for "--"), unpack it
// safely, commit and deploy it.
func triggerFromArchive(ctx *plugin.Context, args []string) error {
	name, source, kind := plugin.Arg(args, 0), plugin.Arg(args, 1), plugin.Arg(args, 2)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	if kind == "" {
		kind = "tar"
	}
	if !validArchiveType(kind) {
		return ui.Fail("Invalid archive type specified, valid archive types include: tar, tar.gz, zip")
	}
	limits := archiveLimits{
		maxSize:  archiveLimit(ctx, propArchiveMaxSize, defaultArchiveMaxSize),
		maxFiles: archiveLimit(ctx, propArchiveMaxFiles, defaultArchiveMaxFiles),
	}
	tmp, err := tempDir(ctx, "git_from_archive")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	file := filepath.Join(tmp, "archive")
	u := ctx.UI()
	if source == "--" {
		u.Info1("Reading archive from stdin")
		err = saveLimited(ctx.Stdin, file, limits.maxSize)
	} else {
		u.Info1("Downloading archive")
		err = download(source, file, limits.maxSize)
	}
	if err != nil {
		return archiveFailure(ctx, err)
	}
	src := filepath.Join(tmp, "src")
	if err := os.Mkdir(src, 0o755); err != nil {
		return err
	}
	if err := extractArchive(file, kind, src, limits); err != nil {
		return archiveFailure(ctx, err)
	}
	os.Remove(file)
	if err := fromDirectory(ctx, name, src, plugin.Arg(args, 3), plugin.Arg(args, 4)); err != nil {
		return err
	}
	metadata := source
	if source == "--" {
		metadata = "stdin"
	}
	return ctx.Trigger("deploy-source-set", name, kind, metadata)
}

func archiveFailure(ctx *plugin.Context, err error) error {
	var ae *archiveError
	if errors.As(err, &ae) {
		ctx.UI().Stderr(ae.audit)
		return ui.Fail("Archive rejected by the security checks")
	}
	return ui.Fail(err.Error())
}

// saveLimited writes r to file, refusing more than max bytes.
func saveLimited(r io.Reader, file string, max int64) error {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(r, max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if n > max {
		return refuse("rejected archive: larger than %d bytes", max)
	}
	return nil
}

// downloadTimeout bounds one archive download.
const downloadTimeout = 30 * time.Minute

// download fetches an http(s) URL into file, at most max bytes.
func download(raw, file string, max int64) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("Invalid archive url %q: only http and https urls are supported", raw)
	}
	c, cancel := context.WithTimeout(context.Background(), downloadTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(c, http.MethodGet, raw, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("Unable to download the archive: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("Unable to download the archive: %s", res.Status)
	}
	if res.ContentLength > max {
		return refuse("rejected archive: larger than %d bytes", max)
	}
	return saveLimited(res.Body, file, max)
}
