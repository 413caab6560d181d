"""Readers: every container x encoding x dialect gives the same typed tables; bad files are named."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from builders import read_export, small_case, tables, write

from pipeline.synth.writer import Dialect

DIALECTS = {
    "folder-utf8-iso": Dialect("folder", "utf-8", "iso"),
    "folder-bom-pl": Dialect("folder", "utf-8-sig", "pl"),
    "folder-cp1250-stripped": Dialect("folder", "windows-1250", "pl", True, ("Tak", "Nie"), True),
    "zip-utf8-tak-nie": Dialect("zip", "utf-8", "iso", False, ("tak", "NIE")),
    "zip-cp1250-10": Dialect("zip", "windows-1250", "iso", True, ("1", "0"), True),
    "xlsx": Dialect("xlsx"),
    "xlsx-stripped-pl": Dialect("xlsx", "utf-8", "pl", True, ("T", "N")),
}


def _typed(data) -> dict[str, pl.DataFrame]:
    return {name: df.drop("_row") for name, df in data.tables.items() if name != "metadane"}


@pytest.mark.parametrize("name", DIALECTS)
def test_every_dialect_reads_to_the_same_tables(tmp_path: Path, name: str):
    path = write(tmp_path / "export", dialect=DIALECTS[name])
    data = read_export(path)
    assert data.problems == []
    expected = tables(**small_case())
    for table, frame in _typed(data).items():
        assert frame.equals(expected[table]), table
    assert data.meta.jednostka == "1603011" and data.meta.zakres == "okresowy"
    if "cp1250" in name:
        # files with Polish letters are Windows-1250; a file of plain ASCII is valid UTF-8, and read as such
        assert "windows-1250" in set(data.encodings.values()) and data.encodings["metadane"] == "windows-1250"


def test_cp1250_is_detected_by_content_not_name(tmp_path: Path):
    path = write(tmp_path / "export", dialect=DIALECTS["folder-cp1250-stripped"])
    (path / "rodziny.csv").write_bytes("id_rodziny;typ_rodziny;liczba_osob;wielodzietna\nR1;pełna;4;N\n".encode("cp1250"))
    data = read_export(path)
    assert data.encodings["rodziny"] == "windows-1250" and data.tables["rodziny"]["typ_rodziny"].to_list() == ["pełna"]


def test_zip_with_one_top_folder_and_mixed_case_names(tmp_path: Path):
    folder = write(tmp_path / "export")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in folder.iterdir():
            zf.writestr(f"eksport_2024/{f.stem.upper()}.CSV", f.read_bytes())
    target = tmp_path / "x.zip"
    target.write_bytes(buf.getvalue())
    data = read_export(target)
    assert data.problems == [] and data.tables["rodziny"].height == 3


def test_header_case_spaces_order_and_cell_trimming(tmp_path: Path):
    path = write(tmp_path / "export")
    (path / "rodziny.csv").write_text(
        " WIELODZIETNA ;Liczba_Osob;id_rodziny; typ_rodziny\n"
        ' tak ; 4.0 ;R1;  Pełna \n'
        'N;3,0;"R2";NIEPEŁNA\n'
        '0;2;R3;zrekonstruowana\n', encoding="utf-8")
    data = read_export(path)
    assert data.problems == []
    df = data.tables["rodziny"]
    assert df["liczba_osob"].to_list() == [4, 3, 2]
    assert df["typ_rodziny"].to_list() == ["pełna", "niepełna", "zrekonstruowana"]
    assert df["wielodzietna"].to_list() == [True, False, False]


def test_dictionary_spaces_and_diacritics_are_folded(tmp_path: Path):
    path = write(tmp_path / "export")
    text = (path / "asystentury.csv").read_text(encoding="utf-8")
    (path / "asystentury.csv").write_text(text.replace("osiągnięcie celów", "OSIAGNIECIE    celow"), encoding="utf-8")
    data = read_export(path)
    assert data.problems == []
    assert "osiągnięcie celów" in data.tables["asystentury"]["przyczyna_zakonczenia"].to_list()


def test_quoted_separators_and_newlines_keep_row_numbers(tmp_path: Path):
    path = write(tmp_path / "export")
    (path / "rodziny.csv").write_text(
        'id_rodziny;typ_rodziny;liczba_osob;wielodzietna\n"R;1";pełna;4;N\nR2;pełna;x;N\n', encoding="utf-8")
    data = read_export(path)
    assert data.tables["rodziny"]["id_rodziny"][0] == "R;1"
    problem = next(p for p in data.problems if p.column == "liczba_osob")
    assert problem.code == "TYP-003" and problem.rows == [3] and problem.file == "rodziny.csv"


def test_real_excel_cells(tmp_path: Path):
    """Excel dates, serial numbers, 5.0 integers, booleans and a birth month turned into a date."""
    path = write(tmp_path / "export", dialect=Dialect("xlsx"))
    import fastexcel

    from pipeline.synth.writer import metadata_rows  # noqa: F401  (the writer already uses real Excel dates)

    wb_path = tmp_path / "handmade.xlsx"
    data = read_export(path)
    sheets = {}
    reader = fastexcel.read_excel(path.read_bytes())
    for name in reader.sheet_names:
        sheets[name] = reader.load_sheet(name, dtypes="string").to_polars()
    wb = xlsxwriter.Workbook(str(wb_path))
    date_fmt = wb.add_format({"num_format": "dd.mm.yyyy"})
    for name, frame in sheets.items():
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, frame.columns)
        for i, row in enumerate(frame.iter_rows(), start=1):
            for j, v in enumerate(row):
                if v is not None:
                    ws.write_string(i, j, v)
    ws = wb.get_worksheet_by_name("dzieci")
    from datetime import datetime

    ws.write_datetime(1, 2, datetime(2010, 5, 1), date_fmt)   # miesiac_urodzenia as an Excel date
    ws.write_boolean(1, 4, True)                               # niepelnosprawnosc as an Excel boolean
    ws = wb.get_worksheet_by_name("rodziny")
    ws.write_number(1, 2, 4.0)                                 # liczba_osob 4.0
    ws = wb.get_worksheet_by_name("asystenci")
    ws.write_number(1, 1, 41000)                               # a bare serial day number: 2012-04-01
    wb.close()
    handmade = read_export(wb_path)
    assert handmade.problems == []
    kids = handmade.tables["dzieci"]
    assert kids["miesiac_urodzenia"][0].isoformat() == "2010-05-01" and kids["niepelnosprawnosc"][0] is True
    assert handmade.tables["rodziny"]["liczba_osob"][0] == 4
    assert handmade.tables["asystenci"]["data_zatrudnienia"][0].isoformat() == "2012-04-01"
    assert data.tables["rodziny"].height == 3


def _problem_codes(path: Path) -> set[str]:
    return {p.code for p in read_export(path).problems}


def test_bom_that_is_not_utf8_is_rejected_with_the_offset(tmp_path: Path):
    path = write(tmp_path / "export")
    (path / "rodziny.csv").write_bytes(b"\xef\xbb\xbfid_rodziny;typ_rodziny;liczba_osob;wielodzietna\nR1;pe\xb3na;4;N\n")
    problem = next(p for p in read_export(path).problems if p.code == "STR-010")
    assert problem.file == "rodziny.csv" and "pozycji 56" in problem.message  # 3 (BOM) + 48 (header line) + 5 ("R1;pe"), from 0


def test_undefined_cp1250_byte_is_rejected_with_the_offset(tmp_path: Path):
    path = write(tmp_path / "export")
    (path / "rodziny.csv").write_bytes(b"id_rodziny;typ_rodziny;liczba_osob;wielodzietna\nR1;p\x81na;4;N\n")
    problem = next(p for p in read_export(path).problems if p.code == "STR-011")
    assert "pozycji 52" in problem.message  # 48 (header line) + 4 ("R1;p"), counted from 0


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda p: (p / "rodziny.csv").unlink(), "STR-001"),
        (lambda p: (p / "notatki.txt").write_text("x"), "STR-002"),
        (lambda p: (p / "pesele.csv").write_text("x"), "STR-002"),
        (lambda p: (p / ".ukryty.csv").write_text("x"), "STR-002"),
        (lambda p: (p / "rodziny.csv").write_text("id_rodziny;typ_rodziny;liczba_osob;wielodzietna;nazwisko\n"), "STR-020"),
        (lambda p: (p / "rodziny.csv").write_text("id_rodziny;typ_rodziny;liczba_osob\n"), "STR-021"),
        (lambda p: (p / "rodziny.csv").write_bytes(b""), "STR-012"),
        (lambda p: (p / "rodziny.csv").write_text("id_rodziny;typ_rodziny;liczba_osob;wielodzietna\nR1;pełna;4;N;x\n"), "STR-015"),
        (lambda p: (p / "rodziny.csv").write_text('id_rodziny;typ_rodziny;liczba_osob;wielodzietna\nR1;"pełna;4;N\n'), "STR-014"),
        (lambda p: (p / "rodziny.csv").write_text("id_rodziny;typ_rodziny;liczba_osob;wielodzietna\nR1;duża;4;N\n"), "TYP-005"),
        (lambda p: (p / "metadane.csv").write_text("klucz;wartosc\njednostka;1603011\n"), "STR-032"),
        (lambda p: (p / "metadane.csv").write_text((p / "metadane.csv").read_text().replace("1603011", "16030")), "STR-033"),
        (lambda p: (p / "metadane.csv").write_text((p / "metadane.csv").read_text() + "autor;Jan\n"), "STR-030"),
    ],
    ids=["missing-table", "extra-file", "extra-csv", "hidden-file", "unknown-column", "missing-column", "empty-file", "ragged-row",
         "open-quote", "dictionary", "metadata-keys", "teryt", "metadata-unknown-key"],
)
def test_unreadable_content_is_named(tmp_path: Path, mutate, code: str):
    path = write(tmp_path / "export")
    mutate(path)
    assert code in _problem_codes(path)


def test_an_unknown_column_is_named_but_its_values_never_echoed(tmp_path: Path):
    from pipeline.checks.headers import hide_personal_headers

    path = write(tmp_path / "export")
    (path / "rodziny.csv").write_text("id_rodziny;typ_rodziny;liczba_osob;wielodzietna;nazwisko\nR1;pełna;4;N;Kowalska\n")
    text = " ".join(p.describe() for p in hide_personal_headers(read_export(path).problems))
    assert "kolumna nazwisko" in text and "Kowalska" not in text and "kolumna nr 5" in text


@pytest.mark.parametrize("header", ["44051401359", "jan.kowalski@example.com", "+48 601 234 567"])
def test_an_unknown_column_whose_header_is_personal_data_is_not_named(tmp_path: Path, header: str):
    from pipeline.checks.headers import hide_personal_headers

    path = write(tmp_path / "export")
    (path / "rodziny.csv").write_text(f"id_rodziny;typ_rodziny;liczba_osob;wielodzietna;{header}\nR1;pełna;4;N;x\n")
    problems = hide_personal_headers(read_export(path).problems)
    text = " ".join(p.describe() for p in problems)
    assert header not in text and "601" not in text and "kolumna nr 5" in text and "nazwa kolumny ukryta" in text


@pytest.mark.parametrize("payload", [b"", b"PK\x03\x04 truncated", b"not a zip at all"])
def test_broken_zip_is_rejected(tmp_path: Path, payload: bytes):
    path = tmp_path / "broken.zip"
    path.write_bytes(payload)
    assert "STR-004" in _problem_codes(path)


def test_truncated_real_zip_is_rejected(tmp_path: Path):
    path = write(tmp_path / "export", dialect=Dialect("zip"))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "STR-004" in _problem_codes(path)


def test_sheet_missing_from_workbook(tmp_path: Path):
    rows = small_case()
    path = write(tmp_path / "export", rows, dialect=Dialect("xlsx"))
    import openpyxl

    wb = openpyxl.load_workbook(path)
    del wb["piecza"]
    wb.save(path)
    problems = read_export(path).problems
    assert any(p.code == "STR-001" and p.table == "piecza" and "arkusz piecza" in p.message for p in problems)


def test_huge_garbage_file_fails_on_its_header_without_reading_it(tmp_path: Path):
    path = write(tmp_path / "export")
    with (path / "dzialania.csv").open("wb") as f:
        f.write(b"x" * (70 * 1024))  # one endless "header" line
        f.write(b"\n" + b"1\n" * 1000)
    assert "STR-013" in _problem_codes(path)


def test_carriage_return_inside_the_header_is_a_clear_rejection(tmp_path: Path):
    # found by the fuzzer: Python's csv module raised on it
    path = write(tmp_path / "export")
    (path / "rodziny.csv").write_bytes(b"id_rodziny;typ_\rrodziny;liczba_osob;wielodzietna\nR1;pe\xc5\x82na;4;N\n")
    assert "STR-014" in _problem_codes(path)


def test_a_batch_reads_exactly_as_each_export_on_its_own(tmp_path: Path):
    """Batched reading stacks every table of many exports; each must still get only its own rows and problems."""
    from builders import scan_export

    from pipeline.checks.pii import scan_exports
    from pipeline.read.export import read_exports

    paths = [write(tmp_path / name, dialect=dialect) for name, dialect in DIALECTS.items()]
    header = "id_rodziny;typ_rodziny;liczba_osob;wielodzietna\n"
    broken = {
        "typed": header + "R1;duża;4;N\nR2;pełna;x;N\nR3;pełna;3;N\n",         # two type problems, rows 2 and 3
        "typed-other-rows": header + "R1;pełna;4;N\nR2;pełna;4;N\nR3;pełna;4;X\n",  # one, row 4
        "ragged": header + "R1;pełna;4;N;nadmiar\n",
        "pii": header + "R1;pełna;4;N\nR2 tel. 601 234 567;pełna;4;N\n",
        "open-quote": header + 'R1;"pełna;4;N\n',                        # the batch's scan of rodziny fails: file by file
    }
    for name, text in broken.items():
        path = write(tmp_path / name)
        (path / "rodziny.csv").write_text(text, encoding="utf-8")
        paths.insert(2, path)  # between the good ones, so that neighbours in the stack differ
    paths.append(paths[0])  # the same folder twice in one batch
    batch = read_exports(paths)
    alone = [read_export(p) for p in paths]
    for together, single in zip(batch, alone, strict=True):
        assert [p.describe() for p in together.problems] == [p.describe() for p in single.problems], single.name
        assert together.meta == single.meta
        assert together.tables.keys() == single.tables.keys()
        for table, frame in single.tables.items():
            assert together.tables[table].equals(frame), (single.name, table)
    assert [[p.describe() for p in found] for found in scan_exports(batch)] == \
           [[p.describe() for p in scan_export(single)] for single in alone]
    by_name = {d.name: {p.code: p.rows for p in d.problems} for d in batch}
    assert by_name["typed"] == {"TYP-005": [2], "TYP-003": [3]}
    assert by_name["typed-other-rows"] == {"TYP-004": [4]}
    assert by_name["ragged"] == {"STR-015": [2]}
    assert by_name["folder-utf8-iso"] == {}
    assert by_name["open-quote"] == {"STR-014": []}
    assert [p.code for p in scan_export(batch[paths.index(tmp_path / "pii")])] == ["PII-003"]


def test_without_room_to_spool_a_zip_is_read_file_by_file_the_same(tmp_path: Path, monkeypatch):
    """Files of a zip or in Windows-1250 are spooled as UTF-8 to be scanned together; if the copy
    cannot be written (a full temp disk), each is parsed on its own, with the same result."""
    path = write(tmp_path / "export", dialect=DIALECTS["zip-cp1250-10"])
    spooled = read_export(path)
    import pipeline.read.tables as tables_module

    def no_room(path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tables_module, "_open_spool", no_room)
    alone = read_export(path)
    assert spooled.problems == alone.problems == []
    for table, frame in spooled.tables.items():
        assert alone.tables[table].equals(frame), table
