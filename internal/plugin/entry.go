package plugin

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/godokku/dokku/internal/ui"
)

// EntryKind says which file of a plugin directory was started.
type EntryKind int

const (
	EntryNone       EntryKind = iota
	EntryCommands             // <plugin>/commands
	EntrySubcommand           // <plugin>/subcommands/<file>
	EntryTrigger              // <plugin>/<trigger> (or a tool)
)

// Entry identifies a core entry point from the path it was started by.
type Entry struct {
	Kind   EntryKind
	Plugin *Plugin
	Name   string // subcommands file or trigger name
}

// ParseEntry maps argv[0] of a process started through a symlink to the
// binary onto the core plugin entry it stands for; Kind is EntryNone when
// argv[0] is not such a path (the binary was started as dokku or plugn).
func (r *Registry) ParseEntry(argv0 string) Entry {
	base := filepath.Base(argv0)
	if base == "dokku" || base == "plugn" || !strings.ContainsRune(argv0, '/') {
		return Entry{}
	}
	dir := filepath.Dir(argv0)
	if filepath.Base(dir) == "subcommands" {
		if p := r.Get(filepath.Base(filepath.Dir(dir))); p != nil {
			return Entry{Kind: EntrySubcommand, Plugin: p, Name: base}
		}
		return Entry{}
	}
	p := r.Get(filepath.Base(dir))
	if p == nil {
		return Entry{}
	}
	if base == "commands" {
		return Entry{Kind: EntryCommands, Plugin: p}
	}
	return Entry{Kind: EntryTrigger, Plugin: p, Name: base}
}

// Run executes the entry with argv (without argv[0]).
func (e Entry) Run(ctx *Context, args []string) error {
	ctx = ctx.clone()
	ctx.Plugin = e.Plugin.Name
	switch e.Kind {
	case EntryCommands:
		return e.Plugin.RunCommands(ctx, args)
	case EntrySubcommand:
		return e.Plugin.RunSubcommand(ctx, e.Name, args)
	case EntryTrigger:
		if h := e.Plugin.Triggers[e.Name]; h != nil {
			return h(ctx, args)
		}
		if h := e.Plugin.Tools[e.Name]; h != nil {
			return h(ctx, args)
		}
		fmt.Fprintf(ctx.Stderr, " !     %s does not implement %s in this version of dokku\n", e.Plugin.Name, e.Name)
		return nil
	}
	return ui.NotImplemented()
}

// RunSubcommand serves subcommands/<file>; args[0] is the command word.
func (p *Plugin) RunSubcommand(ctx *Context, file string, args []string) error {
	if c := p.commandBySubFile(file); c != nil {
		return c.Run(ctx, args)
	}
	if file == "help" || file == "default" {
		p.PrintUsage(ctx)
		return nil
	}
	return ui.NotImplemented()
}

// RunCommands is the plugin's commands entry: `help` lines, `<ns>:help`,
// and dispatch of every command word it owns; anything else exits 10.
func (p *Plugin) RunCommands(ctx *Context, args []string) error {
	if len(args) == 0 {
		return ui.NotImplemented()
	}
	word := args[0]
	switch {
	case word == "help":
		p.printHelpSummary(ctx)
		return nil
	case word == p.NS()+":help" && p.Command(word) == nil,
		word == p.NS() && p.Command(word) == nil && p.hasVisibleCommands():
		p.PrintUsage(ctx)
		return nil
	}
	if c := p.Command(word); c != nil {
		return c.Run(ctx, args)
	}
	if p.Fallback != nil {
		if handled, err := p.Fallback(ctx, args); handled {
			return err
		}
	}
	return ui.NotImplemented()
}

// printHelpSummary answers `commands help`: one summary line, or every
// command line when the help was asked with --all.
func (p *Plugin) printHelpSummary(ctx *Context) {
	if len(p.Commands) == 0 && p.Summary == "" {
		return
	}
	if ctx.HelpAll || p.BareCommands || parentHasAll() {
		tail := "\n\n"
		if p.HelpNoTrailer {
			tail = "\n"
		}
		fmt.Fprint(ctx.Stdout, "\n"+strings.Join(p.HelpLines(), "\n")+tail)
		return
	}
	fmt.Fprintf(ctx.Stdout, "\n    %s, %s\n", p.NS(), p.Summary)
}

// PrintUsage prints <ns>:help: the header, then the command lines in
// columns (columnize with a 4-space prefix, as Dokku's CommandUsage).
func (p *Plugin) PrintUsage(ctx *Context) {
	if p.ShellHelp {
		fmt.Fprintln(ctx.Stdout, p.Header())
		lines := p.HelpLines()
		sort.Strings(lines)
		fmt.Fprint(ctx.Stdout, ui.ColumnTable(lines, ","))
		return
	}
	lines := p.HelpLines()
	if !p.HelpNoTrailer {
		lines = append(lines, "")
	}
	fmt.Fprintln(ctx.Stdout, p.Header())
	fmt.Fprintln(ctx.Stdout, ui.Columnize(lines, ",", "  ", "    "))
}

// parentHasAll reports whether the parent process's command line contains
// --all (how an exec'd help entry learns about `dokku help --all`).
func parentHasAll() bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(os.Getppid()) + "/cmdline")
	return err == nil && strings.Contains(string(b), "--all")
}
