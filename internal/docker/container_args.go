package docker

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/strslice"
	"github.com/docker/go-connections/nat"
	units "github.com/docker/go-units"
)

// CreateSpec is one container to create: what `docker container create
// <flags> <image> <cmd...>` would send to the Engine API.
type CreateSpec struct {
	Name       string
	Image      string
	Cmd        []string
	Platform   string
	Config     container.Config
	Host       container.HostConfig
	Networking network.NetworkingConfig

	publishes bool
	aliases   []string
	ip, ip6   string
	macAddr   string
}

// PublishesPorts reports whether the flags published ports (-p, -P).
func (s *CreateSpec) PublishesPorts() bool { return s.publishes }

// EnvValue returns the last value set for key in the container env.
func (s *CreateSpec) EnvValue(key string) (string, bool) {
	for i := len(s.Config.Env) - 1; i >= 0; i-- {
		k, v, _ := strings.Cut(s.Config.Env[i], "=")
		if k == key {
			return v, true
		}
	}
	return "", false
}

// createFlag describes one docker run/create flag.
type createFlag struct {
	value bool // takes a value
	apply func(s *CreateSpec, v string, lookup func(string) (string, bool)) error
}

// ignoredFlags are accepted and dropped: they only matter to the docker
// CLI's own process (attach, remove on exit, detach).
var ignoredFlags = map[string]bool{
	"--rm": true, "-d": true, "--detach": true, "--sig-proxy": true,
	"--disable-content-trust": true, "-q": true, "--quiet": true,
}

var ignoredValueFlags = map[string]bool{
	"-a": true, "--attach": true, "--cidfile": true, "--detach-keys": true, "--pull": true,
}

var createShort = map[string]string{
	"-e": "--env", "-l": "--label", "-v": "--volume", "-p": "--publish", "-P": "--publish-all",
	"-m": "--memory", "-c": "--cpu-shares", "-h": "--hostname", "-u": "--user", "-w": "--workdir",
	"-i": "--interactive", "-t": "--tty",
}

var createFlags map[string]createFlag

