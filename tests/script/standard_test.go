package script

import (
	"regexp"
	"strings"
	"testing"
)

func TestStandardURLs(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	r.AddPlugin("zz-std-domains", map[string]string{
		"domains-urls": "#!/bin/sh\nif [ \"$2\" = url ]; then echo \"http://$1.example.com\"; else printf 'http://%s.example.com\\nhttps://%s.example.org\\n' \"$1\" \"$1\"; fi\n",
	})
	r.MustRun("apps:create", "site")
	appsExpect(t, r.Run("url", "site"), 0, "http://site.example.com\n", "")
	appsExpect(t, r.Run("urls", "site"), 0, "http://site.example.com\nhttps://site.example.org\n", "")
	appsExpect(t, r.Run("--app", "site", "urls"), 0, "http://site.example.com\nhttps://site.example.org\n", "")
	appsExpect(t, r.Run("urls", "nope"), 20, "", " !     App nope does not exist\n")
	appsExpect(t, r.Run("url"), 1, "", " !     Please specify an app to run the command on\n")
	appsExpect(t, r.Run("urls", "Bad/../x"), 1, "",
		" !     App name must begin with lowercase alphanumeric character, and cannot include uppercase characters, colons, or underscores\n")
}

func TestStandardDeploy(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	log := appsRecorder(t, r, 0, "deploy")
	r.MustRun("apps:create", "dep")
	appsExpect(t, r.Run("deploy", "dep"), 0, "", "")
	appsExpect(t, r.Run("deploy", "dep", "v2", "worker"), 0, "", "")
	appsExpect(t, r.Run("deploy", "ghost"), 20, "", " !     App ghost does not exist\n")
	want := "deploy dep   SKIP_REBUILD=\ndeploy dep v2 worker SKIP_REBUILD="
	if got := strings.Join(appsLog(t, log), "\n"); got != want {
		t.Fatalf("deploy trigger:\n%s", got)
	}
	r.AddPlugin("zz-std-fail", map[string]string{"deploy": "#!/bin/sh\necho boom >&2\nexit 4\n"})
	appsExpect(t, r.Run("deploy", "dep"), 4, "", "boom\n")
}

func TestStandardReport(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	r.MustRun("apps:create", "rpt")
	r.MustRun("apps:create", "rpt2")
	res := appsRun(r, "", "report", "rpt")
	if res.Code != 0 {
		t.Fatal(res)
	}
	for _, re := range []string{
		`(?m)^-----> uname: Linux \S+ .* GNU/Linux$`,
		`(?m)^-----> memory: \n {7} {8} +total +used +free +shared +buff/cache +available\n {7}Mem: +\d+`,
		`(?m)^-----> disk: $`,
		`(?m)^-----> docker version: \n {7}unavailable: `,
		`(?m)^-----> docker daemon info: $`,
		`(?m)^-----> git version: `,
		`(?m)^-----> dokku version: dokku version 0\.38\.27$`,
		`(?m)^-----> plugn version: plugn: 0\.38\.27$`,
		`(?m)^-----> dokku plugins: \n {7}  00_dokku-standard +0\.38\.27 enabled +dokku core standard plugin$`,
		`(?m)^ {9}apps +0\.38\.27 enabled +dokku core apps plugin$`,
		`(?m)^=====> rpt app information\n {7}App created at: +\d+$`,
	} {
		if !regexp.MustCompile(re).MatchString(res.Stdout) {
			t.Errorf("report lacks %s:\n%s", re, res.Stdout)
		}
	}
	if strings.Contains(res.Stdout, "rpt2 app information") {
		t.Fatal("report <app> reported another app")
	}
	all := appsRun(r, "", "report", "--all")
	if all.Code != 0 || !strings.Contains(all.Stdout, "=====> rpt app information") || !strings.Contains(all.Stdout, "=====> rpt2 app information") {
		t.Fatalf("report --all: %s", all)
	}
	host := appsRun(r, "", "report")
	if host.Code != 0 || strings.Contains(host.Stdout, "app information") || !strings.Contains(host.Stdout, "-----> dokku plugins: ") {
		t.Fatalf("report: %s", host)
	}
	appsExpect(t, appsRun(r, "", "report", "--format", "json"), 1, "", " !     --format flag not supported on global report\n")
	appsExpect(t, appsRun(r, "", "report", "rpt", "--format", "json"), 1, "", " !     --format flag not supported on global report\n")
	appsExpect(t, appsRun(r, "", "report", "nope"), 20, "", " !     App nope does not exist\n")
}

func TestStandardHelp(t *testing.T) {
	t.Parallel()
	r := appsRoot(t)
	help := r.Run("help").Stdout
	for _, re := range []string{
		`(?m)^    url +Show the first URL for an application \(compatibility\)$`,
		`(?m)^    urls +Show all URLs for an application$`,
		`(?m)^    version +Print dokku's version$`,
		`(?m)^    help +Print the list of commands$`,
	} {
		if !regexp.MustCompile(re).MatchString(help) {
			t.Errorf("dokku help lacks %s:\n%s", re, help)
		}
	}
	if strings.Contains(help, "00_dokku-standard") || regexp.MustCompile(`(?m)^    (deploy|report) `).MatchString(help) {
		t.Fatalf("hidden or plugin-name lines in help:\n%s", help)
	}
	all := r.Run("help", "--all").Stdout
	if !regexp.MustCompile(`(?m)^    urls <app> +Show all URLs for an application$`).MatchString(all) {
		t.Fatalf("help --all:\n%s", all)
	}
}
