// Package e2e holds the end-to-end tier: tests that drive the installed
// system exactly as a user would — /usr/bin/dokku run as root (which
// switches to the dokku user as sudo -u dokku -E -H would) or as the dokku user, ssh to
// dokku@127.0.0.1 through the real sshd and its forced command, git, the
// Docker Engine, nginx and curl.
//
// The tests carry the build tag `e2e` and need root and an installed host
// (`sudo make install`); `make test` and `make e2e` run them:
//
//	go test -tags e2e -count=1 ./tests/e2e/...
//
// The harness (harness_test.go) checks those preconditions once in TestMain
// and offers helpers: Dokku / DokkuAsUser / MustDokku to run commands, App /
// NewApp for unique app names destroyed at the end of the test, BaseImage
// (dokku-test/busybox:latest, imported from busybox-static; there is no
// registry) to build test apps FROM, NewSSHKey for ssh access,
// Eventually for polling, and file owner/mode assertions. Everything a test
// creates is named with the run's prefix and removed afterwards.
package e2e
