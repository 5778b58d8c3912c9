package ps

import (
	"reflect"
	"testing"
)

func TestPsParseTuples(t *testing.T) {
	got, err := parseTuples([]string{"web=2", " worker = 1", "web=5", "clock=0"})
	want := []Formation{{"web", 2}, {"worker", 1}, {"clock", 0}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("%v %v", got, err)
	}
	for in, msg := range map[string]string{
		"web":    "Missing count for process type web",
		"web=x":  "Invalid count for process type web",
		"web=-1": "Invalid count for process type web",
		"a/b=1":  "Invalid process type name a/b",
		"=1":     "Invalid process type name ",
	} {
		if _, err := parseTuples([]string{in}); err == nil || err.Error() != msg {
			t.Errorf("%q: %v want %q", in, err, msg)
		}
	}
}

func TestPsValidRestartPolicy(t *testing.T) {
	for v, ok := range map[string]bool{
		"no": true, "always": true, "unless-stopped": true, "on-failure": true, "on-failure:3": true,
		"on-failure:": false, "on-failure:-1": false, "sometimes": false, "": false, "always:2": false,
	} {
		if ValidRestartPolicy(v) != ok {
			t.Errorf("%q: %v", v, !ok)
		}
	}
}
