# The two commands: `make run` (set up and serve on http://127.0.0.1:8000) and
# `make test` (set up and run every check). DATABASE_URL=postgres://... switches both
# to PostgreSQL. Nothing else needs installing by hand.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# System packages: Pango and HarfBuzz for WeasyPrint's PDF reports (run and test), with
# Noto fonts for Arabic (fonts-noto-core) and Chinese (fonts-noto-cjk) reports;
# Debian's Chromium (browser tests), poppler (reading PDFs back) and LibreOffice headless
# (Word and Excel exports printed to PDF: tests/reports/office.py) for the tests.
RUN_SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
	fonts-noto-core fonts-noto-cjk
# GNU gettext's msgfmt compiles the interface's translations (locale/, `make messages`).
I18N_SYSTEM_PACKAGES := gettext
TEST_SYSTEM_PACKAGES := $(RUN_SYSTEM_PACKAGES) chromium poppler-utils \
	libreoffice-writer-nogui libreoffice-calc-nogui redis-server

.PHONY: run test install install-test install-load system-deps system-deps-run messages lint architecture migrations-check db load accounts demo serve backup restore bench loadtest clean

run: install system-deps-run messages db load accounts serve

# Test workers (pytest-xdist): one per core, each with its own database and browser.
TEST_WORKERS ?= auto

test: install-test system-deps messages lint architecture migrations-check
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=25.1"

$(VENV)/.installed: $(PY) pyproject.toml
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e . --group test
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Installs the Debian packages in $(1) that are missing; fails loudly when it cannot.
define apt_ensure
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing missing system packages:" $$missing; \
		if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo -n"; fi; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing \
		|| { echo "ERROR: could not install $$missing (needs root or password-less sudo and apt-get)." >&2; exit 1; }; \
	fi
endef

system-deps-run:
	$(call apt_ensure,$(RUN_SYSTEM_PACKAGES) $(I18N_SYSTEM_PACKAGES))

system-deps:
	$(call apt_ensure,$(TEST_SYSTEM_PACKAGES) $(I18N_SYSTEM_PACKAGES))
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null && command -v soffice >/dev/null && command -v redis-server >/dev/null || { echo "ERROR: chromium, pdftotext, soffice (LibreOffice) or redis-server still missing" >&2; exit 1; }

# The interface's translations (locale/<lang>/LC_MESSAGES/django.po, README "Languages"),
# compiled to the .mo files Django reads (git-ignored); --check refuses a catalogue whose
# placeholders or plural forms do not match its English.
MESSAGES_MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

messages: $(MESSAGES_MO)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	msgfmt --check -o $@ $<

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The dependency rules of the README's "Architecture" section (pyproject.toml).
architecture: install-test
	$(VENV)/bin/lint-imports --no-cache

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

db: install
	$(PY) manage.py create_database
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable

load: db
	$(PY) manage.py load_report

accounts: load
	$(PY) manage.py create_demo_accounts

# `make demo`: the app on its own SQLite file, demo.sqlite3 (never the default database nor
# DATABASE_URL's), with a synthetic follow-up history since 2013; every page and export
# says it is demo data, and it sends no e-mail. A second run adds no history; delete
# demo.sqlite3 to start afresh. PORT=8765 make demo serves on another port.
DEMO_PY := DEMO=true $(PY)

demo: install system-deps-run messages
	$(DEMO_PY) manage.py migrate --no-input
	$(DEMO_PY) manage.py createcachetable
	$(DEMO_PY) manage.py load_report
	$(DEMO_PY) manage.py create_demo_accounts
	$(DEMO_PY) manage.py demo_history
	$(call serve_with_worker,$(DEMO_PY),the demo)

serve: install messages
	$(call serve_with_worker,$(PY),the app)

# The server with a background worker beside it (large reports and imports, the schedule:
# README, "Background jobs"), both stopped by Ctrl-C. $(1) runs Python, $(2) names what.
define serve_with_worker
	@echo "Serving $(2) on http://$(HOST):$(PORT)/ with a background worker (Ctrl-C stops both)"
	@$(1) manage.py jobs_worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' INT TERM EXIT; \
	$(1) manage.py runserver $(HOST):$(PORT)
endef

# Backups (README, "Running in production"): `make backup` writes one archive of the
# database and the evidence files, backups/hearings-<vendor>-<UTC time>.tar, or FILE=...;
# `make restore FILE=...` replaces the database's content and puts the files back (it
# asks first), then migrates it to this code.
backup: install
	$(PY) manage.py backup $(if $(FILE),-o "$(FILE)")

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/hearings-...tar" >&2; exit 2; }
	$(PY) manage.py restore "$(FILE)"
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable

# `make bench` (README, "Benchmarks and load tests"): every page and export of issue 10 at
# each size, on PostgreSQL (DATABASE_URL's server, database hearings_bench) and SQLite (up
# to 25,000), against the targets; writes docs/benchmarks.md. SIZES=1000,25000 for fewer.
SIZES ?= 1000,25000,267000
ENGINES ?= postgresql,sqlite
RUNS ?= 20

bench: install system-deps-run messages
	$(PY) -m benchmarks.bench --sizes $(SIZES) --engines $(ENGINES) --runs $(RUNS)

# `make loadtest` (README, "Benchmarks and load tests"): gunicorn with the production
# settings under locust, one instance then two behind HAProxy (Debian's, installed if
# missing), on the database hearings_bench_load; writes docs/loadtest.md.
USERS ?= 30
DURATION ?= 60
LOAD_SIZE ?= 25000
WORKERS ?= 3
WAIT ?= 0.1,0.5

$(VENV)/.installed-load: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e . --group load
	@touch $@

install-load: $(VENV)/.installed-load

loadtest: install-load system-deps-run messages
	$(call apt_ensure,haproxy)
	$(PY) -m benchmarks.loadtest.run --size $(LOAD_SIZE) --users $(USERS) \
		--seconds $(DURATION) --workers $(WORKERS) --wait $(WAIT)

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache .ruff_cache *.egg-info
