"""A folder of exports, as a centre keeps them, is the exports it holds (issue 24), and the doors of issue 28 that
this round closed: unknown headers that are personal data, many unknown columns, the funding file, the caseload
limit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from builders import meta, small_case, write

from pipeline.cli import main
from pipeline.config import DEMO_DIR
from pipeline.read.discover import discover

PESEL = "44051401359"  # a valid PESEL (checksum), the kind an analyst may paste as a header


def _figures(cli, db: Path, year: int) -> dict:
    code, out, _ = cli("indicators", "--year", str(year), "--db", str(db), "--format", "json")
    assert code == 0
    return json.loads(out)["indicators"]


def test_the_demo_folder_loads_all_sixteen_exports_with_the_same_figures_as_listing_them(tmp_path, cli):
    exports = sorted(p for p in DEMO_DIR.iterdir() if not p.name.startswith("."))
    code, out, _ = cli("ingest", str(DEMO_DIR), "--db", str(tmp_path / "a.duckdb"), "--reports", str(tmp_path / "ra"))
    assert code == 0
    assert f"znaleziono {len(exports)} eksportów" in out and f"wczytano {len(exports)}," in out
    code, _, _ = cli("ingest", *map(str, exports), "--db", str(tmp_path / "b.duckdb"), "--reports", str(tmp_path / "rb"))
    assert code == 0
    for year in (2019, 2022, 2024):
        assert _figures(cli, tmp_path / "a.duckdb", year) == _figures(cli, tmp_path / "b.duckdb", year)
    assert _figures(cli, tmp_path / "a.duckdb", 2024)["families_supported"] == 68
    code, out, _ = cli("ingest", str(DEMO_DIR), "--db", str(tmp_path / "a.duckdb"), "--reports", str(tmp_path / "ra"))
    assert code == 0 and f"wczytanych wcześniej {len(exports)}" in out


def test_validate_gives_one_verdict_per_export_of_a_folder(cli):
    code, out, _ = cli("validate", str(DEMO_DIR))
    verdicts = [line for line in out.splitlines() if line.startswith(("poprawny", "niepoprawny"))]
    assert code == 0 and len(verdicts) == 16


def test_exports_are_ordered_by_their_export_date_whatever_their_names(tmp_path):
    folder = tmp_path / "eksporty"
    write(folder / "a_pozniejszy", small_case(), meta(exported="2025-03-01"))
    write(folder / "rok" / "z_wczesniejszy", small_case(), meta(exported="2025-01-15"))
    found = discover([folder])
    assert [p.name for p in found.paths] == ["z_wczesniejszy", "a_pozniejszy"]


def test_an_empty_folder_and_an_ambiguous_one_are_usage_errors_saying_why(tmp_path, cli):
    (tmp_path / "pusty").mkdir()
    code, _, err = cli("ingest", str(tmp_path / "pusty"), "--db", str(tmp_path / "w.duckdb"))
    assert code == 2 and "nie jest eksportem i nie zawiera eksportów" in err
    mixed = tmp_path / "mieszany"
    write(mixed / "eksport", small_case())
    shutil.copy(mixed / "eksport" / "dzieci.csv", mixed / "dzieci.csv")
    code, _, err = cli("validate", str(mixed))
    assert code == 2 and "zawiera jednocześnie pliki tabel" in err
    assert not (tmp_path / "w.duckdb").exists()


def _with_extra_columns(path: Path, names: list[str]) -> None:
    table = path / "dzieci.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[0] += "".join(f";{n}" for n in names)
    lines[1:] = [line + ";" * len(names) for line in lines[1:]]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_an_unknown_header_that_is_a_pesel_or_a_name_is_never_shown(tmp_path, cli):
    export = write(tmp_path / "eksport", small_case())
    _with_extra_columns(export, [PESEL, "Jan Kowalski", "Uwagi"])
    db = tmp_path / "w.duckdb"
    _, out, err = cli("ingest", str(export), "--db", str(db), "--reports", str(tmp_path / "r"))
    everything = out + err
    con = duckdb.connect(str(db), read_only=True)
    try:
        everything += repr(con.execute("SELECT * FROM raw.loads").fetchall())
        everything += repr(con.execute("SELECT * FROM raw.findings").fetchall())
    finally:
        con.close()
    everything += "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "r").rglob("*") if p.is_file())
    assert PESEL not in everything and "Kowalski" not in everything
    assert "Uwagi" in everything  # a harmless unknown header is still named


def test_many_unknown_columns_are_one_line(tmp_path, cli):
    """500 unknown columns: one summarised problem (how many, the first few names), not 500 lines; a header line
    longer than a header can be (10 000 columns) is refused as such."""
    export = write(tmp_path / "eksport", small_case())
    _with_extra_columns(export, [f"kolumna_{i}" for i in range(500)])
    _, out, err = cli("validate", str(export))
    assert len((out + err).splitlines()) < 10
    assert "nieznane kolumny (500)" in out + err and "kolumna_0" in out + err and "kolumna_499" not in out + err


@pytest.mark.parametrize("limit", ["0", "-1", "100000000000000000000", "101", "abc"])
def test_a_caseload_limit_outside_one_to_a_hundred_is_a_usage_error(tmp_path, capsys, limit):
    with pytest.raises(SystemExit) as stop:
        main(["indicators", "--year", "2024", "--db", str(tmp_path / "w.duckdb"), f"--caseload-limit={limit}"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.startswith("błąd użycia") and "od 1 do 100" in err and "Traceback" not in err


@pytest.mark.parametrize("limit", ["1", "100"])
def test_the_caseload_limits_bounds_are_accepted(limit):
    from pipeline.cli.validate import caseload_limit

    assert caseload_limit(limit) == int(limit)


def test_a_funding_amount_past_any_budget_and_a_repeated_column_are_refused(tmp_path, cli):
    db = tmp_path / "w.duckdb"
    big = tmp_path / "finansowanie.csv"
    big.write_text("jednostka;rok;zrodlo;kwota;liczba_asystentow\n1603011;2024;środki własne;1e32;4\n", encoding="utf-8")
    code, out, err = cli("funding", str(big), "--db", str(db))
    assert code == 1 and "REF-003" in out + err and "1e32" not in out + err
    twice = tmp_path / "f2.csv"
    twice.write_text("jednostka;rok;zrodlo;kwota; kwota\n1603011;2024;środki własne;10;10\n", encoding="utf-8")
    code, out, err = cli("funding", str(twice), "--db", str(db))
    assert code == 1 and "REF-005" in out + err and "Traceback" not in out + err
