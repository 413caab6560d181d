"""A missing or damaged GX suite stops a load before anything is written: no table is ever loaded unchecked."""

from __future__ import annotations

import shutil

import pytest
from builders import small_case, write
from conftest import snapshot

from pipeline.checks import gx_runner
from pipeline.cli import main
from pipeline.config import EXPECTATIONS_DIR, InstallationError
from pipeline.contract import TABLES


@pytest.fixture
def suites_dir(tmp_path, monkeypatch):
    """A copy of expectations/ that the gate reads instead of the real one."""
    copy = tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, copy)
    monkeypatch.setattr(gx_runner, "EXPECTATIONS_DIR", copy)
    return copy


def test_every_table_has_its_suite():
    assert set(gx_runner.load_suites()) == {"metadane", *TABLES}


def test_a_missing_or_damaged_suite_refuses_the_load_and_changes_nothing(tmp_path, suites_dir, capsys):
    db, reports = tmp_path / "w.duckdb", tmp_path / "rep"
    export = write(tmp_path / "export", small_case())
    assert main(["ingest", str(export), "--db", str(db), "--reports", str(reports)]) == 0
    before = snapshot(db)
    (suites_dir / "dzieci.json").unlink()
    (suites_dir / "piecza.json").write_text("{ nie JSON", encoding="utf-8")
    second = write(tmp_path / "second", small_case() | {"rodziny": small_case()["rodziny"][:1]})
    capsys.readouterr()
    assert main(["ingest", str(second), "--db", str(db), "--reports", str(reports)]) == 1
    err = capsys.readouterr().err
    assert "brak plików dzieci.json" in err and "nieczytelne pliki piecza.json" in err, err
    assert "python -m pipeline suites --write" in err and "Traceback" not in err
    assert snapshot(db) == before


def test_a_folder_without_suites_is_an_installation_error(tmp_path):
    with pytest.raises(InstallationError, match=r"brak plików metadane\.json"):
        gx_runner.load_suites(tmp_path)
