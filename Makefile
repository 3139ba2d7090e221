# Two commands: `make run` (demo office on http://127.0.0.1:8000) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= $(or $(PENCET_PORT),8000)
SHELL := /bin/bash
# Some machines' pip configuration names package locations that do not exist for every package, and pip warns
# "Location '…' is ignored" once per package, a wall of lines on every install. Only those lines are dropped;
# any other warning or error is printed, and pip's own exit status is kept.
PIP_FILTER = 2>&1 | { grep -vE "^WARNING: Location '[^']*' is ignored" || true; }; exit $${PIPESTATUS[0]}

.PHONY: install run test lint format browser clean messages

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip $(PIP_FILTER)
	$(BIN)/pip install --quiet -e '.[dev]' $(PIP_FILTER)
	touch $@

install: $(BIN)/.installed

run: install
	PENCET_SIMULATOR=1 PENCET_OTP_REQUIRED=0 $(BIN)/pencet migrate --noinput
	PENCET_SIMULATOR=1 PENCET_OTP_REQUIRED=0 $(BIN)/pencet seed-demo
	PENCET_SIMULATOR=1 PENCET_OTP_REQUIRED=0 PENCET_PORT=$(PORT) $(BIN)/pencet serve

# Browser tests drive Debian's chromium; scripts/ensure-chromium installs it when it is missing.
browser:
	@scripts/ensure-chromium

# In parallel (pytest-xdist, one test database per worker); the browser tests share one worker (xdist_group
# "browser", see tests/conftest.py) so two Chromiums never compete for this machine. PYTEST_WORKERS=0: serial.
# Bytecode is written even where the environment sets PYTHONDONTWRITEBYTECODE: without it every run, in every
# worker and every `pencet` process a test starts, compiles the project and pytest rewrites every test module's
# asserts again (about 3 CPU seconds per worker; __pycache__ is ignored by git).
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?=
test: install browser
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Indonesian is the source language; English translations live in pencet/locale/en (and in <app>/locale for an app
# that has its own). Re-running keeps what is translated (msgmerge), adds new strings untranslated, and compiles
# the .mo files that are committed.
messages: install
	cd pencet && PENCET_DEBUG=1 ../$(BIN)/pencet makemessages --locale en --locale id --add-location file \
		--no-obsolete --ignore 'static/*'
	cd pencet && PENCET_DEBUG=1 ../$(BIN)/pencet compilemessages --locale en --locale id --ignore '.venv'

clean:
	rm -rf $(VENV) var
