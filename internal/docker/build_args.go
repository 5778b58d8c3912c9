package docker

import (
	"fmt"
	"sort"
	"strings"

	"github.com/docker/docker/api/types/container"
	units "github.com/docker/go-units"
)

// SplitArgs tokenises a docker-args string the way Dokku's
// fn-docker-args-split does (xargs): blanks separate words, single and
// double quotes group text literally, a backslash outside quotes escapes
// the next character. Nothing is expanded: `$X`, `$(cmd)` and globs stay
// literal text.
func SplitArgs(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'' || c == '"':
			inWord = true
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				if c == '\'' {
					return nil, fmt.Errorf("unmatched single quote in docker arguments")
				}
				return nil, fmt.Errorf("unmatched double quote in docker arguments")
			}
			quoted := s[i+1 : i+1+end]
			if strings.ContainsRune(quoted, '\n') {
				return nil, fmt.Errorf("newline inside quotes in docker arguments")
			}
			cur.WriteString(quoted)
			i += end + 1
		case c == '\\':
			inWord = true
			if i+1 < len(s) {
				i++
				cur.WriteByte(s[i])
			}
		default:
			inWord = true
			cur.WriteByte(c)
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

// buildValueFlags are the `docker image build` flags with a value that
// builder-dockerfile keeps from docker-args-build / docker-args-process-build
// (pipeline.md §2.1); "-m" is the short form of --memory.
var buildValueFlags = map[string]bool{
	"--add-host": true, "--allow": true, "--annotation": true, "--attest": true,
	"--build-arg": true, "--builder": true, "--cache-from": true, "--cache-to": true,
	"--call": true, "--cgroup-parent": true, "--label": true, "--memory": true,
	"--memory-swap": true, "--network": true, "--platform": true, "--progress": true,
	"--provenance": true, "--sbom": true, "--secret": true, "--shm-size": true,
	"--ssh": true, "--tag": true, "--target": true, "--ulimit": true,
}

// buildBoolFlags are kept as they are.
var buildBoolFlags = map[string]bool{"--check": true, "-D": true, "--debug": true, "--no-cache": true}

// FilterBuildArgs keeps the build-relevant flags of a tokenised docker-args
// string, normalised to "--flag value" pairs (or the bare boolean flag);
// everything else is dropped, as builder-dockerfile does.
func FilterBuildArgs(tokens []string) ([]string, error) {
	var out []string
	for i := 0; i < len(tokens); i++ {
		t := tokens[i]
		if t == "" {
			// compat: Dokku's argument loop stops at the first empty word.
			break
		}
		if buildBoolFlags[t] {
			out = append(out, t)
			continue
		}
		name, value, hasValue := strings.Cut(t, "=")
		if name == "-m" {
			name = "--memory"
		}
		if !buildValueFlags[name] {
			continue
		}
		if !hasValue {
			if i+1 >= len(tokens) {
				return nil, fmt.Errorf("%s requires a value", name)
			}
			i++
			value = tokens[i]
		}
		out = append(out, name, value)
	}
	return out, nil
}

// buildKitOnly are kept by Dokku's filter but only mean something to
// BuildKit/buildx; the Engine API classic builder has no field for them.
var buildKitOnly = map[string]bool{
	"--allow": true, "--annotation": true, "--attest": true, "--cache-to": true,
	"--call": true, "--check": true, "--provenance": true, "--sbom": true,
	"--secret": true, "--ssh": true,
}

// buildQuietlyIgnored change only how the CLI talks, not the image.
var buildQuietlyIgnored = map[string]bool{"--builder": true, "--progress": true, "-D": true, "--debug": true}

// ApplyBuildArgs sets the fields of o from filtered flags (FilterBuildArgs).
// lookup resolves `--build-arg KEY` without a value (the app's config, as
// the docker CLI would from its environment). It returns warnings for flags
// the Engine API builder cannot honour.
func ApplyBuildArgs(o *BuildOptions, flags []string, lookup func(string) (string, bool)) (warnings []string, err error) {
	if o.Labels == nil {
		o.Labels = map[string]string{}
	}
	if o.BuildArgs == nil {
		o.BuildArgs = map[string]*string{}
	}
	for i := 0; i < len(flags); i++ {
		name := flags[i]
		if buildBoolFlags[name] {
			switch {
			case name == "--no-cache":
				o.NoCache = true
			case buildKitOnly[name]:
				warnings = append(warnings, fmt.Sprintf("Ignoring %s: not supported by the Docker Engine API builder", name))
			}
			continue
		}
		if i+1 >= len(flags) {
			return warnings, fmt.Errorf("%s requires a value", name)
		}
		i++
		v := flags[i]
		switch name {
		case "--add-host":
			o.ExtraHosts = append(o.ExtraHosts, v)
		case "--build-arg":
			k, val, ok := strings.Cut(v, "=")
			if ok {
				o.BuildArgs[k] = &val
			} else if val, found := lookup(k); found {
				o.BuildArgs[k] = &val
			} else {
				o.BuildArgs[k] = nil
			}
		case "--cache-from":
			o.CacheFrom = append(o.CacheFrom, v)
		case "--cgroup-parent":
			o.CgroupParent = v
		case "--label":
			k, val, _ := strings.Cut(v, "=")
			o.Labels[k] = val
		case "--memory":
			n, err := units.RAMInBytes(v)
			if err != nil {
				return warnings, fmt.Errorf("invalid --memory value %q", v)
			}
			o.Memory = n
		case "--memory-swap":
			if v == "-1" {
				o.MemorySwap = -1
				break
			}
			n, err := units.RAMInBytes(v)
			if err != nil {
				return warnings, fmt.Errorf("invalid --memory-swap value %q", v)
			}
			o.MemorySwap = n
		case "--network":
			o.NetworkMode = v
		case "--platform":
			o.Platform = v
		case "--shm-size":
			n, err := units.RAMInBytes(v)
			if err != nil {
				return warnings, fmt.Errorf("invalid --shm-size value %q", v)
			}
			o.ShmSize = n
		case "--tag":
			o.Tags = append(o.Tags, v)
		case "--target":
			o.Target = v
		case "--ulimit":
			u, err := units.ParseUlimit(v)
			if err != nil {
				return warnings, fmt.Errorf("invalid --ulimit value %q", v)
			}
			o.Ulimits = append(o.Ulimits, &container.Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard})
		default:
			if buildKitOnly[name] {
				warnings = append(warnings, fmt.Sprintf("Ignoring %s: not supported by the Docker Engine API builder", name))
			} else if !buildQuietlyIgnored[name] {
				warnings = append(warnings, fmt.Sprintf("Ignoring unsupported build option %s", name))
			}
		}
	}
	return warnings, nil
}

// LabelArgs parses `--label=k=v` words (DOKKU_GLOBAL_BUILD_ARGS and friends)
// into a map; other words are ignored.
func LabelArgs(s string) map[string]string {
	out := map[string]string{}
	words, err := SplitArgs(s)
	if err != nil {
		return out
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		var v string
		switch {
		case strings.HasPrefix(w, "--label="):
			v = strings.TrimPrefix(w, "--label=")
		case w == "--label" && i+1 < len(words):
			i++
			v = words[i]
		default:
			continue
		}
		k, val, _ := strings.Cut(v, "=")
		out[k] = val
	}
	return out
}

// SortedKeys returns a map's keys in order (stable output and tests).
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
