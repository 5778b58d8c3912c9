# Dokku, reimplemented in Go. `sudo make install` sets up a host; `make test`
# runs every test tier (the e2e tier needs root, Docker, nginx and sshd).

GO        ?= go
PREFIX    ?= /usr
BIN        = bin/dokku
GOFLAGS_BUILD = -trimpath -tags osusergo,netgo -ldflags "-s -w"

.PHONY: build test unit e2e bench install uninstall clean fmt vet

build: $(BIN)

$(BIN): $(shell find cmd internal plugins -name '*.go' -o -name '*.sh' -o -name 'functions' 2>/dev/null) go.mod go.sum
	CGO_ENABLED=0 $(GO) build $(GOFLAGS_BUILD) -o $(BIN) ./cmd/dokku

fmt:
	gofmt -w cmd internal plugins tests

vet:
	$(GO) vet ./...

clean:
	rm -rf bin
