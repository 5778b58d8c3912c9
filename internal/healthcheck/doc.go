// Package healthcheck runs Dokku's zero-downtime checks against a freshly
// started container, in Go (Dokku shells out to docker-container-healthchecker).
//
// A check is one of four kinds, chosen from its fields like the original
// tool does:
//
//   - listening (listening=true): the container's main process listens on
//     the check port on all interfaces (0.0.0.0 or ::), read from the
//     process's /proc/<pid>/net/tcp{,6} tables;
//   - command (command=[...]): the command exits 0 when run inside the
//     container (through its entrypoint, or herokuish's /exec);
//   - path (path=...): an HTTP(S) GET on <ip>:<port><path> answers 2xx/3xx
//     (redirects followed) and its body contains content when set;
//   - uptime (otherwise): the container stays running, without restarts, for
//     uptime seconds after it started.
//
// Defaults: attempts 3, timeout 5 s per attempt, wait 5 s between attempts,
// initialDelay 0 (counted from the container's start), path "/". Checks run
// concurrently; a passing check returns as soon as it passes (no fixed
// sleeps: an uptime check ends the moment the uptime is reached, an HTTP
// check on its first good answer) and a failing uptime check ends the
// moment the container stops. Checks marked warn only log their failure;
// once every blocking check has passed, unfinished warn-only checks are
// abandoned instead of holding the deploy.
package healthcheck
