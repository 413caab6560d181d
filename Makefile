# Two commands on a fresh machine (Python 3.11+, make):
#   make demo   - the main job on the shipped demo exports (reports/ and data/warehouse.duckdb)
#   make test   - the test suite, every test (two workers)
# A developer's quick loop: make check (the fast tests only: no notebooks, browser, subprocesses or whole warehouses)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install demo run test check lint suites benchmark clean lab

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,lab]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

install: $(VENV)/.installed

demo run: install
	$(PY) -m pipeline run

# JupyterLab in notebooks/ on 127.0.0.1 with a token (--allow-root only when run as root); the lab extra is
# installed on first use; .py notebooks open as notebooks on a double-click (the venv's overrides.json, not
# the home folder); the notebooks find the warehouse themselves (data/warehouse.duckdb, or ASYSTENCI_DB)
LAB_PORT ?= 8888
lab: install
	$(PY) -c "import jupyterlab" 2>/dev/null || $(PY) -m pip install --quiet -e '.[lab]'
	$(PY) -m pipeline.outputs.notebooks.lab $(VENV)/share/jupyter/lab/settings
	@echo "JupyterLab: otwórz adres z tokenem wypisany poniżej (http://127.0.0.1:$(LAB_PORT)/lab?token=…)"
	cd notebooks && $(abspath $(VENV))/bin/jupyter lab --ip=127.0.0.1 --port=$(LAB_PORT) --no-browser \
		--ServerApp.contents_manager_class=pipeline.outputs.notebooks.lab.ContentsManager \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# every test, a module to a worker on two workers (tests/conftest.py sends the slowest modules first)
test: install
	$(PY) -m pytest -q -n 2 --dist loadfile

check: install
	$(PY) -m pytest -q -n 2 --dist loadfile -m "not (notebooks or browser or processes or slow)"

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
