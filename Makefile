# Two commands: `make run` serves the API on embedded SQLite; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
export TEST_DATABASE_URL

.PHONY: run test fuzz property bench migrate clean help

help:
	@echo "make run    - install, migrate the embedded SQLite database, serve http://127.0.0.1:8000 (docs at /docs)"
	@echo "make test   - install dev extras and run every test (PostgreSQL at TEST_DATABASE_URL)"
	@echo "make fuzz   - schemathesis with 100 examples per operation and role (FUZZ_EXAMPLES=...)"
	@echo "make property - hypothesis with the thorough profile"
	@echo "make bench  - load benchmark vs a floor app (BENCH_ARGS='--workers 2 --duration 10 ...')"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/opengov-food db migrate
	$(BIN)/opengov-food serve

migrate: $(VENV)/.run-installed
	$(BIN)/opengov-food db migrate

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest

# Longer runs of the verification harness than `make test` affords.
fuzz: $(VENV)/.dev-installed
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} $(BIN)/python -m pytest tests/fuzz -s

# Load benchmark against a minimal floor app (bench/); needs wrk and PostgreSQL.
bench: $(VENV)/.bench-installed
	@command -v wrk >/dev/null || (echo "installing wrk (Debian package)"; apt-get install -y -q wrk >/dev/null)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

$(VENV)/.bench-installed: $(VENV)/.dev-installed
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $@

property: $(VENV)/.dev-installed
	HYPOTHESIS_PROFILE=thorough $(BIN)/python -m pytest tests/property tests/contract -s

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
