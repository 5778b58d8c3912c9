package cli

import (
	"context"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"strings"
	"syscall"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/proc"
	"github.com/godokku/dokku/internal/ui"
	"golang.org/x/term"
)

// hasTTY is has_tty: stdin is a terminal (DOKKU_FORCE_TTY=true forces it,
// DOKKU_DISABLE_TTY=true denies it).
func hasTTY(e *env.Env) bool {
	if e.Get("DOKKU_DISABLE_TTY") == "true" {
		return false
	}
	if e.Get("DOKKU_FORCE_TTY") == "true" {
		return true
	}
	return term.IsTerminal(int(os.Stdin.Fd()))
}

// switchUser re-runs the command as the dokku user when another user runs
// it, and enforces root-only commands (runtime.md §3).
//
// Development roots: when DOKKU_SYSTEM_USER names the current user (and is
// not "dokku"), that user owns the whole tree, so no switch happens and
// root-only commands are allowed; production always has DOKKU_SYSTEM_USER=dokku.
func switchUser(ctx *plugin.Context, first string, args []string) error {
	e := ctx.Env
	me := env.CurrentUser()
	sys := e.SystemUser()
	devRoot := me == sys && sys != "dokku"
	if rootOnly(first) {
		if os.Geteuid() != 0 && !devRoot {
			return ui.Fail("This command must be run as root")
		}
		e.Set("SSH_USER", me)
		if os.Geteuid() == 0 {
			e.Set("SSH_USER", "root")
		}
		return nil
	}
	if me == sys {
		return nil
	}
	for _, k := range []string{"DOKKU_PID", "TMP", "TMPDIR", "TEMP", "TEMPDIR"} {
		e.Unset(k)
	}
	e.Set("SSH_USER", me)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if os.Geteuid() == 0 {
		return becomeUser(e, sys, self, args)
	}
	sudo, err := exec.LookPath("sudo")
	if err != nil {
		return ui.Fail("sudo is required to switch to the " + sys + " user")
	}
	err = proc.Run(context.Background(), proc.Cmd{
		Name: sudo, Args: append([]string{"-u", sys, "-E", "-H", self}, args...), Env: e.Environ(),
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
	})
	if err == nil {
		return &ui.ExitError{Code: 0} // done: the child ran the command
	}
	return err
}

// authorize is dokku_auth: SSH_USER/SSH_NAME, then the user-auth trigger
// when a plugin other than 20_events implements it.
func authorize(ctx *plugin.Context, args []string) error {
	e := ctx.Env
	user := e.Get("SSH_USER")
	if user == "" {
		user = e.Get("USER")
	}
	name := e.Get("NAME")
	if name == "" {
		name = "default"
	}
	e.Set("SSH_USER", user)
	e.Set("SSH_NAME", name)
	if len(args) > 0 {
		e.Set("DOKKU_COMMAND", args[0])
	}
	if !ctx.TriggerExists("user-auth") {
		return nil
	}
	if err := ctx.Trigger("user-auth", append([]string{user, name}, args...)...); err != nil {
		return ui.Fail("Access denied")
	}
	return nil
}

// becomeUser is the root side of the switch: what `sudo -u <sys> -E -H`
// does (target user's groups, gid and uid; environment kept; HOME, USER,
// LOGNAME of the target; SUDO_* naming the caller) done with the syscalls
// themselves and an exec of this binary in place of this process. It saves
// sudo's own start-up, PAM session and fork (~10 ms a command) for the
// common `sudo dokku ...` / root-shell case; other users still go through
// sudo, whose policy decides whether they may become the dokku user.
func becomeUser(e *env.Env, sys, self string, args []string) error {
	u, err := user.Lookup(sys)
	if err != nil {
		return ui.Failf("Unable to switch to the %s user: %v", sys, err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return ui.Failf("Unable to switch to the %s user: bad uid or gid", sys)
	}
	groups := []int{gid}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.Atoi(id); err == nil && g != gid {
				groups = append(groups, g)
			}
		}
	}
	// Groups and gid first: once the uid is dropped neither may change.
	if err := syscall.Setgroups(groups); err != nil {
		return ui.Failf("Unable to switch to the %s user: setgroups: %v", sys, err)
	}
	if err := syscall.Setgid(gid); err != nil {
		return ui.Failf("Unable to switch to the %s user: setgid: %v", sys, err)
	}
	if err := syscall.Setuid(uid); err != nil {
		return ui.Failf("Unable to switch to the %s user: setuid: %v", sys, err)
	}
	e.Set("HOME", u.HomeDir)
	e.Set("USER", sys)
	e.Set("LOGNAME", sys)
	e.Set("SUDO_USER", "root")
	e.Set("SUDO_UID", "0")
	e.Set("SUDO_GID", "0")
	e.Set("SUDO_COMMAND", strings.Join(append([]string{self}, args...), " "))
	argv := append([]string{self}, args...)
	if err := syscall.Exec(self, argv, e.Environ()); err != nil {
		return ui.Failf("Unable to run %s as the %s user: %v", self, sys, err)
	}
	return nil // not reached
}
