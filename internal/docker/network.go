package docker

import (
	"context"
	"sort"

	"github.com/docker/docker/api/types/network"
)

// Network is what the network plugin shows about a docker network.
type Network struct {
	ID         string            `json:"ID"`
	Name       string            `json:"Name"`
	Driver     string            `json:"Driver"`
	Scope      string            `json:"Scope"`
	Internal   bool              `json:"Internal"`
	Attachable bool              `json:"Attachable"`
	Labels     map[string]string `json:"Labels"`
	CreatedAt  string            `json:"CreatedAt"`
	IPv6       bool              `json:"IPv6"`
}

func networkOf(n network.Inspect) Network {
	labels := n.Labels
	if labels == nil {
		labels = map[string]string{}
	}
	return Network{
		ID: n.ID, Name: n.Name, Driver: n.Driver, Scope: n.Scope, Internal: n.Internal,
		Attachable: n.Attachable, Labels: labels, CreatedAt: n.Created.UTC().Format("2006-01-02 15:04:05.999999999 -0700 MST"),
		IPv6: n.EnableIPv6,
	}
}

// NetworkList lists docker networks sorted by name.
func (c *Client) NetworkList(ctx context.Context) ([]Network, error) {
	list, err := c.API.NetworkList(ctx, network.ListOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]Network, 0, len(list))
	for _, n := range list {
		out = append(out, networkOf(n))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// NetworkGet returns a network by exact name, or nil when none has it.
func (c *Client) NetworkGet(ctx context.Context, name string) (*Network, error) {
	list, err := c.NetworkList(ctx)
	if err != nil {
		return nil, err
	}
	for _, n := range list {
		if n.Name == name {
			return &n, nil
		}
	}
	return nil, nil
}

// NetworkCreate creates an attachable bridge network with labels.
func (c *Client) NetworkCreate(ctx context.Context, name string, labels map[string]string) error {
	_, err := c.API.NetworkCreate(ctx, name, network.CreateOptions{Attachable: true, Labels: labels})
	return err
}

// NetworkRemove deletes a network.
func (c *Client) NetworkRemove(ctx context.Context, name string) error {
	return c.API.NetworkRemove(ctx, name)
}

// NetworkConnect attaches a container to a network with DNS aliases.
func (c *Client) NetworkConnect(ctx context.Context, name, containerID string, aliases []string) error {
	return c.API.NetworkConnect(ctx, name, containerID, &network.EndpointSettings{Aliases: aliases})
}
