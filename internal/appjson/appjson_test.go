package appjson

import (
	"strings"
	"testing"
)

func TestAppJSONParse(t *testing.T) {
	a, err := Parse([]byte(`{
	  "scripts": {"dokku": {"predeploy": "make pre", "postdeploy": "make post"}, "postdeploy": "seed"},
	  "formation": {"web": {"quantity": 2, "max_parallel": 3}, "worker": {"quantity": 0}},
	  "env": {"PLAIN": "v", "OBJ": {"value": "d", "required": false}, "SECRET": {"generator": "secret"}, "REQ": {"description": "x"}},
	  "healthchecks": {"web": [{"type": "startup", "path": "/health", "attempts": 2}]},
	  "unknown": [1, 2]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if a.Scripts.Dokku.Predeploy != "make pre" || a.Scripts.Dokku.Postdeploy != "make post" || a.Scripts.Postdeploy != "seed" {
		t.Errorf("scripts %+v", a.Scripts)
	}
	if a.MaxParallel("web") != 3 || a.MaxParallel("worker") != 1 || a.MaxParallel("none") != 1 {
		t.Error("max parallel")
	}
	if strings.Join(a.FormationTypes(), ",") != "web,worker" || strings.Join(a.EnvKeys(), ",") != "OBJ,PLAIN,REQ,SECRET" {
		t.Error("keys")
	}
	if a.Env["PLAIN"].Value != "v" || a.Env["OBJ"].IsRequired() || !a.Env["REQ"].IsRequired() || a.Env["SECRET"].Generator != "secret" {
		t.Errorf("env %+v", a.Env)
	}
	if a.Healthchecks["web"][0].Path != "/health" {
		t.Error("healthchecks")
	}
	for _, blank := range []string{"", "  \n"} {
		if a, err := Parse([]byte(blank)); err != nil || a.Scripts.Dokku.Predeploy != "" {
			t.Errorf("blank %q: %v", blank, err)
		}
	}
	for _, bad := range []string{`{`, `{"formation": {"web": {"quantity": "two"}}}`, `{"scripts": []}`} {
		if _, err := Parse([]byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "Cannot parse app.json: ") {
			t.Errorf("Parse(%q) = %v", bad, err)
		}
	}
}
