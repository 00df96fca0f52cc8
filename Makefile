# Cursus — the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SCALE ?= 0.01
SEED ?= 1

.PHONY: install demo test test-fast test-postgres test-e2e lint format messages serve worker clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)  ## Prepare .venv with Cursus and its tools.

demo: $(STAMP)  ## Build the demo institution in var/ and serve it at http://127.0.0.1:8000.
	$(BIN)/cursus demo --scale $(SCALE) --seed $(SEED)

test: $(STAMP)  ## Run the test suite on SQLite (browser tests skip without Chromium).
	$(BIN)/python -m pytest -q -n 2 --dist loadscope

test-postgres: $(STAMP)  ## Run the test suite on the local PostgreSQL.
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cursus} $(BIN)/python -m pytest -q -n 2 --dist loadscope

lint: $(STAMP)  ## Lint, check formatting, types, layers and migrations.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)  ## Refresh the translation catalogues and compile them.
	cd cursus && ../$(BIN)/django-admin makemessages -l fr -l en --no-obsolete
	cd cursus && ../$(BIN)/django-admin makemessages -d djangojs -l fr -l en --no-obsolete
	cd cursus && ../$(BIN)/django-admin compilemessages

serve: $(STAMP)
	$(BIN)/cursus serve 127.0.0.1:8000

worker: $(STAMP)  ## Run a background task worker on the configured database.
	$(BIN)/cursus db_worker

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
