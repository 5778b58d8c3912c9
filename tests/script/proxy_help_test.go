package script

import (
	"testing"

	"github.com/godokku/dokku/internal/dokkutest"
)

// Dokku's domains and nginx-vhosts help is bash: `sort | column -c2 -t -s,`
// keeps the space after each comma (three spaces after the widest usage)
// and prints no trailing blank line.
const proxyDomainsHelp = `Usage: dokku domains[:COMMAND]

Manage domains used by the proxy

Additional commands:
    domains:add <app> <domain> [<domain> ...]       Add domains to app
    domains:add-global <domain> [<domain> ...]      Add global domain names
    domains:clear <app>                             Clear all domains for app
    domains:clear-global                            Clear global domain names
    domains:disable <app>                           Disable VHOST support
    domains:enable <app>                            Enable VHOST support
    domains:remove <app> <domain> [<domain> ...]    Remove domains from app
    domains:remove-global <domain> [<domain> ...]   Remove global domain names
    domains:report [<app>|--global] [<flag>]        Displays a domains report for one or more apps
    domains:reset <app>                             Reset app domains to global-configured domains
    domains:set <app> <domain> [<domain> ...]       Set domains for app
    domains:set-global <domain> [<domain> ...]      Set global domain names
`

const proxyNginxHelp = `Usage: dokku nginx[:COMMAND]

Manage the nginx proxy

Additional commands:
    nginx:access-logs <app> [-t]              Show the nginx access logs for an application (-t follows)
    nginx:error-logs <app> [-t]               Show the nginx error logs for an application (-t follows)
    nginx:reload                              Reloads the nginx server config
    nginx:report [<app>] [<flag>]             Displays an nginx report for one or more apps
    nginx:set <app> <property> (<value>)      Set or clear an nginx property for an app
    nginx:show-config <app>                   Display app nginx config
    nginx:start                               Starts the nginx server
    nginx:stop                                Stops the nginx server
    nginx:validate-config [<app>] [--clean]   Validates and optionally cleans up invalid nginx configurations
`

func TestProxyHelpBashLayout(t *testing.T) {
	r := dokkutest.New(t)
	for _, fast := range []string{"1", "0"} {
		env := []string{"DOKKU_CORE_FASTPATH=" + fast}
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"domains:help"}, proxyDomainsHelp},
			{[]string{"domains"}, proxyDomainsHelp},
			{[]string{"nginx:help"}, proxyNginxHelp},
			{[]string{"nginx"}, proxyNginxHelp},
		} {
			res := r.RunOpts(dokkutest.Opts{Env: env}, c.args...)
			if res.Code != 0 || res.Stdout != c.want || res.Stderr != "" {
				t.Errorf("fastpath=%s: %s\nwant stdout:\n%s", fast, res, c.want)
			}
		}
	}
}
