# The two commands of README: `make demo` and `make test`.
VENV ?= .venv
# Debian's python3 where there is one (scripts/python.sh says why), else python3 on PATH
PYTHON ?= $(shell scripts/python.sh)
PY := $(VENV)/bin/python
READOUT := $(VENV)/bin/readout
PG := scripts/postgres.sh
DEMO_DB ?= demo.db

.PHONY: demo test eval clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

## demo: install readout, ingest the sample articles into demo.db, print what they say
demo: $(VENV)/.installed
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(READOUT) ingest --samples --db $(DEMO_DB)
	$(READOUT) report --db $(DEMO_DB)

## test: install the development tools, start PostgreSQL, run the whole suite, stop PostgreSQL
test: $(VENV)/.dev-installed
	scripts/chromium.sh
	$(PG) start
	READOUT_TEST_POSTGRES_URL="$$($(PG) url)" $(PY) -m pytest -q -rs; status=$$?; $(PG) stop; exit $$status

## eval: the quality gate alone, against the floors kept beside the gold fixtures
eval: $(VENV)/.installed
	$(READOUT) eval tests/fixtures/gold --floors tests/fixtures/gold/floors.json

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache
