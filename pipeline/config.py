"""Paths and defaults in one place: the project's folders, the warehouse, the reports, the caseload limit.

The warehouse defaults to `data/warehouse.duckdb` under the project root, or to the
path in the environment variable `ASYSTENCI_DB` when it is set (CLI.md), whatever the
working directory is (a notebook's kernel starts in `notebooks/`).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DB_ENV = "ASYSTENCI_DB"
DEMO_DIR = PROJECT_ROOT / "data" / "demo"
NATIONAL_DIR = PROJECT_ROOT / "data" / "national"  # where `synth --preset national` writes by default
FUNDING_FILE = PROJECT_ROOT / "data" / "reference" / "finansowanie.csv"
DEFAULT_REPORTS = PROJECT_ROOT / "reports"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
DOCS_DIR = PROJECT_ROOT / "docs"


class InstallationError(Exception):
    """Something the pipeline ships with is missing or damaged (e.g. the GX suites of expectations/): the command
    stops before it reads or writes anything (exit 1, a message saying what to restore, never a traceback)."""


DEFAULT_CASELOAD_LIMIT = 15  # families per assistant at once (the seed's statute; its 2011 text said 20)
WRITER_WAIT_SECONDS = 60.0   # how long a writer waits for the warehouse's lock (another load, or a reader reading)
READER_WAIT_SECONDS = 300.0  # how long a reader waits for a running load to finish before it gives up


def default_db() -> Path:
    """The warehouse file: `$ASYSTENCI_DB` when set, else data/warehouse.duckdb under the project root."""
    value = os.environ.get(DB_ENV, "").strip()
    return Path(value).expanduser() if value else PROJECT_ROOT / "data" / "warehouse.duckdb"
