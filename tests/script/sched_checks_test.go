package script

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

func TestSchedChecksCommands(t *testing.T) {
	r := schedRoot(t, "chk")
	props := filepath.Join(r.Lib, "config", "checks", "chk")

	schedExpect(t, r.Run("checks:report", "chk"), 0, "=====> chk checks information\n"+
		"       Checks computed wait to retire: 60\n"+
		"       Checks disabled list:           none\n"+
		"       Checks global wait to retire:   \n"+
		"       Checks skipped list:            none\n"+
		"       Checks wait to retire:          \n", "")

	schedExpect(t, r.Run("checks:skip", "chk", "web,worker"), 0, "-----> Skipping zero downtime for app's (chk) proctypes (web,worker)\n", "")
	schedExpect(t, r.Run("checks:disable", "chk", "worker"), 0, "-----> Disabling zero downtime for app's (chk) proctypes (worker)\n", "")
	if schedRead(t, filepath.Join(props, "skipped")) != "web" || schedRead(t, filepath.Join(props, "disabled")) != "worker" {
		t.Fatalf("lists: skipped %q disabled %q", schedRead(t, filepath.Join(props, "skipped")), schedRead(t, filepath.Join(props, "disabled")))
	}
	schedExpect(t, r.Run("checks:report", "chk", "--checks-disabled-list"), 0, "worker\n", "")
	schedExpect(t, r.Run("checks:disable", "chk"), 0, "-----> Disabling zero downtime for app (chk)\n", "")
	schedExpect(t, r.Run("checks:report", "chk", "--checks-disabled-list"), 0, "_all_\n", "")
	schedExpect(t, r.Run("checks:report", "chk", "--checks-skipped-list"), 0, "none\n", "")
	schedExpect(t, r.Run("checks:enable", "chk", "web"), 0, "-----> Enabling zero downtime for app's (chk) proctypes (web)\n", "")
	schedExpect(t, r.Run("checks:report", "chk", "--checks-disabled-list"), 0, "_all_\n", "")
	schedExpect(t, r.Run("checks:enable", "chk"), 0, "-----> Enabling zero downtime for app's (chk)\n", "")
	schedExpect(t, r.Run("checks:report", "chk", "--checks-disabled-list"), 0, "none\n", "")
	schedExpect(t, r.Run("checks:skip", "chk"), 0, "-----> Skipping zero downtime for app (chk)\n", "")
	schedExpect(t, r.Run("checks:disable", "nope"), 20, "", " !     App nope does not exist\n")

	schedExpect(t, r.Run("checks:set", "chk", "wait-to-retire", "soon"), 1, "", " !     Invalid value for wait-to-retire, must be a non-negative integer: soon\n")
	schedExpect(t, r.Run("checks:set", "chk", "wait", "5"), 1, "", " !     Invalid property specified, valid properties include: wait-to-retire\n")
	schedExpect(t, r.Run("checks:set", "--global", "wait-to-retire", "30"), 0, "=====> Setting wait-to-retire to 30\n", "")
	schedExpect(t, r.Run("plugin:trigger", "checks-get-property", "chk", "wait-to-retire"), 0, "30\n", "")
	schedExpect(t, r.Run("checks:set", "chk", "wait-to-retire", "5"), 0, "=====> Setting wait-to-retire to 5\n", "")
	schedExpect(t, r.Run("plugin:trigger", "checks-get-property", "chk", "wait-to-retire"), 0, "5\n", "")
	schedExpect(t, r.Run("plugin:trigger", "checks-get-property", "chk", "attempts"), 1, "", " !     Invalid checks property specified: attempts\n")
	schedExpect(t, r.Run("checks:report", "--global"), 0, "=====> --global checks information\n"+
		"       Checks computed wait to retire: 30\n"+
		"       Checks global wait to retire:   30\n", "")
	res := r.Run("checks:report", "chk", "--format", "json")
	var data map[string]string
	if err := json.Unmarshal([]byte(res.Stdout), &data); err != nil {
		t.Fatalf("%v %s", err, res)
	}
	if data["wait-to-retire"] != "5" || data["skipped-list"] != "_all_" || data["computed-wait-to-retire"] != "5" {
		t.Errorf("json %v", data)
	}

	// checks:run needs running containers
	r.MustRun("checks:enable", "chk")
	schedExpect(t, r.Run("checks:run", "chk"), 1, "-----> Running pre-flight checks\n", " !     Invalid container index specified (chk.web.1)\n")
	schedExpect(t, r.Run("checks:run", "chk", "worker"), 1, "-----> Running pre-flight checks\n", " !     Invalid process type specified (chk.worker)\n")

	// Dokku renders the checks help with `sort | column -c2 -t -s,`.
	schedExpect(t, r.Run("checks:help"), 0, "Usage: dokku checks[:COMMAND]\n\nManage zero-downtime settings\n\nAdditional commands:\n"+
		"    checks:disable <app> [process-type(s)]      Disable zero-downtime deployment for all processes (or comma-separated process-type list) ***WARNING: this will cause downtime during deployments***\n"+
		"    checks:enable <app> [process-type(s)]       Enable zero-downtime deployment for all processes (or comma-separated process-type list)\n"+
		"    checks:report [<app>] [<flag>]              Displays a checks report for one or more apps\n"+
		"    checks:run <app> [process-type(s)]          Runs zero-downtime checks for all processes (or comma-separated process-type list)\n"+
		"    checks:set [--global|<app>] <key> <value>   Set or clear a logs property for an app\n"+
		"    checks:skip <app> [process-type(s)]         Skip zero-downtime checks for all processes (or comma-separated process-type list)\n", "")
	r.MustRun("apps:destroy", "chk", "--force")
	if schedRead(t, filepath.Join(props, "wait-to-retire")) != "" {
		t.Errorf("checks properties left after destroy")
	}
}

