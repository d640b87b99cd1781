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

.PHONY: help venv lock run migrate demo test test-postgres test-browser lint format bench bench-import serve worker cluster-check loadtest check-deploy clean

help:
	@echo "make run            set up, migrate, load the demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test           the whole test suite on SQLite"
	@echo "make test-postgres  the same suite on PostgreSQL ($(PG_URL))"
	@echo "make lint           ruff"
	@echo "make bench          storefront benchmark (10,000 products)"
	@echo "make bench-import   village import benchmark"
	@echo "make bench-requests requests a second of each page against a bare Django view (wrk, gunicorn)"
	@echo "make bench-ab BASE=rev  the cold pages of this checkout and of another revision, side by side"
	@echo "make serve          production-like: gunicorn and one task worker (TASK_WORKERS=0: web only), DEBUG off"
	@echo "make worker         one task worker (and scheduler candidate) only, for other machines"
	@echo "make cluster-check  two app servers on PostgreSQL + Redis: shared state, stock, mail outage, killed worker"
	@echo "make lock           regenerate the hashed lock files from pyproject.toml"
	@echo "make loadtest       load test against make serve"
	@echo "make check-deploy   manage.py check --deploy under production settings"
	@echo "make lighthouse     Lighthouse scores (mobile) for home, catalogue and a product"
	@echo "make backup         database dump + media into $(BACKUP_DIR)/<timestamp>/"
	@echo "make restore BACKUP=...  restore such a backup into DATABASE_URL and the media folders"

# Installs exactly what the lock files pin, each file checked against its hash (README "Reproducible
# installs"): requirements-dev.txt for the make targets, requirements.txt for production servers.
# `make lock` regenerates both from the ranges in pyproject.toml.
LOCK_DEV := requirements-dev.txt
LOCK_PROD := requirements.txt
PIP_COMPILE = $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host

$(VENV)/.installed: $(LOCK_DEV) pyproject.toml
	@if [ -z "$(PYTHON_FOUND)" ]; then \
		echo "Python 3.12 or newer is needed; found: $$(python3 --version 2>&1 || echo none)." >&2; \
		echo "Install Python 3.13 (see .python-version), e.g. with pyenv, then run make again." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON_FOUND) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK_DEV)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

venv: $(VENV)/.installed

# Regenerate the lock files from the ranges in pyproject.toml (after adding or changing a dependency,
# or to take newer releases), then reinstall. Needs the package index (PyPI).
lock:
	@test -x $(VENV)/bin/pip-compile || { test -x $(PY) || $(PYTHON_FOUND) -m venv $(VENV); \
		$(PY) -m pip install --quiet "pip-tools>=7.4,<8"; }
	$(PIP_COMPILE) --extra s3 --output-file $(LOCK_PROD) pyproject.toml
	$(PIP_COMPILE) --extra dev --all-build-deps --constraint $(LOCK_PROD) --output-file $(LOCK_DEV) pyproject.toml
	@rm -f $(VENV)/.installed
	@$(MAKE) --no-print-directory venv

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
	rm -rf $(VENV) db.sqlite3* staticfiles .pytest_cache .bench-peers .lighthouse

# ---- Production (issue 7): make serve, check-deploy, loadtest, lighthouse, backup, restore ----------
.PHONY: lighthouse backup restore
BACKUP_DIR ?= backups
SECRET_KEY_FILE ?= .secret_key

# Production settings from the environment. For a local try only: when DJANGO_SECRET_KEY is unset it
# comes from $(SECRET_KEY_FILE) (generated once, gitignored); hosts default to 127.0.0.1,localhost.
define PROD_ENV
export DJANGO_DEBUG=0; \
if [ -z "$${DJANGO_SECRET_KEY:-}" ]; then \
	[ -s $(SECRET_KEY_FILE) ] || (umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $(SECRET_KEY_FILE)); \
	export DJANGO_SECRET_KEY="$$(cat $(SECRET_KEY_FILE))"; fi; \
export DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}";
endef

# DEBUG off, whitenoise's compressed manifest storage, migrations, gunicorn (ovop/gunicorn.conf.py,
# workers from the CPU count) on $(HOST):$(PORT), and $(TASK_WORKERS) task worker(s) beside it (mail,
# notifications, the periodic jobs; README "Background work"); they stop with the web server.
# PostgreSQL when DATABASE_URL is set, Redis when REDIS_URL is set. Plain http on loopback: no SSL
# redirect, media served by Django (SERVE_MEDIA=1), mail to the console unless EMAIL_HOST is set.
# DEMO=1 also loads the demo data (never the accounts).
TASK_WORKERS ?= 1
serve: venv
	@$(PROD_ENV) \
	export DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" SERVE_MEDIA="$${SERVE_MEDIA:-1}" \
		DJANGO_EMAIL_CONSOLE="$${DJANGO_EMAIL_CONSOLE:-1}"; \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	$(PY) manage.py migrate --noinput --verbosity 1 && \
	{ [ "$(DEMO)" != 1 ] || $(PY) manage.py load_demo; } && \
	$(PY) manage.py make_thumbnails && { \
	workers=(); \
	trap 'kill -TERM $${workers[@]} 2>/dev/null; wait $${workers[@]} 2>/dev/null' EXIT; \
	trap 'exit 143' TERM INT; \
	for _ in $$(seq 1 $(TASK_WORKERS)); do $(PY) manage.py run_worker & workers+=($$!); done; \
	HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gunicorn --config ovop/gunicorn.conf.py ovop.wsgi; }

