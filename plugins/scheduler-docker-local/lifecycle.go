package schedulerdockerlocal

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
	"github.com/godokku/dokku/plugins/ps"
)

// appContainerIDs are the ids of CONTAINER files plus every deploy
// container labelled with the app (all states when all).
func appContainerIDs(ctx *plugin.Context, e engine, appName string, all bool) ([]string, error) {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, r := range appContainers(ctx, appName, "") {
		add(r.ID)
	}
	c, cancel := withTimeout()
	defer cancel()
	list, err := e.ContainerList(c, all, "label="+docker.LabelAppName+"="+appName)
	if err != nil {
		return nil, err
	}
	for _, s := range list {
		if t := s.Labels[docker.LabelContainerType]; t == "" || t == "deploy" {
			add(s.ID)
		}
	}
	return ids, nil
}

// stop is scheduler-stop <scheduler> <app> [<remove-containers>].
func stop(ctx *plugin.Context, args []string) error {
	if !mine(args) || len(args) < 2 {
		return nil
	}
	appName := args[1]
	remove := len(args) > 2 && args[2] == "true"
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	ids, err := appContainerIDs(ctx, e, appName, remove)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			stopContainer(ctx, e, appName, id)
			if remove {
				c, cancel := withTimeout()
				e.ContainerRemove(c, id, true)
				cancel()
			}
		}(id)
	}
	wg.Wait()
	return nil
}

// appStatus is scheduler-app-status: "<count> <true|false|mixed>" over the
// containers of the CONTAINER files.
func appStatus(ctx *plugin.Context, args []string) error {
	if !mine(args) || len(args) < 2 {
		return nil
	}
	recs := appContainers(ctx, args[1], "")
	running, stopped := 0, 0
	if len(recs) > 0 {
		e, err := newEngine(ctx)
		if err != nil {
			return err
		}
		c, cancel := withTimeout()
		defer cancel()
		for _, r := range recs {
			info, err := e.ContainerInfo(c, r.ID)
			if err == nil && info != nil && info.Running {
				running++
			} else {
				stopped++
			}
		}
	}
	state := "mixed"
	switch {
	case running == 0:
		state = "false"
	case stopped == 0:
		state = "true"
	}
	_, err := fmt.Fprintf(ctx.Stdout, "%d %s\n", len(recs), state)
	return err
}

// isDeployed answers whether the app has container state files.
func isDeployed(ctx *plugin.Context, args []string) error {
	if !mine(args) || len(args) < 2 {
		return nil
	}
	ents, err := os.ReadDir(ctx.Env.AppRoot(args[1]))
	if err == nil {
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), "CONTAINER") {
				return nil
			}
		}
	}
	return ui.Exit(1)
}

// inspectEnvKept are env prefixes ps:inspect shows unmasked.
var inspectEnvKept = []string{"CACHE_PATH=", "DOCKER_", "DOKKU_", "DYNO=", "PATH=", "PORT=", "USER="}

