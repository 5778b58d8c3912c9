# Dokku, reimplemented in Go. `sudo make install` sets up a host; `make test`
# runs every test tier (the e2e tier needs root, Docker, nginx and sshd).

# Go: from PATH, else the official tarball's location (sudo's PATH lacks it).
GO        ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
PREFIX    ?= /usr
BIN        = bin/dokku
GOFLAGS_BUILD = -trimpath -tags osusergo,netgo -ldflags "-s -w"

# The test harness runs `go build` itself: make sure it finds the same Go.
ifneq ($(filter /%,$(GO)),)
export PATH := $(patsubst %/,%,$(dir $(GO))):$(PATH)
endif

DOKKU_VERSION := $(shell sed -n 's/^const Dokku = "\(.*\)"$$/\1/p' internal/version/version.go)
DEB_ARCH      := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)

.PHONY: build test test-privileged unit integration e2e bench install uninstall deb clean fmt vet \
	check-root check-installed

build: $(BIN)

# Two binaries (docs/development.md): the front, bin/dokku, and beside it
# the engine it hands most commands to.
$(BIN): $(shell find cmd internal plugins -type f 2>/dev/null) go.mod go.sum
	CGO_ENABLED=0 $(GO) build $(GOFLAGS_BUILD) -o $(BIN)-engine ./cmd/dokku-engine
	CGO_ENABLED=0 $(GO) build $(GOFLAGS_BUILD) -o $(BIN) ./cmd/dokku

# --- host installation -------------------------------------------------------

install:
	bash contrib/install.sh

uninstall:
	PURGE=$(PURGE) bash contrib/uninstall.sh

deb: build
	bash contrib/build-deb.sh $(BIN) $(DOKKU_VERSION) $(DEB_ARCH)

# --- tests --------------------------------------------------------------------

check-root:
	@if [ "$$(id -u)" != 0 ]; then \
		echo "make $(MAKECMDGOALS): the integration and e2e tiers and the benchmarks need root," >&2; \
		echo "Docker and an installed dokku: run 'sudo make install' then 'sudo make $(MAKECMDGOALS)'." >&2; \
		echo "'make unit' runs the unit and script tiers without root." >&2; \
		exit 1; \
	fi

check-installed:
	@if [ ! -x /usr/bin/dokku ] || [ ! -d /var/lib/dokku/core-plugins/enabled ]; then \
		echo "make $(MAKECMDGOALS): dokku is not installed on this host; run 'sudo make install' first." >&2; \
		exit 1; \
	fi
	@if ! docker info >/dev/null 2>&1; then \
		echo "make $(MAKECMDGOALS): Docker is not reachable (docker info fails); start dockerd." >&2; \
		exit 1; \
	fi

# Every tier, in order: unit + script, integration (real Docker, scratch
# root), e2e (the installed system). Root is checked before anything runs;
# a failing tier does not hide the others' results, and fails the target.
# make test: the unit and script tiers run as the caller; the integration
# and e2e tiers need root, so a non-root caller reaches them through sudo.
test:
	@failed=""; \
	$(MAKE) --no-print-directory unit || failed="$$failed unit"; \
	if [ "$$(id -u)" = 0 ]; then \
		$(MAKE) --no-print-directory test-privileged || failed="$$failed privileged"; \
	else \
		sudo $(MAKE) --no-print-directory test-privileged || failed="$$failed privileged"; \
	fi; \
	if [ -n "$$failed" ]; then echo "make test: FAILED tiers:$$failed" >&2; exit 1; fi; \
	echo "make test: all tiers passed"

test-privileged: check-root check-installed
	@failed=""; \
	$(MAKE) --no-print-directory integration || failed="$$failed integration"; \
	$(MAKE) --no-print-directory e2e || failed="$$failed e2e"; \
	if [ -n "$$failed" ]; then echo "make test: FAILED tiers:$$failed" >&2; exit 1; fi

# The script tier runs twice: core handlers in-process (the fast path) and
# exec'd through their entry points, which must behave the same.
unit:
	$(GO) test ./...
	DOKKU_CORE_FASTPATH=0 $(GO) test -count=1 ./tests/script/...

integration: check-root
	$(GO) test -tags integration -count=1 -timeout 15m ./tests/integration/... ./plugins/nginx-vhosts/...

e2e: check-root check-installed
	$(GO) test -tags e2e -count=1 -timeout 15m ./tests/e2e/...

# Speed figures of the installed system (see tests/bench). BENCH_FLAGS, e.g.
# BENCH_FLAGS='-runs 50 -only version,help'.
bench: check-root check-installed
	$(GO) run ./tests/bench $(BENCH_FLAGS)

# --- housekeeping -------------------------------------------------------------

fmt:
	gofmt -w cmd internal plugins tests

vet:
	$(GO) vet ./...

clean:
	rm -rf bin
