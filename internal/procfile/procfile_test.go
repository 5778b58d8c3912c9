package procfile

import (
	"reflect"
	"strings"
	"testing"
)

func TestProcfileParse(t *testing.T) {
	text := `
# a comment
// another comment
worker: ./work --queue default   # trailing comment
web:  python -m http.server $PORT
release_task: ./migrate // note
`
	got, err := Parse(text, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{"release_task", "./migrate"},
		{"web", "python -m http.server $PORT"},
		{"worker", "./work --queue default"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v want %#v", got, want)
	}
}

func TestProcfileParseErrors(t *testing.T) {
	cases := map[string]string{
		"":                              "no entries found in Procfile",
		"# only comments\n":             "no entries found in Procfile",
		"web ./server\n":                "invalid line in procfile, line 1",
		"web: a\nweb: b\n":              "process names must be unique, line 2",
		"web: # nothing\n":              "comment specified in place of command, line 1",
		"web:\n":                        "invalid line in procfile, line 1",
		strings.Repeat("a", 64) + ": x": "process name over 63 characters, line 1",
		"we.b: x\n":                     "invalid line in procfile, line 1",
	}
	for in, msg := range cases {
		_, err := Parse(in, false)
		if err == nil || err.Error() != msg {
			t.Errorf("Parse(%q) = %v, want %q", in, err, msg)
		}
	}
	if _, err := Parse("Web_1: x\n", true); err == nil || err.Error() != "process name contains invalid characters, line 1" {
		t.Errorf("strict: %v", err)
	}
	if _, err := Parse("Web_1: x\n", false); err != nil {
		t.Errorf("lenient: %v", err)
	}
}

func TestProcfileExpand(t *testing.T) {
	env := map[string]string{"RAILS_ENV": "production"}
	got := Expand("puma -p $PORT -e ${RAILS_ENV} --ps $PS $MISSING.", "web", 0, env)
	if got != "puma -p 5000 -e production --ps web ." {
		t.Fatalf("got %q", got)
	}
	if got := Expand("x $PORT", "web", 8080, nil); got != "x 8080" {
		t.Fatalf("got %q", got)
	}
	if got := Expand("x $PORT", "web", 8080, map[string]string{"PORT": "3000"}); got != "x 3000" {
		t.Fatalf("env wins: got %q", got)
	}
	if refs := References("a $PORT ${X} $PORT $Y"); !reflect.DeepEqual(refs, []string{"PORT", "X", "Y"}) {
		t.Fatalf("refs %v", refs)
	}
}