// inspect is scheduler-inspect: docker inspect of the app's containers with
// env values masked.
func inspect(ctx *plugin.Context, args []string) error {
	if !mine(args) || len(args) < 2 {
		return nil
	}
	var ids []string
	for _, r := range appContainers(ctx, args[1], "") {
		ids = append(ids, r.ID)
	}
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	c, cancel := withTimeout()
	defer cancel()
	data, err := e.ContainerInspectJSON(c, ids)
	if err != nil {
		return err
	}
	for _, ct := range data {
		cfg, _ := ct["Config"].(map[string]any)
		if cfg == nil {
			continue
		}
		env, _ := cfg["Env"].([]any)
		for i, v := range env {
			s, _ := v.(string)
			if keep(s) {
				continue
			}
			k, _, _ := strings.Cut(s, "=")
			env[i] = k + "=XXXXXX"
		}
	}
	b, err := json.MarshalIndent(data, "", "    ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(ctx.Stdout, string(b))
	return err
}

func keep(env string) bool {
	for _, p := range inspectEnvKept {
		if strings.HasPrefix(env, p) {
			return true
		}
	}
	return false
}

// preRestore is scheduler-pre-restore: containers left over by an
// interrupted deploy (renamed <app>.<type>.<n>.<epoch> ones and
// unreferenced upcoming ones) are removed before the app starts.
func preRestore(ctx *plugin.Context, args []string) error {
	if !mine(args) || len(args) < 2 {
		return nil
	}
	appName := args[1]
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	current := map[string]bool{}
	for _, r := range appContainers(ctx, appName, "") {
		current[r.ID] = true
	}
	leftover := regexp.MustCompile(`^` + regexp.QuoteMeta(appName) + `\.[^.]+\.[0-9]+\.([0-9]+|upcoming-[0-9]+)$`)
	c, cancel := withTimeout()
	defer cancel()
	list, err := e.ContainerList(c, true, appLabelFilters(appName)...)
	if err != nil {
		return err
	}
	for _, s := range list {
		if current[s.ID] || !leftover.MatchString(s.Name) {
			continue
		}
		e.ContainerRemove(c, s.ID, true)
	}
	return nil
}

// removeUnreferencedUpcoming removes upcoming containers no CONTAINER file
// points at: the remains of a deploy that was killed before it could clean
// up after itself.
func removeUnreferencedUpcoming(ctx *plugin.Context, e engine, appName string) {
	current := map[string]bool{}
	for _, r := range appContainers(ctx, appName, "") {
		current[r.ID] = true
	}
	c, cancel := withTimeout()
	defer cancel()
	list, err := e.ContainerList(c, true, appLabelFilters(appName)...)
	if err != nil {
		return
	}
	prefix := appName + "."
	for _, s := range list {
		if current[s.ID] || !strings.HasPrefix(s.Name, prefix) || !strings.Contains(s.Name, ".upcoming-") {
			continue
		}
		e.ContainerSetRestartPolicy(c, s.ID, "no")
		e.ContainerRemove(c, s.ID, true)
	}
}

// corePostDeploy promotes the staged CHECKS file, drops state files of
// process types that left the formation and renames containers: previous
// holders of <app>.<type>.<n> become <app>.<type>.<n>.<epoch>, the new
// containers take the name.
func corePostDeploy(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	appName := args[0]
	if schedulerOf(ctx, appName) != Name {
		return nil
	}
	if err := promoteStaged(ctx, appName, "CHECKS"); err != nil {
		return err
	}
	u := ctx.UI()
	types := map[string]bool{}
	for _, f := range currentScale(ctx, appName) {
		types[f.Type] = true
	}
	for _, r := range appContainers(ctx, appName, "") {
		if !types[r.Dyno.Type] {
			u.Info1(fmt.Sprintf("Container type (%s) is no longer defined. Removing state", r.Dyno.Type))
			removeStateFiles(ctx, appName, r.Dyno)
		}
	}
	recs := appContainers(ctx, appName, "")
	if len(recs) == 0 {
		return nil
	}
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	u.Info1("Renaming containers")
	c, cancel := withTimeout()
	defer cancel()
	list, err := e.ContainerList(c, true, "label="+docker.LabelAppName+"="+appName)
	if err != nil {
		return err
	}
	byName := map[string][]docker.ContainerSummary{}
	for _, s := range list {
		byName[s.Name] = append(byName[s.Name], s)
	}
	for _, r := range recs {
		name := appName + "." + r.Dyno.String()
		var previous []docker.ContainerSummary
		for _, s := range byName[name] {
			if s.ID != r.ID {
				previous = append(previous, s)
			}
		}
		if len(previous) > 0 {
			short := make([]string, len(previous))
			for i, p := range previous {
				short[i] = docker.ShortID(p.ID)
			}
			u.VerboseQuiet(fmt.Sprintf("Found previous container(s) (%s) named %s", strings.Join(short, " "), name))
			for _, p := range previous {
				if p.State == "dead" {
					continue
				}
				dated := name + "." + strconv.FormatInt(time.Now().Unix(), 10)
				u.VerboseQuiet(fmt.Sprintf("Renaming container (%s) %s to %s", docker.ShortID(p.ID), name, dated))
				if err := e.ContainerRename(c, p.ID, dated); err != nil {
					u.Warn("Unable to rename container")
				}
			}
		}
		info, err := e.ContainerInfo(c, r.ID)
		if err != nil {
			return err
		}
		if info == nil || info.Name == name {
			continue
		}
		u.VerboseQuiet(fmt.Sprintf("Renaming container %s (%s) to %s", info.Name, docker.ShortID(r.ID), name))
		if err := e.ContainerRename(c, r.ID, name); err != nil {
			return ui.Failf("Unable to rename container %s to %s: %v", info.Name, name, err)
		}
	}
	return nil
}

func postCreate(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return mkdirOwned(ctx, dataDir(ctx, args[0]))
}

// postDelete drops the app's properties and data and removes whatever
// containers of the app are left.
func postDelete(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return nil
	}
	appName := args[0]
	if err := ctx.Props().Destroy("scheduler-docker-local", appName); err != nil {
		return err
	}
	if err := os.RemoveAll(dataDir(ctx, appName)); err != nil {
		return err
	}
	if schedulerOf(ctx, appName) != Name {
		return nil
	}
	e, err := newEngine(ctx)
	if err != nil {
		return err
	}
	c, cancel := withTimeout()
	defer cancel()
	list, err := e.ContainerList(c, true, "label="+docker.LabelAppName+"="+appName)
	if err != nil {
		return err
	}
	for _, s := range list {
		e.ContainerRemove(c, s.ID, true)
	}
	return nil
}

func postAppCloneSetup(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	if err := ctx.Props().Clone("scheduler-docker-local", args[0], args[1]); err != nil {
		return err
	}
	return mkdirOwned(ctx, dataDir(ctx, args[1]))
}

func postAppRenameSetup(ctx *plugin.Context, args []string) error {
	if len(args) < 2 {
		return nil
	}
	if err := ctx.Props().Rename("scheduler-docker-local", args[0], args[1]); err != nil {
		return err
	}
	if err := mkdirOwned(ctx, dataDir(ctx, args[1])); err != nil {
		return err
	}
	if b, err := os.ReadFile(dataDir(ctx, args[0]) + "/CHECKS"); err == nil {
		os.WriteFile(dataDir(ctx, args[1])+"/CHECKS", b, 0o644)
	}
	return os.RemoveAll(dataDir(ctx, args[0]))
}

func usesHostCron(ctx *plugin.Context, args []string) error {
	if !mine(args) {
		return nil
	}
	_, err := fmt.Fprintln(ctx.Stdout, "true")
	return err
}

// formationEntry is one line of ps-current-scale.
type formationEntry struct {
	Type  string
	Count int
}

// currentScale is the app's formation (ps-current-scale), sorted by type.
func currentScale(ctx *plugin.Context, appName string) []formationEntry {
	var entries []formationEntry
	for _, f := range ps.CurrentScale(ctx, appName) {
		if f.ProcessType == "" || f.Quantity < 0 {
			continue
		}
		entries = append(entries, formationEntry{f.ProcessType, f.Quantity})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Type < entries[j].Type })
	return entries
}

// schedulerOf is the app's scheduler (scheduler-detect).
func schedulerOf(ctx *plugin.Context, appName string) string {
	if s := ctx.TriggerValue("scheduler-detect", appName); s != "" {
		return s
	}
	return Name
}
