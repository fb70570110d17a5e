# Two commands: `make run` (set up and serve the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint format messages check-migrations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: install Debian's 'npm' package to run the accessibility audits"; fi

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev node_modules/.installed

run: install
	DEBUG=1 $(MANAGE) migrate --no-input
	DEBUG=1 $(MANAGE) load_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (administration: http://$(HOST):$(PORT)/admin/)"
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install-dev
	DEBUG=1 $(MANAGE) makemessages -l fi -l sv --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'tests/*'
	DEBUG=1 $(MANAGE) compilemessages --ignore '.venv'

clean:
	rm -rf $(VENV) node_modules .pytest_cache
