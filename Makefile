# The two commands: `make run` (set up and serve on http://127.0.0.1:8000) and
# `make test` (set up and run every check). DATABASE_URL=postgres://... switches both
# to PostgreSQL. Nothing else needs installing by hand.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# System packages the tests drive: Debian's Chromium (browser tests) and poppler (PDF text).
TEST_SYSTEM_PACKAGES := chromium poppler-utils fonts-liberation

.PHONY: run test install install-test system-deps lint migrations-check db load demo serve clean

run: install db load demo serve

test: install-test system-deps lint migrations-check
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

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

system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -d /usr/share/fonts/truetype/liberation ] || missing="$$missing fonts-liberation"; \
	if [ -n "$$missing" ]; then \
		echo "Installing missing system packages:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo -n"; fi; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $(TEST_SYSTEM_PACKAGES) \
		|| { echo "ERROR: could not install$$missing (needs root or passwordless sudo and apt)." >&2; exit 1; }; \
	fi
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null || { echo "ERROR: chromium or pdftotext still missing" >&2; exit 1; }

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

db: install
	$(PY) manage.py create_database
	$(PY) manage.py migrate --no-input

load: db
	$(PY) manage.py load_report

demo: load
	$(PY) manage.py create_demo_accounts

serve: install
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache .ruff_cache *.egg-info
