package docker

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
)

// BuildOptions describes one image build through the Engine API (the
// fields `docker image build` flags map to).
type BuildOptions struct {
	Dir        string // context directory
	Dockerfile string // path relative to Dir; "" = Dockerfile
	// Context replaces Dir when set (a prepared tar stream).
	Context io.Reader
	Tags    []string
	Labels  map[string]string
	// FinalLabels are added by one LABEL instruction appended to the
	// Dockerfile (one build step, cached like any other) instead of the
	// daemon's one step per label; with a Target they go to Labels.
	FinalLabels  map[string]string
	BuildArgs    map[string]*string
	NoCache      bool
	PullParent   bool
	Target       string
	Platform     string
	NetworkMode  string
	CgroupParent string
	ExtraHosts   []string
	CacheFrom    []string
	Memory       int64
	MemorySwap   int64
	ShmSize      int64
	Ulimits      []*container.Ulimit
}

// Build builds an image, streaming the daemon's output to out as
// `docker build` prints it. It returns the new image id. A failing step is
// a *StreamError holding the daemon's message.
func (c *Client) Build(ctx context.Context, o BuildOptions, out io.Writer) (string, error) {
	labels := map[string]string{}
	appendix := ""
	if len(o.FinalLabels) > 0 {
		rest := o.FinalLabels
		if o.Target == "" && o.Context == nil {
			appendix, rest = LabelInstruction(o.FinalLabels)
		}
		for k, v := range rest {
			labels[k] = v
		}
	}
	for k, v := range o.Labels {
		labels[k] = v
	}
	body := o.Context
	if body == nil {
		tr, err := ContextTar(o.Dir, o.Dockerfile, appendix)
		if err != nil {
			return "", err
		}
		defer tr.Close()
		body = tr
	}
	opts := build.ImageBuildOptions{
		Tags:         o.Tags,
		Dockerfile:   o.Dockerfile,
		Labels:       labels,
		BuildArgs:    o.BuildArgs,
		NoCache:      o.NoCache,
		PullParent:   o.PullParent,
		Target:       o.Target,
		Platform:     o.Platform,
		NetworkMode:  o.NetworkMode,
		CgroupParent: o.CgroupParent,
		ExtraHosts:   o.ExtraHosts,
		CacheFrom:    o.CacheFrom,
		Memory:       o.Memory,
		MemorySwap:   o.MemorySwap,
		ShmSize:      o.ShmSize,
		Ulimits:      o.Ulimits,
		Remove:       true,
		ForceRemove:  true,
		// The classic builder speaks plain JSON over the API; BuildKit
		// needs a client session this program does not run.
		Version: build.BuilderV1,
	}
	if opts.Dockerfile == "" {
		opts.Dockerfile = "Dockerfile"
	}
	res, err := c.API.ImageBuild(ctx, body, opts)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	id, err := RenderStream(res.Body, out)
	if err != nil {
		return id, err
	}
	if id == "" && len(o.Tags) > 0 {
		if img, ierr := c.ImageInspect(ctx, o.Tags[0]); ierr == nil && img != nil {
			id = img.ID
		}
	}
	return id, nil
}

// Relabel rebuilds ref `FROM` itself with extra labels and tags the result
// as ref again: a new image config, no new layer, nothing else changed (no
// environment is baked in). Output is only shown when the build fails.
func (c *Client) Relabel(ctx context.Context, ref string, labels map[string]string, out io.Writer) (string, error) {
	return c.Restyle(ctx, ref, nil, labels, out)
}

// Restyle rebuilds ref `FROM` itself with metadata-only Dockerfile
// instructions (ENTRYPOINT, CMD, LABEL...) and the labels, tagging the
// result as ref. Output is only shown when the build fails.
func (c *Client) Restyle(ctx context.Context, ref string, instructions []string, labels map[string]string, out io.Writer) (string, error) {
	if strings.ContainsAny(ref, "\n\r") {
		return "", fmt.Errorf("invalid image reference %q", ref)
	}
	for _, in := range instructions {
		if strings.ContainsAny(in, "\n\r") {
			return "", fmt.Errorf("invalid Dockerfile instruction %q", in)
		}
	}
	line, rest := LabelInstruction(labels)
	dockerfile := "FROM " + ref + "\n"
	for _, in := range instructions {
		dockerfile += in + "\n"
	}
	dockerfile += line
	var buf bytes.Buffer
	id, err := c.Build(ctx, BuildOptions{
		Context: SingleFileTar("Dockerfile", dockerfile),
		Tags:    []string{ref},
		Labels:  rest,
	}, &buf)
	if err != nil {
		out.Write(buf.Bytes())
		return "", err
	}
	return id, nil
}

// plainLabel is what LABEL can carry without quoting rules that depend on
// the Dockerfile's escape directive.
var plainLabel = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._/:@+-]*$`) })

// LabelInstruction renders the plain labels as one `LABEL k="v" ...` line
// (sorted); labels needing escapes are returned in rest.
func LabelInstruction(labels map[string]string) (line string, rest map[string]string) {
	rest = map[string]string{}
	var parts []string
	for _, k := range SortedKeys(labels) {
		v := labels[k]
		if k == "" || !plainLabel().MatchString(k) || !plainLabel().MatchString(v) {
			rest[k] = v
			continue
		}
		parts = append(parts, k+"=\""+v+"\"")
	}
	if len(parts) == 0 {
		return "", rest
	}
	return "LABEL " + strings.Join(parts, " ") + "\n", rest
}
