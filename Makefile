# tte — make targets. Every install step lives here so a clean clone works.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint imports format typecheck bench bench-quick soak clean venv tools \
	messages messages-extract messages-update messages-compile messages-init

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,ssh,report]"
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/tte host

# The SSH and player-app tests drive the real OpenSSH client and tmux.
TOOLS := ssh tmux
tools:
	@missing=""; for t in $(TOOLS); do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  pkgs=$$(echo "$$missing" | sed 's/ssh/openssh-client/'); \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$pkgs; \
	  else echo "please install:$$pkgs (e.g. sudo apt-get install$$pkgs)"; exit 1; fi; \
	fi

# Two workers: the suite is mostly servers and apps waiting on each other, and CI has 2 cores.
TEST_WORKERS ?= 2
test: $(STAMP) tools
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check tte tests bench
	$(BIN)/ruff format --check tte tests bench

format: $(STAMP)
	$(BIN)/ruff format tte tests bench
	$(BIN)/ruff check --fix tte tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# The layer contract in pyproject.toml ([tool.importlinter]).
imports: $(STAMP)
	$(BIN)/lint-imports --no-cache

check: lint typecheck imports test

bench: $(STAMP) tools
	$(BIN)/python -m bench

bench-quick: $(STAMP) tools
	$(BIN)/python -m bench --quick --out bench/results-quick.md

soak: $(STAMP) tools
	TTE_SOAK=1 HYPOTHESIS_PROFILE=dev $(BIN)/python -m pytest -q -p no:cacheprovider --timeout=3600 tests/reliability
	$(BIN)/python -m bench.soak --clients 500 --minutes 10 --workers 2

# Translations (docs/translating.md): extract every _() N_() said() ngettext() string and
# the core's tables (tte/messages.py) into tte/locale/tte.pot, merge it into each
# tte/locale/<lang>/LC_MESSAGES/tte.po, compile the .mo files the program reads
# (committed, so a clean clone, an editable install and the wheel all have them).
# A new language: make messages-init NEW=de, translate its tte.po, make messages.
LOCALE := tte/locale
BABEL := $(BIN)/pybabel

messages: messages-extract messages-update messages-compile

messages-extract: $(STAMP)
	$(BIN)/python -m tte.messages

messages-update: $(STAMP)
	$(BABEL) update -D tte -i $(LOCALE)/tte.pot -d $(LOCALE) --no-wrap --ignore-obsolete

messages-compile: $(STAMP)
	$(BABEL) compile --statistics -D tte -d $(LOCALE)

messages-init: $(STAMP)
	test -n "$(NEW)" || { echo "usage: make messages-init NEW=<language code>"; exit 1; }
	$(BABEL) init -D tte -i $(LOCALE)/tte.pot -d $(LOCALE) -l $(NEW) --no-wrap

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
