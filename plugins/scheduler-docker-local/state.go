package schedulerdockerlocal

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
)

// engine is the part of the Docker client the scheduler uses.
type engine interface {
	ImageInspect(ctx context.Context, ref string) (*docker.Image, error)
	ImageRemove(ctx context.Context, ref string, force bool) error
	ImageFileContent(ctx context.Context, image, file string) ([]byte, error)
	ContainerCreate(ctx context.Context, spec *docker.CreateSpec) (string, error)
	ContainerStart(ctx context.Context, id string) error
	ContainerStop(ctx context.Context, id string, timeout *int) error
	ContainerKill(ctx context.Context, id, signal string) error
	ContainerRemove(ctx context.Context, id string, force bool) error
	ContainerRename(ctx context.Context, id, name string) error
	ContainerSetRestartPolicy(ctx context.Context, id, policy string) error
	ContainerInfo(ctx context.Context, id string) (*docker.ContainerInfo, error)
	ContainerInspectJSON(ctx context.Context, ids []string) ([]map[string]any, error)
	ContainerList(ctx context.Context, all bool, filters ...string) ([]docker.ContainerSummary, error)
	ContainerLogs(ctx context.Context, id string, tty bool, w io.Writer) error
	ContainerExec(ctx context.Context, id string, cmd []string) ([]byte, int, error)
}

// newEngine connects to Docker (shared per process).
var newEngine = func(ctx *plugin.Context) (engine, error) { return docker.FromContext(ctx) }

// requestTimeout bounds single Docker requests (not deploys or checks).
const requestTimeout = 2 * time.Minute

func withTimeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), requestTimeout)
}

// owner is the dokku user when running as root.
func owner(ctx *plugin.Context) *atomicfile.Owner {
	if uid, gid, ok := ctx.Env.Owner(); ok {
		return &atomicfile.Owner{UID: uid, GID: gid}
	}
	return nil
}

func mkdirOwned(ctx *plugin.Context, dir string) error {
	return atomicfile.MkdirAll(dir, 0o755, owner(ctx))
}

// dyno is "<type>.<index>".
type dyno struct {
	Type  string
	Index int
}

func (d dyno) String() string { return d.Type + "." + strconv.Itoa(d.Index) }

// containerFile is $DOKKU_ROOT/<app>/CONTAINER.<type>.<n>.
func containerFile(ctx *plugin.Context, appName string, d dyno) string {
	return filepath.Join(ctx.Env.AppRoot(appName), "CONTAINER."+d.String())
}

func readFirstLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(line)
}

// appContainers lists the dynos recorded in CONTAINER.<type>.<n> files
// (only of processType when given) with their container ids, sorted.
func appContainers(ctx *plugin.Context, appName, processType string) []recorded {
	ents, err := os.ReadDir(ctx.Env.AppRoot(appName))
	if err != nil {
		return nil
	}
	var out []recorded
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), "CONTAINER.")
		if !ok {
			continue
		}
		i := strings.LastIndexByte(rest, '.')
		if i <= 0 {
			continue
		}
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			continue
		}
		d := dyno{rest[:i], n}
		if processType != "" && d.Type != processType {
			continue
		}
		id := readFirstLine(filepath.Join(ctx.Env.AppRoot(appName), e.Name()))
		if id == "" {
			continue
		}
		out = append(out, recorded{d, id})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Dyno.Type != out[j].Dyno.Type {
			return out[i].Dyno.Type < out[j].Dyno.Type
		}
		return out[i].Dyno.Index < out[j].Dyno.Index
	})
	return out
}

// recorded is a dyno and the container id its CONTAINER file holds.
type recorded struct {
	Dyno dyno
	ID   string
}

// removeStateFiles deletes CONTAINER/IP/PORT.<type>.<n>.
func removeStateFiles(ctx *plugin.Context, appName string, d dyno) {
	for _, kind := range []string{"CONTAINER", "IP", "PORT"} {
		if err := os.Remove(filepath.Join(ctx.Env.AppRoot(appName), kind+"."+d.String())); err != nil && !errors.Is(err, os.ErrNotExist) {
			ctx.UI().Warn("Unable to remove " + kind + "." + d.String() + ": " + err.Error())
		}
	}
}

// appLabelFilters select the deploy containers of an app.
func appLabelFilters(appName string) []string {
	return []string{"label=" + docker.LabelAppName + "=" + appName, "label=" + docker.LabelContainerType + "=deploy"}
}
