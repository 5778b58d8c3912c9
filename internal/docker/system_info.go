package docker

import (
	"context"
	"fmt"
)

// SystemReport is what `dokku report` shows about the Docker daemon, as
// labelled lines ("Version: 20.10.24").
type SystemReport struct {
	Version []string // the engine's version details
	Info    []string // daemon state: containers, images, drivers, resources
}

// SystemReport asks the daemon for its version and info.
func (c *Client) SystemReport(ctx context.Context) (SystemReport, error) {
	var r SystemReport
	v, err := c.API.ServerVersion(ctx)
	if err != nil {
		return r, err
	}
	r.Version = []string{
		"Server: " + v.Platform.Name,
		" Engine:",
		"  Version:          " + v.Version,
		"  API version:      " + v.APIVersion + " (minimum version " + v.MinAPIVersion + ")",
		"  Go version:       " + v.GoVersion,
		"  Git commit:       " + v.GitCommit,
		"  Built:            " + v.BuildTime,
		"  OS/Arch:          " + v.Os + "/" + v.Arch,
	}
	for _, comp := range v.Components {
		if comp.Name != "Engine" {
			r.Version = append(r.Version, " "+comp.Name+":", "  Version:          "+comp.Version)
		}
	}
	info, err := c.API.Info(ctx)
	if err != nil {
		return r, err
	}
	r.Info = []string{
		fmt.Sprintf("Containers: %d", info.Containers),
		fmt.Sprintf(" Running: %d", info.ContainersRunning),
		fmt.Sprintf(" Paused: %d", info.ContainersPaused),
		fmt.Sprintf(" Stopped: %d", info.ContainersStopped),
		fmt.Sprintf("Images: %d", info.Images),
		"Server Version: " + info.ServerVersion,
		"Storage Driver: " + info.Driver,
		"Logging Driver: " + info.LoggingDriver,
		"Cgroup Driver: " + info.CgroupDriver,
		"Kernel Version: " + info.KernelVersion,
		"Operating System: " + info.OperatingSystem,
		"Architecture: " + info.Architecture,
		fmt.Sprintf("CPUs: %d", info.NCPU),
		fmt.Sprintf("Total Memory: %.2fGiB", float64(info.MemTotal)/(1<<30)),
		"Name: " + info.Name,
		"Docker Root Dir: " + info.DockerRootDir,
	}
	return r, nil
}
