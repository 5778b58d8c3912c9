package plugin

import (
	"strings"
	"testing"
)

func TestArgAndRest(t *testing.T) {
	args := []string{"a", "b"}
	if Arg(args, 0) != "a" || Arg(args, 1) != "b" || Arg(args, 2) != "" || Arg(nil, 0) != "" {
		t.Fatal("Arg")
	}
	if strings.Join(Rest([]string{"x:y", "a", "b"}), ",") != "a,b" || Rest([]string{"x:y"}) != nil || Rest(nil) != nil {
		t.Fatal("Rest")
	}
}
