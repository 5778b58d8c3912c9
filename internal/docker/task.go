package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// TaskOptions describe a one-shot container (app.json deployment tasks,
// the Procfile release task): created from Image, run to completion with
// its output streamed, then removed unless Keep is set.
type TaskOptions struct {
	Image string
	// Spec carries flags translated from docker-args (ParseCreateArgs);
	// nil for none. Cmd, Env and Labels below are added on top.
	Spec *CreateSpec
	// Cmd replaces the image's CMD (arguments to the image's ENTRYPOINT
	// when it has one).
	Cmd []string
	// Entrypoint, when non-nil, replaces the image's ENTRYPOINT.
	Entrypoint []string
	Env        []string // KEY=VALUE; values never pass through argv
	Labels     map[string]string
	// Keep leaves the exited container in place (to commit it); the caller
	// removes it with TaskRemove.
	Keep bool
	// Created runs after the container exists and before it starts (the
	// post-container-create trigger).
	Created func(id string) error
	// Started runs once the container started, before its output is copied.
	Started func(id string)
}

// TaskResult is the outcome of a task container. ContainerID is only set
// when the container still exists (Keep, after the task ran).
type TaskResult struct {
	ContainerID string
	ExitCode    int
}

// RunTask creates, attaches to, starts and waits for a task container,
// copying its stdout and stderr to the writers as they are produced.
// A non-zero exit is not an error: look at ExitCode.
func (c *Client) RunTask(ctx context.Context, o TaskOptions, stdout, stderr io.Writer) (TaskResult, error) {
	spec := o.Spec
	if spec == nil {
		spec = &CreateSpec{}
	}
	cfg := spec.Config
	cfg.Image = o.Image
	if o.Cmd != nil {
		cfg.Cmd = o.Cmd
	}
	if o.Entrypoint != nil {
		cfg.Entrypoint = o.Entrypoint
	}
	cfg.Env = append(append([]string{}, cfg.Env...), o.Env...)
	labels := map[string]string{}
	for k, v := range cfg.Labels {
		labels[k] = v
	}
	for k, v := range o.Labels {
		labels[k] = v
	}
	cfg.Labels = labels
	cfg.AttachStdout, cfg.AttachStderr = true, true
	cfg.AttachStdin, cfg.OpenStdin, cfg.StdinOnce, cfg.Tty = false, false, false, false
	host := spec.Host
	host.AutoRemove = false // the exit code is needed, and maybe a commit
	networking := spec.Networking

	var platform *ocispec.Platform
	if spec.Platform != "" {
		platform = parsePlatform(spec.Platform)
	}
	created, err := c.API.ContainerCreate(ctx, &cfg, &host, &networking, platform, spec.Name)
	if err != nil {
		return TaskResult{}, err
	}
	res := TaskResult{ContainerID: created.ID}
	// Until the task ran to completion the container is removed on any
	// failure, Keep or not.
	discard := func() {
		c.TaskRemove(context.WithoutCancel(ctx), created.ID)
		res.ContainerID = ""
	}
	if o.Created != nil {
		if err := o.Created(created.ID); err != nil {
			discard()
			return res, err
		}
	}
	att, err := c.API.ContainerAttach(ctx, created.ID, container.AttachOptions{Stream: true, Stdout: true, Stderr: true})
	if err != nil {
		discard()
		return res, err
	}
	defer att.Close()
	waitC, errC := c.API.ContainerWait(ctx, created.ID, container.WaitConditionNextExit)
	if err := c.API.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		discard()
		return res, err
	}
	if o.Started != nil {
		o.Started(created.ID)
	}
	copied := make(chan error, 1)
	go func() {
		_, err := stdcopy.StdCopy(stdout, stderr, att.Reader)
		copied <- err
	}()
	select {
	case w := <-waitC:
		res.ExitCode = int(w.StatusCode)
		if w.Error != nil && w.Error.Message != "" {
			err = errors.New(w.Error.Message)
		}
	case err = <-errC:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		discard()
		return res, err
	}
	// the attach stream ends once the container's output is closed
	select {
	case <-copied:
	case <-time.After(5 * time.Second):
	}
	if !o.Keep {
		discard()
	}
	return res, nil
}

// TaskRemove force-removes a task container (anonymous volumes included).
func (c *Client) TaskRemove(ctx context.Context, id string) error {
	err := c.API.ContainerRemove(ctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true})
	if IsNotFound(err) {
		return nil
	}
	return err
}

// TaskCommit commits a task container's filesystem as image ref, applying
// Dockerfile-style changes ("LABEL k=v", "CMD [...]", "ENTRYPOINT [...]").
// It returns the new image id.
func (c *Client) TaskCommit(ctx context.Context, id, ref string, changes []string) (string, error) {
	res, err := c.API.ContainerCommit(ctx, id, container.CommitOptions{Reference: ref, Changes: changes})
	if err != nil {
		return "", err
	}
	return res.ID, nil
}

// TaskPathExists reports whether path exists in a created (not necessarily
// started) container's filesystem.
func (c *Client) TaskPathExists(ctx context.Context, id, path string) (bool, error) {
	_, err := c.API.ContainerStatPath(ctx, id, path)
	if err == nil {
		return true, nil
	}
	if IsNotFound(err) {
		return false, nil
	}
	return false, fmt.Errorf("checking %s in container: %w", path, err)
}

func parsePlatform(s string) *ocispec.Platform {
	p := &ocispec.Platform{}
	parts := strings.SplitN(s, "/", 3)
	p.OS = parts[0]
	if len(parts) > 1 {
		p.Architecture = parts[1]
	}
	if len(parts) > 2 {
		p.Variant = parts[2]
	}
	return p
}

// DropRunFlags removes flags (and their separate values) from tokenised
// docker args: Dokku filters --cpus, --gpus, --memory*, --publish/-p, -P and
// --restart out of deployment-task containers. Both "--x v" and "--x=v"
// forms are removed; boolean flags in the list take no value.
func DropRunFlags(tokens []string, drop []string, boolFlags map[string]bool) []string {
	set := map[string]bool{}
	for _, d := range drop {
		set[d] = true
	}
	var out []string
	for i := 0; i < len(tokens); i++ {
		t := tokens[i]
		name, _, hasValue := strings.Cut(t, "=")
		if set[name] {
			if !hasValue && !boolFlags[name] {
				i++ // its value
			}
			continue
		}
		out = append(out, t)
	}
	return out
}
