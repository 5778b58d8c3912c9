// Package integration holds scratch-root tests that need real Docker (and
// root): the real binary in a temp root (internal/dokkutest) driving the
// real Docker Engine. Build tag `integration`; `make test` runs them.
package integration
