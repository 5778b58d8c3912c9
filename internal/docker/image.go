package docker

import (
	"context"
	"errors"
	"sort"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
)

// Labels Dokku puts on the images it builds (pipeline.md §2, §4.5).
const (
	LabelAppName     = "com.dokku.app-name"
	LabelImageStage  = "com.dokku.image-stage"
	LabelBuilderType = "com.dokku.builder-type"
	LabelCNBStack    = "io.buildpacks.stack.id"
	LabelPhaseScript = "dokku_phase_script"
)

// Image is what the pipeline needs to know about a local image.
type Image struct {
	ID           string
	RepoTags     []string
	Labels       map[string]string
	ExposedPorts []string // "5000/tcp", sorted by string as docker inspect prints them
	Entrypoint   []string
	Cmd          []string
	Env          []string
	WorkingDir   string
	User         string
	Architecture string
	Os           string
}

// IsNotFound reports whether err says an object does not exist.
func IsNotFound(err error) bool { return err != nil && cerrdefs.IsNotFound(err) }

// ImageInspect returns a local image, or (nil, nil) when it does not exist.
func (c *Client) ImageInspect(ctx context.Context, ref string) (*Image, error) {
	if ref == "" {
		return nil, nil
	}
	res, err := c.API.ImageInspect(ctx, ref)
	if err != nil {
		if IsNotFound(err) {
			return nil, nil
		}
		return nil, err
	}
	img := &Image{ID: res.ID, RepoTags: res.RepoTags, Architecture: res.Architecture, Os: res.Os, Labels: map[string]string{}}
	if cfg := res.Config; cfg != nil {
		for k, v := range cfg.Labels {
			img.Labels[k] = v
		}
		for p := range cfg.ExposedPorts {
			img.ExposedPorts = append(img.ExposedPorts, p)
		}
		sort.Strings(img.ExposedPorts)
		img.Entrypoint = cfg.Entrypoint
		img.Cmd = cfg.Cmd
		img.Env = cfg.Env
		img.WorkingDir = cfg.WorkingDir
		img.User = cfg.User
	}
	return img, nil
}

// ImageExists reports whether a local image exists.
func (c *Client) ImageExists(ctx context.Context, ref string) (bool, error) {
	img, err := c.ImageInspect(ctx, ref)
	return img != nil, err
}

// ImageTag points target at source (an id or a reference).
func (c *Client) ImageTag(ctx context.Context, source, target string) error {
	return c.API.ImageTag(ctx, source, target)
}

// ImageRemove removes an image or a tag. A missing image is not an error.
// Without force, an image used by a container or with children is kept and
// the conflict is returned.
func (c *Client) ImageRemove(ctx context.Context, ref string, force bool) error {
	_, err := c.API.ImageRemove(ctx, ref, image.RemoveOptions{Force: force, PruneChildren: true})
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ImageSummary is one entry of an image listing.
type ImageSummary struct {
	ID       string
	RepoTags []string // "<none>:<none>" entries are dropped
}

// ImageList lists images matching filters given as "key=value" strings
// (the `docker image ls --filter` vocabulary: label=..., dangling=true,
// reference=...), newest first. all includes intermediate images.
func (c *Client) ImageList(ctx context.Context, all bool, filterArgs ...string) ([]ImageSummary, error) {
	f, err := parseFilters(filterArgs)
	if err != nil {
		return nil, err
	}
	list, err := c.API.ImageList(ctx, image.ListOptions{All: all, Filters: f})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Created > list[j].Created })
	out := make([]ImageSummary, 0, len(list))
	for _, s := range list {
		sum := ImageSummary{ID: s.ID}
		for _, t := range s.RepoTags {
			if t != "<none>:<none>" {
				sum.RepoTags = append(sum.RepoTags, t)
			}
		}
		out = append(out, sum)
	}
	return out, nil
}

// ImageIDs is ImageList reduced to the ids.
func (c *Client) ImageIDs(ctx context.Context, all bool, filterArgs ...string) ([]string, error) {
	list, err := c.ImageList(ctx, all, filterArgs...)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(list))
	for _, s := range list {
		ids = append(ids, s.ID)
	}
	return ids, nil
}

// ImagesPrune removes images matching filters; all=false only removes
// dangling ones (the `docker image prune [--all]` semantics).
func (c *Client) ImagesPrune(ctx context.Context, all bool, filterArgs ...string) error {
	if all {
		filterArgs = append(filterArgs, "dangling=false")
	}
	f, err := parseFilters(filterArgs)
	if err != nil {
		return err
	}
	_, err = c.API.ImagesPrune(ctx, f)
	return err
}

// ErrBadFilter is returned for a filter without "=".
var ErrBadFilter = errors.New("bad filter, want key=value")

func parseFilters(args []string) (filters.Args, error) {
	f := filters.NewArgs()
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return f, ErrBadFilter
		}
		f.Add(k, v)
	}
	return f, nil
}

// ShortID is the 12-character form of an image or container id.
func ShortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
