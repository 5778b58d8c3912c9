package proxy

import "testing"

func TestProxyParseAll(t *testing.T) {
	a, err := parseAll([]string{"--parallel", "4", "--all"}, true)
	if err != nil || !a.all || a.parallel != 4 {
		t.Fatalf("%+v %v", a, err)
	}
	a, err = parseAll([]string{"myapp", "--parallel=-1"}, true)
	if err != nil || a.app != "myapp" || a.parallel != -1 {
		t.Fatalf("%+v %v", a, err)
	}
	for _, args := range [][]string{{}, {"--parallel"}, {"--parallel", "x", "app"}, {"--bogus", "app"}} {
		if _, err := parseAll(args, true); err == nil {
			t.Errorf("%v: expected an error", args)
		}
	}
	// Dokku checks the range only when --all runs.
	if a, err := parseAll([]string{"--parallel", "-2", "app"}, true); err != nil || a.parallel != -2 {
		t.Errorf("--parallel -2: %+v %v", a, err)
	}
	if _, err := parseAll([]string{"--parallel", "2", "app"}, false); err == nil {
		t.Error("clear-config accepts --parallel")
	}
}
