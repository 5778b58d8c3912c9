// Package docker is the one importer of the Docker Engine client. Each
// concern adds its own file (images and builds, containers, networks);
// consumers declare the narrow interfaces they need where they use them.
package docker

import (
	"github.com/docker/docker/client"

	"github.com/godokku/dokku/internal/plugin"
)

// Client wraps the Engine API client (DOCKER_HOST and friends honoured).
type Client struct {
	API *client.Client
}

// New connects lazily: no request is made until the first call.
func New(envLookup func(string) string) (*Client, error) {
	opts := []client.Opt{client.WithAPIVersionNegotiation()}
	if h := envLookup("DOCKER_HOST"); h != "" {
		opts = append(opts, client.WithHost(h))
	} else {
		opts = append(opts, client.WithHost(client.DefaultDockerHost))
	}
	c, err := client.NewClientWithOpts(opts...)
	if err != nil {
		return nil, err
	}
	return &Client{API: c}, nil
}

// FromContext returns the process-wide client of a plugin context.
func FromContext(ctx *plugin.Context) (*Client, error) {
	return plugin.Service(ctx, "docker.client", func(c *plugin.Context) (*Client, error) {
		return New(c.Env.Get)
	})
}
