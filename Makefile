# make run   — set up, migrate, seed demo data on first run, start Meilisearch and the app
# make test  — set up and run the whole suite (SQLite, then PostgreSQL; browser tests included)
PORT ?= 5000
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(PY) -m pytest
TEST_PG_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
export PORT

.PHONY: setup run test lint test-sqlite test-postgres services bench cluster-check clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: setup
	$(PY) scripts/run.py --port $(PORT)

# Browser and database for the suite: installed or started here; under CI=true a missing
# one fails the run instead of skipping tests.
services:
	@bash scripts/test-services.sh

lint: setup
	$(VENV)/bin/ruff check .

test: setup services lint
	$(PYTEST) tests
	TEST_DATABASE_URL=$(TEST_PG_URL) $(PYTEST) tests

test-sqlite: setup
	$(PYTEST) tests

test-postgres: setup
	TEST_DATABASE_URL=$(TEST_PG_URL) $(PYTEST) tests

# The load runs use Debian's wrk (installed here when missing, as `make test` does Chromium).
bench: setup
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null) \
	  || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
	$(PY) bench/search.py
	$(PY) bench/lookup.py

# The production topology of deploy/ on this machine (loopback only), loaded and broken on
# purpose, then checked for loss and duplicates (scripts/cluster_check.py; ~3 minutes).
cluster-check: setup
	@command -v haproxy >/dev/null && command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq haproxy wrk >/dev/null) \
	  || { echo "haproxy or wrk is missing: apt-get install haproxy wrk" >&2; exit 1; }
	$(PY) scripts/cluster_check.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache
