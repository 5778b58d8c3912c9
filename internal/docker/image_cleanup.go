package docker

import (
	"context"

	"github.com/docker/docker/api/types/container"
)

// Cleanup is Dokku's docker_cleanup: remove exited and dead containers
// carrying containerLabel (and, for an app, com.dokku.app-name=<app>),
// remove dangling images (of the app), and for an app prune every image
// labelled with it that no container uses. Removal failures of single
// objects (an image still referenced, a container being removed by someone
// else) are skipped, as Dokku ignores them.
func (c *Client) Cleanup(ctx context.Context, app, containerLabel string) error {
	var ids []string
	for _, status := range []string{"exited", "dead"} {
		args := []string{"status=" + status}
		if containerLabel != "" {
			args = append(args, "label="+containerLabel)
		}
		if app != "" {
			args = append(args, "label="+LabelAppName+"="+app)
		}
		f, err := parseFilters(args)
		if err != nil {
			return err
		}
		list, err := c.API.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
		if err != nil {
			return err
		}
		for _, s := range list {
			ids = append(ids, s.ID)
		}
	}
	for _, id := range ids {
		err := c.API.ContainerRemove(ctx, id, container.RemoveOptions{})
		if err != nil && !IsNotFound(err) && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	filters := []string{"dangling=true"}
	if app != "" {
		filters = append(filters, "label="+LabelAppName+"="+app)
	}
	images, err := c.ImageIDs(ctx, true, filters...)
	if err != nil {
		return err
	}
	for _, id := range images {
		if err := c.ImageRemove(ctx, id, false); err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if app != "" {
		if err := c.ImagesPrune(ctx, true, "label="+LabelAppName+"="+app); err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}
