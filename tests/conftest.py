"""Shared fixtures: one GX validator per session, a temporary warehouse, export writers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import builders
from builders import load_export, read_export

from pipeline.cli import main
from pipeline.jobs.ingest import IngestOptions, ingest
from pipeline.warehouse.connection import connect, open_for_writing


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
