# flashpoint: `make demo` sets up (first time) and runs the main job on the bundled sample;
# `make test` sets up (first time) and runs the whole test suite. Nothing else to install by hand.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.flashpoint-installed

.PHONY: demo test bench eval clean setup

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "flashpoint needs Python 3.11 or newer (found %s)" % sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,web,spark]'
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/flashpoint demo --db flashpoint-demo.duckdb

test: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/code.py
	$(BIN)/python bench/ingest.py

eval: $(STAMP)
	$(BIN)/flashpoint evaluate ../shared/gold/ukraine_dev.jsonl --split dev

clean:
	rm -rf $(VENV) flashpoint-demo.duckdb* .pytest_cache
