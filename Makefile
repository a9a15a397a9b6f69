# Everything a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
WORKERS ?= 2

.PHONY: install run migrate demo serve test test-fast test-postgres test-browser lint messages lock clean bench bench-search bench-revenue soak audit system-packages

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

install: $(BIN)/.installed

migrate: install
	$(MANAGE) migrate --noinput

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

## Debian packages the whole suite needs: installed with apt as root; otherwise the exact
## apt-get line is printed and nothing runs (scripts/system-packages).
system-packages:
	@PYTHON=$(PYTHON) scripts/system-packages --install

## The whole suite: lint, SQLite, PostgreSQL and the browser tests.
## The browser tests need their own process: the live server flushes its database.
## Tests marked sqlite_only would run unchanged on PostgreSQL (pyproject.toml says why).
## --dist worksteal: a worker that runs out of tests takes pending ones from the other, so
## a few long tests (tests/test_hostile_input.py) do not leave one core idle at the end.
test: system-packages lint
	scripts/run-pytest sqlite -n 2 --dist worksteal -m "not browser"
	scripts/with-postgres scripts/run-pytest postgresql -n 2 --dist worksteal -m "not browser and not sqlite_only"
	$(MAKE) --no-print-directory test-browser

## Only the fast tests, on SQLite: nothing but Python and make (no test marked system).
test-fast: install
	scripts/run-pytest sqlite -n 2 --dist worksteal -m "not browser and not system"

test-postgres: system-packages install
	scripts/with-postgres scripts/run-pytest postgresql -n 2 --dist worksteal -m "not browser and not sqlite_only"

## Real headless Chromium; fails (never skips) when Debian's chromium is missing.
## Two workers: each has its own test database, live server (on its own port) and Chromium.
test-browser: system-packages install
	scripts/run-pytest browser -n 2 --dist worksteal -m browser

## Production settings on gunicorn with whitenoise, as deployed (docs/deployment.md).
## The key, hosts and plain-HTTP defaults below apply to this target only, for trying it on
## this machine; an exported DJANGO_SECRET_KEY / DJANGO_ALLOWED_HOSTS takes precedence.
serve: export DJANGO_SETTINGS_MODULE = commune_site.settings.production
serve: export DJANGO_SECRET_KEY ?= $(shell $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))")
serve: export DJANGO_ALLOWED_HOSTS ?= localhost,.localhost,127.0.0.1
serve: export DJANGO_SECURE_SSL_REDIRECT ?= false
serve: export DJANGO_SERVE_MEDIA ?= true
serve: install
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput -v0
	$(BIN)/gunicorn commune_site.wsgi --no-control-socket --bind 0.0.0.0:$(PORT) \
		--workers $(WORKERS) --access-logfile -

messages: install
	$(MANAGE) makemessages -l en --no-obsolete --ignore=.venv --ignore=static_collected --ignore=media
	$(MANAGE) compilemessages --ignore=.venv

lock:
	rm -rf /tmp/commune-lock && $(PYTHON) -m venv /tmp/commune-lock
	/tmp/commune-lock/bin/pip install --quiet ".[test]"
	(echo "# Exact versions for every machine. Regenerate with 'make lock' after changing pyproject.toml."; \
	 /tmp/commune-lock/bin/pip freeze --all --exclude commune-site | grep -viE "^(pip|setuptools|wheel)==") > requirements.lock

clean:
	rm -rf $(VENV) db.sqlite3* static_collected test-output

## Seed 100 communes × 20 producers × 10 products, serve with gunicorn, load it; writes docs/benchmarks.md.
## Then search (bench-search) and revenue (bench-revenue); each writes its section of docs/benchmarks.md.
bench: install
	@BENCH=1 PYTHON=$(PYTHON) scripts/system-packages --install
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_search.py
	$(BIN)/python scripts/bench_revenue.py

## Search at 20,000 and 100,000 products, on SQLite and on a throw-away PostgreSQL, beside the static file.
bench-search: install
	@BENCH=1 PYTHON=$(PYTHON) scripts/system-packages --install
	$(BIN)/python scripts/bench_search.py

## Revenue dashboards, export and import at 10,000 and 1,000,000 sales, on SQLite and PostgreSQL.
bench-revenue: install
	@BENCH=1 PYTHON=$(PYTHON) scripts/system-packages --install
	$(BIN)/python scripts/bench_revenue.py

## `make serve` under 200 connections for 60 s of page views, searches, QR scans and portal price
## edits (loopback, a throw-away demo database); fails on any 5xx, timeout, or scan or edit not
## recorded exactly once; writes its figures into docs/benchmarks.md. Not part of `make test`.
soak: install
	$(BIN)/python scripts/soak.py

## Lighthouse 12.2.3 (mobile, Debian's Chromium) on six public pages of `make serve` on a
## throw-away demo database and a free port: prints the scores, writes them into
## docs/sharing.md, fails below performance 95, accessibility, best practices and SEO 100.
## Lighthouse is installed once with npm into $(AUDIT_DIR), outside the repository
## (Lighthouse 13 needs a newer Node than Debian's). Not part of `make test`.
AUDIT_DIR ?= $(HOME)/.cache/commune-audit
LIGHTHOUSE_VERSION := 12.2.3
LIGHTHOUSE_PREFIX := $(AUDIT_DIR)/lighthouse-$(LIGHTHOUSE_VERSION)
LIGHTHOUSE := $(LIGHTHOUSE_PREFIX)/node_modules/.bin/lighthouse

$(LIGHTHOUSE):
	@AUDIT=1 PYTHON=$(PYTHON) scripts/system-packages --install
	mkdir -p $(LIGHTHOUSE_PREFIX)
	npm install --prefix $(LIGHTHOUSE_PREFIX) --save-exact --no-audit --no-fund lighthouse@$(LIGHTHOUSE_VERSION)

audit: install $(LIGHTHOUSE)
	@AUDIT=1 PYTHON=$(PYTHON) scripts/system-packages --install
	CHROME_PATH=/usr/bin/chromium $(BIN)/python scripts/audit.py --lighthouse $(LIGHTHOUSE)
