# svduty: two commands do all the set-up on a fresh machine.
#   make demo   installs everything, builds the front end, loads the demo and serves it
#   make test   installs everything and runs the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=

.PHONY: demo test setup python-deps frontend chromium serve lint security clean-db benchmarks

setup: python-deps frontend

python-deps: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

frontend: node_modules/.installed
	npm run --silent build

# Browser tests drive Debian's chromium. Install it when we are root (CI is);
# otherwise say how, and fail rather than skip the browser tests.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation libharfbuzz-subset0 >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium at $(CHROMIUM)."; \
	    echo "Install it with: sudo apt-get install chromium   (or set CHROMIUM=/path/to/chromium)"; \
	    exit 1; \
	  fi; \
	fi
	@# The PDFs' font (and WeasyPrint's subsetter): a machine that already had chromium
	@# did not get them above, and the SNA report then fell back to another font.
	@if [ ! -d /usr/share/fonts/truetype/liberation ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-liberation libharfbuzz-subset0 >/dev/null; \
	fi
	@# The PDF tests read the text back out of each PDF with poppler's pdftotext: without
	@# it they skip, and the check that a PDF reads as its HTML would never run in CI.
	@if ! command -v pdftotext >/dev/null && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	fi

demo: setup
	SVDUTY_DEMO=true SVDUTY_DEMO_DISABLE_MFA=true $(BIN)/svduty migrate --no-input
	SVDUTY_DEMO=true SVDUTY_DEMO_DISABLE_MFA=true $(BIN)/svduty demo
	SVDUTY_DEMO=true SVDUTY_DEMO_DISABLE_MFA=true $(BIN)/svduty serve --host $(HOST) --port $(PORT)

test: setup chromium
	SVDUTY_CHROMIUM=$(CHROMIUM) $(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$status

# The conventions as checks (docs/developing.md, "Checks"): style, types, layers.
# mypy's Django plugin loads the settings: DATABASE_URL keeps it from starting the
# embedded PostgreSQL (nothing connects to it).
lint: python-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SVDUTY_TESTING=1 DATABASE_URL=postgres://mypy@127.0.0.1:1/mypy $(BIN)/mypy
	$(BIN)/lint-imports

# bandit (new findings fail; reviewed ones are in .bandit-baseline.json) and pip-audit
# (skipped with a message where the registry gives no vulnerability data).
security: python-deps
	$(BIN)/python scripts/security_checks.py

benchmarks: setup
	$(BIN)/python benchmarks/run_all.py

clean-db:
	-$(BIN)/svduty embedded_postgres --stop
	rm -rf var/pgdata
