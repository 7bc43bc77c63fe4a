# Agora — the two commands a new machine needs are `make run` and `make test`.
# Everything else here is a step of those two.

SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help run test setup build build-debug fmt lint unit integration e2e bench clean

help:
	@echo "make run    install what is missing, build, load the Bălți demo data and serve Agora"
	@echo "make test   formatting, clippy, unit, integration (SQLite + PostgreSQL) and browser tests"
	@echo "make bench  print speed and size measurements"

run: setup
	@.ci/build release
	@.ci/serve

test:
	@.ci/test

setup:
	@.ci/setup

build: setup
	@.ci/build release

build-debug: setup
	@.ci/build debug

fmt:
	cargo fmt --all

lint: setup
	@.ci/test lint

unit: setup
	@.ci/test unit

integration: setup
	@.ci/test integration

e2e: setup
	@.ci/test e2e

bench: setup
	@.ci/bench

clean:
	rm -rf target/site target/agora
