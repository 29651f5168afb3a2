# `make run` serves the site with the bundled Toronto data (gunicorn, WORKERS workers); `make test`
# runs every test; `make dev` serves it with Flask's development server instead.
# Both set up .venv themselves and can be run again at any time. `make test-unit` runs only the
# unit tests (pure functions: no app, database or browser), for a quick inner loop.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
# Processes `make test` spreads the tests over (pytest-xdist): auto is one per CPU, 0 runs them in one.
TEST_WORKERS ?= auto
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
GEO_MIRROR := $(wildcard ../shared/geo)
ifneq ($(GEO_MIRROR),)
export ATLAS_GEO_MIRROR ?= $(abspath $(GEO_MIRROR))
endif

.PHONY: run dev test test-unit setup browser db bench clean

# gunicorn.conf.py reads HOST, PORT and WORKERS, and does the start-up work once before forking.
run: db
	HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

dev: db
	$(BIN)/flask --app app run --host $(HOST) --port $(PORT)

test: setup browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

test-unit: setup
	$(BIN)/python -m pytest tests/unit

setup: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The schema, then the boundaries (from the offline mirror when there is one), so sites get their
# wards; the site still works without them.
db: setup
	$(BIN)/flask --app app migrate
	-$(BIN)/flask --app app fetch-geodata --if-missing
	$(BIN)/flask --app app init-db

# End-to-end tests drive Debian's Chromium; Playwright cannot download a browser here.
browser:
	@[ -x $(CHROMIUM) ] || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Benchmarks: search and matching over synthetic catalogues, page weights, integrity under load.
bench: setup
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/search.py
	$(BIN)/python bench/maps.py
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/referrals.py
	$(BIN)/python bench/integrity.py
	$(BIN)/python bench/gaps.py

clean:
	rm -rf $(VENV) instance .pytest_cache
