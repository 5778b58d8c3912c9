package docker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/pkg/stdcopy"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Labels Dokku puts on the containers it runs (pipeline.md §4.5).
const (
	LabelContainerType = "com.dokku.container-type"
	LabelProcessType   = "com.dokku.process-type"
	LabelDyno          = "com.dokku.dyno"
	LabelDokku         = "dokku"
)

// ContainerInfo is what the scheduler needs to know about a container.
type ContainerInfo struct {
	ID           string
	Name         string // without the leading "/"
	Image        string // the reference it was created from
	ImageID      string
	Labels       map[string]string
	Status       string // created, running, paused, restarting, removing, exited, dead
	Running      bool
	Pid          int
	StartedAt    time.Time
	RestartCount int
	ExitCode     int
	NetworkMode  string
	Networks     map[string]string // network name → IPv4 address
	Entrypoint   []string
	Shell        []string
	Cmd          []string
	Env          []string
	Tty          bool
}

// ContainerSummary is one entry of a container listing.
type ContainerSummary struct {
	ID      string
	Name    string
	Image   string
	State   string
	Labels  map[string]string
	Created int64 // unix time
}

// ContainerCreate creates the container described by spec and returns its id.
func (c *Client) ContainerCreate(ctx context.Context, spec *CreateSpec) (string, error) {
	cfg := spec.Config
	cfg.Image = spec.Image
	if len(spec.Cmd) > 0 {
		cfg.Cmd = append([]string(nil), spec.Cmd...)
	}
	var platform *ocispec.Platform
	if spec.Platform != "" {
		p := ocispec.Platform{}
		parts := strings.SplitN(spec.Platform, "/", 3)
		p.OS = parts[0]
		if len(parts) > 1 {
			p.Architecture = parts[1]
		}
		if len(parts) > 2 {
			p.Variant = parts[2]
		}
		platform = &p
	}
	host := spec.Host
	networking := spec.Networking
	res, err := c.API.ContainerCreate(ctx, &cfg, &host, &networking, platform, spec.Name)
	if err != nil {
		return "", err
	}
	return res.ID, nil
}

// ContainerStart starts a created or stopped container.
func (c *Client) ContainerStart(ctx context.Context, id string) error {
	return c.API.ContainerStart(ctx, id, container.StartOptions{})
}

