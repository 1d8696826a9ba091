# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
# Links in mail and feeds follow the address `make run` serves (set BASE_URL to override).
export BASE_URL ?= http://$(HOST):$(PORT)
# Mail of `make run`: queued reminders and the outbox are sent every MAIL_EVERY seconds.
MAIL_EVERY ?= 5
MAIL_WORKER = $(BIN)/drafting mail-worker --every $(MAIL_EVERY)

.PHONY: run test lint format install install-test lock clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# requirements.lock pins every package (runtime and test) to the versions CI ran; pip takes it as
# constraints, so `make run` installs only what the service needs, at those versions.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	touch $@ $(VENV)/.installed

# The interface's message catalogues, compiled from the .po files kept in git.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard drafting/translations/*/LC_MESSAGES/messages.po))
%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

## make messages: extract the interface's messages and merge them into each catalogue
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k _say:2 -k _say_n:2,3 -o drafting/translations/messages.pot --no-location --sort-output --width=100 .
	$(BIN)/pybabel update -i drafting/translations/messages.pot -d drafting/translations --no-fuzzy-matching --width=100

install: $(VENV)/.installed $(CATALOGUES)
install-test: $(VENV)/.installed-test $(CATALOGUES)
	@# axe-core for the accessibility tests, from the npm registry as pinned in the lock file
	@if [ ! -d tests/browser/node_modules ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules ]; then \
		if command -v npm >/dev/null; then npm ci --prefix tests/browser && touch tests/browser/node_modules; \
		else echo "npm is missing (apt-get install npm): the accessibility tests will be skipped"; fi; fi

## make run: install, migrate, load the sample declaration and serve it, with a mail worker
## beside the server that prints each message (MAIL_BACKEND=console) and stops with it
run: install
	$(BIN)/drafting db upgrade
	$(BIN)/drafting demo
	@echo
	@echo "The drafting service is at $(BASE_URL)/  (Ctrl+C stops it)"
	@echo "Mail is printed below as it is sent; the secretariat sees it under Outbox."
	@echo
	$(MAIL_WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - wsgi:app

# The suite runs on every core (pytest-xdist; each test has its own database). Whole files go to
# one worker, in order, since tests/browser/test_journeys.py shares one world across its tests
# (--dist loadgroup would not hold it: with pytest 9.2 it ignores xdist_group, pytest-xdist#1386).
# On a developer's machine it skips the tests marked slow (the crash test, the load and corpus-wide
# ones); CI, or `make test ALL=1`, runs every test. JOBS=0 runs it in one process.
JOBS ?= auto
ifeq ($(CI)$(ALL),)
SLOW := -m "not slow"
endif
PYTEST := $(BIN)/python -m pytest -n $(JOBS) --dist loadfile $(SLOW) $(PYTEST_ARGS)

## make test: install what the tests need, lint, run the suite on SQLite (and on PostgreSQL
## too when TEST_DATABASE_URL is set, as in CI); ALL=1 (or CI set) includes the slow tests
test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	env -u TEST_DATABASE_URL $(PYTEST)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the same suite on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(PYTEST); \
	fi

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make lock: pin the newest versions allowed by pyproject.toml's lower bounds (then run the tests)
lock: $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
		--upgrade -o requirements.lock

# The database and the secret key in instance/ are left alone: they are data, not build output.
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
