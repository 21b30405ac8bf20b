# Everything a newcomer needs: `make run` to use Wijkkompas, `make test` to test it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve bench test install lint format check demo clean vendor

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet ".[test]"
	touch $(STAMP)

install: $(STAMP)

## Set up everything, load the kompas and demo data, and serve http://127.0.0.1:8000
## (another port: make run PORT=8080)
PORT ?= 8000
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_kompas
	$(BIN)/python manage.py default_hoofdstukken
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Serve as in production: DEBUG off, collected static files, gunicorn, PostgreSQL from DATABASE_URL.
## Needs DJANGO_SECRET_KEY and DATABASE_URL; the README lists every setting.
serve: export DJANGO_DEBUG = false
serve: install
	$(BIN)/python manage.py wait_for_db --timeout $${DATABASE_WAIT_SECONDS:-15}
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_kompas
	$(BIN)/python manage.py default_hoofdstukken
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	exec $(BIN)/gunicorn wijkkompas.wsgi \
		--bind $${GUNICORN_BIND:-127.0.0.1:8000} \
		--workers $${WEB_CONCURRENCY:-$$(nproc)} \
		--threads $${GUNICORN_THREADS:-1} \
		--timeout $${GUNICORN_TIMEOUT:-30} \
		--no-control-socket

## Fault test, run by hand (about a minute): restart PostgreSQL while `make serve` is under load
## and check for clean 503 pages and recovery without a restart. It uses a private PostgreSQL
## cluster in a temporary directory; the shared server is not touched. Extra options:
## make fault FAULT_ARGS="--outage 10 --threads 8".
.PHONY: fault
fault: install
	$(BIN)/python manage.py fault $(FAULT_ARGS)

## Measure speed under load: a national-scale data set in its own PostgreSQL database, the
## production server (make serve) on a loopback port, 1, 8 and 32 concurrent users. Prints one
## table and writes it to bench-results/. Extra options: make bench BENCH_ARGS="--seconds 8".
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wijkkompas_bench
bench: export DATABASE_URL = $(BENCH_DATABASE_URL)
bench: export DJANGO_DEBUG = false
bench: export DJANGO_SECRET_KEY = bench-only-throwaway-secret-for-measurements-on-the-loopback-interface
bench: export DJANGO_ALLOWED_HOSTS = 127.0.0.1
bench: export DJANGO_SECURE_SSL_REDIRECT = false
bench: export DJANGO_SECURE_COOKIES = false
bench: install
	$(BIN)/python manage.py bench_data
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py bench $(BENCH_ARGS)

## Run the whole test suite on both cores (PostgreSQL when DATABASE_URL is set)
test: install
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

## Run the browser tests and save what they see in docs/screenshots/ (390 and 1366 px wide)
.PHONY: screenshots
screenshots: install
	WIJKKOMPAS_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

## Refresh the vendored NL Design System CSS in static/vendor/ (needs npm; nothing else does).
## The versions are pinned in scripts/vendor_nlds.sh.
vendor:
	scripts/vendor_nlds.sh

clean:
	rm -rf $(VENV) var