// ContainerStop stops a container, killing it after timeout seconds (nil:
// the container's own default). A missing container is not an error.
func (c *Client) ContainerStop(ctx context.Context, id string, timeout *int) error {
	err := c.API.ContainerStop(ctx, id, container.StopOptions{Timeout: timeout})
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ContainerKill sends a signal ("SIGTERM", "SIGKILL"...) to a container.
func (c *Client) ContainerKill(ctx context.Context, id, signal string) error {
	return c.API.ContainerKill(ctx, id, signal)
}

// ContainerRemove removes a container (force kills a running one). A
// missing container is not an error.
func (c *Client) ContainerRemove(ctx context.Context, id string, force bool) error {
	err := c.API.ContainerRemove(ctx, id, container.RemoveOptions{Force: force})
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ContainerRename renames a container.
func (c *Client) ContainerRename(ctx context.Context, id, name string) error {
	return c.API.ContainerRename(ctx, id, name)
}

// ContainerSetRestartPolicy updates the restart policy of a container
// (`docker container update --restart=<policy>`).
func (c *Client) ContainerSetRestartPolicy(ctx context.Context, id, policy string) error {
	p, err := ParseRestartPolicy(policy)
	if err != nil {
		return err
	}
	_, err = c.API.ContainerUpdate(ctx, id, container.UpdateConfig{RestartPolicy: p})
	return err
}

// ContainerInfo inspects a container; a missing one is (nil, nil).
func (c *Client) ContainerInfo(ctx context.Context, id string) (*ContainerInfo, error) {
	if id == "" {
		return nil, nil
	}
	res, err := c.API.ContainerInspect(ctx, id)
	if err != nil {
		if IsNotFound(err) {
			return nil, nil
		}
		return nil, err
	}
	info := &ContainerInfo{ID: res.ID, Networks: map[string]string{}, Labels: map[string]string{}}
	if res.ContainerJSONBase != nil {
		info.Name = strings.TrimPrefix(res.Name, "/")
		info.ImageID = res.Image
		info.RestartCount = res.RestartCount
		if res.HostConfig != nil {
			info.NetworkMode = string(res.HostConfig.NetworkMode)
		}
		if st := res.State; st != nil {
			info.Status = st.Status
			info.Running = st.Running
			info.Pid = st.Pid
			info.ExitCode = st.ExitCode
			if t, err := time.Parse(time.RFC3339Nano, st.StartedAt); err == nil {
				info.StartedAt = t
			}
		}
	}
	if cfg := res.Config; cfg != nil {
		info.Image = cfg.Image
		for k, v := range cfg.Labels {
			info.Labels[k] = v
		}
		info.Entrypoint = cfg.Entrypoint
		info.Shell = cfg.Shell
		info.Cmd = cfg.Cmd
		info.Env = cfg.Env
		info.Tty = cfg.Tty
	}
	if ns := res.NetworkSettings; ns != nil {
		for name, ep := range ns.Networks {
			if ep != nil {
				info.Networks[name] = ep.IPAddress
			}
		}
	}
	return info, nil
}

// ContainerInspectJSON returns the raw `docker container inspect` objects of
// the given containers, decoded as generic JSON (missing ones are skipped).
func (c *Client) ContainerInspectJSON(ctx context.Context, ids []string) ([]map[string]any, error) {
	out := []map[string]any{}
	for _, id := range ids {
		_, raw, err := c.API.ContainerInspectWithRaw(ctx, id, false)
		if err != nil {
			if IsNotFound(err) {
				continue
			}
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// ContainerList lists containers matching filters given as "key=value"
// strings (label=..., name=..., status=...); all includes stopped ones.
func (c *Client) ContainerList(ctx context.Context, all bool, filterArgs ...string) ([]ContainerSummary, error) {
	f := filters.NewArgs()
	for _, a := range filterArgs {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return nil, ErrBadFilter
		}
		f.Add(k, v)
	}
	list, err := c.API.ContainerList(ctx, container.ListOptions{All: all, Filters: f})
	if err != nil {
		return nil, err
	}
	out := make([]ContainerSummary, 0, len(list))
	for _, s := range list {
		name := ""
		if len(s.Names) > 0 {
			name = strings.TrimPrefix(s.Names[0], "/")
		}
		out = append(out, ContainerSummary{ID: s.ID, Name: name, Image: s.Image, State: string(s.State), Labels: s.Labels, Created: s.Created})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ContainerLogs writes the whole stdout+stderr of a container to w, in order.
func (c *Client) ContainerLogs(ctx context.Context, id string, tty bool, w io.Writer) error {
	rc, err := c.API.ContainerLogs(ctx, id, container.LogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return err
	}
	defer rc.Close()
	if tty {
		_, err = io.Copy(w, rc)
		return err
	}
	_, err = stdcopy.StdCopy(w, w, rc)
	return err
}

// ErrExecTimeout is returned when an exec outlives its context.
var ErrExecTimeout = errors.New("command timed out")

// ContainerExec runs cmd inside a running container and returns its
// combined output and exit code.
func (c *Client) ContainerExec(ctx context.Context, id string, cmd []string) ([]byte, int, error) {
	created, err := c.API.ContainerExecCreate(ctx, id, container.ExecOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		return nil, -1, err
	}
	hijack, err := c.API.ContainerExecAttach(ctx, created.ID, container.ExecAttachOptions{})
	if err != nil {
		return nil, -1, err
	}
	defer hijack.Close()
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() {
		_, err := stdcopy.StdCopy(&out, &out, hijack.Reader)
		done <- err
	}()
	select {
	case <-ctx.Done():
		hijack.Close()
		return out.Bytes(), -1, ErrExecTimeout
	case <-done:
	}
	res, err := c.API.ContainerExecInspect(ctx, created.ID)
	if err != nil {
		return out.Bytes(), -1, err
	}
	return out.Bytes(), res.ExitCode, nil
}
