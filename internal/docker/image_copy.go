package docker

import (
	"context"
	"io"
	"time"

	"github.com/docker/docker/api/types/container"
)

// CopyFromImage streams path out of image as a tar archive (the `docker
// container cp` format: entries start with the path's base name) to fn. A
// container is created for the purpose with labels, never started, and
// removed afterwards. A path missing in the image is an IsNotFound error.
func (c *Client) CopyFromImage(ctx context.Context, image, path string, labels map[string]string, fn func(io.Reader) error) error {
	// The entrypoint is never run; setting one lets images without a
	// command be used.
	cfg := &container.Config{Image: image, Labels: labels, Entrypoint: []string{"/bin/true"}}
	res, err := c.API.ContainerCreate(ctx, cfg, &container.HostConfig{}, nil, nil, "")
	if err != nil {
		return err
	}
	defer func() {
		rmCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		c.API.ContainerRemove(rmCtx, res.ID, container.RemoveOptions{Force: true, RemoveVolumes: true})
	}()
	rc, _, err := c.API.CopyFromContainer(ctx, res.ID, path)
	if err != nil {
		return err
	}
	defer rc.Close()
	return fn(rc)
}
