"""The funding file: amounts as Polish offices write them, mistakes with row and column, what `funding` prints."""

from __future__ import annotations

import pytest

from pipeline.cli import main
from pipeline.problems import ExportRejected
from pipeline.read.funding import read_funding
from pipeline.warehouse.connection import connect

HEADER = "jednostka;rok;zrodlo;kwota;liczba_asystentow\n"


def _file(tmp_path, *rows: str, encoding: str = "utf-8"):
    path = tmp_path / "finansowanie.csv"
    path.write_bytes((HEADER + "".join(r + "\n" for r in rows)).encode(encoding))
    return path


@pytest.mark.parametrize(("written", "amount"), [
    ("85 400,00", 85400.0), ("85400,00", 85400.0), ("85400.00", 85400.0), ("85 400,00 zł", 85400.0),
    ("85\u00a0400,00\u00a0zł", 85400.0), ("1 234 567,89", 1234567.89), ("0", 0.0), ("123032,28 ZŁ", 123032.28),
])
def test_amounts_as_polish_users_write_them(tmp_path, written, amount):
    frame = read_funding(_file(tmp_path, f"1603011;2024;program Asystent rodziny;{written};4"))
    assert frame["kwota"].to_list() == [amount]


def test_mistakes_name_row_and_column_never_the_value(tmp_path):
    path = _file(tmp_path, "1603011;2024;środki własne;85 400,00;4",
                 "1603011;2025;środki własne;85.400,00;4",        # a point between thousands: another number elsewhere
                 "1603011;2026;środki własne;-5;4",
                 "160301;2027;środki unijne;1;4")
    with pytest.raises(ExportRejected) as rejected:
        read_funding(path)
    lines = [p.describe() for p in rejected.value.problems]
    assert ("[REF-003] plik finansowanie.csv, tabela finansowanie, kolumna kwota, wiersze 3, 4: oczekiwano kwoty od 0 do "
            "10\u00a0000\u00a0000\u00a0000 zł, np. 85 400,00 albo 85400.00") in lines
    assert any("kolumna jednostka, wiersz 5: oczekiwano 7-cyfrowego kodu TERYT" in line for line in lines)
    assert any("kolumna zrodlo, wiersz 5" in line for line in lines)
    assert not any("85.400" in line or "-5" in line or "160301;" in line for line in lines)


def test_funding_prints_each_year_and_where_the_evaluation_is(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    path = _file(tmp_path, "1603011;2023;środki własne;282 320,34;4", "1603011;2024;program Asystent rodziny;123 032,28 zł;4",
                 "1603011;2024;środki własne;264675.32;4", encoding="windows-1250")
    assert main(["funding", str(path), "--db", str(db)]) == 0
    out = capsys.readouterr().out.replace("\u00a0", " ")
    assert "finansowanie.csv: finansowanie, 3 wiersze" in out
    lines = out.splitlines()
    year_2024 = next(line for line in lines if line.strip().startswith("2024"))
    assert year_2024.split()[1:] == ["123", "032,28", "zł", "264", "675,32", "zł", "—", "387", "707,60", "zł"]
    year_2023 = next(line for line in lines if line.strip().startswith("2023"))
    assert year_2023.split()[1:] == ["—", "282", "320,34", "zł", "—", "282", "320,34", "zł"]
    assert "04_ewaluacja_programu" in out and "<folder>/ewaluacja_programu_RRRR.xlsx" in out   # the file's real name
    con = connect(db, read_only=True)
    try:
        assert con.execute("SELECT sum(kwota) FROM raw.funding").fetchone()[0] == pytest.approx(670027.94)
    finally:
        con.close()


def test_a_bad_funding_file_is_rejected_and_points_to_the_docs(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    assert main(["funding", str(_file(tmp_path, "1603011;2024;środki własne;dużo;4")), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "docs/funding.md" in err and "kolumna kwota, wiersz 2" in err
