# Two commands: `make run` (set up and serve the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs in this many processes (pytest-xdist), at most four.
TEST_WORKERS ?= auto
# The suite fails below this share of covered lines.
COVERAGE_FLOOR ?= 95
# More pytest options (CI adds its JUnit report).
PYTEST_ARGS ?=
# Races need parallel transactions: they run on PostgreSQL when a server answers.
RACE_TESTS := $(wildcard tests/*/test_concurrent_*.py)

.PHONY: run test install install-dev lock lint format messages check-migrations clean \
	prod-local prod-local-stop

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# requirements*.txt are lock files (every package, with hashes): pip checks each
# download against them. Edit requirements*.in, then `make lock`.
$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --universal \
	--python-version 3.11.5 --custom-compile-command "make lock"

lock: $(BIN)/python
	$(BIN)/pip install --quiet uv==0.13.9
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in -c requirements.txt -o requirements-dev.txt

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
	DEBUG=1 DATABASE_URL=sqlite://:memory: $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) --maxprocesses 4 --dist worksteal --cov --cov-report=term:skip-covered \
		--cov-fail-under=$(COVERAGE_FLOOR) $(PYTEST_ARGS)
	@echo "== the PostgreSQL-only race tests =="
	$(BIN)/python .ci/with_postgres.py -- $(BIN)/pytest -p no:cacheprovider $(RACE_TESTS)

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Wagtail's templates copied under site/templates/wagtailadmin keep Wagtail's strings:
# their translations are Wagtail's, or ours in site/locale_overrides, never extracted.
messages: install-dev
	DEBUG=1 $(MANAGE) makemessages -l fi -l sv --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'tests/*' --ignore 'site/templates/wagtailadmin/*'
	DEBUG=1 $(MANAGE) compilemessages --ignore '.venv'

clean:
	rm -rf $(VENV) node_modules .pytest_cache

# The production topology on this machine (deploy/prod_local.py): nginx, two
# gunicorn app processes, PostgreSQL, Redis, S3 (moto) and a task worker.
prod-local: $(VENV)/.installed-dev
	$(BIN)/python deploy/prod_local.py start

prod-local-stop:
	$(BIN)/python deploy/prod_local.py stop