# A task worker only (another machine, or more workers here): same environment as make serve.
# Every worker is a candidate scheduler; exactly one runs the periodic jobs at any time.
worker: venv
	@$(PROD_ENV) export DJANGO_EMAIL_CONSOLE="$${DJANGO_EMAIL_CONSOLE:-1}"; \
	exec $(PY) manage.py run_worker

# Two `make serve` app servers on PostgreSQL ($(CLUSTER_PG_URL)) and Redis ($(CLUSTER_REDIS_URL)), an
# SMTP sink, and the checks of README "More than one machine". Loopback only, about 3 minutes.
CLUSTER_PG_URL ?= postgres://postgres@127.0.0.1:5432/ovop_cluster
CLUSTER_REDIS_URL ?= redis://127.0.0.1:6379/4
cluster-check: venv
	CLUSTER_PG_URL=$(CLUSTER_PG_URL) CLUSTER_REDIS_URL=$(CLUSTER_REDIS_URL) $(PY) tests/cluster/cluster_check.py

# `check --deploy` under the production settings: must report nothing.
check-deploy: venv
	@$(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# Load test against make serve on PostgreSQL and Redis (scratch database ovop_load); see README.
loadtest: venv
	$(PY) tests/bench/loadtest.py

# Lighthouse 12.2.3 (npm, installed into .lighthouse/) with Debian Chromium, mobile profile, through
# Debian's nginx with deploy/nginx.conf's gzip (LIGHTHOUSE_DIRECT=1: gunicorn alone).
lighthouse: venv
	$(PY) tests/bench/lighthouse.py

# PostgreSQL custom-format dump + media tarballs into $(BACKUP_DIR)/<timestamp>/ (SQLite: a file copy).
backup: venv
	$(PY) -m ovop.backup backup --into $(BACKUP_DIR)

# make restore BACKUP=backups/20261127-180000: the database at DATABASE_URL and the media folders.
restore: venv
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=$(BACKUP_DIR)/<timestamp>" >&2; exit 2; }
	$(PY) -m ovop.backup restore $(BACKUP)

# ---- Storefront (issue 3): make bench, bench-sqlite, bench-postgres, messages ---------------------
.PHONY: bench-sqlite bench-postgres messages
# 10,000 products across the 3,442 villages of NTT in a throwaway database; p50/p95 per page and the
# gzipped first load of /produk/. `make bench` runs SQLite, then PostgreSQL at $(PG_URL).
bench: bench-sqlite bench-postgres

bench-sqlite: venv
	env -u DATABASE_URL $(PY) tests/bench/bench_storefront.py

bench-postgres: venv
	DATABASE_URL=$(PG_URL) $(PY) tests/bench/bench_storefront.py

# Requests a second under gunicorn and wrk, side by side with a bare Django view (the floor): /sehat/,
# cold and warm pages at 10,000 products (SQLite; PostgreSQL with BENCH_DATABASE_URL, a scratch database),
# and django-oscar 4.2.1 at the same size as the peer (installed into .bench-peers/ on first use;
# BENCH_PEER=--no-peer leaves it out).
.PHONY: bench-requests
bench-requests: venv
	$(PY) tests/bench/bench_requests.py --profile $(BENCH_PEER) $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

# The cold pages of this checkout against another revision (BASE=…), both served at once from one
# database, the load alternating between them; PostgreSQL with BENCH_DATABASE_URL (a scratch database);
# PAGES=home,producer,village,nothing picks other pages (bench_ab.py --help lists them).
.PHONY: bench-ab
bench-ab: venv
	@test -n "$(BASE)" || (echo "make bench-ab BASE=<revision>" && exit 2)
	$(PY) tests/bench/bench_ab.py --base $(BASE) $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL)) \
		$(if $(PAGES),--pages $(PAGES))

# English translations: extract every msgid of the project into locale/en/LC_MESSAGES/django.po,
# then compile django.mo (committed, so a fresh clone needs no gettext). Needs GNU gettext.
messages: venv
	@command -v msgfmt >/dev/null || { echo "GNU gettext is needed: apt-get install -y gettext" >&2; exit 1; }
	$(PY) manage.py makemessages --locale en --no-obsolete --ignore '.venv/*' --ignore 'staticfiles/*' \
		--ignore 'media/*' --ignore 'tests/*' --ignore 'private_media/*' --ignore '*.egg-info/*' \
		--ignore '.bench-peers/*' --ignore '.lighthouse/*'
	$(PY) manage.py compilemessages --locale en --ignore '.venv/*' --ignore '.bench-peers/*' --ignore '.lighthouse/*'

# ---- Village import benchmark (issue 6) -------------------------------------------------------------
# make bench-import IMPORT_FILE=/path/to/wilayah-indonesia-2025.csv (the real 91,599-row list);
# without IMPORT_FILE a file of the national shape is generated. SQLite and PostgreSQL (BENCH_PG_URL,
# default scratch database ovop_bench), ours against django-import-export's best bulk configuration.
IMPORT_FILE ?=
bench-import: venv
	$(PY) tests/bench/bench_import.py $(IMPORT_FILE)
