package script

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

// argvPlugin records the argv and selected env of its command.
func argvPlugin(r *dokkutest.Root) {
	r.AddPlugin("argv", map[string]string{
		"commands": `#!/usr/bin/env bash
case "$1" in
  help) if [[ "$(ps -o command= $PPID)" == *"--all"* ]]; then echo "    argv:show <x>, Show argv"; else echo "    argv, Show argv"; fi ;;
  argv:*) printf '[%s]' "$@"; echo; echo "SSH_USER=$SSH_USER SSH_NAME=$SSH_NAME APP=$DOKKU_APP_NAME FLAGS=$DOKKU_GLOBAL_FLAGS QUIET=$DOKKU_QUIET_OUTPUT ORIG=${SSH_ORIGINAL_COMMAND-unset}" ;;
  *) exit "$DOKKU_NOT_IMPLEMENTED_EXIT" ;;
esac
`,
	})
}

func TestDispatchSSHOriginalCommandXargs(t *testing.T) {
	r := dokkutest.New(t)
	argvPlugin(r)
	res := r.RunOpts(dokkutest.Opts{Env: []string{`SSH_ORIGINAL_COMMAND=argv:show 'a b' "c d" e\ f`, "NAME=alice", "FINGERPRINT=SHA256:x"}}, "ignored", "words")
	if res.Code != 0 {
		t.Fatal(res)
	}
	lines := strings.Split(res.Stdout, "\n")
	if lines[0] != "[argv:show][a b][c d][e f]" {
		t.Fatalf("xargs splitting: %q", lines[0])
	}
	if !strings.Contains(lines[1], "SSH_NAME=alice") || !strings.Contains(lines[1], "ORIG=unset") {
		t.Fatalf("env: %q", lines[1])
	}
	bad := r.RunOpts(dokkutest.Opts{Env: []string{`SSH_ORIGINAL_COMMAND=argv:show 'open`}}, "x")
	if bad.Code == 0 {
		t.Fatalf("unmatched quote must fail: %s", bad)
	}
}

func TestDispatchSSHOriginalCommandGitWordsKeepQuotes(t *testing.T) {
	r := dokkutest.New(t)
	// Any first word containing "git" takes the blank-splitting path; use
	// one the git plugin does not claim.
	r.AddPlugin("legit", map[string]string{
		"commands": "#!/usr/bin/env bash\n[[ \"$1\" == legit:show ]] || exit \"$DOKKU_NOT_IMPLEMENTED_EXIT\"\nprintf '[%s]' \"$@\"\n",
	})
	res := r.RunOpts(dokkutest.Opts{Env: []string{`SSH_ORIGINAL_COMMAND=legit:show 'my app'`}}, "legit:show")
	if res.Stdout != "[legit:show]['my][app']" {
		t.Fatalf("git words are split on blanks only: %s", res)
	}
}

func TestDispatchUserAuth(t *testing.T) {
	r := dokkutest.New(t)
	argvPlugin(r)
	r.AddPlugin("auth", map[string]string{
		"user-auth": "#!/usr/bin/env bash\necho \"$@\" >> \"$DOKKU_ROOT/auth.log\"\n[[ \"$2\" == allowed ]]\n",
	})
	ok := r.RunOpts(dokkutest.Opts{Env: []string{"NAME=allowed"}}, "argv:show", "x")
	if ok.Code != 0 {
		t.Fatal(ok)
	}
	denied := r.RunOpts(dokkutest.Opts{Env: []string{"NAME=mallory"}}, "argv:show", "x")
	if denied.Code != 1 || denied.Stderr != " !     Access denied\n" || denied.Stdout != "" {
		t.Fatalf("denied: %s", denied)
	}
	log, _ := os.ReadFile(filepath.Join(r.Home, "auth.log"))
	if !strings.Contains(string(log), " allowed argv:show x") {
		t.Fatalf("user-auth args: %q", log)
	}
}