func init() {
	str := func(set func(s *CreateSpec, v string)) createFlag {
		return createFlag{value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			set(s, v)
			return nil
		}}
	}
	list := func(set func(s *CreateSpec, v string)) createFlag { return str(set) }
	boolean := func(set func(s *CreateSpec, b bool)) createFlag {
		return createFlag{apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			b := true
			if v != "" {
				var err error
				if b, err = strconv.ParseBool(v); err != nil {
					return fmt.Errorf("invalid boolean value %q", v)
				}
			}
			set(s, b)
			return nil
		}}
	}
	size := func(set func(s *CreateSpec, n int64)) createFlag {
		return createFlag{value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			if v == "-1" {
				set(s, -1)
				return nil
			}
			n, err := units.RAMInBytes(v)
			if err != nil {
				return err
			}
			set(s, n)
			return nil
		}}
	}
	integer := func(set func(s *CreateSpec, n int64)) createFlag {
		return createFlag{value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("invalid number %q", v)
			}
			set(s, n)
			return nil
		}}
	}
	createFlags = map[string]createFlag{
		"--env": {value: true, apply: func(s *CreateSpec, v string, lookup func(string) (string, bool)) error {
			return s.addEnv(v, lookup)
		}},
		"--env-file": {value: true, apply: func(s *CreateSpec, v string, lookup func(string) (string, bool)) error {
			return s.addEnvFile(v, lookup)
		}},
		"--label": list(func(s *CreateSpec, v string) {
			k, val, _ := strings.Cut(v, "=")
			if s.Config.Labels == nil {
				s.Config.Labels = map[string]string{}
			}
			s.Config.Labels[k] = val
		}),
		"--name": str(func(s *CreateSpec, v string) { s.Name = v }),
		"--restart": {value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			p, err := ParseRestartPolicy(v)
			if err != nil {
				return err
			}
			s.Host.RestartPolicy = p
			return nil
		}},
		"--log-driver": str(func(s *CreateSpec, v string) { s.Host.LogConfig.Type = v }),
		"--log-opt": {value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			k, val, ok := strings.Cut(v, "=")
			if !ok {
				return fmt.Errorf("invalid log option %q, want key=value", v)
			}
			if s.Host.LogConfig.Config == nil {
				s.Host.LogConfig.Config = map[string]string{}
			}
			s.Host.LogConfig.Config[k] = val
			return nil
		}},
		"--network":       str(func(s *CreateSpec, v string) { s.Host.NetworkMode = container.NetworkMode(v) }),
		"--net":           str(func(s *CreateSpec, v string) { s.Host.NetworkMode = container.NetworkMode(v) }),
		"--network-alias": list(func(s *CreateSpec, v string) { s.aliases = append(s.aliases, v) }),
		"--net-alias":     list(func(s *CreateSpec, v string) { s.aliases = append(s.aliases, v) }),
		"--ip":            str(func(s *CreateSpec, v string) { s.ip = v }),
		"--ip6":           str(func(s *CreateSpec, v string) { s.ip6 = v }),
		"--mac-address":   str(func(s *CreateSpec, v string) { s.macAddr = v }),
		"--volume": {value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			if v == "" {
				return fmt.Errorf("invalid empty volume spec")
			}
			if !strings.Contains(v, ":") {
				if s.Config.Volumes == nil {
					s.Config.Volumes = map[string]struct{}{}
				}
				s.Config.Volumes[v] = struct{}{}
				return nil
			}
			s.Host.Binds = append(s.Host.Binds, v)
			return nil
		}},
		"--volumes-from": list(func(s *CreateSpec, v string) { s.Host.VolumesFrom = append(s.Host.VolumesFrom, v) }),
		"--mount": {value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			m, err := parseMount(v)
			if err != nil {
				return err
			}
			s.Host.Mounts = append(s.Host.Mounts, m)
			return nil
		}},
		"--tmpfs": list(func(s *CreateSpec, v string) {
			path, opts, _ := strings.Cut(v, ":")
			if s.Host.Tmpfs == nil {
				s.Host.Tmpfs = map[string]string{}
			}
			s.Host.Tmpfs[path] = opts
		}),
		"--cpus": {value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 {
				return fmt.Errorf("invalid value %q for --cpus", v)
			}
			s.Host.NanoCPUs = int64(f * 1e9)
			return nil
		}},
		"--cpu-shares":         integer(func(s *CreateSpec, n int64) { s.Host.CPUShares = n }),
		"--cpu-period":         integer(func(s *CreateSpec, n int64) { s.Host.CPUPeriod = n }),
		"--cpu-quota":          integer(func(s *CreateSpec, n int64) { s.Host.CPUQuota = n }),
		"--cpuset-cpus":        str(func(s *CreateSpec, v string) { s.Host.CpusetCpus = v }),
		"--cpuset-mems":        str(func(s *CreateSpec, v string) { s.Host.CpusetMems = v }),
		"--memory":             size(func(s *CreateSpec, n int64) { s.Host.Memory = n }),
		"--memory-swap":        size(func(s *CreateSpec, n int64) { s.Host.MemorySwap = n }),
		"--memory-reservation": size(func(s *CreateSpec, n int64) { s.Host.MemoryReservation = n }),
		"--memory-swappiness":  integer(func(s *CreateSpec, n int64) { s.Host.MemorySwappiness = &n }),
		"--shm-size":           size(func(s *CreateSpec, n int64) { s.Host.ShmSize = n }),
		"--pids-limit":         integer(func(s *CreateSpec, n int64) { s.Host.PidsLimit = &n }),
		"--blkio-weight":       integer(func(s *CreateSpec, n int64) { s.Host.BlkioWeight = uint16(n) }),
		"--oom-score-adj":      integer(func(s *CreateSpec, n int64) { s.Host.OomScoreAdj = int(n) }),
		"--oom-kill-disable":   boolean(func(s *CreateSpec, b bool) { s.Host.OomKillDisable = &b }),
		"--gpus": {value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			r, err := parseGPUs(v)
			if err != nil {
				return err
			}
			s.Host.DeviceRequests = append(s.Host.DeviceRequests, r)
			return nil
		}},
		"--publish": {value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			return s.addPublish(v)
		}},
		"--publish-all": boolean(func(s *CreateSpec, b bool) {
			s.Host.PublishAllPorts = b
			s.publishes = s.publishes || b
		}),
		"--expose": {value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			p, err := newPort(v)
			if err != nil {
				return err
			}
			if s.Config.ExposedPorts == nil {
				s.Config.ExposedPorts = nat.PortSet{}
			}
			s.Config.ExposedPorts[p] = struct{}{}
			return nil
		}},
		"--init":        boolean(func(s *CreateSpec, b bool) { s.Host.Init = &b }),
		"--hostname":    str(func(s *CreateSpec, v string) { s.Config.Hostname = v }),
		"--domainname":  str(func(s *CreateSpec, v string) { s.Config.Domainname = v }),
		"--user":        str(func(s *CreateSpec, v string) { s.Config.User = v }),
		"--workdir":     str(func(s *CreateSpec, v string) { s.Config.WorkingDir = v }),
		"--entrypoint":  str(func(s *CreateSpec, v string) { s.Config.Entrypoint = strslice.StrSlice{v} }),
		"--interactive": boolean(func(s *CreateSpec, b bool) { s.Config.OpenStdin = b }),
		"--tty":         boolean(func(s *CreateSpec, b bool) { s.Config.Tty = b }),
		"--cap-add":     list(func(s *CreateSpec, v string) { s.Host.CapAdd = append(s.Host.CapAdd, v) }),
		"--cap-drop":    list(func(s *CreateSpec, v string) { s.Host.CapDrop = append(s.Host.CapDrop, v) }),
		"--privileged":  boolean(func(s *CreateSpec, b bool) { s.Host.Privileged = b }),
		"--read-only":   boolean(func(s *CreateSpec, b bool) { s.Host.ReadonlyRootfs = b }),
		"--security-opt": list(func(s *CreateSpec, v string) {
			s.Host.SecurityOpt = append(s.Host.SecurityOpt, v)
		}),
		"--ulimit": {value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			u, err := units.ParseUlimit(v)
			if err != nil {
				return err
			}
			s.Host.Ulimits = append(s.Host.Ulimits, u)
			return nil
		}},
		"--device": {value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			d, err := parseDevice(v)
			if err != nil {
				return err
			}
			s.Host.Devices = append(s.Host.Devices, d)
			return nil
		}},
		"--add-host":   list(func(s *CreateSpec, v string) { s.Host.ExtraHosts = append(s.Host.ExtraHosts, v) }),
		"--dns":        list(func(s *CreateSpec, v string) { s.Host.DNS = append(s.Host.DNS, v) }),
		"--dns-search": list(func(s *CreateSpec, v string) { s.Host.DNSSearch = append(s.Host.DNSSearch, v) }),
		"--dns-option": list(func(s *CreateSpec, v string) { s.Host.DNSOptions = append(s.Host.DNSOptions, v) }),
		"--dns-opt":    list(func(s *CreateSpec, v string) { s.Host.DNSOptions = append(s.Host.DNSOptions, v) }),
		"--sysctl": {value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			k, val, ok := strings.Cut(v, "=")
			if !ok {
				return fmt.Errorf("invalid sysctl %q, want key=value", v)
			}
			if s.Host.Sysctls == nil {
				s.Host.Sysctls = map[string]string{}
			}
			s.Host.Sysctls[k] = val
			return nil
		}},
		"--stop-signal": str(func(s *CreateSpec, v string) { s.Config.StopSignal = v }),
		"--stop-timeout": {value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("invalid number %q", v)
			}
			s.Config.StopTimeout = &n
			return nil
		}},
		"--platform":      str(func(s *CreateSpec, v string) { s.Platform = v }),
		"--pid":           str(func(s *CreateSpec, v string) { s.Host.PidMode = container.PidMode(v) }),
		"--ipc":           str(func(s *CreateSpec, v string) { s.Host.IpcMode = container.IpcMode(v) }),
		"--uts":           str(func(s *CreateSpec, v string) { s.Host.UTSMode = container.UTSMode(v) }),
		"--userns":        str(func(s *CreateSpec, v string) { s.Host.UsernsMode = container.UsernsMode(v) }),
		"--cgroupns":      str(func(s *CreateSpec, v string) { s.Host.CgroupnsMode = container.CgroupnsMode(v) }),
		"--cgroup-parent": str(func(s *CreateSpec, v string) { s.Host.CgroupParent = v }),
		"--group-add":     list(func(s *CreateSpec, v string) { s.Host.GroupAdd = append(s.Host.GroupAdd, v) }),
		"--link":          list(func(s *CreateSpec, v string) { s.Host.Links = append(s.Host.Links, v) }),
		"--runtime":       str(func(s *CreateSpec, v string) { s.Host.Runtime = v }),
		"--storage-opt": list(func(s *CreateSpec, v string) {
			k, val, _ := strings.Cut(v, "=")
			if s.Host.StorageOpt == nil {
				s.Host.StorageOpt = map[string]string{}
			}
			s.Host.StorageOpt[k] = val
		}),
		"--health-cmd": str(func(s *CreateSpec, v string) {
			s.health().Test = []string{"CMD-SHELL", v}
		}),
		"--health-interval":     durationFlag(func(s *CreateSpec, d int64) { s.health().Interval = durationOf(d) }),
		"--health-timeout":      durationFlag(func(s *CreateSpec, d int64) { s.health().Timeout = durationOf(d) }),
		"--health-start-period": durationFlag(func(s *CreateSpec, d int64) { s.health().StartPeriod = durationOf(d) }),
		"--health-retries":      integer(func(s *CreateSpec, n int64) { s.health().Retries = int(n) }),
		"--no-healthcheck": boolean(func(s *CreateSpec, b bool) {
			if b {
				s.health().Test = []string{"NONE"}
			}
		}),
	}
}

