# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(HOME)/.local/bin:$(PATH)
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN := $(UV) run --frozen

.PHONY: run test check lint typecheck format install uv data bench bench-quick chaos traces traces-ui dlq orphans docs doc-screenshots clean

uv:
	@command -v uv >/dev/null 2>&1 || test -x $(HOME)/.local/bin/uv || \
		(echo "Installing uv (the Python package manager)..." && \
		 (python3 -m pip install --user --quiet uv 2>/dev/null || \
		  python3 -m pip install --user --quiet --break-system-packages uv))

install: uv
	@$(UV) sync --frozen --quiet

run: install ## start the whole system on http://127.0.0.1:8000
	@$(RUN) python -m deploy.local.run

# The pure tests run on every core (pytest-xdist); the tests of real processes run one at a time,
# because each starts a broker and services whose timings must hold on a busy machine.
test: install ## the whole test suite against real processes
	@$(RUN) pytest -q -n auto tests/unit
	@$(RUN) pytest -q --durations=25 tests/integration tests/e2e

check: lint ## lint, types and the pure tests: the quick loop before a commit
	@$(RUN) pytest -q -n auto tests/unit

lint: install
	@$(RUN) ruff check .
	@$(RUN) ruff format --check .
	@$(RUN) mypy .

format: install
	@$(RUN) ruff format .
	@$(RUN) ruff check --fix .

bench: install ## every benchmark of tests/perf; results in var/bench/ and docs/PERFORMANCE.md
	@command -v wrk >/dev/null 2>&1 || (apt-get install -y -qq wrk >/dev/null 2>&1 || \
		echo "wrk is missing (apt-get install wrk): the gateway benchmark will fail")
	@$(RUN) python -m tests.perf.run

bench-quick: install ## every benchmark at a small size (checks they run; targets not judged)
	@$(RUN) python -m tests.perf.run --quick

chaos: install ## every fault scenario at the issue's sizes (long); figures in var/chaos/ and docs/RELIABILITY.md
	@CHAOS_FULL=1 $(RUN) pytest -q -m chaos tests/integration/chaos -o timeout=5400 -rA

traces: install ## print the most recent request's trace as a tree (var/traces)
	@$(RUN) python -m deploy.ops.traces --last

# Arize Phoenix, run by uvx in an environment of its own (about 140 packages, 630 MB, kept out of the
# project's lock): its UI and OTLP collector on 127.0.0.1:6006, its data in var/phoenix.
PHOENIX := arize-phoenix==20.26.1
traces-ui: uv ## a web view of traces on http://127.0.0.1:6006; then OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:6006 make run
	@mkdir -p var/phoenix
	@PHOENIX_WORKING_DIR=var/phoenix PHOENIX_HOST=127.0.0.1 PHOENIX_PORT=6006 PHOENIX_GRPC_PORT=4317 \
		PHOENIX_TELEMETRY_ENABLED=false PHOENIX_ALLOW_EXTERNAL_RESOURCES=false \
		$(UV) tool run --from $(PHOENIX) phoenix serve

data: install ## import ROME, geography and market statistics from DATA_DIR into the diagnostic store
	@$(RUN) python -m services.diagnostic.importer

dlq: install ## list the dead-letter topics and their messages (local broker)
	@$(RUN) python -m deploy.ops.dlq list

orphans: install ## list documents about people who no longer have an account, in every service store
	@$(RUN) python -m deploy.ops.orphans

docs: install ## regenerate the AsyncAPI document (refused if an event changed incompatibly)
	@$(RUN) python -m shared.asyncapi --write

doc-screenshots: install ## rewrite docs/screenshots/journeys/ (the three journeys of docs/WEB.md, real Chromium at 360 px)
	@UPDATE_DOC_SCREENSHOTS=1 $(RUN) pytest -q -p no:cacheprovider tests/e2e/test_journeys.py

clean:
	rm -rf var/stores var/mail var/traces var/phoenix
