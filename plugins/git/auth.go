package git

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/atomicfile"
	"github.com/godokku/dokku/internal/lock"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// netrcEntry is one "machine" block of $DOKKU_ROOT/.netrc.
type netrcEntry struct {
	machine, login, password string
	extra                    []string // other tokens (account ...), kept as written
}

// parseNetrc reads the machine entries of a .netrc ("default" and macdef
// blocks are kept verbatim in rest).
func parseNetrc(data string) (entries []netrcEntry, rest []string) {
	toks := strings.Fields(data)
	var cur *netrcEntry
	flush := func() {
		if cur != nil {
			entries = append(entries, *cur)
			cur = nil
		}
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		next := func() string {
			if i+1 < len(toks) {
				i++
				return toks[i]
			}
			return ""
		}
		switch t {
		case "machine":
			flush()
			cur = &netrcEntry{machine: next()}
		case "default":
			flush()
			rest = append(rest, toks[i:]...)
			return entries, rest
		case "login":
			if cur != nil {
				cur.login = next()
			}
		case "password":
			if cur != nil {
				cur.password = next()
			}
		default:
			if cur != nil {
				cur.extra = append(cur.extra, t)
			}
		}
	}
	flush()
	return entries, rest
}

func formatNetrc(entries []netrcEntry, rest []string) string {
	var b strings.Builder
	for _, e := range entries {
		b.WriteString("machine " + e.machine)
		if e.login != "" {
			b.WriteString(" login " + e.login)
		}
		if e.password != "" {
			b.WriteString(" password " + e.password)
		}
		for _, x := range e.extra {
			b.WriteString(" " + x)
		}
		b.WriteString("\n")
	}
	if len(rest) > 0 {
		b.WriteString(strings.Join(rest, " ") + "\n")
	}
	return b.String()
}

func netrcPath(ctx *plugin.Context) string { return filepath.Join(ctx.Env.Root(), ".netrc") }

func readNetrc(ctx *plugin.Context) ([]netrcEntry, []string, error) {
	b, err := os.ReadFile(netrcPath(ctx))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	e, r := parseNetrc(string(b))
	return e, r, nil
}

// netrcToken refuses values .netrc cannot hold (blanks split tokens).
func netrcToken(what, v string) error {
	if v == "" || strings.ContainsAny(v, " \t\r\n") {
		return ui.Failf("Invalid %s: it must be non-empty and contain no whitespace", what)
	}
	return nil
}

// credentials reads the auth arguments; a password may be piped on stdin.
func credentials(ctx *plugin.Context, args []string) (host, user, pass string, err error) {
	host, user, pass = plugin.Arg(args, 0), plugin.Arg(args, 1), plugin.Arg(args, 2)
	if host == "" {
		return "", "", "", ui.Fail("Please specify a host")
	}
	if err := netrcToken("host", host); err != nil {
		return "", "", "", err
	}
	if user != "" && pass == "" {
		if f, ok := ctx.Stdin.(*os.File); ok {
			if fi, serr := f.Stat(); serr == nil && fi.Mode()&(os.ModeNamedPipe|os.ModeSocket) != 0 || serr == nil && fi.Mode().IsRegular() {
				line, _ := bufio.NewReader(io.LimitReader(f, 4096)).ReadString('\n')
				pass = strings.TrimRight(line, "\r\n")
			}
		}
	}
	return host, user, pass, nil
}

// git:auth <host> [<username> [<password>]]: set the host's .netrc entry,
// or remove it when no username is given. The file is 0600.
func newAuthCmd(ctx *plugin.Context) *cobra.Command {
	return &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		host, user, pass, err := credentials(ctx, args)
		if err != nil {
			return err
		}
		if user != "" {
			if err := netrcToken("username", user); err != nil {
				return err
			}
			if err := netrcToken("password", pass); err != nil {
				return err
			}
		}
		root := ctx.Env.Root()
		l, err := lock.Dir(root)
		if err != nil {
			return err
		}
		defer l.Release()
		entries, rest, err := readNetrc(ctx)
		if err != nil {
			return ui.Failf("Unable to read %s: %s", netrcPath(ctx), err.Error())
		}
		var kept []netrcEntry
		for _, e := range entries {
			if e.machine != host {
				kept = append(kept, e)
			}
		}
		if user != "" {
			kept = append(kept, netrcEntry{machine: host, login: user, password: pass})
		}
		if err := atomicfile.Write(netrcPath(ctx), []byte(formatNetrc(kept, rest)), 0o600, owner(ctx)); err != nil {
			return ui.Failf("Unable to write %s: %s", netrcPath(ctx), err.Error())
		}
		return nil
	}}
}

// git:auth-status <host> [<username> [<password>]]: exit 0 when the entry
// matches what is given (only its existence for a bare host), 1 when the
// host has no entry, 2 when it differs.
func newAuthStatusCmd(ctx *plugin.Context) *cobra.Command {
	return &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		host, user, pass, err := credentials(ctx, args)
		if err != nil {
			return err
		}
		entries, _, err := readNetrc(ctx)
		if err != nil {
			return ui.Failf("Unable to read %s: %s", netrcPath(ctx), err.Error())
		}
		u := ctx.UI()
		for _, e := range entries {
			if e.machine != host {
				continue
			}
			if (user != "" && e.login != user) || (pass != "" && e.password != pass) {
				u.Info1("The netrc entry for " + host + " does not match")
				return ui.Exit(2)
			}
			u.Info1("The netrc entry for " + host + " matches")
			return nil
		}
		u.Info1("No netrc entry exists for " + host)
		return ui.Exit(1)
	}}
}
