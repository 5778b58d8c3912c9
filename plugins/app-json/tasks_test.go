package appjson

import (
	"reflect"
	"strings"
	"testing"
)

func TestAppJSONConstructScript(t *testing.T) {
	got, err := ConstructScript("touch /x && echo ok", "/bin/bash", false, false, "", false)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/bin/bash", "-c", "set -e; set -o pipefail || true; touch /x && echo ok || exit 1;"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q", got)
	}
	got, _ = ConstructScript("/bin/migrate --all", "/bin/sh", false, false, "", true)
	want = []string{"/bin/sh", "-c", `set -e; set -o pipefail || true; set -x; if [[ ! -x "/bin/migrate" ]]; then   echo specified binary is not executable;   exit 1; fi; /bin/migrate --all || exit 1;`}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q", got)
	}
	// an image ENTRYPOINT receives the words; tini entrypoints do not count
	got, _ = ConstructScript(`rake "db:migrate now"`, "/bin/bash", false, false, `ENTRYPOINT ["/docker-entrypoint.sh"]`, false)
	if !reflect.DeepEqual(got, []string{"rake", "db:migrate now"}) {
		t.Fatalf("entrypoint words %q", got)
	}
	got, _ = ConstructScript("rake", "/bin/bash", false, false, `ENTRYPOINT ["/tini","--"]`, false)
	if got[0] != "/bin/bash" {
		t.Fatalf("tini %q", got)
	}
	got, _ = ConstructScript("rake", "/bin/bash", true, false, "", false)
	if !strings.HasPrefix(got[2], "set -e; set -o pipefail || true; if [[ -d '/app' ]]; then   export HOME=/app;   cd $HOME; fi;") ||
		!strings.HasSuffix(got[2], "rake || exit 1; if [[ -d '/cache' ]]; then   rm -f /tmp/cache; fi;") {
		t.Fatalf("herokuish %q", got[2])
	}
}

func TestAppJSONSerializeProcess(t *testing.T) {
	if got := serializeProcess("CMD", []string{"/bin/sh", "-c", "httpd -f"}); got != "CMD httpd -f" {
		t.Error(got)
	}
	if got := serializeProcess("ENTRYPOINT", []string{"/e.sh", "a b"}); got != `ENTRYPOINT ["/e.sh","a b"]` {
		t.Error(got)
	}
	if serializeProcess("CMD", nil) != "" {
		t.Error("empty")
	}
}

func TestAppJSONMergedEnv(t *testing.T) {
	got := mergedEnv(map[string]string{"B": "2", "A": "x y"}, []string{"B=3", "C="})
	if !reflect.DeepEqual(got, []string{"A=x y", "B=3", "C="}) {
		t.Fatal(got)
	}
}

func TestAppJSONInstructionForm(t *testing.T) {
	if got := jsonInstruction("CMD", []string{"/bin/sh", "-c", "a\nb"}); got != `CMD ["/bin/sh","-c","a\nb"]` {
		t.Error(got)
	}
	if got := jsonInstruction("ENTRYPOINT", nil); got != "ENTRYPOINT []" {
		t.Error(got)
	}
}
