package ui

import (
	"bytes"
	"errors"
	"testing"
)

func TestUILogPrefixesAndStreams(t *testing.T) {
	var out, errb bytes.Buffer
	u := &UI{Out: &out, Err: &errb}
	u.Info1("a")
	u.Info2("b")
	u.Verbose("c")
	u.Warn("d")
	u.Exclaim("e")
	u.LogQuiet("f")
	if out.String() != "-----> a\n=====> b\n       c\n !     e\nf\n" || errb.String() != " !     d\n" {
		t.Fatalf("out %q err %q", out.String(), errb.String())
	}
	out.Reset()
	u.Quiet = true
	u.Info1Quiet("x")
	u.Info2Quiet("x")
	u.VerboseQuiet("x")
	u.LogQuiet("x")
	u.Info1("shown")
	if out.String() != "-----> shown\n" {
		t.Fatalf("quiet %q", out.String())
	}
}

func TestUIColumns(t *testing.T) {
	got := Columnize([]string{"    a:b <x>, desc one", "    long:command, d", ""}, ",", "  ", "    ")
	want := "    a:b <x>       desc one\n    long:command  d\n    "
	if got != want {
		t.Fatalf("Columnize\n%q\nwant\n%q", got, want)
	}
	// column -t -s, : fields verbatim, blank lines dropped, last column unpadded.
	got = ColumnTable([]string{"", "    apps, Manage apps", "    longer-name, x", "    a,"}, ",")
	want = "    apps          Manage apps\n    longer-name   x\n    a            \n"
	if got != want {
		t.Fatalf("ColumnTable\n%q\nwant\n%q", got, want)
	}
}

func TestUIRenderAndCodes(t *testing.T) {
	var b bytes.Buffer
	if Render(AppNotExist("x"), &b) != 20 || b.String() != " !     App x does not exist\n" {
		t.Fatal(b.String())
	}
	b.Reset()
	if Render(Exit(3), &b) != 3 || b.Len() != 0 {
		t.Fatal("silent exit")
	}
	if Render(errors.New("plain"), &b) != 1 || b.String() != " !     plain\n" {
		t.Fatal(b.String())
	}
	if Code(nil) != 0 || Code(WithCode(7, errors.New("x"))) != 7 {
		t.Fatal("codes")
	}
}
