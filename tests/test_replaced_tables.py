"""A `pełny` export that leaves out an optional table keeps that table as it was, unless its metadata lists the table
in `zastepuje_tabele` (issue 28, class 7): then the unit's records of it are removed, and the shrink guard counts them.

The unit first loads small_case with ten projects (31 records); a later `pełny` export holds everything but
`projekty`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from builders import meta, project, small_case, write

from pipeline.contract import REPLACES_KEY

PROJECTS = [project(f"K{n}", f"Projekt {n}", "2024-07-01", "2024-08-30", 5) for n in range(1, 11)]


def _first(tmp_path: Path) -> Path:
    return write(tmp_path / "pierwszy", {**small_case(), "projekty": PROJECTS}, meta(exported="2025-01-15", zakres="pełny"))


def _without_projects(tmp_path: Path, declared: str | None = None, zakres: str = "pełny", name: str = "drugi") -> Path:
    rows = {k: v for k, v in small_case().items() if k != "projekty"}
    path = write(tmp_path / name, rows, meta(exported="2025-02-15", end="2025-01-31", zakres=zakres))
    assert not (path / "projekty.csv").exists()
    if declared is not None:
        with (path / "metadane.csv").open("a", encoding="utf-8") as f:
            f.write(f"{REPLACES_KEY};{declared}\n")
    return path


def _projects(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM core.projekty").fetchone()[0]
    finally:
        con.close()


def test_an_optional_table_left_out_of_a_full_export_is_kept(tmp_path: Path, ingest_paths, db: Path):
    results = ingest_paths(_first(tmp_path), _without_projects(tmp_path))
    assert [r.outcome for r in results] == ["loaded", "loaded"]
    assert "projekty" not in results[1].row_counts
    assert _projects(db) == 10


def test_a_declared_table_is_wiped_and_counted_by_the_shrink_guard(tmp_path: Path, ingest_paths, db: Path):
    """10 of the unit's 31 records would go (32 %, over the 10 % of the guard): rejected, the projects stay."""
    ingest_paths(_first(tmp_path))
    (result,) = ingest_paths(_without_projects(tmp_path, "projekty"))
    assert result.outcome == "rejected"
    (problem,) = result.problems
    assert problem.code == "STR-040" and "10 z 31 rekordów" in problem.message
    assert _projects(db) == 10
    (result,) = ingest_paths(_without_projects(tmp_path, "projekty"), allow_shrink=True)
    assert result.outcome == "loaded" and result.row_counts["projekty"] == 0
    assert _projects(db) == 0


def test_the_guard_counts_a_declared_table_within_one_call(tmp_path: Path, ingest_paths, db: Path):
    """The data and the full export that wipes its projects in the same call: the guard counts the ten projects
    (10 of 31) although none of them is in the warehouse yet.  `problemy`, listed too, is held by the export: it is
    replaced as usual (its one problem stays), the list is case- and space-insensitive."""
    results = ingest_paths(_first(tmp_path), _without_projects(tmp_path, " Projekty , problemy "))
    assert [r.outcome for r in results] == ["loaded", "rejected"]
    assert "10 z 31 rekordów" in results[1].problems[0].message
    assert _projects(db) == 10


def test_a_small_declared_removal_passes_the_guard(tmp_path: Path, ingest_paths, db: Path):
    """small_case's own two projects (2 of 23 records, under 10 %) are removed without --allow-shrink."""
    ingest_paths(write(tmp_path / "pierwszy", small_case(), meta(zakres="pełny")))
    (result,) = ingest_paths(_without_projects(tmp_path, "projekty"))
    assert result.outcome == "loaded", [p.describe() for p in result.problems or []]
    assert _projects(db) == 0


@pytest.mark.parametrize(("declared", "zakres", "words"), [
    ("asystenci", "pełny", "tylko tabele opcjonalne"),
    ("projekty, nieznana", "pełny", "1 z podanych nimi nie jest"),
    ("projekty", "okresowy", "dotyczy tylko eksportu o zakresie pełny"),
])
def test_a_wrong_declaration_rejects_the_export(tmp_path: Path, ingest_paths, db: Path, declared: str, zakres: str,
                                                words: str):
    ingest_paths(_first(tmp_path))
    (result,) = ingest_paths(_without_projects(tmp_path, declared, zakres))
    assert result.outcome == "rejected"
    assert [p.code for p in result.problems if p.code != "STR-090"] == ["STR-038"]
    assert words in result.problems[0].message and result.problems[0].column == "wartosc"
    assert _projects(db) == 10


def test_an_empty_declaration_replaces_nothing(tmp_path: Path, ingest_paths, db: Path):
    results = ingest_paths(_first(tmp_path), _without_projects(tmp_path, ""))
    assert [r.outcome for r in results] == ["loaded", "loaded"] and _projects(db) == 10
