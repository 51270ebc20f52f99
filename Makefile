# Attune: `make run` serves the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve-production test test-fast test-dates test-date-of-the-day install lint typecheck pytest pytest-fast chromium faketime assets lock clean bench load

# Install once; reinstall only when the lock files change.
$(BIN)/.installed: requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

attune/static/build/.built: node_modules/.installed $(wildcard attune/frontend/*.* attune/frontend/js/*)
	npm run --silent build
	touch $@

install: $(BIN)/.installed attune/static/build/.built

assets: attune/static/build/.built

# Serve the demo: SQLite, demo data, demo banner, two-factor waived for demo accounts only; the
# worker runs beside the web server (scheduled jobs: outbox, lone working, reminders...).
# Static files are collected as in production (hashed names, gzip copies), so a parent's phone
# gets them compressed and cached for a year (ADR 0018).
run: install
	ATTUNE_DEMO=1 $(MANAGE) migrate --no-input
	ATTUNE_DEMO=1 $(MANAGE) load_demo
	$(MANAGE) collectstatic --no-input --verbosity 0
	@echo "Attune is at http://$(HOST):$(PORT)/, with its worker (Ctrl+C stops both)"
	ATTUNE_DEMO=1 $(MANAGE) serve_with_worker $(HOST):$(PORT)

# Production: check the settings, migrate, collect static files, then serve with gunicorn and run
# the worker; SIGTERM or Ctrl+C stops both. Settings from the environment: docs/deploy/README.md.
serve-production:
	bin/serve-production

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint attune --lint --profile=jinja --extension=jinja --quiet

typecheck: install
	$(BIN)/mypy attune

# Tests run on every core (pytest-xdist; PYTEST_WORKERS=0 for one process). The tests of the
# loaded demo stay together on one worker, so it is loaded once (conftest.py).
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS)
CHROMIUM := /usr/bin/chromium

# The browser journeys drive the system Chromium; say so once, before anything runs.
chromium:
	@test -x $(CHROMIUM) || { \
	  echo "The browser journeys need Chromium at $(CHROMIUM), and it is not there."; \
	  echo "Install it with:  sudo apt-get install -y chromium"; \
	  echo "or run 'make test-fast' for everything but the browser journeys."; \
	  exit 1; }

# Unit, integration and browser tests. DATABASE_URL=postgres://... runs them on PostgreSQL.
pytest: install chromium
	$(PYTEST)

# Everything but the browser journeys: the inner loop.
pytest-fast: install
	$(PYTEST) -m "not system"

test: chromium lint typecheck pytest

test-fast: lint typecheck pytest-fast

# The suite must not depend on today: run every test, browser journeys included, with the whole
# process's clock (libfaketime: the server, the test and Chromium alike) on other days. Times are
# UTC: a leap day; the last evening of a financial year (23:30 BST); and 01:30 BST on the night
# the clocks go back, the hour that happens twice. DATES="2027-03-31T22:30:00Z" runs one day.
DATES ?= 2028-02-29T09:00:00Z 2027-03-31T22:30:00Z 2027-10-31T00:30:00Z
# More pytest arguments for the dated runs: CI passes PYTEST_ARGS='-m "not system"' (.ci/run).
PYTEST_ARGS ?=

faketime:
	@command -v faketime >/dev/null || { \
	  echo "make test-dates needs libfaketime: sudo apt-get install -y faketime"; exit 1; }

test-dates: install chromium faketime
	@for day in $(DATES); do \
	  echo "== every test, with the clock at $$day =="; \
	  faketime "$$day" $(PYTEST) $(PYTEST_ARGS) || exit 1; \
	done

# CI's share of the proof: one of DATES, a different one each day of the year.
test-date-of-the-day:
	@$(MAKE) --no-print-directory test-dates \
	  DATES="$(word $(shell echo $$(( 10#$$(date +%j) % $(words $(DATES)) + 1 ))),$(DATES))"

# Time the report pages on the region-scale dataset beside hand-written SQL, on SQLite then
# PostgreSQL (BENCH_SQLITE, BENCH_PG). The first run builds the region: a few minutes each.
bench: install
	DATABASE_URL=sqlite:///$${BENCH_SQLITE:-/tmp/attune-bench.sqlite3} $(MANAGE) bench_reports
	@[ -n "$${BENCH_PG:-}" ] || psql postgres://postgres@127.0.0.1:5432/postgres -tAc "select 1 from pg_database where datname = 'attune_bench'" | grep -q 1 || psql postgres://postgres@127.0.0.1:5432/postgres -qc "create database attune_bench"
	DATABASE_URL=$${BENCH_PG:-postgres://postgres@127.0.0.1:5432/attune_bench} $(MANAGE) bench_reports

# What each main page costs under load (manage.py load_pages): gunicorn with the production settings
# (LOAD_WORKERS, default 4) on loopback against the region on PostgreSQL (`make bench` builds it;
# LOAD_PG names another), and a threaded client signed in as region people: 2 and 20 clients for
# LOAD_SECONDS each (default 30), then LOAD_RATE requests a second (default 60) for LOAD_SUSTAIN (60).
load: install
	DATABASE_URL=$${LOAD_PG:-postgres://postgres@127.0.0.1:5432/attune_bench} $(MANAGE) load_pages

lock:
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras base.in -o base.txt
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras dev.in -o dev.txt

clean:
	rm -rf $(VENV) node_modules attune/static/build staticfiles .mypy_cache .pytest_cache .ruff_cache
