"""Clumsy cells and lines (issue 28, classes 5 and 6): a stray quote in a CSV header, a cell written at the last
cell of a sheet, a year typed alone in a date cell.  Each is a coded rejection naming the file (and row), never a
crash, and the good export of the same call still loads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from builders import load_outcomes, meta, small_case, write


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
    assert load_outcomes(db) == {"cudzyslow": "rejected", "w_cudzyslowach": "loaded", "dobry": "loaded"}
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM core.dzialania WHERE jednostka = '1261021'").fetchone()[0] == 2
    finally:
        con.close()


_CAPPED = """
import resource, sys
cap = 4 << 30
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _xlsx(tmp_path: Path, name: str, unit: str) -> Path:
    from pipeline.synth.writer import Dialect

    return write(tmp_path / name, small_case(), meta(unit=unit), Dialect(container="xlsx"))


def _set_cell(path: Path, sheet: str, ref: str | None = None, column: str | None = None, value: object = None) -> None:
    """Write one cell with openpyxl: at `ref`, or in the first data row of the column headed `column`."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    if ref is None:
        index = [c.value for c in ws[1]].index(column) + 1
        ref = f"{openpyxl.utils.get_column_letter(index)}2"
    ws[ref] = value
    wb.save(path)


def test_a_cell_at_the_last_cell_of_a_sheet_is_rejected_before_the_reader_allocates_it(tmp_path):
    """XFD1048576 alone made the xlsx reader allocate 550 GB and abort the process; now it is STR-005 naming the
    sheet and the range, under a 4 GiB address-space limit, and the good export of the same call loads."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    far = _xlsx(tmp_path, "daleko", "1261011")
    _set_cell(far, "dzieci", "XFD1048576", value="x")
    good = write(tmp_path / "dobry")
    db, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    proc = subprocess.run([sys.executable, "-c", _CAPPED, "ingest", str(far), str(good), "--db", str(db), "--reports",
                           str(reports)], capture_output=True, text=True, cwd=root,
                          env=__import__("os").environ | {"PYTHONPATH": str(root)}, timeout=300)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "panic" not in proc.stderr
    assert ("[STR-005] plik daleko.xlsx: arkusz dzieci sięga od komórki A1 do XFD1048576 (17\u00a0179\u00a0869\u00a0184 "
            "komórek; limit: 256 kolumn i 16\u00a0000\u00a0000 komórek)") in proc.stdout
    assert load_outcomes(db) == {"daleko.xlsx": "rejected", "dobry": "loaded"}


def test_the_used_range_limits_hold_at_their_exact_boundaries(tmp_path):
    from pipeline.problems import ExportRejected
    from pipeline.read.containers import open_container
    from pipeline.read.limits import ReadLimits

    wide = _xlsx(tmp_path, "szeroki", "1261011")
    _set_cell(wide, "dzieci", "IV1", value="x")                 # column 256: at the limit
    assert open_container(wide).members
    _set_cell(wide, "dzieci", "IW1", value="x")                 # column 257: one over
    with pytest.raises(ExportRejected, match="STR-005"):
        open_container(wide)
    tall = _xlsx(tmp_path, "wysoki", "1261021")
    _set_cell(tall, "dzieci", "A1000", value="x")               # the sheet dzieci has 5 columns (A..E): 5 000 cells
    assert open_container(tall, limits=ReadLimits(sheet_cells=5000)).members
    with pytest.raises(ExportRejected, match="STR-005"):
        open_container(tall, limits=ReadLimits(sheet_cells=4999))


def test_a_year_typed_alone_in_a_date_cell_is_a_type_error_not_excel_day_2024(tmp_path, cli):
    typed = _xlsx(tmp_path, "rok_w_dacie", "1261011")
    _set_cell(typed, "asystentury", column="data_rozpoczecia", value=2024)
    good = write(tmp_path / "dobry")
    db, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    code, out, err = cli("ingest", str(typed), str(good), "--db", str(db), "--reports", str(reports))
    assert code == 1, out + err
    assert "[TYP-001]" in out and "tabela asystentury, kolumna data_rozpoczecia, wiersz 2" in out
    assert "sam rok 2024, nie jest datą" in out
    assert "1905" not in out
    assert load_outcomes(db) == {"rok_w_dacie.xlsx": "rejected", "dobry": "loaded"}


def test_excel_serial_days_start_at_day_ten_thousand():
    import polars as pl

    from pipeline.read.coerce import EXCEL_SERIAL_FLOOR, date_expr

    texts = ["2024", "2024.0", str(EXCEL_SERIAL_FLOOR - 1), str(EXCEL_SERIAL_FLOOR), "45292", "45292.0"]
    parsed = pl.DataFrame({"t": texts}).select(date_expr(pl.col("t"), excel=True))["t"].to_list()
    from datetime import date

    assert parsed == [None, None, None, date(1927, 5, 18), date(2024, 1, 1), date(2024, 1, 1)]
    assert pl.DataFrame({"t": ["45292"]}).select(date_expr(pl.col("t"), excel=False))["t"].to_list() == [None]
    # a cell Excel holds as a date: 2024 typed into a date-formatted cell reads 1905-07-16 00:00:00
    cells = ["1905-07-16 00:00:00", "1927-05-17 00:00:00", "1927-05-18 00:00:00", "2024-01-05 00:00:00"]
    parsed = pl.DataFrame({"t": cells}).select(date_expr(pl.col("t"), excel=True))["t"].to_list()
    assert parsed == [None, None, date(1927, 5, 18), date(2024, 1, 5)]


def test_a_far_cell_is_found_wherever_a_slice_cuts_its_reference():
    """The sheet's XML is read in slices: a reference cut by a slice, or standing after other attributes of a long
    tag, still counts."""
    from pipeline.read.containers import _used_range

    padding = b'<c s="1" t="s"><v>1</v></c>' * 40_000
    xml = b"<sheetData>" + padding + b'<c s="2" r="XFD1048576"><v>1</v></c></sheetData>'

    class Slices:
        def __init__(self, cut: int):
            self.parts = [xml[:cut], xml[cut:]]

        def read(self, _size: int) -> bytes:
            return self.parts.pop(0) if self.parts else b""

    start = xml.index(b' r="XFD')
    for cut in range(start - 2, start + 18):
        assert _used_range(Slices(cut)) == (1048576, 1048576, 16384, 16384), cut
