# The README names these targets. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PG_URL ?= postgres://postgres@127.0.0.1:5432/ukmlearn
export TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint check test-sqlite test-postgres test-browser browser-deps bench clean messages

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PIP) install -q -r requirements-dev.txt
	touch $@

## First command: install, migrate the SQLite database, load the demo, serve on :8000.
run: $(VENV)/.runtime
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

## Second command: install everything and run every test (CI=true makes services mandatory).
test: $(VENV)/.dev browser-deps lint check test-sqlite test-postgres test-browser

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: $(VENV)/.dev
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_translations.py

test-sqlite: $(VENV)/.dev
	$(PY) -m pytest -m "not browser"

test-postgres: $(VENV)/.dev
	@if $(PY) scripts/wait_for_services.py postgres; then \
		DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not browser"; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL is required in CI"; exit 1; \
	else echo "PostgreSQL not reachable: skipping the PostgreSQL run (CI makes this a failure)"; fi

test-browser: $(VENV)/.dev browser-deps
	$(PY) -m pytest -m browser

browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l id --no-obsolete --add-location file --ignore=.venv --ignore=staticfiles --ignore=tests
	msgfmt -o locale/id/LC_MESSAGES/django.mo locale/id/LC_MESSAGES/django.po
	$(PY) scripts/check_translations.py

bench: $(VENV)/.dev
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3* .test-db* staticfiles var
