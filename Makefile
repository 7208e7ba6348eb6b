# The two commands of the README: `make run` and `make test`. Nothing to install but Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help run test test-postgres lint typecheck format audit messages makemessages clean axe \
	loadtest loadtest-ci

help:
	@echo "make run    - set up and serve the demo on http://127.0.0.1:8000"
	@echo "make test   - set up and run the whole test suite"
	@echo "make lint   - ruff check and format check"
	@echo "make typecheck - mypy with django-stubs"
	@echo "make audit  - known vulnerabilities in the pinned requirements (needs an advisory service)"
	@echo "make loadtest - 50 people at once on gunicorn over the current database (LOADTEST_ARGS)"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

# axe-core for the accessibility tests (tests/browser/test_accessibility.py), pinned in
# devtools/axe/package-lock.json. `make test` installs it only where npm is: with Python alone
# those tests are skipped (CI, which sets CI=true, runs `make axe` and fails without it).
AXE_JS := devtools/axe/node_modules/axe-core/axe.min.js
NPM := $(shell command -v npm 2>/dev/null)

axe: $(AXE_JS)

$(AXE_JS): devtools/axe/package.json devtools/axe/package-lock.json
	cd devtools/axe && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

run: $(VENV)/.installed
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@echo ""
	@echo "  Kundeportal: http://127.0.0.1:8000"
	@echo "  Log in as testweb (customer administrator), hr.bergen (HR of Bergen TEST only),"
	@echo "  annen (another customer), kam (KA/KAM, staff) or admin (superuser). Password: demo"
	@echo "  E-mails are written to var/mail/, SMS to var/sms/ by the background worker,"
	@echo "  which also sends the reminders (every PORTAL_REMINDERS_EVERY seconds)."
	@echo ""
	@$(MANAGE) worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
		$(MANAGE) runserver 127.0.0.1:8000

test: $(VENV)/.installed-dev $(if $(NPM),$(AXE_JS))
	$(BIN)/pytest $(PYTEST_ARGS)

# The load test (devtools/loadtest): production settings on gunicorn, locust as the people, over
# the current database (a generated world: manage.py generate_world). LOADTEST_ARGS adds options
# (manage.py loadtest --help).
loadtest: $(VENV)/.installed-dev
	$(MANAGE) loadtest $(LOADTEST_ARGS)

# CI's tiny one on a fresh tiny world: a few people for 5 + 15 s, so that the load test keeps
# working.
loadtest-ci: $(VENV)/.installed-dev
	@dir=$$(mktemp -d); export DATABASE_URL=sqlite:///$$dir/loadtest.sqlite3; \
	$(MANAGE) migrate --no-input -v 0 && $(MANAGE) generate_world --scale 0.005 -v 0 && \
	$(MANAGE) loadtest --people 3 --spawn-rate 3 --warm-up 5 --run-time 15 --workers 2 --customers 2 \
		--department-hr 1 --staff 2 --out $$dir/out; \
	status=$$?; rm -rf $$dir; exit $$status

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy .

audit: $(VENV)/.installed-dev
	$(BIN)/pip-audit --strict -r requirements.txt -r requirements-dev.txt

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Compile the translation catalogues (pure Python: no system gettext needed).
messages: $(VENV)/.installed-dev
	$(MANAGE) compile_messages

# Extract the project's strings into locale/nb (needs system gettext: developers only),
# then compile. File names without line numbers keep the diffs stable.
makemessages: $(VENV)/.installed-dev
	$(MANAGE) makemessages -l nb --ignore='.venv/*' --ignore='var/*' --ignore='staticfiles/*' --ignore='tests/*' --ignore='locale/*' --add-location=file
	$(MANAGE) compile_messages

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm var .pytest_cache .ruff_cache
