# Attune: `make run` serves the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint typecheck pytest assets lock clean bench

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

# Serve the demo: SQLite, demo data, demo banner, two-factor waived for demo accounts only.
run: install
	ATTUNE_DEMO=1 $(MANAGE) migrate --no-input
	ATTUNE_DEMO=1 $(MANAGE) load_demo
	@echo "Attune is at http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	ATTUNE_DEMO=1 $(MANAGE) runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint attune --lint --profile=jinja --extension=jinja --quiet

typecheck: install
	$(BIN)/mypy attune

# Unit, integration and browser tests. DATABASE_URL=postgres://... runs them on PostgreSQL.
pytest: install
	$(BIN)/pytest

test: lint typecheck pytest

# Time the report pages on the region-scale dataset beside hand-written SQL, on SQLite then
# PostgreSQL (BENCH_SQLITE, BENCH_PG). The first run builds the region: a few minutes each.
bench: install
	DATABASE_URL=sqlite:///$${BENCH_SQLITE:-/tmp/attune-bench.sqlite3} $(MANAGE) bench_reports
	@[ -n "$${BENCH_PG:-}" ] || psql postgres://postgres@127.0.0.1:5432/postgres -tAc "select 1 from pg_database where datname = 'attune_bench'" | grep -q 1 || psql postgres://postgres@127.0.0.1:5432/postgres -qc "create database attune_bench"
	DATABASE_URL=$${BENCH_PG:-postgres://postgres@127.0.0.1:5432/attune_bench} $(MANAGE) bench_reports

lock:
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras base.in -o base.txt
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras dev.in -o dev.txt

clean:
	rm -rf $(VENV) node_modules attune/static/build staticfiles .mypy_cache .pytest_cache .ruff_cache
