package docker

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonMessage is one line of the Engine API's build/pull progress stream.
type jsonMessage struct {
	Stream      string          `json:"stream"`
	Status      string          `json:"status"`
	ID          string          `json:"id"`
	Progress    json.RawMessage `json:"progressDetail"`
	ProgressBar string          `json:"progress"`
	Error       string          `json:"error"`
	ErrorDetail *struct {
		Message string `json:"message"`
	} `json:"errorDetail"`
	Aux json.RawMessage `json:"aux"`
}

// StreamError is a failure reported inside the progress stream (a failing
// RUN step, a missing base image); its text was not printed yet.
type StreamError struct{ Message string }

func (e *StreamError) Error() string { return e.Message }

// RenderStream prints a build/pull JSON stream the way `docker build`
// prints it without a terminal: build output verbatim ("Step 1/3 : ...",
// " ---> 1a2b...", the commands' own output), status lines as
// "<id>: <status>" (progress bars are omitted). It returns the image id
// announced by the daemon and the stream's error, if any.
func RenderStream(r io.Reader, out io.Writer) (imageID string, err error) {
	dec := json.NewDecoder(r)
	lastStatus := map[string]string{}
	for {
		var m jsonMessage
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return imageID, nil
			}
			return imageID, fmt.Errorf("reading docker progress stream: %w", err)
		}
		switch {
		case m.Error != "" || m.ErrorDetail != nil:
			msg := m.Error
			if msg == "" && m.ErrorDetail != nil {
				msg = m.ErrorDetail.Message
			}
			return imageID, &StreamError{Message: strings.TrimRight(msg, "\n")}
		case len(m.Aux) > 0:
			var aux struct {
				ID string `json:"ID"`
			}
			if json.Unmarshal(m.Aux, &aux) == nil && aux.ID != "" {
				imageID = aux.ID
			}
		case m.Stream != "":
			io.WriteString(out, m.Stream)
		case m.Status != "":
			if m.ProgressBar != "" || (len(m.Progress) > 2 && string(m.Progress) != "{}") {
				continue // progress ticks: a terminal-only display
			}
			line := m.Status
			if m.ID != "" {
				if lastStatus[m.ID] == m.Status {
					continue
				}
				lastStatus[m.ID] = m.Status
				line = m.ID + ": " + m.Status
			}
			io.WriteString(out, line+"\n")
		}
	}
}
