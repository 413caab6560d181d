"""Clumsy cells and lines (issue 28, classes 5 and 6): a stray quote in a CSV header, a cell written at the last
cell of a sheet, a year typed alone in a date cell.  Each is a coded rejection naming the file (and row), never a
crash, and the good export of the same call still loads."""

from __future__ import annotations

from pathlib import Path

import duckdb
from builders import meta, small_case, write


def _loaded(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT file_name, outcome FROM raw.loads").fetchall())
    finally:
        con.close()


def _quote_header(path: Path, table: str, quoted: str) -> None:
    csv = path / f"{table}.csv"
    head, rest = csv.read_bytes().split(b"\n", 1)
    csv.write_bytes(head.replace(quoted.encode(), b'"' + quoted.encode(), 1) + b"\n" + rest)


def test_a_stray_quote_in_a_header_is_rejected_with_file_and_line_and_never_swallows_rows(tmp_path, cli):
    stray = write(tmp_path / "cudzyslow", small_case(), meta(unit="1261011"))
    _quote_header(stray, "dzialania", "id_asystentury")
    paired = write(tmp_path / "w_cudzyslowach", small_case(), meta(unit="1261021"))
    _quote_header(paired, "dzialania", "id_asystentury;")           # "id_asystentury;" -> one quote more below
    csv = paired / "dzialania.csv"
    csv.write_bytes(csv.read_bytes().replace(b'"id_asystentury;', b'"id_asystentury";', 1))
    good = write(tmp_path / "dobry")
    db, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    code, out, err = cli("ingest", str(stray), str(paired), str(good), "--db", str(db), "--reports", str(reports))
    assert code == 1, out + err
    assert "Traceback" not in err
    assert ("[STR-014] plik dzialania.csv, tabela dzialania, wiersz 1: wiersz nagłówka ma niedomknięty cudzysłów (\"): "
            "dalsze wiersze zostałyby wczytane jako jedno pole") in out
    assert out.count("[STR-014]") == 1                      # two quotes around a name are a quoted name, read as usual
    assert _loaded(db) == {"cudzyslow": "rejected", "w_cudzyslowach": "loaded", "dobry": "loaded"}
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM core.dzialania WHERE jednostka = '1261021'").fetchone()[0] == 2
    finally:
        con.close()
