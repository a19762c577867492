# Aqparat: `make run` serves the demo newsroom; `make test` runs every gate.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
NBK_PORT ?= 8701
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint format bench install install-dev serve clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install messages
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) load_demo_newsroom
	$(MAKE) --no-print-directory serve

# The production WSGI server (gunicorn, one process per core), the huey consumer
# (background and periodic jobs) and the local fake National Bank run together; the
# ticker's rates are fetched from the fake through the real client (the last 90 days
# too, for the rates page's chart). Ctrl-C stops them all.
serve:
	@echo "Aqparat on http://$(HOST):$(PORT)/ (admin: /admin/). Ctrl-C stops it."
	@trap 'kill 0' INT TERM; \
	$(BIN)/python -m aqparat.rates.fake_server --port $(NBK_PORT) & \
	sleep 1; \
	export AQPARAT_NBK_BASE_URL=http://127.0.0.1:$(NBK_PORT); \
	$(MANAGE) fetch_rates --date $$(date -d '90 days ago' +%F) --to $$(date +%F) > /dev/null; \
	$(MANAGE) fetch_rates; \
	$(MANAGE) run_huey --logfile /dev/null & \
	$(BIN)/gunicorn aqparat.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --graceful-timeout 5 --no-control-socket & \
	wait

# Compile the kk/ru catalogues with Babel, so no system gettext is needed.
messages: install
	$(BIN)/pybabel -q compile -d aqparat/locale -D django

test: install-dev messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check aqparat/templates
	$(BIN)/mypy aqparat tests conftest.py bench
	DJANGO_SETTINGS_MODULE=aqparat.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=aqparat.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -rs $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check aqparat/templates
	$(BIN)/mypy aqparat tests conftest.py bench

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml aqparat/templates

bench: install-dev
	$(BIN)/python bench/article_page.py
	$(BIN)/python bench/editions.py
	$(BIN)/python bench/rates.py

clean:
	rm -rf $(VENV) var
