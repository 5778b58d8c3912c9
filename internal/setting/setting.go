// Package setting implements the `<ns>:set` convention of commands.md §0.4:
// `<ns>:set <app>|--global <key> [<value>]`, validation against the
// plugin's keys and scopes, write or delete of the property, and the
// "=====> Setting/Unsetting" lines.
package setting

import (
	"fmt"
	"sort"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// Scope says where a key may be set.
type Scope int

const (
	AppAndGlobal Scope = iota
	AppOnly
	GlobalOnly
)

// Key is one settable property.
type Key struct {
	Scope Scope
	// Validate checks a non-empty value; nil accepts anything.
	Validate func(value string) error
	// KeepEmpty stores an empty value instead of deleting (git rev-env-var).
	KeepEmpty bool
	// Value, when set, makes the value of the words given after the key
	// (by default they are joined with spaces), before Validate; its error
	// is returned as it is.
	Value func(ctx *plugin.Context, appName string, words []string) (string, error)
}

// Spec describes a plugin's :set.
type Spec struct {
	Plugin string // property namespace (plugin directory name)
	Keys   map[string]Key
	// Bash reports the bash-plugin wording of invalid keys.
	Bash bool
	// After runs once the property was written or deleted.
	After func(ctx *plugin.Context, appName, key, value string) error
	// Dynamic accepts keys outside Keys (e.g. "maintenance.<id>"), returning its Key.
	Dynamic func(key string) (Key, bool)
}

// Command is the `<ns>:set` command handler: Run on the words after the
// command word.
func Command(s Spec) plugin.Handler {
	return func(ctx *plugin.Context, args []string) error { return Run(ctx, s, plugin.Rest(args)) }
}

// Run parses args (after the command word) and applies the change.
func Run(ctx *plugin.Context, s Spec, args []string) error {
	global := false
	var pos []string
	for _, a := range args {
		if a == "--global" && !global {
			global = true
			continue
		}
		pos = append(pos, a)
	}
	appName := property.Global
	if !global {
		if len(pos) == 0 {
			return ui.Fail("Please specify an app to run the command on")
		}
		appName, pos = pos[0], pos[1:]
		if err := app.Verify(ctx, appName); err != nil {
			return err
		}
	}
	if len(pos) == 0 || pos[0] == "" {
		return ui.Fail("No property specified")
	}
	key := pos[0]
	value := strings.Join(pos[1:], " ")
	k, ok := s.Keys[key]
	if !ok && s.Dynamic != nil {
		k, ok = s.Dynamic(key)
	}
	if !ok {
		names := make([]string, 0, len(s.Keys))
		for n := range s.Keys {
			names = append(names, n)
		}
		sort.Strings(names)
		if s.Bash {
			return ui.Failf("Invalid key specified, valid keys include: %s", strings.Join(names, ", "))
		}
		return ui.Failf("Invalid property specified, valid properties include: %s", strings.Join(names, ", "))
	}
	if global && k.Scope == AppOnly {
		return ui.Failf("Property cannot be specified globally")
	}
	if !global && k.Scope == GlobalOnly {
		return ui.Failf("The key '%s' can only be set globally", key)
	}
	if k.Value != nil {
		v, err := k.Value(ctx, appName, pos[1:])
		if err != nil {
			return err
		}
		value = v
	}
	if value != "" && k.Validate != nil {
		if err := k.Validate(value); err != nil {
			return ui.Fail(err.Error())
		}
	}
	props := ctx.Props()
	u := ctx.UI()
	if value == "" && !(k.KeepEmpty && len(pos) > 1) {
		u.Info2Quiet(fmt.Sprintf("Unsetting %s", key))
		if err := props.Delete(s.Plugin, appName, key); err != nil {
			return err
		}
	} else {
		u.Info2Quiet(fmt.Sprintf("Setting %s to %s", key, value))
		if err := props.Write(s.Plugin, appName, key, value); err != nil {
			return err
		}
	}
	if s.After != nil {
		return s.After(ctx, appName, key, value)
	}
	return nil
}

// OneOf validates a value against a fixed set.
func OneOf(allowed ...string) func(string) error {
	return func(v string) error {
		for _, a := range allowed {
			if v == a {
				return nil
			}
		}
		return fmt.Errorf("Invalid value specified, valid values include: %s", strings.Join(allowed, ", "))
	}
}

// Bool validates true/false.
var Bool = OneOf("true", "false")
