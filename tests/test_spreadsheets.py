"""Workbooks and CSV for people: Polish headers, number formats by kind, no formulas, no error values."""

from __future__ import annotations

from datetime import date

import polars as pl
from openpyxl import load_workbook

from pipeline.grammar import NBSP
from pipeline.outputs import formats
from pipeline.outputs.spreadsheets import Column, Sheet, write_csv, write_workbook

FRAME = pl.DataFrame({
    "year": [2023, 2024], "families": [1234, 68], "share": [0.5, None], "money": [123032.28, float("inf")],
    "text": ["=1/0", "zwykły tekst"], "flag": [True, False], "day": [date(2024, 12, 31), date(2024, 1, 1)],
})
COLUMNS = [Column("year", "rok", "year"), Column("families", "rodziny", "count"), Column("share", "udział", "percent"),
           Column("money", "kwota", "money"), Column("text", "opis"), Column("flag", "z programem", "bool"),
           Column("day", "dzień", "date")]


def test_formats_are_polish():
    assert formats.count(3572) == f"3{NBSP}572"
    assert formats.decimal(2.24, 1) == "2,2"
    assert formats.percent(0.4554) == "45,5%"
    assert formats.money(123032.28) == f"123{NBSP}032,28{NBSP}zł"
    assert formats.day(date(2024, 12, 31)) == "31.12.2024"
    assert formats.cell(2024, "year") == "2024"
    assert formats.percent(None) == formats.money(float("nan")) == formats.MISSING
    assert formats.yes_no(True) == "Tak"


def test_workbook_has_polish_headers_formats_and_no_formula_or_error(tmp_path):
    path = write_workbook(tmp_path / "t.xlsx", [Sheet("wskaźniki", FRAME, COLUMNS, ["Uwaga: puste komórki to wartości, których nie ma."])])
    ws = load_workbook(path)["wskaźniki"]
    assert [c.value for c in ws[1]] == [c.label for c in COLUMNS]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert ws["A2"].value == 2023 and ws["A2"].number_format == "0"
    assert ws["B2"].value == 1234 and ws["B2"].number_format == "#,##0"
    assert ws["C2"].number_format == "0.0%" and ws["C3"].value is None
    assert ws["D2"].number_format == '#,##0.00 "zł"' and ws["D3"].value is None
    assert ws["E2"].value == "=1/0" and ws["E2"].data_type == "s"
    assert ws["F2"].value == "Tak" and ws["F3"].value == "Nie"
    assert ws["G2"].number_format == "dd.mm.yyyy"
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f" and c.data_type != "e"


def test_csv_opens_in_polish_excel(tmp_path):
    raw = write_csv(tmp_path / "t.csv", FRAME, COLUMNS).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "rok;rodziny;udział (%);kwota;opis;z programem;dzień"
    assert lines[1] == "2023;1234;50,0;123032,28;'=1/0;Tak;31.12.2024"
    assert lines[2] == "2024;68;;;zwykły tekst;Nie;01.01.2024"


def test_a_wrapped_header_row_is_tall_enough(tmp_path):
    from pipeline.outputs.spreadsheets import wrapped_lines

    assert wrapped_lines("rok", 8) == 1
    assert wrapped_lines("rodziny objęte wsparciem asystenta", 18) == 3      # "rodziny objęte" / "wsparciem" / "asystenta"
    assert wrapped_lines("rodziny objęte", 15) == 1 and wrapped_lines("rodziny objęte", 14) == 2
    columns = [Column("year", "rok", "year", width=8), Column("families", "rodziny objęte wsparciem asystenta", "count", width=18)]
    ws = load_workbook(write_workbook(tmp_path / "t.xlsx", [Sheet("s", FRAME, columns)]))["s"]
    assert ws.row_dimensions[1].height == 15 * 3 + 3


WIDE = FRAME.with_columns(pl.col("families").alias(f"c{j}") for j in range(8))


def _wide(n: int, width: float = 18) -> list[Column]:
    return [Column("year", "rok", "year", width=8)] + [Column(f"c{j}", f"kolumna {j}", "count", width=width)
                                                        for j in range(n)]


def test_every_sheet_gets_a_print_setup(tmp_path):
    from pipeline.outputs.spreadsheets import LANDSCAPE_WIDTH, MIN_SCALE, PORTRAIT_WIDTH

    # at the boundaries: 8 + 67 = 75 portrait; 76 landscape fitted; 8 + 2 * 71 = 150 at 70 % = 105: still fitted; 151 not
    assert PORTRAIT_WIDTH == 75 and LANDSCAPE_WIDTH == 105 and MIN_SCALE == 70
    sheets = [Sheet("portret", WIDE, _wide(1, 67)), Sheet("poziomo", WIDE, _wide(1, 68)),
              Sheet("na_granicy", WIDE, _wide(2, 71)), Sheet("szeroki", WIDE, _wide(2, 71.5))]
    wb = load_workbook(write_workbook(tmp_path / "p.xlsx", sheets))
    for name in wb.sheetnames:
        ws = wb[name]
        assert ws.page_setup.paperSize == 9 and ws.print_title_rows == "$1:$1"   # A4, the header row on every page
        assert ws.oddFooter.left.text == "&A" and ws.oddFooter.right.text == "Strona &P z &N"
    # fitToWidth None is the default, 1
    fitted = [(wb[n].page_setup.orientation, wb[n].sheet_properties.pageSetUpPr.fitToPage, wb[n].page_setup.fitToWidth or 1,
               wb[n].page_setup.fitToHeight) for n in ("portret", "poziomo", "na_granicy")]
    assert fitted == [("portrait", True, 1, 0), ("landscape", True, 1, 0), ("landscape", True, 1, 0)]
    wide = wb["szeroki"]
    assert wide.page_setup.orientation == "landscape" and wide.page_setup.scale == 70
    assert not (wide.sheet_properties.pageSetUpPr and wide.sheet_properties.pageSetUpPr.fitToPage)
    assert wide.print_title_cols == "$A:$A" and wide.page_setup.pageOrder == "overThenDown"


