package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/envfile"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// maxImport bounds what config:import reads.
const maxImport = 16 << 20

type importOptions struct {
	global, replace, noRestart bool
	format                     string
}

func newImportCmd(ctx *plugin.Context) *cobra.Command {
	o := &importOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error { return runImport(ctx, o, args) }}
	cmd.Flags().BoolVar(&o.global, "global", false, "use the global environment")
	cmd.Flags().BoolVar(&o.replace, "replace", false, "remove keys the input does not hold")
	cmd.Flags().BoolVar(&o.noRestart, "no-restart", false, "do not restart the app")
	cmd.Flags().StringVar(&o.format, "format", "envfile", "input format: envfile or json")
	return cmd
}

func runImport(ctx *plugin.Context, o *importOptions, args []string) error {
	name, rest, err := scope(ctx, o.global, args)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return noTrailing(rest[1:])
	}
	if o.format != "envfile" && o.format != "json" {
		return ui.Failf("Unknown import format: %v", o.format)
	}
	src := "-"
	if len(rest) == 1 {
		src = rest[0]
	}
	data, err := readInput(ctx, src)
	if err != nil {
		return err
	}
	var m map[string]string
	if o.format == "json" {
		m, err = parseJSON(data)
	} else {
		m, err = envfile.Parse(string(data))
	}
	if err != nil {
		return ui.Failf("Unable to parse %s as %s: %v", inputName(src), o.format, err)
	}
	if err := validateKeys(envfile.SortedKeys(m)); err != nil {
		return err
	}
	if err := validateValues(m); err != nil {
		return err
	}
	if !o.replace {
		if len(m) == 0 {
			return ui.Fail("At least one env pair must be given")
		}
		return SetMany(ctx, name, m, !o.noRestart)
	}
	return replaceAll(ctx, name, m, !o.noRestart)
}

func inputName(src string) string {
	if src == "-" {
		return "stdin"
	}
	return src
}

// remoteSession reports whether the command came in over ssh, where a path
// names a file on the server the caller may not be allowed to read.
func remoteSession(ctx *plugin.Context) bool {
	return ctx.Env.Get("FINGERPRINT") != "" || ctx.Env.Get("SSH_CONNECTION") != ""
}

func readInput(ctx *plugin.Context, src string) ([]byte, error) {
	var r io.Reader
	if src == "-" {
		r = ctx.Stdin
	} else {
		if remoteSession(ctx) {
			return nil, ui.Fail("Reading a file on the server is not allowed over ssh; pass - and send the file on stdin")
		}
		f, err := os.Open(src)
		if err != nil {
			return nil, ui.Failf("Unable to read %s: %v", src, errors.Unwrap(err))
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxImport+1))
	if err != nil {
		return nil, ui.Failf("Unable to read %s: %v", inputName(src), err)
	}
	if len(data) > maxImport {
		return nil, ui.Failf("Unable to import %s: larger than %d bytes", inputName(src), maxImport)
	}
	return data, nil
}

// parseJSON reads one object whose values are strings (numbers and booleans
// are taken as written).
func parseJSON(data []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, errors.New("expected a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON object")
	}
	m := make(map[string]string, len(raw))
	for k, v := range raw {
		switch t := v.(type) {
		case string:
			m[k] = t
		case json.Number:
			m[k] = t.String()
		case bool:
			m[k] = fmt.Sprint(t)
		default:
			return nil, fmt.Errorf("the value of %q is not a string", k)
		}
	}
	return m, nil
}

// replaceAll makes an environment hold exactly m.
func replaceAll(ctx *plugin.Context, name string, m map[string]string, restart bool) error {
	var removed []string
	err := Update(ctx, name, func(cur map[string]string) (bool, error) {
		removed = removed[:0]
		for _, k := range envfile.SortedKeys(cur) {
			if _, keep := m[k]; !keep {
				removed = append(removed, k)
				delete(cur, k)
			}
		}
		for k, v := range m {
			cur[k] = v
		}
		return len(removed) > 0 || len(m) > 0, nil
	})
	if err != nil {
		return err
	}
	u := ctx.UI()
	if len(m) > 0 {
		u.Info1Quiet("Setting config vars")
		if !u.Quiet {
			fmt.Fprintln(ctx.Stdout, Pretty(ui.PrefixVerbose, m))
		}
	}
	for _, k := range removed {
		u.Info1Quiet("Unsetting " + k)
	}
	if len(m) > 0 {
		postUpdate(ctx, name, "set", envfile.SortedKeys(m))
	}
	if len(removed) > 0 {
		postUpdate(ctx, name, "unset", removed)
	}
	maybeRestart(ctx, name, restart)
	return nil
}