// ParseCreateArgs turns docker run/create flags (already tokenised, without
// image and command) into a CreateSpec. `--env=KEY` without a value takes
// the value from lookup (the docker CLI reads its own environment; Dokku
// exports the app config there) and is dropped when lookup has none.
// Unknown flags are skipped with a warning; a flag with an invalid value is
// an error.
func ParseCreateArgs(args []string, lookup func(string) (string, bool)) (*CreateSpec, []string, error) {
	s := &CreateSpec{}
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	var warnings []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "" {
			continue
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			warnings = append(warnings, fmt.Sprintf("Ignoring unexpected docker argument: %s", a))
			continue
		}
		var name, value string
		var hasValue bool
		if strings.HasPrefix(a, "--") {
			name, value, hasValue = strings.Cut(a, "=")
		} else {
			// -e VALUE, -eVALUE and -e=VALUE
			name = a[:2]
			if len(a) > 2 {
				value, hasValue = strings.TrimPrefix(a[2:], "="), true
			}
		}
		if long, ok := createShort[name]; ok {
			name = long
		}
		if ignoredFlags[name] {
			continue
		}
		if ignoredValueFlags[name] {
			if !hasValue && i+1 < len(args) {
				i++
			}
			continue
		}
		f, ok := createFlags[name]
		if !ok {
			warnings = append(warnings, fmt.Sprintf("Ignoring unsupported docker option: %s", name))
			if !hasValue && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
				i++
			}
			continue
		}
		if f.value && !hasValue {
			if i+1 >= len(args) {
				return nil, warnings, fmt.Errorf("docker option %s needs a value", name)
			}
			i++
			value = args[i]
		}
		if err := f.apply(s, value, lookup); err != nil {
			return nil, warnings, fmt.Errorf("invalid docker option %s: %v", name, err)
		}
	}
	s.finishNetworking()
	return s, warnings, nil
}

