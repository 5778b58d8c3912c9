package sigil

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSigilYAMLParse(t *testing.T) {
	doc := `
# comment
name: web # trailing
ports:
- 80
- "443"
nested:
  a: [1, two, {x: z}]
  b: |
    line1
    line2
  c: >-
    folded
    text
list:
  - k: v
    k2: v2
  - plain
quoted: 'it''s'
esc: "tab\there"
empty:
flag: yes
num: 1.5
`
	v, err := ParseYAML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(v)
	want := `{"empty":null,"esc":"tab\there","flag":true,"list":[{"k":"v","k2":"v2"},"plain"],"name":"web","nested":{"a":[1,"two",{"x":"z"}],"b":"line1\nline2\n","c":"folded text"},"num":1.5,"ports":[80,"443"],"quoted":"it's"}`
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestSigilYAMLErrors(t *testing.T) {
	for _, doc := range []string{"a: &x 1\nb: *x\n", "a: [1, 2\n", "a:\n  b: 1\n c: 2\n", "k: \"open\n"} {
		if _, err := ParseYAML([]byte(doc)); err == nil {
			t.Errorf("%q: expected an error", doc)
		}
	}
}

func TestSigilYAMLRoundTrip(t *testing.T) {
	in := map[string]interface{}{
		"b":     []interface{}{"x", 2, map[string]interface{}{"k": "v: w", "nn": nil}},
		"a":     "true",
		"c":     map[string]interface{}{"d": "multi\nline", "e": []interface{}{}},
		"plain": "hello world",
	}
	out, err := MarshalYAML(in)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"a: 'true'",
		"b:",
		"- x",
		"- 2",
		"- k: 'v: w'",
		"  nn: null",
		"c:",
		`  d: "multi\nline"`,
		"  e: []",
		"plain: hello world",
		"",
	}, "\n")
	if out != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out, want)
	}
	back, err := ParseYAML([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(in)
	b, _ := json.Marshal(back)
	if string(a) != string(b) {
		t.Fatalf("round trip: %s != %s", a, b)
	}
}
