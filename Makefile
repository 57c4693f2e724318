# Chronicle. `make run` serves the product, `make test` runs the tests; both install what they need.
PYTHON ?= python3.11
UV_VERSION := 0.13.8
PORT ?= 8000
UV := .tools/bin/uv
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
# Precompiled site-packages: start-up stays fast where PYTHONDONTWRITEBYTECODE is set.
export UV_COMPILE_BYTECODE := 1

.PHONY: install run test lint fmt schema check-deploy clean browser clients graphiql-assets bench bench-quick \
	load load-quick backup restore fuzz

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --python $(PYTHON)
	@touch $@

install: .venv/.synced

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	$(PY) manage.py local_editor
	@echo "Serving Chronicle on http://127.0.0.1:$(PORT)/ (admin: /admin/)"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The browser tests drive Debian's chromium; it is installed, never downloaded by a test tool.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		$(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

# The Node clients the tests drive (graphql-http's audit, Apollo, urql, Relay, codegen, tsc),
# pinned by tests/clients/package-lock.json.
CLIENTS := tests/clients/node_modules/.installed
$(CLIENTS): tests/clients/package.json tests/clients/package-lock.json
	cd tests/clients && npm ci --no-audit --no-fund --loglevel=error
	@touch $@
clients: $(CLIENTS)

# GraphiQL's files, committed under api_project/static/graphiql/vendor/: re-copied from the
# packages api_project/graphiql/package-lock.json pins (a test checks they are the same bytes).
graphiql-assets:
	cd api_project/graphiql && npm ci --no-audit --no-fund --loglevel=error && node copy-assets.mjs

test: install browser clients
	$(PY) -m pytest

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy .
	$(PY) manage.py makemigrations --check --dry-run

fmt: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

check-deploy: install
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		ALLOWED_HOSTS=chronicle.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf .venv .tools tests/clients/node_modules api_project/graphiql/node_modules

schema: install
	$(PY) manage.py spectacular --file openapi.yaml --validate --fail-on-warn
	$(PY) manage.py export_schema api_project.schema --path schema.graphql

# Benchmarks against the floor and PostGraphile 4; `make bench-quick` is CI's smoke run.
bench: install
	$(PY) bench/run.py

bench-quick: install
	$(PY) bench/run.py --quick

# The load test alone (`make bench` runs it too): 32 clients for 60 s, every write counted.
load: install
	$(PY) bench/load.py

load-quick: install
	$(PY) bench/load.py --quick

# The database (DATABASE_URL's, or the embedded server's) to var/backups/ or FILE=…; `make
# restore` puts the newest backup (or FILE=…) into an empty database; REPLACE=1 overwrites.
backup: install
	$(PY) manage.py backup $(if $(FILE),--file "$(FILE)")

restore: install
	$(PY) manage.py restore $(if $(FILE),--file "$(FILE)") $(if $(REPLACE),--replace)

# A longer fuzzing campaign than the suite's (tests/fuzz/): FUZZ_CASES cases per operation and
# role, FUZZ_SECONDS in all; prints the cases sent per operation and every failure.
FUZZ_CASES ?= 100
FUZZ_SECONDS ?= 1200
fuzz: install
	FUZZ_CASES=$(FUZZ_CASES) FUZZ_SECONDS=$(FUZZ_SECONDS) $(PY) -m pytest -p no:cacheprovider -s tests/fuzz