func TestSchedSchedulerCommands(t *testing.T) {
	r := schedRoot(t, "sch")
	schedExpect(t, r.Run("plugin:trigger", "scheduler-detect", "sch"), 0, "docker-local\n", "")
	schedExpect(t, r.Run("scheduler:set", "--global", "selected", "k3s"), 0, "=====> Setting selected to k3s\n", "")
	schedExpect(t, r.Run("plugin:trigger", "scheduler-detect", "--global"), 0, "k3s\n", "")
	schedExpect(t, r.Run("plugin:trigger", "scheduler-detect", "sch"), 0, "k3s\n", "")
	schedExpect(t, r.Run("scheduler:set", "sch", "selected", "null"), 0, "=====> Setting selected to null\n", "")
	schedExpect(t, r.Run("plugin:trigger", "scheduler-detect", "sch"), 0, "null\n", "")
	schedExpect(t, r.Run("scheduler:set", "sch", "shell", "/bin/sh"), 0, "=====> Setting shell to /bin/sh\n", "")
	schedExpect(t, r.Run("scheduler:set", "sch", "colour", "x"), 1, "", " !     Invalid property specified, valid properties include: selected, shell\n")
	schedExpect(t, r.Run("scheduler:report", "sch"), 0, "=====> sch scheduler information\n"+
		"       Scheduler computed selected:   null\n"+
		"       Scheduler computed shell:      /bin/sh\n"+
		"       Scheduler global selected:     k3s\n"+
		"       Scheduler global shell:        \n"+
		"       Scheduler selected:            null\n"+
		"       Scheduler shell:               /bin/sh\n", "")
	schedExpect(t, r.Run("scheduler:report", "sch", "--scheduler-computed-shell"), 0, "/bin/sh\n", "")
	// the null scheduler reports one running process and deploys nothing
	schedExpect(t, r.Run("ps:report", "sch", "--processes"), 0, "1\n", "")
	schedExpect(t, r.Run("ps:report", "sch", "--running"), 0, "true\n", "")
	schedExpect(t, r.Run("plugin:trigger", "scheduler-deploy", "null", "sch", "latest"), 0, "", "")
	schedExpect(t, r.Run("scheduler:set", "sch", "selected"), 0, "=====> Unsetting selected\n", "")
	schedExpect(t, r.Run("scheduler:set", "--global", "selected", ""), 0, "=====> Unsetting selected\n", "")
	schedExpect(t, r.Run("plugin:trigger", "scheduler-detect", "sch"), 0, "docker-local\n", "")

	schedExpect(t, r.Run("docker-local:set", "sch", "init-process", "maybe"), 1, "", " !     Invalid value specified, valid values include: true, false\n")
	schedExpect(t, r.Run("docker-local:set", "sch", "init-process", "false"), 0, "=====> Setting init-process to false\n", "")
	schedExpect(t, r.Run("scheduler-docker-local:set", "--global", "parallel-schedule-count", "0"), 1, "", " !     Invalid value for parallel-schedule-count, must be a positive integer: 0\n")
	schedExpect(t, r.Run("scheduler-docker-local:set", "--global", "parallel-schedule-count", "3"), 0, "=====> Setting parallel-schedule-count to 3\n", "")
	schedExpect(t, r.Run("docker-local:report", "sch", "--scheduler-docker-local-computed-parallel-schedule-count"), 0, "3\n", "")
	schedExpect(t, r.Run("docker-local:report", "sch", "--scheduler-docker-local-computed-init-process"), 0, "false\n", "")
	// docker-local is not deployed without container files
	if res := r.Run("plugin:trigger", "scheduler-is-deployed", "docker-local", "sch"); res.Code == 0 {
		t.Errorf("deployed without containers: %s", res)
	}
	if res := r.Run("plugin:trigger", "scheduler-is-deployed", "k3s", "sch"); res.Code != 0 {
		t.Errorf("docker-local answered for another scheduler: %s", res)
	}
}

