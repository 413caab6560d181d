"""Shared fixtures: one GX validator per session, a temporary warehouse, export writers."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

import builders
from builders import load_export, read_export

from pipeline.cli import main
from pipeline.jobs.ingest import IngestOptions, ingest
from pipeline.warehouse.connection import connect, open_for_writing

# Deterministic property tests: the same examples on every run and machine, no example database written into the
# checkout (a second worker's `.hypothesis/` would change what the checkout tests see).
settings.register_profile("project", derandomize=True, database=None)
settings.load_profile("project")


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The 16 demo exports and the demo funding file, loaded once for the whole run and shared by every worker
    (without the GX gate: what the figures read is the same; the gate's own tests load through it).  Open it
    read-only; a test that writes takes `demo_copy`."""
    from filelock import FileLock

    from pipeline.config import FUNDING_FILE
    from pipeline.jobs.run import demo_exports
    from pipeline.read.funding import read_funding
    from pipeline.warehouse.funding import load_funding

    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "demo_shared"
    shared.mkdir(parents=True, exist_ok=True)
    db, done = shared / "demo.duckdb", shared / "built"
    with FileLock(str(shared / "lock")):
        if not done.exists():
            db.unlink(missing_ok=True)
            exports = [read_export(path) for path in demo_exports()]
            for data in exports:
                assert not data.problems, [p.describe() for p in data.problems]
            con = open_for_writing(db)
            try:
                builders.load_exports(con, exports)
                load_funding(con, read_funding(FUNDING_FILE))
            finally:
                con.close()
            done.touch()
    return db


@pytest.fixture
def demo_copy(demo_warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the shared demo warehouse that the test may write to."""
    target = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_warehouse, target)
    return target


@pytest.fixture(scope="session")
def validator():
    """One Great Expectations context for the whole session (its import takes seconds)."""
    from pipeline.checks.gx_runner import GxValidator

    return GxValidator()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def ingest_paths(db: Path, tmp_path: Path, validator, monkeypatch):
    """Ingest exports through the real gate and loader; returns the results."""
    import pipeline.checks.gx_runner as gx_runner

    monkeypatch.setattr(gx_runner, "GxValidator", lambda: validator)

    def run(*paths: Path, limit: int = 15, allow_shrink: bool = False, chunk_rows: int | None = None):
        options = IngestOptions(db=db, reports=tmp_path / "reports", caseload_limit=limit, allow_shrink=allow_shrink)
        if chunk_rows is not None:
            options.chunk_rows = chunk_rows
        return ingest(list(paths), options)

    return run


@pytest.fixture
def load_rows(db: Path, tmp_path: Path):
    """Write an export of the given rows and load it without the GX gate (for indicator fixtures)."""
    counter = iter(range(1, 10_000))

    def load(rows: dict, meta=None, **meta_kw) -> None:
        path = builders.write(tmp_path / f"export_{next(counter)}", rows, meta or builders.meta(**meta_kw))
        data = read_export(path)
        assert not data.problems, [p.describe() for p in data.problems]
        con = open_for_writing(db)
        try:
            load_export(con, data, [])
        finally:
            con.close()

    return load


def snapshot(db: Path) -> dict:
    """Every table of the warehouse, for 'nothing changed' assertions."""
    con = connect(db, read_only=True)
    try:
        tables = con.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables ORDER BY 1"
        ).fetchall()
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for (t,) in tables}
    finally:
        con.close()


@pytest.fixture
def cli(validator, monkeypatch, capsys):
    """Run `python -m pipeline ...` in this process (one GX context for the session); return (code, out, err)."""
    import pipeline.checks.gx_runner as gx_runner

    monkeypatch.setattr(gx_runner, "GxValidator", lambda: validator)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


# ---------------------------------------------------------------- kinds of tests (markers) and the worker groups

# The slow kinds by module (pyproject.toml names the markers): `make check` leaves them out, `make test` runs them.
KINDS: dict[str, tuple[str, ...]] = {
    "test_notebooks": ("notebooks", "slow"),
    "test_reading_while_loading": ("notebooks", "processes"),
    "test_lab": ("browser",),
    "test_screenshots": ("browser",),
    "test_notebook_print": ("browser",),
    "test_main_job": ("processes", "slow"),
    "test_interrupted_ingest": ("processes",),
    "test_faults": ("processes",),
    "test_benchmark": ("processes", "slow"),
    "test_deferred_imports": ("processes",),
    "test_hostile": ("processes",),
    "test_mapping_door": ("processes",),
    "test_pii": ("processes",),
    "test_warehouse": ("processes",),
    "test_lint": ("processes",),
    "test_properties": ("slow",),
    "test_evaluation": ("slow",),
    "test_trend_series": ("slow",),
    "test_report": ("slow",),
    "test_export_folders": ("slow",),
    "test_statement": ("slow",),
    "test_rules": ("slow",),
    "test_replaced_tables": ("slow",),
    "test_own_data": ("slow",),
    "test_consequential": ("slow",),
    "test_template_sandbox": ("processes",),
    "test_hostile_parsing": ("slow",),
}
# The slowest modules first: `make test` sends whole modules to its two workers (`--dist loadfile`, so a module's
# module-scoped fixtures are built once), and long ones started last would leave one worker waiting for the other.
FIRST = ("test_main_job", "test_notebooks", "test_warehouse", "test_properties", "test_hostile", "test_coverage",
         "test_evaluation", "test_mapping_door", "test_interrupted_ingest", "test_reading_while_loading")


def pytest_collection_modifyitems(config, items) -> None:
    """The kinds of KINDS as markers; the slowest modules first (each module's tests stay in their order)."""
    for item in items:
        for kind in KINDS.get(_module(item), ()):
            item.add_marker(getattr(pytest.mark, kind))
    items.sort(key=lambda item: FIRST.index(_module(item)) if _module(item) in FIRST else len(FIRST))


def _module(item) -> str:
    return item.module.__name__.rsplit(".", 1)[-1]
