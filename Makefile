# Raft Playground: two commands for people (`make serve`, `make test`), the rest for contributors.
# Every setup step checks a version first, so a second run installs nothing.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

TRUNK_VERSION    := 0.21.14
BINARYEN_VERSION := 132
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock, or trunk downloads its own.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/"/,"",$$3); print $$3; exit}' Cargo.lock)
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
export PATH := $(CARGO_BIN):$(PATH)
export TRUNK_OFFLINE := true
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: help setup setup-test serve build dist test bench soak clean

help:
	@echo "make serve   build and serve the playground on http://$(HOST):$(PORT)/ (installs what it needs)"
	@echo "make test    install test tools, then run every check, native and in headless Chromium"
	@echo "make build   release build into dist/ (static files for any web server)"
	@echo "make dist    make build, plus dist/raft-playground-offline.html: the whole playground in one file"
	@echo "make bench   benchmarks (simulator speed, browser frame time, wasm size)"
	@echo "make soak    200,000 random fault schedules, then two virtual hours at 10x in Chromium (about 15 min)"

setup:
	@scripts/setup.sh build "$(TRUNK_VERSION)" "$(WASM_BINDGEN_VERSION)" "$(BINARYEN_VERSION)"

setup-test: setup
	@scripts/setup.sh test "$(TRUNK_VERSION)" "$(WASM_BINDGEN_VERSION)" "$(BINARYEN_VERSION)"

serve: setup
	@echo "Raft Playground: open http://$(HOST):$(PORT)/ (Ctrl-C stops the server)"
	trunk serve --offline --address $(HOST) --port $(PORT)

build: setup
	trunk build --release --offline

# One self-contained HTML file beside index.html, for opening from disk (file://), where
# the browser will not load dist/'s other files. What the Pages workflow publishes. Then
# brotli and gzip copies of the large files, for servers that send pre-compressed files.
dist: build
	@command -v node >/dev/null || { echo "make dist: needs Node.js 18 or newer (https://nodejs.org)" >&2; exit 1; }
	node scripts/single-file.mjs
	node scripts/precompress.mjs dist

test: setup-test
	@scripts/test.sh

bench: setup-test
	cargo bench --bench sim
	@if [ -d dist ] || $(MAKE) build; then node e2e/bench.mjs; fi

# A tab left open through a lecture, and ten times make test's random fault schedules.
soak: setup-test
	RAFT_SCHEDULES=200000 cargo test --release --test randomised -- --nocapture
	@if [ -d dist ] || $(MAKE) build; then node e2e/soak.mjs; fi

clean:
	cargo clean
	rm -rf dist e2e/output e2e/test-results
