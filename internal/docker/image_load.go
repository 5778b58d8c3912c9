package docker

import (
	"bytes"
	"context"
	"io"
	"strings"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
)

// ImagePull pulls ref, printing the daemon's progress lines on out.
// registryAuth is the base64url JSON credential header ("" for none).
func (c *Client) ImagePull(ctx context.Context, ref, registryAuth string, out io.Writer) error {
	rc, err := c.API.ImagePull(ctx, ref, image.PullOptions{RegistryAuth: registryAuth})
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = RenderStream(rc, out)
	return err
}

// ImageLoad is `docker load`: it reads an image archive from r, prints the
// daemon's messages on out and returns the loaded image references.
func (c *Client) ImageLoad(ctx context.Context, r io.Reader, out io.Writer) ([]string, error) {
	res, err := c.API.ImageLoad(ctx, r, client.ImageLoadWithQuiet(false))
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	_, err = RenderStream(res.Body, io.MultiWriter(out, &buf))
	var loaded []string
	for _, l := range strings.Split(buf.String(), "\n") {
		if ref, ok := strings.CutPrefix(strings.TrimSpace(l), "Loaded image: "); ok {
			loaded = append(loaded, ref)
		} else if id, ok := strings.CutPrefix(strings.TrimSpace(l), "Loaded image ID: "); ok {
			loaded = append(loaded, id)
		}
	}
	return loaded, err
}
