# Aqparat: `make run` serves the demo newsroom; `make test` runs every gate.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
# The address readers use, for every absolute link (feeds, sitemaps, canonical):
# AQPARAT_BASE_URL when set (behind a proxy, or HOST=0.0.0.0), else HOST:PORT.
BASE_URL := $(or $(AQPARAT_BASE_URL),http://$(HOST):$(PORT))
NBK_PORT ?= 8701
TELEGRAM_PORT ?= 8702
# The local fake Bot API's token: not a secret, it opens nothing but the fake.
DEMO_TELEGRAM_TOKEN := 123456789:AAdemoTokenForTheLocalFakeBotApiOnly
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint lock format bench bench-scale lighthouse install install-dev serve clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Every dependency at the version and hashes of the lock files (`make lock` writes
# them from pyproject.toml's ranges), then the project itself without resolving.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(VENV)/.installed $@

# After a change to pyproject.toml's dependencies: pin, with hashes, for every
# platform, the newest versions its ranges allow.
lock: install-dev
	$(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
		--generate-hashes --output-file requirements.lock
	$(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
		--generate-hashes --extra dev --output-file requirements-dev.lock

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install messages
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) load_demo_newsroom
	AQPARAT_BASE_URL=$(BASE_URL) $(MANAGE) site_address
	$(MAKE) --no-print-directory serve

# The production WSGI server (gunicorn, one process per core), the huey consumer
# (background and periodic jobs), the local fake National Bank and the local fake
# Telegram Bot API run together; the ticker's rates are fetched from the fake bank
# through the real client (the last 90 days too, for the rates page's chart), and
# what editors publish is posted to the fake channels. Ctrl-C stops them all.
serve:
	@echo "Aqparat on http://$(HOST):$(PORT)/ (admin: /admin/). Ctrl-C stops it."
	@echo "Its Telegram channels (a local fake): http://127.0.0.1:$(TELEGRAM_PORT)/"
	@trap 'kill 0' INT TERM; \
	export DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-aqparat.settings.dev}; \
	export AQPARAT_BASE_URL=$(BASE_URL); \
	$(BIN)/python -m aqparat.rates.fake_server --port $(NBK_PORT) & \
	$(BIN)/python -m aqparat.telegram.fake_server --port $(TELEGRAM_PORT) \
		--token $(DEMO_TELEGRAM_TOKEN) \
		--chat @aqparat_kk --chat @aqparat_ru --chat @aqparat_en & \
	sleep 1; \
	export AQPARAT_NBK_BASE_URL=http://127.0.0.1:$(NBK_PORT); \
	export AQPARAT_TELEGRAM_API_URL=http://127.0.0.1:$(TELEGRAM_PORT); \
	export AQPARAT_TELEGRAM_WEB_URL=http://127.0.0.1:$(TELEGRAM_PORT); \
	export AQPARAT_TELEGRAM_BOT_TOKEN=$(DEMO_TELEGRAM_TOKEN); \
	$(MANAGE) fetch_rates --date $$(date -d '90 days ago' +%F) --to $$(date +%F) > /dev/null; \
	$(MANAGE) fetch_rates; \
	$(MANAGE) run_huey --logfile /dev/null & \
	$(BIN)/gunicorn -c python:aqparat.gunicorn_conf aqparat.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --graceful-timeout 5 --no-control-socket & \
	wait

# Compile the kk/ru catalogues with Babel, so no system gettext is needed.
messages: install
	$(BIN)/pybabel -q compile -d aqparat/locale -D django

test: install-dev messages
	$(BIN)/ruff check .
	$(BIN)/bandit -q -c pyproject.toml -r aqparat
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check aqparat/templates
	$(BIN)/mypy aqparat tests conftest.py bench
	DJANGO_SETTINGS_MODULE=aqparat.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=aqparat.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -rs $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/bandit -q -c pyproject.toml -r aqparat
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check aqparat/templates
	$(BIN)/mypy aqparat tests conftest.py bench

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml aqparat/templates

bench: install-dev
	$(BIN)/python -m bench.article_page
	$(BIN)/python bench/editions.py
	$(BIN)/python bench/rates.py
	$(BIN)/python -m bench.beacons
	$(BIN)/python -m bench.beacon_cost
	$(BIN)/python -m bench.publication
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.sitemaps

# Long benchmarks on generated archives (100 000 stories and more), kept out of
# `make bench` and CI for the time their data takes to build.
bench-scale: install-dev messages
	$(BIN)/python -m bench.stories_listing
	$(BIN)/python -m bench.scale

# Lighthouse 12 (pinned in bench/lighthouse/) on the demo's home and article, in
# Debian's chromium; needs Node.js and npm.
lighthouse: install-dev messages
	cd bench/lighthouse && npm ci --no-audit --no-fund --ignore-scripts --silent
	$(BIN)/python -m bench.lighthouse

clean:
	rm -rf $(VENV) var
