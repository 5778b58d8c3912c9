package config

import (
	"archive/tar"
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// tricky holds values that break naive quoting.
var tricky = map[string]string{
	"A":        "1",
	"B_QUOTE":  `it's "q"`,
	"C_NL":     "line1\nline2",
	"D_HTML":   "<a href='x'>&</a>",
	"E_SPACE":  "  padded  ",
	"F_UNI":    "héllo ✓",
	"G_EMPTY":  "",
	"H_DOLLAR": "$(id) `id` $HOME !",
	"I_BS":     `trail\`,
	"aKey":     "lower",
}

func TestConfigExportGolden(t *testing.T) {
	for _, f := range Formats {
		for name, env := range map[string]map[string]string{"tricky": tricky, "empty": {}} {
			got, err := Export(env, f)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			path := filepath.Join("testdata", "export", name+"."+f+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s %s:\ngot  %q\nwant %q", name, f, got, want)
			}
		}
	}
}

// TestConfigExportSmall pins the formats against Dokku's own test outputs.
func TestConfigExportSmall(t *testing.T) {
	env := map[string]string{"zKey": "true", "bKey": "true", "BKEY": "true", "aKey": "true"}
	cases := map[string]string{
		"docker-args":      "--env=BKEY='true' --env=aKey='true' --env=bKey='true' --env=zKey='true'\n",
		"docker-args-keys": "--env=BKEY --env=aKey --env=bKey --env=zKey\n",
		"pack-keys":        "--env BKEY --env aKey --env bKey --env zKey\n",
		"shell":            "BKEY='true' aKey='true' bKey='true' zKey='true' ",
		"exports":          "export BKEY='true'\nexport aKey='true'\nexport bKey='true'\nexport zKey='true'\n",
		"envfile":          "BKEY=\"true\"\naKey=\"true\"\nbKey=\"true\"\nzKey=\"true\"\n",
		"json":             `{"BKEY":"true","aKey":"true","bKey":"true","zKey":"true"}` + "\n",
		"json-list":        `[{"name":"BKEY","value":"true"},{"name":"aKey","value":"true"},{"name":"bKey","value":"true"},{"name":"zKey","value":"true"}]` + "\n",
		"pretty":           "BKEY:  true\naKey:  true\nbKey:  true\nzKey:  true\n",
	}
	for f, want := range cases {
		got, err := Export(env, f)
		if err != nil || got != want {
			t.Errorf("%s: got %q (%v), want %q", f, got, err, want)
		}
	}
	if _, err := Export(env, "yaml"); err == nil || err.Error() != "Unknown export format: yaml" {
		t.Errorf("unknown format: %v", err)
	}
}

func TestConfigExportEmpty(t *testing.T) {
	want := map[string]string{
		"exports": "\n", "envfile": "\n", "docker-args": "\n", "docker-args-keys": "\n", "pack-keys": "\n",
		"shell": " ", "pretty": "\n", "json": "{}\n", "json-list": "null\n",
	}
	for f, w := range want {
		if got, _ := Export(nil, f); got != w {
			t.Errorf("%s: got %q want %q", f, got, w)
		}
	}
}

func TestConfigPrettyAlignment(t *testing.T) {
	got := Pretty("       ", map[string]string{"A": "1", "LONGER_KEY": " spaced ", "ü": "x"})
	want := "       A:           1\n       LONGER_KEY:  spaced\n       ü:           x"
	if got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

func TestConfigQuote(t *testing.T) {
	for in, want := range map[string]string{"": "''", "a b": "'a b'", "it's": `'it'\''s'`, "''": `''\'''\'''`} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q want %q", in, got, want)
		}
	}
}

func TestConfigBundle(t *testing.T) {
	var buf bytes.Buffer
	if err := Bundle(&buf, map[string]string{"B": "two\nlines", "A": "", "C": "ü"}); err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(&buf)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		names = append(names, h.Name+"="+string(b))
		if h.Mode != 0o600 || h.Typeflag != tar.TypeReg {
			t.Errorf("%s: mode %o type %c", h.Name, h.Mode, h.Typeflag)
		}
	}
	if got := len(names); got != 3 || names[0] != "A=" || names[1] != "B=two\nlines" || names[2] != "C=ü" {
		t.Fatalf("entries %q", names)
	}
}
