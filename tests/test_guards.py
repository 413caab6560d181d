"""No silent zeros: a unit or a year the warehouse does not hold is a usage error (exit 2) naming what is loaded."""

from __future__ import annotations

import json

import pytest
from builders import assistant, episode, family

from pipeline.cli import main
from pipeline.cli.guards import ordered_range
from pipeline.cli.load import quality_folder

OTHER = "0201042"  # a TERYT code with a leading zero, the kind Excel turns into 201042


@pytest.fixture
def two_units(db, load_rows):
    """1603011 with exports covering 2023-2024, and 0201042 with one covering only 2024."""
    rows = {"asystenci": [assistant("A1", "2020-01-01")], "rodziny": [family("R1")],
            "asystentury": [episode("E1", "R1", "2022-03-01")]}
    load_rows(rows, start="2023-01-01", end="2023-12-31", exported="2024-01-15")
    load_rows(rows, exported="2025-01-15")
    load_rows(rows, unit=OTHER, exported="2025-01-20")
    return db


def test_unknown_unit_exits_2_and_lists_the_loaded_units(two_units, capsys):
    assert main(["indicators", "--year", "2024", "--unit", "9999999", "--db", str(two_units)]) == 2
    err = capsys.readouterr().err
    assert "nie ma w magazynie jednostki 9999999" in err
    assert "0201042 (MOPS Kędzierzyn-Koźle)" in err and "1603011 (MOPS Kędzierzyn-Koźle)" in err
    assert main(["report", "--year", "2024", "--unit", "9999999", "--db", str(two_units), "--out", str(two_units.parent)]) == 2
    assert "nie ma w magazynie jednostki 9999999" in capsys.readouterr().err


def test_a_dropped_leading_zero_is_restored_with_a_note(two_units, capsys):
    assert main(["indicators", "--year", "2024", "--unit", "201042", "--db", str(two_units), "--format", "json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["unit"] == OTHER and out["indicators"]["families_supported"] == 1
    assert "przyjęto jednostkę 0201042" in captured.err
    # six digits that are no loaded unit with a zero in front stay an error
    assert main(["indicators", "--year", "2024", "--unit", "603011", "--db", str(two_units)]) == 2
    assert "nie ma w magazynie jednostki 603011" in capsys.readouterr().err


def test_a_year_outside_the_exports_coverage_exits_2_naming_the_range(two_units, capsys):
    assert main(["indicators", "--year", "2030", "--db", str(two_units)]) == 2
    assert "eksporty wczytanych jednostek obejmują lata 2023-2024; poza nimi: 2030" in capsys.readouterr().err
    # 2023 is covered by 1603011's exports, not by 0201042's
    assert main(["indicators", "--year", "2023", "--db", str(two_units), "--format", "json"]) == 0
    capsys.readouterr()
    assert main(["indicators", "--year", "2023", "--unit", OTHER, "--db", str(two_units)]) == 2
    assert "eksporty jednostki 0201042 obejmują rok 2024; poza nimi: 2023" in capsys.readouterr().err
    assert main(["indicators", "--years", "2022-2024", "--db", str(two_units)]) == 2
    assert "poza nimi: 2022" in capsys.readouterr().err
    assert main(["report", "--year", "2030", "--db", str(two_units), "--out", str(two_units.parent / "r")]) == 2
    assert "poza nimi: 2030" in capsys.readouterr().err
    assert not (two_units.parent / "r").exists()


def test_a_reversed_range_exits_2(two_units, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["indicators", "--years", "2025-2012", "--db", str(two_units)])
    assert stop.value.code == 2
    assert "początek zakresu lat (2025) jest późniejszy niż koniec (2012)" in capsys.readouterr().err
    assert ordered_range(2024, 2024) == [2024] and ordered_range(2023, 2024) == [2023, 2024]
    with pytest.raises(ValueError):
        ordered_range(2024, 2023)


def test_an_empty_warehouse_is_an_error_not_zeros(db, capsys):
    from pipeline.warehouse.connection import open_for_writing

    open_for_writing(db).close()
    assert main(["indicators", "--year", "2024", "--db", str(db)]) == 2
    assert "nie ma jeszcze żadnego wczytanego eksportu" in capsys.readouterr().err


def test_units_lists_code_name_dates_years_and_loads(two_units, capsys):
    assert main(["units", "--db", str(two_units)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["kod", "nazwa"]
    first = {line.split()[0]: line for line in lines[1:]}
    assert set(first) == {"0201042", "1603011"}
    assert "15.01.2024" in first["1603011"] and "15.01.2025" in first["1603011"] and "2023-2024" in first["1603011"]
    assert first["1603011"].split()[-2:] == ["2", "0"]          # two loads, none rejected
    assert "20.01.2025" in first["0201042"] and first["0201042"].split()[-2:] == ["1", "0"]


def test_quality_reports_go_beside_the_warehouse(tmp_path):
    assert quality_folder(tmp_path / "w" / "other.duckdb") == tmp_path / "w" / "quality"