func TestDispatchGlobalFlagsAndAppInjection(t *testing.T) {
	r := dokkutest.New(t)
	argvPlugin(r)
	res := r.MustRun("--quiet", "--app", "myapp", "argv:show", "tail", "--trace")
	if !strings.HasPrefix(res.Stdout, "[argv:show][tail][--trace]\n") {
		t.Fatalf("community plugins get argv untouched: %q", res.Stdout)
	}
	if !strings.Contains(res.Stdout, "APP=myapp FLAGS=--quiet --app=myapp --trace QUIET=1") {
		t.Fatalf("%q", res.Stdout)
	}
	// Core plugins get --app inserted after the command word.
	r.MustRun("apps:create", "injected")
	rep := r.MustRun("--app", "injected", "apps:exists")
	if rep.Code != 0 {
		t.Fatal(rep)
	}
	miss := r.Run("--app", "nope", "apps:exists")
	if miss.Code != 20 {
		t.Fatalf("--app value reaches the core command: %s", miss)
	}
}

func TestDispatchCommandsFallback(t *testing.T) {
	r := dokkutest.New(t)
	r.AddPlugin("aaa-first", map[string]string{"commands": "#!/bin/sh\n[ \"$1\" = shared ] || exit 10\necho first\n"})
	r.AddPlugin("bbb-second", map[string]string{"commands": "#!/bin/sh\n[ \"$1\" = shared ] || exit 10\necho second\n"})
	r.AddPlugin("ccc-fails", map[string]string{"commands": "#!/bin/sh\n[ \"$1\" = failing ] || exit 10\necho failing >&2\nexit 42\n"})
	res := r.MustRun("shared")
	if res.Stdout != "first\nsecond\n" {
		t.Fatalf("every handler runs: %q", res.Stdout)
	}
	fail := r.Run("failing")
	if fail.Code != 42 || fail.Stderr != "failing\n" {
		t.Fatalf("handled-but-failed code propagates: %s", fail)
	}
}

func TestDispatchAliases(t *testing.T) {
	r := dokkutest.New(t)
	// events:* lives in 20_events, nginx:* in nginx-vhosts; docker-local is rewritten.
	if res := r.Run("events:list"); res.Code != 0 && !strings.Contains(res.Stderr, "Events logger disabled") {
		t.Fatalf("events alias: %s", res)
	}
	if res := r.Run("nginx:help"); res.Code != 0 || !strings.Contains(res.Stdout, "nginx:") {
		t.Fatalf("nginx alias: %s", res)
	}
	if res := r.Run("docker-local:help"); res.Code != 0 || !strings.Contains(res.Stdout, "scheduler-docker-local") {
		t.Fatalf("docker-local alias: %s", res)
	}
}

func TestDispatchHelpLayout(t *testing.T) {
	r := dokkutest.New(t)
	argvPlugin(r)
	res := r.RunOpts(dokkutest.Opts{Env: []string{"DOKKU_FORCE_TTY=true"}}, "help")
	out := res.Stdout
	head := "Usage: dokku [--quiet|--trace|--force] COMMAND <app> [command-specific-options]\n\n" +
		"Primary help options, type \"dokku COMMAND:help\" for more details, or dokku help --all to see all commands.\n\n" +
		"Commands:\n\n"
	if !strings.HasPrefix(out, head) {
		t.Fatalf("header:\n%s", out)
	}
	if !strings.Contains(out, "\n    apps ") || !strings.Contains(out, "\n    config ") || strings.Contains(out, "apps:create") {
		t.Fatalf("core summary lines only:\n%s", out)
	}
	if !strings.Contains(out, "\nCommunity plugin commands:\n\n    argv   Show argv\n") {
		t.Fatalf("community block:\n%s", out)
	}
	all := r.RunOpts(dokkutest.Opts{Env: []string{"DOKKU_FORCE_TTY=true"}}, "help", "--all").Stdout
	if !strings.Contains(all, "    apps:create <app>") || !strings.Contains(all, "    argv:show <x>") {
		t.Fatalf("help --all:\n%s", all)
	}
	// Without a TTY the dispatcher's own header lines are quiet.
	if piped := r.Run("help").Stdout; strings.Contains(piped, "Usage: dokku") || !strings.Contains(piped, "    apps ") {
		t.Fatalf("piped help:\n%s", piped)
	}
	for _, line := range strings.Split(strings.TrimRight(strings.SplitN(out, "Commands:\n\n", 2)[1], "\n"), "\n") {
		if line == "" || strings.HasPrefix(line, "Community") {
			break
		}
		if !strings.HasPrefix(line, "    ") {
			t.Fatalf("help line %q", line)
		}
	}
}

func TestDispatchNamespaceHelp(t *testing.T) {
	r := dokkutest.New(t)
	res := r.MustRun("apps:help")
	if !strings.HasPrefix(res.Stdout, "Usage: dokku apps[:COMMAND]\n\nManage apps\n\nAdditional commands:\n    apps:") {
		t.Fatalf("%s", res.Stdout)
	}
}