func (s *CreateSpec) addEnv(v string, lookup func(string) (string, bool)) error {
	if v == "" {
		return fmt.Errorf("empty environment variable")
	}
	k, _, ok := strings.Cut(v, "=")
	if k == "" {
		return fmt.Errorf("invalid environment variable %q", v)
	}
	if ok {
		s.Config.Env = append(s.Config.Env, v)
		return nil
	}
	if val, found := lookup(v); found {
		s.Config.Env = append(s.Config.Env, v+"="+val)
	}
	return nil
}

func (s *CreateSpec) addEnvFile(path string, lookup func(string) (string, bool)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimLeft(sc.Text(), " \t")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := s.addEnv(line, lookup); err != nil {
			return err
		}
	}
	return sc.Err()
}

func (s *CreateSpec) addPublish(v string) error {
	mappings, err := nat.ParsePortSpec(v)
	if err != nil {
		return err
	}
	if s.Config.ExposedPorts == nil {
		s.Config.ExposedPorts = nat.PortSet{}
	}
	if s.Host.PortBindings == nil {
		s.Host.PortBindings = nat.PortMap{}
	}
	for _, m := range mappings {
		s.Config.ExposedPorts[m.Port] = struct{}{}
		s.Host.PortBindings[m.Port] = append(s.Host.PortBindings[m.Port], m.Binding)
	}
	s.publishes = true
	return nil
}

