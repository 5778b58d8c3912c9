package schedulerdockerlocal

import (
	"os"
	"strconv"

	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/procfile"
)

// commandInputs decide what a deploy container runs.
type commandInputs struct {
	ProcessType        string
	Herokuish          bool // herokuish or CNB image
	CNB                bool
	StartCmd           string // ps start-cmd
	DockerfileStartCmd string // ps dockerfile-start-cmd
	ProcfileCmd        string // raw Procfile command of the type
	HasProcfileCmd     bool
	Port               int    // the container's PORT (0: default 5000)
	ConfigPort         string // PORT from the app config, when set
}

// resolveCommand is the container command: herokuish images run
// `/start <type>` (CNB images their default) unless start-cmd is set;
// other images run dockerfile-start-cmd, else the Procfile command, else
// the image's own CMD (nil).
//
// compat: start-cmd only applies to herokuish/CNB images, as in Dokku
// (its extract-start-cmd shadows the value for other images).
//
// Words are split like Dokku splits docker arguments (quotes group, no
// expansion). A Procfile command has $PORT and $PS substituted; when it
// refers to any other variable it runs through `/bin/sh -c` so that the
// container's own environment supplies the value: config values are never
// copied into the container's command line.
func resolveCommand(in commandInputs) ([]string, error) {
	if in.Herokuish {
		start := "/start " + in.ProcessType
		if in.CNB {
			start = ""
		}
		if in.StartCmd != "" {
			start = in.StartCmd
		}
		if start != "" {
			return docker.SplitArgs(start)
		}
	}
	if in.DockerfileStartCmd != "" {
		return docker.SplitArgs(in.DockerfileStartCmd)
	}
	if !in.HasProcfileCmd {
		return nil, nil
	}
	port := in.Port
	if port <= 0 {
		port = procfile.DefaultPort
	}
	portValue := strconv.Itoa(port)
	if in.ConfigPort != "" {
		portValue = in.ConfigPort
	}
	onlyKnown := true
	for _, ref := range procfile.References(in.ProcfileCmd) {
		if ref != "PORT" && ref != "PS" {
			onlyKnown = false
		}
	}
	if onlyKnown {
		return docker.SplitArgs(procfile.Expand(in.ProcfileCmd, in.ProcessType, port, map[string]string{"PORT": portValue}))
	}
	script := os.Expand(in.ProcfileCmd, func(name string) string {
		switch name {
		case "PORT":
			return portValue
		case "PS":
			return in.ProcessType
		}
		if len(name) == 1 && !isNameChar(name[0]) {
			return "$" + name
		}
		return "${" + name + "}"
	})
	return []string{"/bin/sh", "-c", script}, nil
}

func isNameChar(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}