func TestDispatchRCFilesTakeEffect(t *testing.T) {
	r := dokkutest.New(t)
	argvPlugin(r)
	os.MkdirAll(filepath.Join(r.Home, ".dokkurc"), 0o755)
	os.WriteFile(filepath.Join(r.Home, ".dokkurc", "custom"), []byte("export FROM_DOTDOKKURC=\"$(echo computed)\"\n"), 0o644)
	os.WriteFile(filepath.Join(r.Home, "dokkurc"), []byte("export FROM_DOKKURC=plain\n"), 0o644)
	r.AddPlugin("showenv", map[string]string{"commands": "#!/bin/sh\n[ \"$1\" = showenv ] || exit 10\necho \"$FROM_DOKKURC $FROM_DOTDOKKURC $FROM_DEFAULTS\"\n"})
	os.WriteFile(r.Path("etc-default-dokku"), []byte("export FROM_DEFAULTS=yes\n"), 0o644)
	if res := r.MustRun("showenv"); res.Stdout != "plain computed yes\n" {
		t.Fatalf("%q", res.Stdout)
	}
}

func TestDispatchRootOnlyRefusedForDokkuUser(t *testing.T) {
	r := dokkutest.New(t)
	// Pretend the scratch root belongs to a real "dokku" system user that is
	// not us: root-only commands are refused unless we are root.
	res := r.RunOpts(dokkutest.Opts{Env: []string{"DOKKU_SYSTEM_USER=dokku"}}, "plugin:install")
	if os.Geteuid() == 0 {
		if strings.Contains(res.Stderr, "This command must be run as root") {
			t.Fatalf("root may run root-only commands: %s", res)
		}
		return
	}
	if res.Code != 1 || res.Stderr != " !     This command must be run as root\n" {
		t.Fatalf("%s", res)
	}
}

// TestDispatchTrailingAppFlagWithoutValue pins bash `shift 2` semantics: a
// leading --app with no value is not stripped, so it is the command word and
// the dispatcher reports it as unknown instead of printing the help listing.
func TestDispatchTrailingAppFlagWithoutValue(t *testing.T) {
	r := dokkutest.New(t)
	for _, args := range [][]string{{"--app"}, {"--quiet", "--app"}} {
		res := r.Run(args...)
		want := " !     `--app` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n"
		if res.Code != 1 || res.Stdout != "" || res.Stderr != want {
			t.Fatalf("%s", res)
		}
	}
}

// TestDispatchFrontRunsLightCommandsAlone: the front binary runs its light
// commands (version, apps:list, config:get...) without the engine, hands
// everything else to dokku-engine beside it, and says so clearly when the
// engine is missing.
func TestDispatchFrontRunsLightCommandsAlone(t *testing.T) {
	r := dokkutest.New(t)
	r.MustRun("apps:create", "lone")
	r.MustRun("config:set", "--no-restart", "lone", "K=v")
	alone := filepath.Join(t.TempDir(), "dokku")
	b, err := os.ReadFile(r.Bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, b, 0o755); err != nil {
		t.Fatal(err)
	}
	front := *r
	front.Bin = alone
	if res := front.Run("version"); res.Code != 0 || res.Stdout != "dokku version 0.38.27\n" {
		t.Errorf("version without the engine:\n%s", res)
	}
	if res := front.Run("apps:list"); res.Code != 0 || res.Stdout != "=====> My Apps\nlone\n" {
		t.Errorf("apps:list without the engine:\n%s", res)
	}
	if res := front.RunOpts(dokkutest.Opts{Env: []string{"SSH_ORIGINAL_COMMAND=config:get lone K"}}, "config:get", "lone", "K"); res.Code != 0 || res.Stdout != "v\n" {
		t.Errorf("config:get over ssh without the engine:\n%s", res)
	}
	res := front.Run("apps:create", "other")
	if res.Code != 1 || res.Stderr != " !     Unable to run "+filepath.Join(filepath.Dir(alone), "dokku-engine")+": no such file or directory\n" {
		t.Errorf("apps:create without the engine:\n%s", res)
	}
	// With the engine beside it, the same front runs it.
	if res := r.Run("apps:create", "other"); res.Code != 0 {
		t.Errorf("apps:create:\n%s", res)
	}
}