func TestSchedNetworkCommands(t *testing.T) {
	r := schedRoot(t, "net")
	schedExpect(t, r.Run("network:set", "net", "attach-post-create", "host"), 1, "", " !     Invalid network name specified for attach: host\n")
	schedExpect(t, r.Run("network:set", "net", "attach-post-create", "backend", "metrics"), 0, "=====> Setting attach-post-create to backend,metrics\n", "")
	schedExpect(t, r.Run("network:set", "net", "attach-post-deploy", "metrics"), 1, "", " !     Network name already associated with this app: metrics\n")
	schedExpect(t, r.Run("network:set", "net", "bind-all-interfaces", "yes"), 1, "", " !     Invalid value specified, valid values include: true, false\n")
	schedExpect(t, r.Run("network:set", "net", "bind-all-interfaces"), 0, "=====> Setting bind-all-interfaces to false\n", "")
	schedExpect(t, r.Run("network:set", "--global", "static-web-listener", "1.2.3.4:80"), 1, "", " !     Property cannot be specified globally\n")
	schedExpect(t, r.Run("network:set", "net", "static-web-listener", "nope"), 1, "", " !     Invalid static-web-listener specified, must be in the format ip:port\n")
	schedExpect(t, r.Run("network:set", "--global", "initial-network", "private"), 0, "=====> Setting initial-network to private\n", "")
	schedExpect(t, r.Run("network:set", "net", "tld", "svc.local"), 0, "=====> Setting tld to svc.local\n", "")
	schedExpect(t, r.Run("plugin:trigger", "network-get-property", "net", "initial-network"), 0, "private\n", "")
	schedExpect(t, r.Run("plugin:trigger", "network-get-property", "net", "bind-all-interfaces"), 0, "false\n", "")
	schedExpect(t, r.RunOpts(dokkutest.Opts{Stdin: "--env=A"}, "plugin:trigger", "docker-args-process-deploy", "net", "dockerfile", "latest", "web", "1"),
		0, "--env=A --network=private  --restart=on-failure:10 ", "")
	schedExpect(t, r.RunOpts(dokkutest.Opts{Stdin: "x"}, "plugin:trigger", "docker-args-process-build", "net", "dockerfile"), 0, "x", "")
	schedExpect(t, r.RunOpts(dokkutest.Opts{Stdin: "x"}, "plugin:trigger", "docker-args-process-build", "net", "herokuish"), 0, "x --network=private ", "")

	// listener files
	schedExpect(t, r.Run("plugin:trigger", "network-config-exists", "net"), 0, "false\n", "")
	r.MustRun("plugin:trigger", "network-write-ipaddr", "net", "web", "2", "172.17.0.9")
	r.MustRun("plugin:trigger", "network-write-ipaddr", "net", "web", "1", "172.17.0.8")
	r.MustRun("plugin:trigger", "network-write-port", "net", "web", "1", "8080")
	r.MustRun("plugin:trigger", "network-write-ipaddr", "net", "worker", "1", "172.17.0.7")
	if schedRead(t, filepath.Join(r.Home, "net", "IP.web.1")) != "172.17.0.8" {
		t.Fatalf("IP file")
	}
	schedExpect(t, r.Run("plugin:trigger", "network-config-exists", "net"), 0, "true\n", "")
	schedExpect(t, r.Run("plugin:trigger", "network-get-listeners", "net", "web"), 0, "172.17.0.8:8080 172.17.0.9:5000\n", "")
	schedExpect(t, r.Run("plugin:trigger", "network-get-listeners", "net", "worker"), 0, "172.17.0.7:5000\n", "")
	schedExpect(t, r.Run("plugin:trigger", "network-write-ipaddr", "net", "../x", "1", "1.1.1.1"), 1, "", " !     Invalid argument \"../x\"\n")
	schedExpect(t, r.Run("network:report", "net", "--network-web-listeners"), 0, "172.17.0.8:8080 172.17.0.9:5000\n", "")
	schedExpect(t, r.Run("network:set", "net", "static-web-listener", "10.0.0.5:3000"), 0, "=====> Setting static-web-listener to 10.0.0.5:3000\n", "")
	schedExpect(t, r.Run("plugin:trigger", "network-get-listeners", "net", "web"), 0, "10.0.0.5:3000\n", "")
	schedExpect(t, r.Run("plugin:trigger", "network-get-static-listeners", "net", "web"), 0, "10.0.0.5:3000\n", "")
	schedExpect(t, r.Run("plugin:trigger", "network-get-ipaddr", "net", "web", "whatever"), 0, "10.0.0.5\n", "")

	res := r.Run("network:report", "net", "--format", "json")
	var data map[string]string
	if err := json.Unmarshal([]byte(res.Stdout), &data); err != nil {
		t.Fatalf("%v %s", err, res)
	}
	for k, want := range map[string]string{
		"attach-post-create": "backend,metrics", "computed-initial-network": "private", "global-initial-network": "private",
		"computed-tld": "svc.local", "bind-all-interfaces": "false", "static-web-listener": "10.0.0.5:3000",
		"web-listeners": "10.0.0.5:3000", "network-tld": "svc.local",
	} {
		if data[k] != want {
			t.Errorf("json %s = %q want %q", k, data[k], want)
		}
	}
	schedExpect(t, r.Run("network:info"), 1, "", " !     No network name specified\n")
	schedExpect(t, r.Run("network:list", "--format", "xml"), 1, "", " !     Invalid format specified, use either text or json\n")
	schedExpect(t, r.RunOpts(dokkutest.Opts{Stdin: "wrong\n"}, "network:destroy", "sched-nonexistent-net"), 1,
		"\n> ", " !     WARNING: Potentially Destructive Action\n !     This command will destroy network sched-nonexistent-net.\n !     To proceed, type \"sched-nonexistent-net\"\n !     Confirmation did not match test. Aborted.\n")
	// a cloned app does not inherit the listeners
	r.MustRun("apps:clone", "--skip-deploy", "net", "net2")
	if schedRead(t, filepath.Join(r.Home, "net2", "IP.web.1")) != "" {
		t.Errorf("listener file copied to the clone")
	}
	schedExpect(t, r.Run("network:report", "net2", "--network-tld"), 0, "svc.local\n", "")
	if !strings.Contains(r.MustRun("network:help").Stdout, "Manage network settings for an app") {
		t.Errorf("help")
	}
}

func TestSchedNullSchedulerHelp(t *testing.T) {
	r := dokkutest.New(t)
	schedExpect(t, r.Run("scheduler-null:help"), 0, "Usage: dokku scheduler-null[:COMMAND]\n\nNo-op scheduler plugin\n\n", "")
	if res := r.MustRun("help"); !strings.Contains(res.Stdout, "    scheduler-null           No-op scheduler plugin\n") {
		t.Errorf("help lacks scheduler-null:\n%s", res.Stdout)
	}
	// Only their help is a command: the bare words are not dokku commands.
	schedExpect(t, r.Run("builder-null:help"), 0, "Usage: dokku builder-null[:COMMAND]\n\nNo-op builder plugin\n\n", "")
	for _, word := range []string{"scheduler-null", "builder-null"} {
		schedExpect(t, r.Run(word), 1, "", " !     `"+word+"` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n")
	}
}
