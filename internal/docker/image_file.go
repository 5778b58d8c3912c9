package docker

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/docker/docker/api/types/container"
)

// ErrNotRegularFile is returned when an image path is not a regular file.
var ErrNotRegularFile = errors.New("not a regular file")

// maxImageFile bounds what ImageFileContent reads (app.json, Procfile...).
const maxImageFile = 16 << 20

// ImageFileContent reads one regular file out of an image: a container is
// created (never started), the file copied out through the API, and the
// container removed. A relative path is taken from the image's WORKDIR
// (or / when it has none). A missing file is an error satisfying
// IsNotFound.
func (c *Client) ImageFileContent(ctx context.Context, image, file string) ([]byte, error) {
	if !path.IsAbs(file) {
		img, err := c.ImageInspect(ctx, image)
		if err != nil {
			return nil, err
		}
		if img == nil {
			return nil, fmt.Errorf("image %s not found", image)
		}
		dir := img.WorkingDir
		if dir == "" {
			dir = "/"
		}
		file = path.Join(dir, file)
	}
	created, err := c.API.ContainerCreate(ctx, &container.Config{
		Image: image, Entrypoint: []string{"/"}, Labels: map[string]string{"dokku": ""},
	}, &container.HostConfig{}, nil, nil, "")
	if err != nil {
		return nil, err
	}
	defer c.TaskRemove(context.WithoutCancel(ctx), created.ID)
	rc, _, err := c.API.CopyFromContainer(ctx, created.ID, file)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	hdr, err := tr.Next()
	if err != nil {
		return nil, err
	}
	if hdr.Typeflag != tar.TypeReg {
		return nil, fmt.Errorf("%s: %w", file, ErrNotRegularFile)
	}
	if hdr.Size > maxImageFile {
		return nil, fmt.Errorf("%s is too large (%d bytes)", file, hdr.Size)
	}
	return io.ReadAll(io.LimitReader(tr, maxImageFile))
}
