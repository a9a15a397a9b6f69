# Everything a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.PHONY: install run migrate demo test test-fast test-postgres test-browser lint messages lock clean

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

install: $(BIN)/.installed

migrate: install
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

demo: migrate
	$(MANAGE) seed_demo --port $(PORT)

## Install, migrate, load the demo communes and serve them on port $(PORT).
run: demo
	@echo "Showcase: http://localhost:$(PORT)/  Communes: http://tanan.localhost:$(PORT)/ http://cangiuoc.localhost:$(PORT)/ http://tamvu.localhost:$(PORT)/  Admin: /admin/"
	$(MANAGE) runserver 0.0.0.0:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

## The whole suite: lint, SQLite, PostgreSQL and the browser tests.
test: lint
	$(BIN)/pytest -n 2
	scripts/with-postgres $(BIN)/pytest -n 2 -m "not browser"

## Only the fast tests, on SQLite.
test-fast: install
	$(BIN)/pytest -n 2 -m "not browser"

messages: install
	$(MANAGE) makemessages -l en --no-obsolete --ignore=.venv --ignore=static_collected --ignore=media
	$(MANAGE) compilemessages

lock:
	rm -rf /tmp/commune-lock && $(PYTHON) -m venv /tmp/commune-lock
	/tmp/commune-lock/bin/pip install --quiet ".[test]"
	(echo "# Exact versions for every machine. Regenerate with 'make lock' after changing pyproject.toml."; \
	 /tmp/commune-lock/bin/pip freeze --all --exclude commune-site | grep -viE "^(pip|setuptools|wheel)==") > requirements.lock

clean:
	rm -rf $(VENV) db.sqlite3* static_collected test-output
