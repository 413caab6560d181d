"""Every notebook executes on a real warehouse and prints the registry's own figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import load_export, read_export

from pipeline.indicators import registry
from pipeline.outputs.notebooks import execute, notebook_paths, summary, to_html
from pipeline.warehouse.connection import connect, open_for_writing

ROOT = Path(__file__).resolve().parents[1]


def _load_without_gate(db: Path, paths: list[Path]) -> None:
    con = open_for_writing(db)
    try:
        for p in paths:
            data = read_export(p)
            assert not data.problems, [x.describe() for x in data.problems]
            load_export(con, data, [])
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    from pipeline.config import FUNDING_FILE
    from pipeline.jobs.run import demo_exports
    from pipeline.read.funding import read_funding
    from pipeline.warehouse.funding import load_funding

    db = tmp_path_factory.mktemp("nb") / "demo.duckdb"
    _load_without_gate(db, demo_exports())
    con = open_for_writing(db)
    load_funding(con, read_funding(FUNDING_FILE))
    con.close()
    return db


@pytest.fixture(scope="module")
def multi_unit_db(tmp_path_factory) -> Path:
    from pipeline.synth.national import NationalOptions, write_national

    root = tmp_path_factory.mktemp("units")
    write_national(NationalOptions(root / "exports", units=6, seed=3, workers=1))
    db = root / "units.duckdb"
    _load_without_gate(db, sorted(p for unit in (root / "exports").iterdir() for p in unit.iterdir()))
    return db


def test_there_are_five_notebooks():
    assert [p.stem for p in notebook_paths()] == [
        "01_jakosc_danych", "02_informacja_roczna", "03_trendy", "04_ewaluacja_programu", "05_porownanie_jednostek"]


@pytest.mark.parametrize("name", ["01_jakosc_danych", "02_informacja_roczna", "03_trendy", "04_ewaluacja_programu"])
def test_notebook_on_the_demo_warehouse(demo_db, tmp_path, name):
    nb = execute(ROOT / "notebooks" / f"{name}.py", {"db": str(demo_db), "year": 2024, "unit": None,
                                                      "figures_dir": str(tmp_path / "figures")})
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    found = summary(nb)
    con = connect(demo_db, read_only=True)
    try:
        if name == "02_informacja_roczna":
            assert found == registry.compute(con, 2024)
        if name == "03_trendy":
            trend = registry.trend(con, found["years"])
            assert found["families_supported"] == trend["families_supported"].to_list()
            assert found["families_closed_goals_achieved"] == trend["families_closed_goals_achieved"].to_list()
        if name == "04_ewaluacja_programu":
            trend = registry.trend(con, found["years_with_funding"])
            assert found["families_supported"] == trend["families_supported"].to_list()
            assert found["cost_per_family_with"] > 0
        if name == "01_jakosc_danych":
            assert found["loaded"] == 16 and found["max_caseload"] == registry.compute(con, 2024)["max_caseload"]
    finally:
        con.close()
    html = to_html(nb, tmp_path / f"{name}.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in html
    assert any((tmp_path / "figures").glob("*.svg"))


def test_unit_comparison_on_several_units(multi_unit_db, tmp_path):
    nb = execute(ROOT / "notebooks" / "05_porownanie_jednostek.py",
                 {"db": str(multi_unit_db), "year": 2024, "unit": None, "figures_dir": str(tmp_path / "figures")})
    found = summary(nb)
    assert found["units"] >= 4
    con = connect(multi_unit_db, read_only=True)
    try:
        for unit, families in found["families"].items():
            assert families == registry.compute(con, 2024, unit)["families_supported"]
    finally:
        con.close()
