package ports

import (
	"sort"
	"strconv"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/report"
	"github.com/godokku/dokku/internal/ui"
)

func runList(ctx *plugin.Context, args []string) error {
	name, err := app.VerifyArg(ctx, plugin.Rest(args), 0)
	if err != nil {
		return err
	}
	maps := Effective(ctx, name)
	if len(maps) == 0 {
		return ui.Fail("No port mappings configured for app")
	}
	var lines []string
	if !ctx.Env.Quiet() {
		lines = append(lines, "-----> scheme:host port:container port")
	}
	for _, pm := range maps {
		lines = append(lines, pm.String())
	}
	sort.Strings(lines)
	ctx.UI().Info1Quiet("Port mappings for " + name)
	ctx.UI().Log(ui.Columnize(lines, ":", "  ", "    "))
	return nil
}

// mutate is the shared shape of add/set/remove: verify, parse, change,
// fire post-proxy-ports-update.
func mutate(ctx *plugin.Context, args []string, action string, allowHostOnly bool, change func(name string, maps []PortMap) error) error {
	pos := plugin.Rest(args)
	name, err := app.VerifyArg(ctx, pos, 0)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return ui.Fail("No port mapping specified")
	}
	maps, err := Parse(pos[1:], allowHostOnly)
	if err != nil {
		return ui.Fail(err.Error())
	}
	if err := change(name, maps); err != nil {
		return err
	}
	return ctx.Trigger("post-proxy-ports-update", name, action)
}

func runAdd(ctx *plugin.Context, args []string) error {
	return mutate(ctx, args, "add", false, func(name string, maps []PortMap) error {
		current := userMap(ctx, name)
		taken := map[string]string{}
		for _, pm := range current {
			taken[pm.Scheme+":"+itoa(pm.HostPort)] = pm.String()
		}
		for _, pm := range maps {
			if prev, ok := taken[pm.Scheme+":"+itoa(pm.HostPort)]; ok && prev != pm.String() {
				return ui.Failf("Port mapping %s conflicts with existing mapping %s", pm, prev)
			}
		}
		return writeUserMap(ctx, name, append(current, maps...))
	})
}

func runSet(ctx *plugin.Context, args []string) error {
	return mutate(ctx, args, "set", false, func(name string, maps []PortMap) error {
		return writeUserMap(ctx, name, maps)
	})
}

func runRemove(ctx *plugin.Context, args []string) error {
	return mutate(ctx, args, "remove", true, func(name string, maps []PortMap) error {
		byHost := map[int]bool{}
		exact := map[string]bool{}
		for _, pm := range maps {
			if pm.Scheme == hostOnly {
				byHost[pm.HostPort] = true
			} else {
				exact[pm.String()] = true
			}
		}
		var keep []PortMap
		for _, pm := range userMap(ctx, name) {
			if byHost[pm.HostPort] || exact[pm.String()] {
				continue
			}
			keep = append(keep, pm)
		}
		return writeUserMap(ctx, name, keep)
	})
}

func runClear(ctx *plugin.Context, args []string) error {
	name, err := app.VerifyArg(ctx, plugin.Rest(args), 0)
	if err != nil {
		return err
	}
	if err := ctx.Props().Delete(pluginName, name, keyMap); err != nil {
		return err
	}
	return ctx.Trigger("post-proxy-ports-update", name, "clear")
}

func reportSpec() report.Spec {
	return report.Spec{
		Namespace:      "ports",
		Type:           "ports",
		NoGlobal:       true,
		LegacyJSONKeys: true,
		Collect: func(ctx *plugin.Context, name string) (map[string]string, error) {
			user := userMap(ctx, name)
			detected := detectedMap(ctx, name)
			return map[string]string{
				"--ports-map":               joinMaps(user),
				"--ports-map-detected":      joinMaps(detected),
				"--ports-map-json":          jsonMaps(user),
				"--ports-map-detected-json": jsonMaps(detected),
			}, nil
		},
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
