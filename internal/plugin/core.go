package plugin

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Handler runs a command or trigger. For commands args[0] is the command
// word (as Dokku passes it); for triggers args are the trigger's arguments.
type Handler func(ctx *Context, args []string) error

// Rest returns a command's words after the command word (args[0]).
func Rest(args []string) []string {
	if len(args) <= 1 {
		return nil
	}
	return args[1:]
}

// Arg returns args[i], or "" when there are fewer arguments.
func Arg(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

// Command is one command of a core plugin.
type Command struct {
	Name   string // full word: "apps:create", bare "apps", "urls", "git-hook"
	Args   string // usage arguments shown by help: "<app>"
	Desc   string // help description
	Hidden bool   // implemented but not listed by help
	// ViaCommands commands are not written as subcommands/ files; only the
	// plugin's commands entry serves them (the fallback path), as Dokku does
	// for git-receive-pack, git-hook and friends.
	ViaCommands bool
	Run         Handler
}

// Plugin is a core plugin compiled into the binary.
type Plugin struct {
	Name        string // directory name: "nginx-vhosts", "20_events"
	Namespace   string // command namespace: "nginx", "events" (default: Name)
	Description string // plugin.toml description
	Summary     string // one-line help summary: "Manage apps"
	HelpHeader  string // <ns>:help header; default "Usage: dokku <ns>[:COMMAND]\n\n<Summary>\n\nAdditional commands:"
	Commands    []*Command
	Triggers    map[string]Handler
	// Tools are executables that are neither commands nor triggers, such as
	// common/prop (written as symlinks to the binary like triggers).
	Tools map[string]Handler
	// Files are written verbatim into the plugin directory (shell API,
	// templates); names may contain "/". Content starting with "#!" is 0755.
	Files map[string]string
	// Fallback answers commands words the plugin owns by pattern (git-*);
	// it reports whether it handled the word.
	Fallback func(ctx *Context, args []string) (bool, error)
	Config   map[string]string // [plugin.config]

	// BareCommands marks a plugin whose commands are bare words routed to it
	// by the dispatcher (00_dokku-standard): `commands help` prints every
	// command line even without --all, and no subcommands/default is written
	// (the dispatcher would try it first for every one of those words).
	BareCommands bool

	// ShellHelp renders <ns>:help as Dokku's bash help-functions do
	// (`sort | column -c2 -t -s,`): fields split on every comma and kept
	// untrimmed, columns joined by two spaces, no trailing blank line.
	// Go plugins in Dokku use CommandUsage (the default rendering).
	ShellHelp bool

	// HelpNoTrailer drops the blank last line of the CommandUsage rendering
	// and of `help --all`: Dokku Go plugins whose help text does not end in a
	// newline (builds) print no trailing "    " line.
	HelpNoTrailer bool
}

// NS returns the command namespace.
func (p *Plugin) NS() string {
	if p.Namespace != "" {
		return p.Namespace
	}
	return p.Name
}

// SubcommandFile is the name of the subcommands/ file serving c.
func (p *Plugin) SubcommandFile(c *Command) string {
	if i := strings.IndexByte(c.Name, ':'); i >= 0 {
		return c.Name[i+1:]
	}
	if c.Name == p.NS() {
		return "default"
	}
	return c.Name
}

// Command returns the command with that full word.
func (p *Plugin) Command(word string) *Command {
	for _, c := range p.Commands {
		if c.Name == word {
			return c
		}
	}
	return nil
}

// commandBySubFile returns the command served by subcommands/<file>.
func (p *Plugin) commandBySubFile(file string) *Command {
	for _, c := range p.Commands {
		if !c.ViaCommands && p.SubcommandFile(c) == file {
			return c
		}
	}
	return nil
}

// HelpLines are the `    <cmd> <args>, <desc>` lines of every listed command.
func (p *Plugin) HelpLines() []string {
	var out []string
	for _, c := range p.Commands {
		if c.Hidden {
			continue
		}
		name := c.Name
		if c.Args != "" {
			name += " " + c.Args
		}
		out = append(out, "    "+name+", "+c.Desc)
	}
	return out
}

// Header is the first part of <ns>:help.
func (p *Plugin) Header() string {
	if p.HelpHeader != "" {
		return p.HelpHeader
	}
	return "Usage: dokku " + p.NS() + "[:COMMAND]\n\n" + p.Summary + "\n\nAdditional commands:"
}

// Registry holds the core plugins by directory name. Plugins are built on
// first use: a command touches the one or two plugins it needs, not all of
// them (start-up cost is most of a command's cost).
type Registry struct {
	Version string
	ctors   map[string]func() *Plugin
	mu      sync.Mutex
	built   map[string]*Plugin
	all     []*Plugin
}

// NewRegistry indexes already-built plugins; version is written into their
// plugin.toml.
func NewRegistry(version string, plugins ...*Plugin) *Registry {
	ctors := make(map[string]func() *Plugin, len(plugins))
	for _, p := range plugins {
		p := p
		ctors[p.Name] = func() *Plugin { return p }
	}
	return NewLazyRegistry(version, ctors)
}

// NewLazyRegistry indexes plugin constructors by directory name; each runs
// once, when its plugin is first asked for. A constructor must return a
// plugin whose Name is its key.
func NewLazyRegistry(version string, ctors map[string]func() *Plugin) *Registry {
	return &Registry{Version: version, ctors: ctors, built: map[string]*Plugin{}}
}

// Get returns a core plugin or nil.
func (r *Registry) Get(name string) *Plugin {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.get(name)
}

func (r *Registry) get(name string) *Plugin {
	if p, ok := r.built[name]; ok {
		return p
	}
	ctor, ok := r.ctors[name]
	if !ok {
		return nil
	}
	p := ctor()
	if p.Name != name {
		panic(fmt.Sprintf("core plugin registered as %q is named %q", name, p.Name))
	}
	r.built[name] = p
	return p
}

// Has reports whether a core plugin of that name exists, without building it.
func (r *Registry) Has(name string) bool {
	if r == nil {
		return false
	}
	_, ok := r.ctors[name]
	return ok
}

// All returns every core plugin, sorted by name.
func (r *Registry) All() []*Plugin {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.all == nil {
		names := make([]string, 0, len(r.ctors))
		for n := range r.ctors {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			r.all = append(r.all, r.get(n))
		}
	}
	return r.all
}

// hasVisibleCommands reports whether help lists any command of the plugin.
func (p *Plugin) hasVisibleCommands() bool {
	for _, c := range p.Commands {
		if !c.Hidden {
			return true
		}
	}
	return false
}
