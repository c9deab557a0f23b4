# LipRead — `make run` serves the site, `make test` runs every test. Both install first.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_PORT ?= 5432
REDIS_PORT ?= 6379
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:$(PG_PORT)/test
TEST_REDIS_URL ?= redis://127.0.0.1:$(REDIS_PORT)/15
port_open = $(shell python3 -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1',$(1))))" >/dev/null 2>&1 && echo yes)

.PHONY: install run test lint format bench system-deps

$(STAMP): requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

# Debian packages the browser tests need (Chromium driven by Playwright); only where missing.
system-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian chromium + chromium-driver for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "WARNING: /usr/bin/chromium missing; install Debian's chromium for the browser tests"; fi; \
	fi

run: install
	@export DEBUG=$${DEBUG:-true}; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py collectstatic --noinput -v 0 && \
	$(PY) manage.py setup_demo && \
	echo "Serving LipRead on http://127.0.0.1:8000/ (Ctrl+C to stop)" && \
	exec $(VENV)/bin/daphne -b 127.0.0.1 -p 8000 lipread.asgi:application

# Tests use PostgreSQL and Redis when they answer on localhost, else SQLite and in-memory.
# With CI=true both are required. `make test PG_PORT=1 REDIS_PORT=1` shows the fallback.
test: install system-deps
	@if [ "$(call port_open,$(PG_PORT))" = yes ]; then db="$(TEST_DATABASE_URL)"; echo "tests: PostgreSQL at 127.0.0.1:$(PG_PORT)"; \
	 elif [ "$$CI" = true ]; then echo "CI=true but PostgreSQL is not answering on 127.0.0.1:$(PG_PORT)"; exit 1; \
	 else db=""; echo "tests: PostgreSQL not found, using SQLite"; fi; \
	 if [ "$(call port_open,$(REDIS_PORT))" = yes ]; then redis="$(TEST_REDIS_URL)"; echo "tests: Redis at 127.0.0.1:$(REDIS_PORT)"; \
	 elif [ "$$CI" = true ]; then echo "CI=true but Redis is not answering on 127.0.0.1:$(REDIS_PORT)"; exit 1; \
	 else redis=""; echo "tests: Redis not found, using the in-memory channel layer and cache"; fi; \
	 DATABASE_URL="$$db" REDIS_URL="$$redis" LIPREAD_BROKER_URL= $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	DEBUG=true $(PY) manage.py bench_synthesis --lines 12
