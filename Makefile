# Two commands on a fresh machine (Python 3.11+, make):
#   make demo   - the main job on the shipped demo exports (reports/ and data/warehouse.duckdb)
#   make test   - the test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install demo run test lint suites benchmark clean lab

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

install: $(VENV)/.installed

demo run: install
	$(PY) -m pipeline run

# JupyterLab in notebooks/ (the lab extra is installed on first use); the notebooks find the warehouse
# themselves (data/warehouse.duckdb, or the file named by ASYSTENCI_DB)
lab: install
	$(PY) -c "import jupyterlab" 2>/dev/null || $(PY) -m pip install --quiet -e '.[lab]'
	cd notebooks && $(abspath $(VENV))/bin/jupyter lab

test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check pipeline tests benchmarks notebooks
	$(VENV)/bin/lint-imports

suites: install
	$(PY) -m pipeline suites --write

UNITS ?= 25
benchmark: install
	$(PY) benchmarks/national.py --units $(UNITS)

clean:
	rm -rf $(VENV) reports data/warehouse.duckdb data/warehouse.duckdb.wal
