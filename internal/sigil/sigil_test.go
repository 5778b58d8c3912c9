package sigil

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("%s mismatch:\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func TestSigilFunctionsGolden(t *testing.T) {
	out, err := RenderFile("testdata/functions.sigil", Options{
		Vars: map[string]string{
			"APP":           "node-js-app",
			"PORT_MAP":      "http:80:5000 https:443:5000",
			"MISSING_EMPTY": "",
			"LISTENERS":     "172.17.0.2:5000",
			"EMPTY":         "",
		},
		Env:     map[string]string{"FROM_ENV": "environment", "PATH": os.Getenv("PATH")},
		WorkDir: "testdata",
	})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "functions.golden", SqueezeBlank(out))
}

func TestSigilRender(t *testing.T) {
	cases := []struct {
		name, tmpl string
		vars       map[string]string
		env        map[string]string
		posix      bool
		want       string
	}{
		{"dot and dollar", "{{ .A }}-{{ $A }}", map[string]string{"A": "x"}, nil, false, "x-x"},
		{"missing key", "[{{ .NOPE }}]", nil, nil, false, "[<no value>]"},
		{"var sees env and vars", `{{ var "E" }}{{ var "A" }}`, map[string]string{"A": "v"}, map[string]string{"E": "e"}, false, "ev"},
		{"vars override env", `{{ var "A" }}`, map[string]string{"A": "var"}, map[string]string{"A": "env"}, false, "var"},
		{"invalid identifiers skipped", `{{ index . "A-B" }}`, map[string]string{"A-B": "ok"}, nil, false, "ok"},
		{"posix", "${A} ${B:-def} $A{{ .A }}", map[string]string{"A": "a"}, nil, true, "a def aa"},
		{"posix keeps lone dollar", "cost $5 and $", nil, nil, true, "cost $5 and $"},
		{"delims", "<< .A >> {{ .A }}", map[string]string{"A": "x"}, map[string]string{"SIGIL_DELIMS": "<<,>>"}, false, "x {{ .A }}"},
		{"split of empty", `{{ range split " " "" }}[{{ . }}]{{ end }}`, nil, nil, false, "[]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Render(c.tmpl, Options{Vars: c.vars, Env: c.env, Posix: c.posix})
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("got %q want %q", got, c.want)
			}
		})
	}
}

func TestSigilErrorsNameTemplateAndLine(t *testing.T) {
	cases := []struct{ tmpl, want string }{
		{"line1\nline2 {{ nosuchfunc }}\n", `template: nginx.conf.sigil:2: function "nosuchfunc" not defined`},
		{"a\nb\n{{ if }}\n", "template: nginx.conf.sigil:3:"},
		{"{{ index (split \":\" \"a\") 3 }}", "template: nginx.conf.sigil:1:"},
		{"{{ include \"missing.sigil\" }}", "Not found in path: missing.sigil"},
		{"{{ substr \"0:99\" \"abc\" }}", "out of range"},
		{"{{ .A }", "template: nginx.conf.sigil:1:"},
	}
	for _, c := range cases {
		_, err := Render(c.tmpl, Options{Name: "nginx.conf.sigil", Vars: map[string]string{"A": "x"}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want containing %q", c.tmpl, err, c.want)
		}
	}
	_, err := Render("${NOPE:?must be set}", Options{Posix: true})
	if err == nil || !strings.Contains(err.Error(), "NOPE: must be set") {
		t.Errorf("posix required: %v", err)
	}
}

func TestSigilIncludeRecursionBounded(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "self.sigil"), []byte(`{{ include "self.sigil" }}`), 0o644)
	_, err := RenderFile(filepath.Join(dir, "self.sigil"), Options{})
	if err == nil || !strings.Contains(err.Error(), "depth") {
		t.Fatalf("expected depth error, got %v", err)
	}
}

func TestSigilSqueezeBlank(t *testing.T) {
	in := "a\n\n\n\nb\n  \n  \nc\n\n"
	want := "a\n\nb\n  \n  \nc\n\n"
	if got := SqueezeBlank(in); got != want {
		t.Fatalf("got %q want %q", got, want)
	}
	if got := SqueezeBlank("\n\n\nx"); got != "\nx" {
		t.Fatalf("leading: %q", got)
	}
}

func TestSigilParseVars(t *testing.T) {
	v := ParseVars([]string{"A=1", "B=x=y", "junk", "C="})
	if len(v) != 3 || v["A"] != "1" || v["B"] != "x=y" || v["C"] != "" {
		t.Fatalf("%v", v)
	}
}
