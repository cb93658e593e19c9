# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATABASE_URL ?= sqlite:///dealgraph.db
export DATABASE_URL

.PHONY: install run load serve test lint typecheck schema lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

load: install
	$(BIN)/dealgraph load --if-empty

run: load
	$(BIN)/dealgraph serve

serve: install
	$(BIN)/dealgraph serve

test: install
	$(BIN)/ruff check api tests
	$(BIN)/ruff format --check api tests
	$(BIN)/mypy
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check api tests
	$(BIN)/ruff format --check api tests

typecheck: install
	$(BIN)/mypy

schema: install
	$(BIN)/dealgraph export-schema --output schema.graphql

# Re-pin after changing dependencies in pyproject.toml: runtime pins for the image, all pins for dev.
lock:
	rm -rf /tmp/dealgraph-lock && $(PYTHON) -m venv /tmp/dealgraph-lock
	/tmp/dealgraph-lock/bin/pip install --quiet .
	/tmp/dealgraph-lock/bin/pip freeze | grep -vi '^dealgraph' > requirements.lock
	/tmp/dealgraph-lock/bin/pip install --quiet '.[dev]'
	/tmp/dealgraph-lock/bin/pip freeze | grep -vi '^dealgraph' > requirements-dev.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
