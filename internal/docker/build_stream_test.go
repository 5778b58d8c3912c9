package docker

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestBuildRenderStream(t *testing.T) {
	in := strings.Join([]string{
		`{"stream":"Step 1/2 : FROM busybox\n"}`,
		`{"status":"Pulling from library/busybox","id":"latest"}`,
		`{"status":"Downloading","progressDetail":{"current":1,"total":2},"progress":"[=>  ]","id":"abc"}`,
		`{"status":"Pulling from library/busybox","id":"latest"}`,
		`{"stream":" ---\u003e 1234\n"}`,
		`{"aux":{"ID":"sha256:feed"}}`,
		`{"stream":"Successfully built feed\n"}`,
	}, "\n")
	var out bytes.Buffer
	id, err := RenderStream(strings.NewReader(in), &out)
	if err != nil || id != "sha256:feed" {
		t.Fatal(id, err)
	}
	want := "Step 1/2 : FROM busybox\nlatest: Pulling from library/busybox\n ---> 1234\nSuccessfully built feed\n"
	if out.String() != want {
		t.Fatalf("got %q", out.String())
	}
	fail := `{"stream":"Step 2/2 : RUN exit 3\n"}` + "\n" + `{"errorDetail":{"code":3,"message":"The command '/bin/sh -c exit 3' returned a non-zero code: 3"},"error":"The command '/bin/sh -c exit 3' returned a non-zero code: 3"}`
	out.Reset()
	_, err = RenderStream(strings.NewReader(fail), &out)
	var se *StreamError
	if !errors.As(err, &se) || se.Message != "The command '/bin/sh -c exit 3' returned a non-zero code: 3" {
		t.Fatalf("%v", err)
	}
	if out.String() != "Step 2/2 : RUN exit 3\n" {
		t.Fatalf("%q", out.String())
	}
}
