# Weir — build, run and test.
#
#   make deps          install missing system and Python packages
#   make build         debug build (.build/debug/weir)
#   make release       release build (.build/release/weir)
#   make run           release build, demo TPC-H warehouse in ./var (first run), serve on 127.0.0.1:$(PORT)
#   make test          unit tests (S3 ones against moto_server), the decoder fuzzer, then compat tests against Weir and
#                      PostgreSQL (a fixed-seed run of the SQL fuzzer among them)
#   make fuzz          libFuzzer on the frontend message decoder ($(FUZZ_RUNS) inputs)
#   make fuzz-sql      the SQL fuzzer against Weir and PostgreSQL: $(FUZZ_SQL_QUERIES) random queries, a fresh seed
#                      (FUZZ_SQL_SEED=N to repeat one); prints a minimized reproducer per mismatch
#   make compat        compat tests only (S3 ones against moto_server), with an existing debug build
#   make bench-wire    wire throughput, Weir vs PostgreSQL (bench-results/wire.txt)
#   make bench-tpch    the 22 TPC-H queries at SF1, Weir vs DuckDB (bench-results/tpch.txt)
#   make bench-scan    Iceberg full and partition-pruned scans at SF1, Weir vs DuckDB (bench-results/scan.txt)
#   make format-check  swift format lint --strict
#   make clean         remove build products and leftover test servers

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

SWIFT ?= swift
PYTHON ?= python3
PORT ?= 5433
DATA_DIR ?= ./var
# TPC-H scale factor of the demo warehouse `make run` creates on first start.
DEMO_SCALE ?= 0.01
# Inputs the decoder fuzzer runs in `make test` and `make fuzz`.
FUZZ_RUNS ?= 200000
# Queries `make fuzz-sql` generates (make test runs a fixed-seed 3000 among the compat tests).
FUZZ_SQL_QUERIES ?= 100000
FUZZ_SQL_SEED ?=

export PYTHON

.DEFAULT_GOAL := build
.PHONY: deps build release run test compat fuzz fuzz-sql bench-wire bench-tpch bench-scan format-check clean

deps:
	@scripts/install-deps.sh

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

# Steps run in sequence (not as prerequisites) so `make -j` cannot build before deps exist.
run: deps
	$(SWIFT) build -c release
	@mkdir -p $(DATA_DIR)
	@$(PYTHON) scripts/load-demo.py --weir .build/release/weir --scale $(DEMO_SCALE) --data-dir $(DATA_DIR) --cache-dir $(DATA_DIR)/tpch-parquet
	@echo
	@echo "Weir on 127.0.0.1:$(PORT); connect with (password demo):"
	@echo '  psql "host=127.0.0.1 port=$(PORT) user=demo dbname=lake"'
	@echo
	exec .build/release/weir serve --host 127.0.0.1 --port $(PORT) --data-dir $(DATA_DIR)

# make test starts every server its suites need, so a suite that finds one missing fails.
test: export WEIR_REQUIRE_SERVERS := 1
test: deps
	@$(MAKE) --no-print-directory format-check
	$(SWIFT) build
	$(SWIFT) build --build-tests
	@scripts/run-with-test-servers.sh $(SWIFT) test
	@scripts/fuzz-decoder.sh $(FUZZ_RUNS)
	@scripts/run-with-test-servers.sh scripts/run-compat.sh

compat:
	@scripts/run-with-test-servers.sh scripts/run-compat.sh

fuzz:
	@scripts/fuzz-decoder.sh $(FUZZ_RUNS)

fuzz-sql: build
	@scripts/fuzz-sql.sh --queries $(FUZZ_SQL_QUERIES) $(if $(FUZZ_SQL_SEED),--seed $(FUZZ_SQL_SEED))

bench-wire:
	@scripts/bench-wire.sh

bench-tpch: deps
	@scripts/bench-tpch.sh

bench-scan: deps
	@scripts/bench-scan.sh

format-check:
	@if $(SWIFT) format --version >/dev/null 2>&1; then \
		$(SWIFT) format lint --strict --recursive Sources Tests && echo "format-check: ok"; \
	else \
		echo "format-check: this toolchain has no 'swift format'; skipped"; \
	fi

clean:
	$(SWIFT) package clean
	rm -rf .test-servers .build-fuzz
