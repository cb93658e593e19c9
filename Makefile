# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATABASE_URL ?= sqlite:///dealgraph.db
export DATABASE_URL

SCRIPTS := scripts/load scripts/sizes bench/cases.py bench/cases_rest.py bench/cases_postgres.py bench/floor.py bench/load.py bench/queries.py bench/serving.py bench/postgraphile_peer.py \
	bench/load_floor.py bench/load_engines.py bench/cache.py bench/stores.py bench/load_sqlite.py \
	bench/in_process.py
# The GraphQL-over-HTTP spec's audits (tests/test_graphql_http.py) run under Node.js.
AUDIT := tests/audit
AUDIT_STAMP := $(AUDIT)/node_modules/.installed
# The browser pages (GraphiQL, the explorer) are built with Vite from web/ into web/dist.
WEB := web
WEB_MODULES := $(WEB)/node_modules/.installed
WEB_STAMP := $(WEB)/dist/.built
WEB_SOURCES := $(wildcard $(WEB)/*.html $(WEB)/src/*) $(WEB)/vite.config.js

PYSQLITE3_MARKER := sys_platform == 'linux' and platform_machine == 'x86_64'

.PHONY: install web run seed migrate load bench bench-load serve test lint typecheck schema lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

$(AUDIT_STAMP): $(AUDIT)/package.json $(AUDIT)/package-lock.json
	npm ci --prefix $(AUDIT) --no-audit --no-fund
	touch $(AUDIT_STAMP)

web: $(WEB_STAMP)

$(WEB_MODULES): $(WEB)/package.json $(WEB)/package-lock.json
	npm ci --prefix $(WEB) --no-audit --no-fund
	touch $(WEB_MODULES)

$(WEB_STAMP): $(WEB_MODULES) $(WEB_SOURCES)
	npm run --prefix $(WEB) build
	touch $(WEB_STAMP)

seed: install
	$(BIN)/dealgraph load --if-empty

# A new store gets its schema with its first corpus; an existing one is brought up to date here.
migrate: install
	$(BIN)/dealgraph migrate

run: seed web
	$(BIN)/dealgraph serve

serve: install web
	$(BIN)/dealgraph serve

# The load test: 256 clients for 60 s on loopback while the corpus is reloaded (scripts/load);
# e.g. make load LOAD_ARGS="--clients 64 --duration 10".
load: install
	$(BIN)/python scripts/load $(LOAD_ARGS)

# The API against a hand-written SQL floor on the default synthetic store, under wrk (Debian's);
# the store and its corpus are cached in .bench/, so only the first run writes and loads them
# (minutes more). Then the same on a throwaway PostgreSQL server, with the small profile (1,000
# companies), beside PostGraphile v4 (npm) for Q1 and Q2, with that corpus's load on PostgreSQL
# as a ratio to SQLite's and SQLite's to a plain executemany; e.g.
# make bench BENCH_ARGS="--profile small --seconds 3" PG_BENCH_ARGS="--profile small --seconds 3".
PG_BENCH_ARGS ?= --profile small
bench: install
	command -v wrk >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends wrk)
	$(BIN)/python bench/queries.py $(BENCH_ARGS)
	$(BIN)/python bench/queries.py --engine postgresql $(PG_BENCH_ARGS)

# Loading the default corpus into a new SQLite store against a plain executemany of its rows
# (minutes); the store it loads is kept for make bench when .bench/ has none. E.g.
# make bench-load BENCH_LOAD_ARGS="--profile small".
bench-load: install
	$(BIN)/python bench/load_sqlite.py $(BENCH_LOAD_ARGS)

# The whole suite on each engine: SQLite, then a throwaway PostgreSQL server on 127.0.0.1 that
# the suite starts and stops itself (tests/postgres.py).
test: install web $(AUDIT_STAMP)
	$(BIN)/ruff check api tests $(SCRIPTS)
	$(BIN)/ruff format --check api tests $(SCRIPTS)
	$(BIN)/mypy
	$(foreach script,$(SCRIPTS),$(BIN)/mypy --strict $(script) &&) true
	DEALGRAPH_TEST_ENGINE=sqlite $(BIN)/pytest
	DEALGRAPH_TEST_ENGINE=postgresql $(BIN)/pytest

lint: install
	$(BIN)/ruff check api tests $(SCRIPTS)
	$(BIN)/ruff format --check api tests $(SCRIPTS)

typecheck: install
	$(BIN)/mypy
	$(foreach script,$(SCRIPTS),$(BIN)/mypy --strict $(script) &&) true

schema: install
	$(BIN)/dealgraph export-schema --output schema.graphql

# Re-pin after changing dependencies in pyproject.toml: runtime pins for the image, all pins for dev.
lock:
	rm -rf /tmp/dealgraph-lock && $(PYTHON) -m venv /tmp/dealgraph-lock
	/tmp/dealgraph-lock/bin/pip install --quiet .
	/tmp/dealgraph-lock/bin/pip freeze | grep -vi '^dealgraph' > requirements.lock
	/tmp/dealgraph-lock/bin/pip install --quiet '.[dev]'
	/tmp/dealgraph-lock/bin/pip freeze | grep -vi '^dealgraph' > requirements-dev.lock
	# pip freeze drops markers: the recent SQLite is built for Linux x86-64 only.
	sed -i "s/^pysqlite3-binary==.*/& ; $(PYSQLITE3_MARKER)/" requirements.lock requirements-dev.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(AUDIT)/node_modules \
		bench/postgraphile/node_modules $(WEB)/node_modules $(WEB)/dist artefacts .bench
