package plugin

import (
	"bytes"
	"testing"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/ui"
)

func TestCobraAdapter(t *testing.T) {
	type opts struct {
		format string
		args   []string
	}
	var got opts
	h := Cobra(func(ctx *Context) *cobra.Command {
		o := &got
		cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
			o.args = args
			return nil
		}}
		cmd.Flags().StringVar(&o.format, "format", "stdout", "")
		return cmd
	})
	var out, errb bytes.Buffer
	ctx := NewContext(env.New(nil), nil).WithIO(nil, &out, &errb)
	if err := h(ctx, []string{"x:list", "app", "--format", "json", "more"}); err != nil {
		t.Fatal(err)
	}
	if got.format != "json" || len(got.args) != 2 || got.args[0] != "app" || got.args[1] != "more" {
		t.Fatalf("%+v", got)
	}
	err := h(ctx, []string{"x:list", "--nope"})
	if ui.Code(err) != 1 || err.Error() != "unknown flag: --nope" {
		t.Fatalf("err %v", err)
	}
	if out.Len()+errb.Len() != 0 {
		t.Fatalf("cobra spoke: %q %q", out.String(), errb.String())
	}
}
