# `make run` serves the site with the bundled Toronto data; `make test` runs every test.
# Both set up .venv themselves and can be run again at any time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
GEO_MIRROR := $(wildcard ../shared/geo)
ifneq ($(GEO_MIRROR),)
export ATLAS_GEO_MIRROR ?= $(abspath $(GEO_MIRROR))
endif

.PHONY: run test setup browser db bench clean

run: db
	$(BIN)/flask --app app run --host $(HOST) --port $(PORT)

test: setup browser
	$(BIN)/python -m pytest

setup: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Boundaries first (from the offline mirror when there is one), so sites get their wards; the
# site still works without them.
db: setup
	-$(BIN)/flask --app app fetch-geodata --if-missing
	$(BIN)/flask --app app init-db

# End-to-end tests drive Debian's Chromium; Playwright cannot download a browser here.
browser:
	@[ -x $(CHROMIUM) ] || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Benchmarks: search over synthetic catalogues of 1,000 to 100,000 programs, and the map page.
bench: setup
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/search.py
	$(BIN)/python bench/maps.py

clean:
	rm -rf $(VENV) instance .pytest_cache
