# tte — make targets. Every install step lives here so a clean clone works.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint format typecheck bench soak clean venv

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,ssh,report]"
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/tte host

test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check tte tests bench
	$(BIN)/ruff format --check tte tests bench

format: $(STAMP)
	$(BIN)/ruff format tte tests bench
	$(BIN)/ruff check --fix tte tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: $(STAMP)
	$(BIN)/python -m bench

soak: $(STAMP)
	$(BIN)/python -m pytest -q -m soak tests --runsoak

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