def test_notes_of_a_wide_sheet_print_whole_on_its_first_page(tmp_path):
    # 8 + 8 * 23 = 192 at 70 %: the first page holds rok and 6 columns (8 + 6 * 23 = 146 <= 150); notes from B to G
    sheet = Sheet("szeroki", WIDE, _wide(8, 23), ["Uwaga: puste komórki to wartości, których nie ma."])
    ws = load_workbook(write_workbook(tmp_path / "n.xlsx", [sheet]))["szeroki"]
    assert {str(r) for r in ws.merged_cells.ranges} == {"B5:G5"} and ws["B5"].value.startswith("Uwaga")
    assert ws["A5"].value is None   # the repeated first column carries no piece of the note


def test_long_text_wraps_and_its_row_grows(tmp_path):
    text = "rodziny, z którymi zakończono asystenturę w okresie z przyczyny „osiągnięcie celów” (rodzina liczy się raz)"
    frame = pl.DataFrame({"label": ["krótko", text], "short": ["a", "b"]})
    columns = [Column("label", "definicja", "text", width=20), Column("short", "klucz", "text", width=19)]
    ws = load_workbook(write_workbook(tmp_path / "w.xlsx", [Sheet("d", frame, columns, [text * 2])]))["d"]
    assert ws["A2"].alignment.wrap_text and ws["A3"].alignment.wrap_text and not ws["B2"].alignment.wrap_text
    assert ws.row_dimensions[2].height is None            # one line: the default height
    assert ws.row_dimensions[3].height == 15 * 7           # 107 characters in a 20-wide column: 7 lines
    assert "A5:B5" in {str(r) for r in ws.merged_cells.ranges} and ws["A5"].alignment.wrap_text   # the note


def test_the_template_opens_on_its_instruction_and_hides_its_lists(tmp_path):
    from pipeline.contract import TABLES
    from pipeline.outputs.contract.template import write_template

    wb = load_workbook(write_template(tmp_path / "szablon.xlsx"))
    assert wb.sheetnames == ["instrukcja", "metadane", *TABLES, "listy"] and wb.active.title == "instrukcja"
    assert [ws.sheet_state for ws in wb] == ["visible"] * (len(TABLES) + 2) + ["hidden"]
    lists = wb["listy"]
    assert [lists["A1"].value, lists["A2"].value, lists["A3"].value, lists["A4"].value] == ["tak/nie", "Tak", "Nie", None]
    sources = {v.formula1 for v in wb["rodziny"].data_validations.dataValidation}
    assert "listy!$A$2:$A$3" in sources                          # wielodzietna: Tak/Nie from the hidden sheet
    assert all(s.startswith("listy!") for s in sources)
    guide = wb["instrukcja"]
    assert guide.max_column == 6                                  # nothing from column G on: no lists beside the text
    assert guide["D10"].value == "7-cyfrowy kod TERYT gminy jednostki" and guide["D10"].alignment.wrap_text
    for ws in wb.worksheets[:-1]:   # every sheet but the hidden lists
        assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage   # one page wide
    assert wb["instrukcja"].page_setup.orientation == "landscape" and wb["rodziny"].print_title_rows == "$1:$1"


def test_a_changed_lists_sheet_rejects_the_filled_template(tmp_path):
    from builders import read_export

    from pipeline.config import PROJECT_ROOT
    from pipeline.outputs.contract.template import fill_from_export

    path = fill_from_export(tmp_path / "t.xlsx", read_export(PROJECT_ROOT / "data" / "demo" / "1603011_2024"))
    assert read_export(path).problems == []
    wb = load_workbook(path)
    wb["listy"]["A3"] = "wklejone dane"
    wb.save(tmp_path / "changed.xlsx")
    assert [p.code for p in read_export(tmp_path / "changed.xlsx").problems] == ["STR-002"]


def test_a_change_has_its_sign_in_text_workbook_and_notebook_04(tmp_path):
    from pipeline.outputs.evaluation.report import SENSITIVITY_COLUMNS

    assert formats.change(0.05) == "+5,0%" and formats.change(-0.125) == "−12,5%" and formats.change(0.0) == "0,0%"
    assert formats.change(0.0004) == "0,0%"   # rounds to zero: no sign on a zero
    assert formats.change(None) == formats.MISSING and formats.cell(0.05, "change") == "+5,0%"
    frame = pl.DataFrame({"change": [0.05, -0.125]})
    ws = load_workbook(write_workbook(tmp_path / "z.xlsx", [Sheet("z", frame, [Column("change", "zmiana", "change")])]))["z"]
    assert ws["A2"].value == 0.05 and ws["A2"].number_format == '+0.0%;"−"0.0%;0.0%'
    assert [c.kind for c in SENSITIVITY_COLUMNS if c.key == "change"] == ["change"]   # notebook 04's sensitivity table
