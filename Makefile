# Two commands from a fresh clone:  `make run` (serve the demo) and `make test` (everything).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint unit e2e bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	touch $(STAMP)

## Serve the demo restaurant at http://127.0.0.1:8000 (embedded PostgreSQL, migrations, demo data).
run: $(STAMP)
	$(BIN)/brigade serve --demo

## Lint, types, import contracts, then every test (browser tests in their own run).
test: lint unit e2e

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/pytest tests --ignore=tests/e2e

e2e: $(STAMP)
	$(BIN)/pytest tests/e2e

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