func (s *CreateSpec) health() *container.HealthConfig {
	if s.Config.Healthcheck == nil {
		s.Config.Healthcheck = &container.HealthConfig{}
	}
	return s.Config.Healthcheck
}

// finishNetworking attaches aliases and static addresses to the endpoint of
// the selected user-defined network.
func (s *CreateSpec) finishNetworking() {
	mode := s.Host.NetworkMode
	if mode == "" || mode.IsDefault() || mode.IsBridge() || mode.IsHost() || mode.IsNone() || mode.IsContainer() {
		return
	}
	if len(s.aliases) == 0 && s.ip == "" && s.ip6 == "" && s.macAddr == "" {
		return
	}
	ep := &network.EndpointSettings{Aliases: s.aliases, MacAddress: s.macAddr}
	if s.ip != "" || s.ip6 != "" {
		ep.IPAMConfig = &network.EndpointIPAMConfig{IPv4Address: s.ip, IPv6Address: s.ip6}
	}
	s.Networking.EndpointsConfig = map[string]*network.EndpointSettings{string(mode): ep}
}

// ParseRestartPolicy parses no|always|unless-stopped|on-failure[:N].
func ParseRestartPolicy(v string) (container.RestartPolicy, error) {
	name, count, hasCount := strings.Cut(v, ":")
	p := container.RestartPolicy{Name: container.RestartPolicyMode(name)}
	switch p.Name {
	case container.RestartPolicyDisabled, container.RestartPolicyAlways, container.RestartPolicyUnlessStopped:
		if hasCount {
			return p, fmt.Errorf("restart policy %q takes no retry count", name)
		}
	case container.RestartPolicyOnFailure:
		if hasCount {
			n, err := strconv.Atoi(count)
			if err != nil || n < 0 {
				return p, fmt.Errorf("invalid retry count %q", count)
			}
			p.MaximumRetryCount = n
		}
	default:
		return p, fmt.Errorf("invalid restart policy %q", v)
	}
	return p, nil
}

func parseMount(v string) (mount.Mount, error) {
	m := mount.Mount{Type: mount.TypeVolume}
	for _, field := range strings.Split(v, ",") {
		k, val, hasVal := strings.Cut(field, "=")
		switch strings.ToLower(k) {
		case "type":
			m.Type = mount.Type(val)
		case "source", "src":
			m.Source = val
		case "target", "destination", "dst":
			m.Target = val
		case "readonly", "ro":
			ro := true
			if hasVal {
				b, err := strconv.ParseBool(val)
				if err != nil {
					return m, fmt.Errorf("invalid readonly value %q", val)
				}
				ro = b
			}
			m.ReadOnly = ro
		case "bind-propagation":
			if m.BindOptions == nil {
				m.BindOptions = &mount.BindOptions{}
			}
			m.BindOptions.Propagation = mount.Propagation(val)
		case "volume-nocopy":
			if m.VolumeOptions == nil {
				m.VolumeOptions = &mount.VolumeOptions{}
			}
			m.VolumeOptions.NoCopy = !hasVal || val == "true" || val == "1"
		case "volume-opt":
			if m.VolumeOptions == nil {
				m.VolumeOptions = &mount.VolumeOptions{}
			}
			if m.VolumeOptions.DriverConfig == nil {
				m.VolumeOptions.DriverConfig = &mount.Driver{}
			}
			if m.VolumeOptions.DriverConfig.Options == nil {
				m.VolumeOptions.DriverConfig.Options = map[string]string{}
			}
			ok, ov, _ := strings.Cut(val, "=")
			m.VolumeOptions.DriverConfig.Options[ok] = ov
		case "volume-driver":
			if m.VolumeOptions == nil {
				m.VolumeOptions = &mount.VolumeOptions{}
			}
			if m.VolumeOptions.DriverConfig == nil {
				m.VolumeOptions.DriverConfig = &mount.Driver{}
			}
			m.VolumeOptions.DriverConfig.Name = val
		case "tmpfs-size":
			n, err := units.RAMInBytes(val)
			if err != nil {
				return m, err
			}
			if m.TmpfsOptions == nil {
				m.TmpfsOptions = &mount.TmpfsOptions{}
			}
			m.TmpfsOptions.SizeBytes = n
		case "tmpfs-mode":
			n, err := strconv.ParseUint(val, 8, 32)
			if err != nil {
				return m, fmt.Errorf("invalid tmpfs-mode %q", val)
			}
			if m.TmpfsOptions == nil {
				m.TmpfsOptions = &mount.TmpfsOptions{}
			}
			m.TmpfsOptions.Mode = os.FileMode(n)
		default:
			return m, fmt.Errorf("unknown mount option %q", k)
		}
	}
	if m.Target == "" {
		return m, fmt.Errorf("mount %q has no target", v)
	}
	return m, nil
}

