# jixiao: `make ingest` and `make test` set everything up on a machine with only Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
RAW    ?= data/raw
DB     ?= data/curated/jixiao.duckdb
WORKERS ?= 0
SCHEDULER ?=

GOLD   ?= data/gold
OWN    ?= tests/reports
FAIL_ON ?= new
N      ?= 200
JSON   ?=
COPIES ?= 200
SEED   ?= 13
.PHONY: ingest test eval reconcile bench stress docs setup clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "jixiao needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask]'
	touch $@

ingest: setup
	$(BIN)/jixiao ingest $(RAW) --db $(DB) --workers $(WORKERS) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

bench: setup
	$(BIN)/jixiao bench --n $(N) $(if $(JSON),--json) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

stress: setup
	$(BIN)/python -m pipeline.stress --copies $(COPIES) --seed $(SEED)

reconcile: setup
	$(BIN)/jixiao report --db $(DB) --fail-on $(FAIL_ON)

eval: setup
	$(BIN)/jixiao ingest $(RAW) --db $(DB) --workers $(WORKERS) --no-progress
	$(BIN)/jixiao eval --gold $(GOLD) --db $(DB)
	$(BIN)/jixiao ingest $(OWN)/pdf --db data/curated/eval-own.duckdb --workers $(WORKERS) --no-progress
	$(BIN)/jixiao eval --gold $(OWN)/gold --db data/curated/eval-own.duckdb
	$(BIN)/jixiao ingest tests/fixtures/forms --db data/curated/eval-forms.duckdb --workers $(WORKERS) --no-progress
	$(BIN)/jixiao eval --gold tests/fixtures/forms --db data/curated/eval-forms.duckdb
	$(BIN)/jixiao ingest tests/forms/pdf --db data/curated/eval-own-forms.duckdb --workers $(WORKERS) --no-progress
	$(BIN)/jixiao eval --gold tests/forms/gold --db data/curated/eval-own-forms.duckdb
	$(BIN)/jixiao ingest tests/fixtures/variants --db data/curated/eval-variants.duckdb --workers $(WORKERS) --no-progress
	$(BIN)/jixiao eval --gold tests/fixtures/variants --db data/curated/eval-variants.duckdb
	$(BIN)/jixiao ingest tests/dev/pdf --db data/curated/eval-dev.duckdb --workers $(WORKERS) --no-progress
	$(BIN)/jixiao eval --gold tests/dev/gold --db data/curated/eval-dev.duckdb

test: setup
	$(BIN)/python -m pytest

docs: setup
	$(BIN)/python -m schemas.docs > docs/schema.md

clean:
	rm -rf $(VENV) *.egg-info data/curated/*.duckdb data/curated/*.wal
