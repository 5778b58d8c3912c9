package shellapi

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// destroyAll as the app name of `prop destroy` removes a plugin's whole
// property tree (no app name can start with "_").
const destroyAll = "_all_"

// propOp is one verb of the prop helper: its positional arguments after
// the verb (required ones first), and what it does.
type propOp struct {
	required []string
	optional []string
	variadic bool // lwrite: any number of trailing values
	run      func(ctx *plugin.Context, s *property.Store, a []string) error
}

var propOps map[string]propOp

func init() {
	pk := []string{"plugin", "app", "key"}
	propOps = map[string]propOp{
		"get": {required: pk, run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			v, err := s.Get(a[0], a[1], a[2])
			if err == nil {
				property.WriteTo(ctx.Stdout, v)
			}
			return err
		}},
		"get-with-default": {required: pk, optional: []string{"default"}, run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			// compat: only a missing file yields the default; an empty value
			// is printed as is (nothing), as Dokku's PropertyGetDefault does.
			if _, err := s.Path(a[0], a[1], a[2]); err != nil {
				return err
			}
			v := a[3]
			if s.Exists(a[0], a[1], a[2]) {
				var err error
				if v, err = s.Get(a[0], a[1], a[2]); err != nil {
					return err
				}
			}
			property.WriteTo(ctx.Stdout, v)
			return nil
		}},
		"get-all": {required: pk[:2], run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			all, err := s.GetAll(a[0], a[1])
			printPairs(ctx, all)
			return err
		}},
		"get-all-by-prefix": {required: []string{"plugin", "app", "prefix"}, run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			all, err := s.GetAllByPrefix(a[0], a[1], a[2])
			printPairs(ctx, all)
			return err
		}},
		"set": {required: pk, optional: []string{"value"}, run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			return s.Write(a[0], a[1], a[2], a[3])
		}},
		"del": {required: pk, run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			return s.Delete(a[0], a[1], a[2])
		}},
		"exists": {required: pk, run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			if _, err := s.Path(a[0], a[1], a[2]); err != nil {
				return err
			}
			if !s.Exists(a[0], a[1], a[2]) {
				return ui.Exit(1)
			}
			return nil
		}},
		"destroy": {required: pk[:2], run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			if a[1] == destroyAll {
				return s.DestroyPlugin(a[0])
			}
			return s.Destroy(a[0], a[1])
		}},
		"clone": {required: []string{"plugin", "old-app", "new-app"}, run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			if err := property.ValidName(a[2]); err != nil {
				return err
			}
			return s.Clone(a[0], a[1], a[2])
		}},
		"setup": {required: pk[:1], run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			return s.Setup(a[0])
		}},
		"setup-app": {required: pk[:2], run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			return s.SetupApp(a[0], a[1])
		}},
		"lrange": {required: pk, run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			l, err := listGet(s, a)
			for _, v := range l {
				fmt.Fprintln(ctx.Stdout, v)
			}
			return err
		}},
		"llen": {required: pk, run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			l, err := listGet(s, a)
			if err == nil {
				fmt.Fprintln(ctx.Stdout, len(l))
			}
			return err
		}},
		"lindex": {required: append(pk, "index"), run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			i, err := property.ParseIndex(a[3])
			if err != nil {
				return err
			}
			v, err := s.ListIndex(a[0], a[1], a[2], i)
			if err == nil {
				fmt.Fprintln(ctx.Stdout, v)
			}
			return err
		}},
		"lismember": {required: append(pk, "value"), run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			if _, err := listGet(s, a); err != nil {
				return err
			}
			if !s.ListIsMember(a[0], a[1], a[2], a[3]) {
				return ui.Fail("Property not found")
			}
			return nil
		}},
		"lrem": {required: append(pk, "value"), run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			return s.ListRemove(a[0], a[1], a[2], a[3])
		}},
		"lrem-by-prefix": {required: append(pk, "prefix"), run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			return s.ListRemoveByPrefix(a[0], a[1], a[2], a[3])
		}},
		"lset": {required: append(pk, "value", "index"), run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			i, err := property.ParseIndex(a[4])
			if err != nil {
				return err
			}
			if i < 0 {
				return ui.Failf("Invalid index %q", a[4])
			}
			return s.ListSet(a[0], a[1], a[2], a[3], i)
		}},
		"lwrite": {required: pk, variadic: true, run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			values := make([]string, 0, len(a)-3)
			for _, v := range a[3:] {
				if strings.ContainsAny(v, "\n\r") {
					return ui.Fail("List values cannot contain newlines")
				}
				if v != "" {
					values = append(values, v)
				}
			}
			return s.ListWrite(a[0], a[1], a[2], values)
		}},
		"rpush": {required: append(pk, "value"), optional: []string{"index"}, run: func(ctx *plugin.Context, s *property.Store, a []string) error {
			if strings.ContainsAny(a[3], "\n\r") {
				return ui.Fail("List values cannot contain newlines")
			}
			i := 0
			if a[4] != "" {
				var err error
				if i, err = property.ParseIndex(a[4]); err != nil {
					return err
				}
			}
			if i < 0 {
				return ui.Failf("Invalid index %q", a[4])
			}
			return s.ListAdd(a[0], a[1], a[2], a[3], i)
		}},
		"migrate-config-to-property": {required: []string{"plugin", "key", "config-var"}, optional: []string{"global-config-var"}, run: migrateConfigToProperty},
	}
}

// runProp is the common/prop helper: `prop <op> <plugin> <app> ...`
// (runtime.md §11). Values are printed followed by a newline, nothing for
// an empty value; predicates (exists, lismember) answer with the exit code.
func runProp(ctx *plugin.Context, args []string) error {
	if len(args) == 0 {
		return ui.Fail("Usage: prop <op> <plugin> <app> [<key>] [<value>...]")
	}
	op, ok := propOps[args[0]]
	if !ok {
		return ui.Failf("Invalid prop command call: %s", args[0])
	}
	a := args[1:]
	if len(a) < len(op.required) {
		return ui.Failf("Missing %s argument for prop %s", op.required[len(a)], args[0])
	}
	if max := len(op.required) + len(op.optional); !op.variadic && len(a) > max {
		return ui.Failf("Too many arguments for prop %s", args[0])
	}
	for len(a) < len(op.required)+len(op.optional) {
		a = append(a, "")
	}
	return propError(op.run(ctx, ctx.Props(), a))
}

// propError turns store errors into one-line failures.
func propError(err error) error {
	if err == nil {
		return nil
	}
	var ee *ui.ExitError
	if errors.As(err, &ee) {
		return err
	}
	return ui.Fail(err.Error())
}

func listGet(s *property.Store, a []string) ([]string, error) {
	if _, err := s.Path(a[0], a[1], a[2]); err != nil {
		return nil, err
	}
	return s.ListGet(a[0], a[1], a[2])
}

// printPairs prints `key value` lines, sorted by key, each value without
// its trailing newline.
func printPairs(ctx *plugin.Context, all map[string]string) {
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintln(ctx.Stdout, k, strings.TrimSuffix(all[k], "\n"))
	}
}

// migrateConfigToProperty moves a deprecated config variable into a
// property: the global variable (when named) to the --global value, and the
// app variable of every app to its app value; each migrated variable is
// unset without a restart.
func migrateConfigToProperty(ctx *plugin.Context, s *property.Store, a []string) error {
	plug, key, appVar, globalVar := a[0], a[1], a[2], a[3]
	if err := property.ValidName(plug); err != nil {
		return err
	}
	if err := property.ValidName(key); err != nil {
		return err
	}
	quiet := ctx.WithEnv(ctx.Env.Clone())
	quiet.Env.Set("DOKKU_QUIET_OUTPUT", "1")
	u := ctx.UI()
	if globalVar != "" {
		if v, _ := ctx.TriggerOutput("config-get", property.Global, globalVar); v != "" {
			u.Info1(fmt.Sprintf("Migrating deprecated global %s to %s %s property.", globalVar, plug, key))
			if err := s.Write(plug, property.Global, key, v); err != nil {
				return err
			}
			if err := quiet.Trigger("config-unset", property.Global, globalVar, "false"); err != nil {
				u.Warn(fmt.Sprintf("Unable to unset global %s", globalVar))
			}
		}
	}
	for _, name := range app.ListAll(ctx) {
		v, _ := ctx.TriggerOutput("config-get", name, appVar)
		if v == "" {
			continue
		}
		u.Info1(fmt.Sprintf("Migrating deprecated %s to %s %s property for %s.", appVar, plug, key, name))
		if err := s.Write(plug, name, key, v); err != nil {
			return err
		}
		if err := quiet.Trigger("config-unset", name, appVar, "false"); err != nil {
			u.Warn(fmt.Sprintf("Unable to unset %s for %s", appVar, name))
		}
	}
	return nil
}
