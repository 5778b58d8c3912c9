package envfile

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/joho/godotenv"
)

func TestRoundTrip(t *testing.T) {
	values := map[string]string{
		"QUOTES":   `it's "quoted"`,
		"NEWLINE":  "line1\nline2\r\nline3",
		"SUBST":    "$(id) `id` ${HOME} $HOME",
		"UNICODE":  "héllo wörld ✓ 日本",
		"BANG":     "hello!world",
		"BACKSL":   `a\b\\c\n`,
		"EMPTY":    "",
		"INT":      "42",
		"NEG":      "-3",
		"ZEROPAD":  "007",
		"PLUS":     "+5",
		"SPACES":   "  padded  ",
		"HASH":     "value # not a comment",
		"EQUALS":   "a=b=c",
		"TAB":      "a\tb",
		"SINGLEQ":  "'",
		"DOUBLEQ":  `"`,
		"TRAILBSL": `end\`,
	}
	path := filepath.Join(t.TempDir(), "ENV")
	if err := Write(path, values, nil); err != nil {
		t.Fatal(err)
	}
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range values {
		if got[k] != v {
			t.Errorf("%s: got %q want %q", k, got[k], v)
		}
	}
	if len(got) != len(values) {
		t.Errorf("got %d keys, want %d", len(got), len(values))
	}
}

func TestMarshalFormat(t *testing.T) {
	got := Marshal(map[string]string{"A_B": "x", "A": "1", "Z": "a\"b$c\nd", "N": "007"})
	want := "A=1\nA_B=\"x\"\nN=\"007\"\nZ=\"a\\\"b\\$c\\nd\""
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestValidKey(t *testing.T) {
	for _, k := range []string{"A", "_a", "a1_B"} {
		if ValidKey(k) != nil {
			t.Errorf("%s should be valid", k)
		}
	}
	for _, k := range []string{"", "1A", "A-B", "A B", "A=B", "ä", "A.B"} {
		if ValidKey(k) == nil {
			t.Errorf("%q should be invalid", k)
		}
	}
}

// TestAgreesWithGodotenv checks the parser against godotenv itself on input
// godotenv handles correctly (hand-written files and Dokku-written files).
func TestAgreesWithGodotenv(t *testing.T) {
	inputs := []string{
		"A=1\nB=\"two\"\nexport C='three'\n",
		"# comment\n\nA=plain value # trailing comment\nB=x#not-comment\n",
		"A=\"multi\\nline\"\nB=\"tab\\there\"\nC=\"bang\\!\"\n",
		"A=base\nB=\"${A}/sub\"\nC=$A-x\nD=\"\\$A\"\nE=\\$A\n",
		"A: yaml\nB : spaced\n  export   C=indented\n",
		"A=\"$(cmd) `x`\"\nB=\"dollar \\$(cmd)\"\n",
		"A=\"héllo ✓\"\nB=日本\n",
		"A=\r\nB=\"crlf\"\r\n",
		"A=\"a\\\\b\"\nB=\"x\\\\ny\"\n",
		"lower=1\nA.B=2\n",
	}
	for _, in := range inputs {
		want, err := godotenv.Unmarshal(in)
		if err != nil {
			t.Fatalf("godotenv rejects %q: %v", in, err)
		}
		got, err := Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(%q)\n got  %#v\n want %#v", in, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"A=\"open\n", "A='open\n", "A B C\n", "bad-key=1\n"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) should fail", in)
		}
	}
}
