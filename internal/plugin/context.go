package plugin

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/ui"
)

// Context is what a handler gets: the same contract as a plugin process
// (argv is passed separately), plus lazy access to shared services. A
// handler must not mutate Env in place (an exec'd plugin could not either);
// derive a copy with WithEnv(ctx.Env.Clone()).
type Context struct {
	Env      *env.Env
	Stdin    io.Reader
	Stdout   io.Writer
	Stderr   io.Writer
	Registry *Registry
	// FastPath calls core handlers in-process instead of exec'ing them.
	FastPath bool
	// HelpAll is set while answering `dokku help --all`.
	HelpAll bool
	// Plugin is the plugin whose entry point is running ("" at the top).
	Plugin string
	shared *shared
}

type shared struct {
	mu       sync.Mutex
	props    *property.Store
	services map[string]any
	lookups  map[string]entryInfo
}

// NewContext returns a root context on the process's standard streams.
func NewContext(e *env.Env, reg *Registry) *Context {
	return &Context{
		Env: e, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Registry: reg, FastPath: e.Get("DOKKU_CORE_FASTPATH") != "0",
		shared: &shared{services: map[string]any{}, lookups: map[string]entryInfo{}},
	}
}

func (c *Context) clone() *Context {
	cp := *c
	return &cp
}

// WithIO returns a copy using other streams (nil keeps the current one).
func (c *Context) WithIO(stdin io.Reader, stdout, stderr io.Writer) *Context {
	cp := c.clone()
	if stdin != nil {
		cp.Stdin = stdin
	}
	if stdout != nil {
		cp.Stdout = stdout
	}
	if stderr != nil {
		cp.Stderr = stderr
	}
	return cp
}

// WithEnv returns a copy using another environment.
func (c *Context) WithEnv(e *env.Env) *Context {
	cp := c.clone()
	cp.Env = e
	return cp
}

// UI returns the log writer of this context.
func (c *Context) UI() *ui.UI {
	return &ui.UI{Out: c.Stdout, Err: c.Stderr, Quiet: c.Env.Quiet(), Trace: c.Env.Trace()}
}

// Props returns the property store.
func (c *Context) Props() *property.Store {
	c.shared.mu.Lock()
	defer c.shared.mu.Unlock()
	if c.shared.props == nil {
		c.shared.props = property.New(c.Env)
	}
	return c.shared.props
}

// Service returns the process-wide instance stored under key, building it
// with mk on first use (the Docker client, for one).
func Service[T any](c *Context, key string, mk func(*Context) (T, error)) (T, error) {
	c.shared.mu.Lock()
	if v, ok := c.shared.services[key]; ok {
		c.shared.mu.Unlock()
		return v.(T), nil
	}
	c.shared.mu.Unlock()
	v, err := mk(c)
	if err != nil {
		var zero T
		return zero, err
	}
	c.shared.mu.Lock()
	defer c.shared.mu.Unlock()
	if old, ok := c.shared.services[key]; ok {
		return old.(T), nil
	}
	c.shared.services[key] = v
	return v, nil
}

// Trigger fires a trigger on this context's streams.
func (c *Context) Trigger(name string, args ...string) error {
	return c.run(name, args, c.Stdin, c.Stdout, c.Stderr)
}

// TriggerOutput fires a trigger and returns its stdout with trailing
// newlines removed, as bash $(...) does. stdin is empty.
func (c *Context) TriggerOutput(name string, args ...string) (string, error) {
	return c.TriggerInput(name, "", args...)
}

// TriggerInput fires a trigger with the given stdin and returns its stdout
// without trailing newlines (the docker-args-* pattern).
func (c *Context) TriggerInput(name, stdin string, args ...string) (string, error) {
	var out bytes.Buffer
	err := c.run(name, args, strings.NewReader(stdin), &out, c.Stderr)
	return strings.TrimRight(out.String(), "\n"), err
}

// TriggerValue is TriggerOutput with the output trimmed of surrounding space
// and errors ignored: the common "ask a plugin for a value" call.
func (c *Context) TriggerValue(name string, args ...string) string {
	v, _ := c.TriggerOutput(name, args...)
	return strings.TrimSpace(v)
}

// TriggerError is the failure of a trigger handler; its output was already
// shown, so it renders silently and carries the handler's exit code.
type TriggerError struct {
	Trigger string
	Plugin  string
	Code    int
}

func (e *TriggerError) Error() string {
	return fmt.Sprintf("trigger %s failed in plugin %s (exit %d)", e.Trigger, e.Plugin, e.Code)
}

// ExitCode makes TriggerError map to the handler's code.
func (e *TriggerError) Unwrap() error { return &ui.ExitError{Code: e.Code} }
