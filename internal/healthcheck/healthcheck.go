package healthcheck

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of a check's numeric fields.
const (
	DefaultAttempts = 3
	DefaultTimeout  = 5
	DefaultWait     = 5
	DefaultPort     = 5000
)

// Kind is what a check verifies.
type Kind string

// The kinds of checks.
const (
	KindCommand   Kind = "command"
	KindListening Kind = "listening"
	KindPath      Kind = "path"
	KindUptime    Kind = "uptime"
)

// Header is one extra HTTP header of a path check.
type Header struct {
	Name, Value string
}

// Check is one healthcheck (an app.json healthchecks.<type> entry).
type Check struct {
	Name         string
	Type         string // startup, liveness, readiness: informational here
	Path         string
	Scheme       string
	Content      string
	Port         int
	Attempts     int
	Timeout      int
	Wait         int
	InitialDelay int
	Uptime       int
	Command      []string
	Listening    bool
	Warn         bool
	Headers      []Header
}

// Kind returns the kind of check the fields describe.
func (c Check) Kind() Kind {
	switch {
	case c.Listening:
		return KindListening
	case len(c.Command) > 0:
		return KindCommand
	case c.Path != "":
		return KindPath
	}
	return KindUptime
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

func (c Check) attempts() int { return orDefault(c.Attempts, DefaultAttempts) }
func (c Check) timeout() int  { return orDefault(c.Timeout, DefaultTimeout) }
func (c Check) wait() int     { return orDefault(c.Wait, DefaultWait) }

// DisplayName is the name shown in logs.
func (c Check) DisplayName() string {
	if c.Name != "" {
		return c.Name
	}
	switch c.Kind() {
	case KindPath:
		return c.Path
	case KindCommand:
		return strings.Join(c.Command, " ")
	case KindListening:
		return "port listening check"
	}
	return "uptime"
}

// Validate refuses contradictory checks (the messages of
// docker-container-healthchecker).
func (c Check) Validate() error {
	n := c.DisplayName()
	if len(c.Command) > 0 {
		switch {
		case c.Path != "":
			return fmt.Errorf("healthcheck name='%s' cannot contain both a container 'command' to execute and an http 'path' to check", n)
		case c.Uptime > 0:
			return fmt.Errorf("healthcheck name='%s' cannot contain both a container 'command' to execute and an 'uptime' seconds value", n)
		case c.Listening:
			return fmt.Errorf("healthcheck name='%s' cannot contain both a container 'command' to execute and a 'listening' true value", n)
		}
	}
	if c.Path != "" {
		switch {
		case c.Uptime > 0:
			return fmt.Errorf("healthcheck name='%s' cannot contain both an http 'path' to check and an 'uptime' seconds value", n)
		case c.Listening:
			return fmt.Errorf("healthcheck name='%s' cannot contain both an http 'path' to check and a 'listening' true value", n)
		}
		if s := strings.ToLower(c.Scheme); s != "" && s != "http" && s != "https" {
			return errors.New("invalid scheme specified, must be either http or https")
		}
	}
	if c.Uptime > 0 && c.Listening {
		return fmt.Errorf("healthcheck name='%s' cannot contain both an 'uptime' seconds value and a 'listening' true value", n)
	}
	return nil
}

// Describe is the "Running healthcheck ..." line of a check.
func (c Check) Describe(defaultPort int) string {
	kind := c.Kind()
	fields := []string{"name='" + c.DisplayName() + "'"}
	add := func(s string) { fields = append(fields, s) }
	switch kind {
	case KindUptime:
		add(fmt.Sprintf("type='uptime' uptime=%d", c.Uptime))
		return "Running healthcheck " + strings.Join(fields, " ")
	case KindCommand:
		add(fmt.Sprintf("attempts=%d", c.attempts()))
		add(fmt.Sprintf("command='%s'", strings.Join(c.Command, " ")))
	case KindPath:
		add(fmt.Sprintf("attempts=%d", c.attempts()))
		if c.Content != "" {
			add(fmt.Sprintf("content='%s'", c.Content))
		}
		if c.InitialDelay > 0 {
			add(fmt.Sprintf("delay=%d", c.InitialDelay))
		}
		add(fmt.Sprintf("path='%s'", c.Path))
		add(fmt.Sprintf("port=%d", c.port(defaultPort)))
	case KindListening:
		add(fmt.Sprintf("attempts=%d", c.attempts()))
		add(fmt.Sprintf("port=%d", c.port(defaultPort)))
	}
	add(fmt.Sprintf("retries=%d", c.attempts()-1))
	add(fmt.Sprintf("timeout=%d", c.timeout()))
	add(fmt.Sprintf("type='%s'", kind))
	add(fmt.Sprintf("wait=%d", c.wait()))
	return "Running healthcheck " + strings.Join(fields, " ")
}

func (c Check) port(def int) int {
	if c.Port > 0 {
		return c.Port
	}
	if def > 0 {
		return def
	}
	return DefaultPort
}

// State is a container's runtime state.
type State struct {
	Running      bool
	Status       string
	StartedAt    time.Time
	RestartCount int
	Pid          int
	Entrypoint   []string
	Shell        []string
	Herokuish    bool
}

// Target is the container under test.
type Target interface {
	State(ctx context.Context) (State, error)
	Exec(ctx context.Context, cmd []string) (output []byte, exitCode int, err error)
}

// Logger receives progress lines (without Dokku's prefixes).
type Logger interface {
	Info(msg string)
	Error(msg string)
}

// Options is the context of a run.
type Options struct {
	IP      string   // container address for path checks
	Port    int      // default port of path and listening checks (the app's PORT)
	Headers []Header // sent with every path check (Host, X-Forwarded-Proto)
	Logger  Logger
	// ProcRoot is where /proc is mounted (tests point it elsewhere).
	ProcRoot string
	// Poll is the interval of state polling (default 200ms).
	Poll time.Duration
}

// Result is the outcome of one check.
type Result struct {
	Check  Check
	Err    error // nil: passed
	Output string
	Done   bool // false: abandoned (a warn-only check still running at the end)
}

// Run executes checks concurrently and returns their results in the order
// of checks. Progress goes to opts.Logger.
func Run(ctx context.Context, checks []Check, target Target, opts Options) []Result {
	if opts.Poll <= 0 {
		opts.Poll = 200 * time.Millisecond
	}
	if opts.ProcRoot == "" {
		opts.ProcRoot = "/proc"
	}
	log := opts.Logger
	if log == nil {
		log = nopLogger{}
	}
	for _, c := range checks {
		log.Info(c.Describe(opts.Port))
	}
	results := make([]Result, len(checks))
	for i, c := range checks {
		results[i] = Result{Check: c}
	}
	warnCtx, cancelWarn := context.WithCancel(ctx)
	defer cancelWarn()
	type done struct {
		i   int
		out string
		err error
	}
	ch := make(chan done, len(checks))
	var wg sync.WaitGroup
	blocking := 0
	for i, c := range checks {
		cctx := ctx
		if c.Warn {
			cctx = warnCtx
		} else {
			blocking++
		}
		wg.Add(1)
		go func(i int, c Check, cctx context.Context) {
			defer wg.Done()
			out, err := runOne(cctx, c, target, opts)
			ch <- done{i, out, err}
		}(i, c, cctx)
	}
	go func() { wg.Wait(); close(ch) }()
	pending := len(checks)
	for d := range ch {
		pending--
		c := checks[d.i]
		if c.Warn && warnCtx.Err() != nil && ctx.Err() == nil {
			continue // abandoned once the blocking checks were done
		}
		results[d.i].Done = true
		results[d.i].Err = d.err
		results[d.i].Output = d.out
		if d.err == nil {
			log.Info(fmt.Sprintf("Healthcheck succeeded name='%s'", c.DisplayName()))
		} else {
			if strings.TrimSpace(d.out) != "" {
				log.Error(fmt.Sprintf("Error for healthcheck name='%s', output: %s", c.DisplayName(), strings.TrimSpace(d.out)))
			}
			log.Error(fmt.Sprintf("Failure in name='%s': %s", c.DisplayName(), d.err))
		}
		if !c.Warn {
			blocking--
			if blocking == 0 && pending > 0 {
				cancelWarn()
			}
		}
	}
	return results
}

// Failed counts the failed blocking checks.
func Failed(results []Result) int {
	n := 0
	for _, r := range results {
		if !r.Check.Warn && r.Err != nil {
			n++
		}
	}
	return n
}

type nopLogger struct{}

func (nopLogger) Info(string)  {}
func (nopLogger) Error(string) {}

func runOne(ctx context.Context, c Check, target Target, opts Options) (string, error) {
	if err := c.Validate(); err != nil {
		return "", err
	}
	if c.InitialDelay > 0 && c.Kind() != KindUptime {
		st, err := target.State(ctx)
		if err != nil {
			return "", err
		}
		if err := sleepUntil(ctx, st.StartedAt.Add(time.Duration(c.InitialDelay)*time.Second)); err != nil {
			return "", err
		}
	}
	switch c.Kind() {
	case KindUptime:
		return uptimeCheck(ctx, c, target, opts)
	case KindCommand:
		return retry(ctx, c, func(actx context.Context) (string, error) { return commandCheck(actx, c, target) })
	case KindListening:
		return retry(ctx, c, func(actx context.Context) (string, error) { return listeningCheck(actx, c, target, opts) })
	default:
		return retry(ctx, c, func(actx context.Context) (string, error) { return pathCheck(actx, c, opts) })
	}
}

// retry runs one attempt at a time, each bounded by the check's timeout,
// waiting between attempts; it returns at the first success.
func retry(ctx context.Context, c Check, once func(context.Context) (string, error)) (string, error) {
	var out string
	var err error
	for i := 1; i <= c.attempts(); i++ {
		actx, cancel := context.WithTimeout(ctx, time.Duration(c.timeout())*time.Second)
		out, err = once(actx)
		cancel()
		if err == nil {
			return out, nil
		}
		if ctx.Err() != nil {
			return out, err
		}
		if i < c.attempts() {
			if serr := sleepFor(ctx, time.Duration(c.wait())*time.Second); serr != nil {
				return out, err
			}
		}
	}
	return out, err
}

func sleepFor(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func sleepUntil(ctx context.Context, at time.Time) error {
	return sleepFor(ctx, time.Until(at))
}

func uptimeCheck(ctx context.Context, c Check, target Target, opts Options) (string, error) {
	for {
		st, err := target.State(ctx)
		if err != nil {
			return "", err
		}
		status := "state=" + st.Status
		if !st.Running {
			return status, errors.New("container state is not running")
		}
		if st.RestartCount > 0 {
			return status, fmt.Errorf("container has restarted %d times", st.RestartCount)
		}
		remaining := time.Until(st.StartedAt.Add(time.Duration(c.Uptime) * time.Second))
		if remaining <= 0 {
			return status, nil
		}
		if err := sleepFor(ctx, min(remaining, opts.Poll)); err != nil {
			return status, err
		}
	}
}

func commandCheck(ctx context.Context, c Check, target Target) (string, error) {
	st, err := target.State(ctx)
	if err != nil {
		return "", err
	}
	if !st.Running {
		return "", errors.New("container state is not running")
	}
	cmd := ExecCommand(c.Command, st)
	out, code, err := target.Exec(ctx, cmd)
	if err != nil {
		if ctx.Err() != nil {
			return string(out), fmt.Errorf("command timed out after %d seconds", c.timeout())
		}
		return string(out), err
	}
	if code != 0 {
		return string(out), fmt.Errorf("non-zero exit code %d", code)
	}
	return string(out), nil
}

// ExecCommand is how a command check runs inside the container: through the
// image's entrypoint when it has one other than its shell, through /exec on
// herokuish images, else as is.
func ExecCommand(cmd []string, st State) []string {
	ep, shell := st.Entrypoint, st.Shell
	switch {
	case len(ep) == len(shell)+1 && len(shell) > 0 && equal(ep[:len(shell)], shell):
		return append([]string{ep[len(ep)-1]}, cmd...)
	case len(ep) > 0 && !equal(ep, shell):
		return append(append([]string{}, ep...), cmd...)
	case st.Herokuish:
		return append([]string{"/exec"}, cmd...)
	}
	return cmd
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func pathCheck(ctx context.Context, c Check, opts Options) (string, error) {
	scheme := strings.ToLower(c.Scheme)
	if scheme == "" {
		scheme = "http"
	}
	path := c.Path
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	url := fmt.Sprintf("%s://%s%s", scheme, net.JoinHostPort(opts.IP, strconv.Itoa(c.port(opts.Port))), path)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "*/*")
	for _, h := range append(append([]Header{}, opts.Headers...), c.Headers...) {
		if strings.EqualFold(h.Name, "Host") {
			req.Host = h.Value
			continue
		}
		req.Header.Set(h.Name, h.Value)
	}
	client := &http.Client{Transport: &http.Transport{
		Proxy:             nil,
		DisableKeepAlives: true,
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, // the container's own certificate
	}}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return "", fmt.Errorf("request timed out after %d seconds: GET %s", c.timeout(), url)
		}
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode >= 400 {
		return string(body), fmt.Errorf("unexpected status code: %d", resp.StatusCode)
	}
	if c.Content != "" && !bytes.Contains(body, []byte(c.Content)) {
		return string(body), fmt.Errorf("unable to find expected content in response body: %s", c.Content)
	}
	return "", nil
}

func listeningCheck(ctx context.Context, c Check, target Target, opts Options) (string, error) {
	st, err := target.State(ctx)
	if err != nil {
		return "", err
	}
	if !st.Running || st.Pid == 0 {
		return "", errors.New("container state is not running")
	}
	port := c.port(opts.Port)
	addrs, err := listeningAddresses(opts.ProcRoot, st.Pid)
	if err != nil {
		return "", fmt.Errorf("unable to read the container's listening sockets: %v", err)
	}
	return "", validateListening(addrs, port)
}

// validateListening wants the port bound to all interfaces.
func validateListening(addrs []hostPort, port int) error {
	var specific []hostPort
	for _, a := range addrs {
		if a.port != port {
			continue
		}
		if a.ip.IsUnspecified() {
			return nil
		}
		specific = append(specific, a)
	}
	if len(specific) == 0 {
		ports := map[int]bool{}
		for _, a := range addrs {
			ports[a.port] = true
		}
		var list []string
		for p := range ports {
			list = append(list, strconv.Itoa(p))
		}
		sort.Strings(list)
		if len(list) == 0 {
			return fmt.Errorf("container not listening on expected port (%d)", port)
		}
		return fmt.Errorf("container not listening on expected port (%d), listening on: %s", port, strings.Join(list, ","))
	}
	a := specific[0]
	if a.ip.To4() == nil {
		return fmt.Errorf("container listening on expected port (%d) with unexpected IPv6 interface: expected=:: actual=%s", port, a.ip)
	}
	return fmt.Errorf("container listening on expected port (%d) with unexpected IPv4 interface: expected=0.0.0.0 actual=%s", port, a.ip)
}