func parseDevice(v string) (container.DeviceMapping, error) {
	parts := strings.Split(v, ":")
	d := container.DeviceMapping{CgroupPermissions: "rwm"}
	switch len(parts) {
	case 1:
		d.PathOnHost, d.PathInContainer = parts[0], parts[0]
	case 2:
		d.PathOnHost, d.PathInContainer = parts[0], parts[1]
		if !strings.HasPrefix(parts[1], "/") {
			d.PathInContainer, d.CgroupPermissions = parts[0], parts[1]
		}
	case 3:
		d.PathOnHost, d.PathInContainer, d.CgroupPermissions = parts[0], parts[1], parts[2]
	default:
		return d, fmt.Errorf("invalid device %q", v)
	}
	if d.PathOnHost == "" {
		return d, fmt.Errorf("invalid device %q", v)
	}
	return d, nil
}

// parseGPUs understands "all", a count, and the csv form
// (count=N,device=a,b,capabilities=x,driver=d).
func parseGPUs(v string) (container.DeviceRequest, error) {
	r := container.DeviceRequest{Capabilities: [][]string{{"gpu"}}}
	if v == "all" {
		r.Count = -1
		return r, nil
	}
	if n, err := strconv.Atoi(v); err == nil {
		r.Count = n
		return r, nil
	}
	for _, field := range strings.Split(strings.Trim(v, `"`), ",") {
		k, val, _ := strings.Cut(field, "=")
		switch k {
		case "count":
			if val == "all" {
				r.Count = -1
				continue
			}
			n, err := strconv.Atoi(val)
			if err != nil {
				return r, fmt.Errorf("invalid gpu count %q", val)
			}
			r.Count = n
		case "device":
			r.DeviceIDs = append(r.DeviceIDs, strings.Split(val, ";")...)
		case "driver":
			r.Driver = val
		case "capabilities":
			r.Capabilities = [][]string{append([]string{"gpu"}, val)}
		default:
			if len(r.DeviceIDs) > 0 && !strings.Contains(field, "=") {
				r.DeviceIDs = append(r.DeviceIDs, field)
				continue
			}
			return r, fmt.Errorf("invalid gpu option %q", field)
		}
	}
	return r, nil
}

func newPort(v string) (nat.Port, error) {
	port, proto, _ := strings.Cut(v, "/")
	if proto == "" {
		proto = "tcp"
	}
	return nat.NewPort(proto, port)
}

func parseGoDuration(v string) (int64, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, err
	}
	return int64(d), nil
}

func durationOf(n int64) time.Duration { return time.Duration(n) }

func durationFlag(set func(s *CreateSpec, d int64)) createFlag {
	return createFlag{value: true, apply: func(s *CreateSpec, v string, _ func(string) (string, bool)) error {
		d, err := parseGoDuration(v)
		if err != nil {
			return err
		}
		set(s, d)
		return nil
	}}
}

// SortedEnvKeys lists the variable names of an env list, sorted.
func SortedEnvKeys(env []string) []string {
	keys := make([]string, 0, len(env))
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
