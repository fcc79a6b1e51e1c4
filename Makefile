# Two commands for a newcomer: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test fuzz lint format install migrate demo worker bench clean

# Python 3.11's venv ships setuptools 65, which has known advisories; nothing here needs it
# at run time (every requirement is a wheel), so it is removed rather than left unaudited.
$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip uninstall --quiet --yes setuptools
	touch $(STAMP)

install: $(STAMP)

# Embedded default: SQLite file and in-process tasks. A second run only starts the server.
run: $(STAMP)
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# The whole suite. Uses PostgreSQL and Redis when this machine has them (starting them
# if installed but down); otherwise SQLite and in-process tasks, and says so.
test: $(STAMP)
	scripts/test.sh

# The suite's Hypothesis properties with new random examples and FUZZ_SCALE (default 20)
# times each one's budget (`make test` runs them derandomized): about an hour. An input
# that finds a bug becomes an @example of its test. E.g. `make fuzz FUZZ_SCALE=5`.
FUZZ_SCALE ?= 20
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz FUZZ_SCALE=$(FUZZ_SCALE) scripts/test.sh -m fuzz

# ruff, and the floors (.importlinter): an import that runs up a floor fails the lint.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: $(STAMP)
	$(VENV)/bin/celery -A regionalsamverkan worker -B --loglevel=info

# The benchmark on a generated ten-year data set (PostgreSQL): docs/performance.md.
bench: $(STAMP)
	scripts/bench.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
