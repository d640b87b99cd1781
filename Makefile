# Beli Produk NTT. `make run` and `make test` do everything on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8000
VENV ?= .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/ovop

# The first Python >= 3.12 found: pyenv's choice from .python-version, then the usual names.
PYTHON_CANDIDATES := python python3.13 python3.12 python3
PYTHON_FOUND := $(shell for p in $(PYTHON_CANDIDATES); do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)

.PHONY: help venv run migrate demo test test-postgres test-browser lint format bench bench-import serve loadtest check-deploy clean

help:
	@echo "make run            set up, migrate, load the demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test           the whole test suite on SQLite"
	@echo "make test-postgres  the same suite on PostgreSQL ($(PG_URL))"
	@echo "make lint           ruff"
	@echo "make bench          storefront benchmark (10,000 products)"
	@echo "make bench-import   village import benchmark"
	@echo "make serve          production-like: gunicorn, DEBUG off"
	@echo "make loadtest       load test against make serve"

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON_FOUND)" ]; then \
		echo "Python 3.12 or newer is needed; found: $$(python3 --version 2>&1 || echo none)." >&2; \
		echo "Install Python 3.13 (see .python-version), e.g. with pyenv, then run make again." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON_FOUND) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv
	$(PY) -m pytest

test-postgres: venv
	DATABASE_URL=$(PG_URL) $(PY) -m pytest

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles .pytest_cache
