"""The Excel template of an export (`python -m pipeline template`): one sheet per table of the contract.

An analyst fills it by hand or by pasting from the case system: the `instrukcja` sheet first, in Polish
(what each table and column means, required or not, an example row), a `metadane` sheet with its keys,
one sheet per table with the contract's headers, drop-down lists for every dictionary column and for
Tak/Nie (their values on the hidden sheet `listy`), date cells formatted RRRR-MM-DD, ids kept as text.
Every sheet prints on one page wide (landscape where wide, the header row repeated, the instruction's
long text wrapped), an empty table's sheet on one page.  A filled template is an `.xlsx` export; the
reader accepts `instrukcja` and `listy` only while they are unchanged (the last row of each holds a
checksum of its text).  `fill` writes an export's rows into the template (e.g. a CSV export).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl

from pipeline.contract import FORMAT_VERSION, METADATA_COLUMNS, METADATA_KEYS, METADATA_TABLE, TABLES, ZAKRES_VALUES, Column, Table
from pipeline.outputs.contract.text import METADATA_MEANINGS, column_meaning, table_meaning, type_name
from pipeline.outputs.spreadsheets import HEADER_LINE_HEIGHT, print_setup, wrapped_lines
from pipeline.read.instruction_sheet import CHECKSUM_LABEL, INSTRUCTION_SHEET, LISTS_SHEET, checksum

MAX_ROW = 1_048_575  # the last row of a sheet (0-based)
YES_NO = ("Tak", "Nie")
INSTRUCTION_WIDTHS = (30, 16, 14, 48, 18, 32)  # kolumna, typ, wymagana, znaczenie, przykład, dozwolone wartości
LIST_WIDTH = 28
_INTRO = (
    "Szablon eksportu danych o pracy asystentów rodziny (wersja formatu {version}).",
    "Każdy arkusz to jedna tabela; pierwszy wiersz to nagłówki kontraktu: nie zmieniaj ich i nie dodawaj kolumn.",
    "Wpisuj albo wklejaj wiersze od drugiego. Daty: RRRR-MM-DD. Tak/Nie i wartości słownikowe wybierz z listy.",
    "Identyfikatory to pseudonimy, nigdy PESEL, imię, nazwisko ani numer sprawy "
    "(python -m pipeline pseudonymise nadaje je z kluczem ośrodka).",
    "Tabele opcjonalne możesz zostawić z samym nagłówkiem albo usunąć ich arkusz. Nie zmieniaj tego arkusza: "
    "zmieniony arkusz instrukcja odrzuca eksport.",
    "Sprawdzenie: python -m pipeline validate szablon.xlsx. Pełny opis kontraktu: docs/kontrakt.md.",
)


def instruction_rows() -> list[list[str]]:
    """The text rows of the `instrukcja` sheet (the drop-down lists and the checksum row are added beside and below)."""
    rows: list[list[str]] = [[line.format(version=FORMAT_VERSION)] for line in _INTRO]
    rows.append([])
    rows.append([f"arkusz {METADATA_TABLE}", "metadane eksportu: jeden wiersz na klucz (klucze są już wpisane)"])
    rows.append(["klucz", "", "", "znaczenie", "przykład"])  # meaning and example under the tables' ones
    for key in METADATA_KEYS:
        m = METADATA_MEANINGS.get(key)
        rows.append([key, "", "", m.pl if m else "", m.example if m else ""])
    for table in TABLES.values():
        rows.append([])
        required = "tabela opcjonalna" if table.optional else "tabela wymagana"
        rows.append([f"arkusz {table.name}", f"{table_meaning(table).pl} ({required}; klucz {table.key})"])
        rows.append(["kolumna", "typ", "wymagana", "znaczenie", "przykład", "dozwolone wartości"])
        for c in table.columns:
            m = column_meaning(table, c)
            allowed = ", ".join(c.values) if c.values else ("Tak, Nie" if c.type == "bool" else "")
            if c.references:
                allowed = f"pseudonim z arkusza {c.references}"
            rows.append([c.name, type_name(c, "pl"), "tak" if c.required else "może być pusta", m.pl, _example(c, m.example), allowed])
    return rows


def _example(column: Column, example: str) -> str:
    if example:
        return example
    if column.type == "bool":
        return "Nie"
    return column.values[0] if column.values and column.required else ""


def _lists() -> dict[str, tuple[str, ...]]:
    """The drop-down lists: Tak/Nie, zakres, and every dictionary column's values (by table.column)."""
    lists: dict[str, tuple[str, ...]] = {"tak/nie": YES_NO, "zakres": ZAKRES_VALUES}
    for table in TABLES.values():
        for c in table.columns:
            if c.type == "dict":
                lists[f"{table.name}.{c.name}"] = c.values
    return lists


def _list_ranges(lists: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Where each list lies on the hidden `listy` sheet (one column a list, its name in row 1), as a reference."""
    from xlsxwriter.utility import xl_col_to_name

    ranges = {}
    for j, (name, values) in enumerate(lists.items()):
        col = xl_col_to_name(j)
        ranges[name] = f"={LISTS_SHEET}!${col}$2:${col}${1 + len(values)}"
    return ranges


def _list_cells(lists: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Every cell of `listy` (a column per list: its name, then its values), as a grid of text."""
    height = 1 + max(len(v) for v in lists.values())
    columns = [[name, *values] + [""] * (height - 1 - len(values)) for name, values in lists.items()]
    return [list(row) for row in zip(*columns, strict=True)]


def _write_lists(ws, grid: list[list[str]]) -> None:
    """The lists' cells and the checksum row below them."""
    for i, row in enumerate(grid):
        for j, text in enumerate(row):
            if text:
                ws.write_string(i, j, text)
    ws.write_string(len(grid), 0, CHECKSUM_LABEL)
    ws.write_string(len(grid), 1, checksum(grid))


def _validation(ws, col: int, column: Column, ranges: dict[str, str], table: str) -> None:
    source = ranges["tak/nie"] if column.type == "bool" else ranges.get(f"{table}.{column.name}")
    if source is None:
        return
    ws.data_validation(1, col, MAX_ROW, col, {
        "validate": "list", "source": source, "error_type": "warning",
        "input_title": column.name[:32], "input_message": "wybierz z listy",
        "error_title": "wartość spoza listy", "error_message": "tej wartości nie ma w słowniku kontraktu",
    })


class _Formats:
    def __init__(self, wb) -> None:
        self.header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.month = wb.add_format({"num_format": "yyyy-mm"})
        self.text = wb.add_format({"num_format": "@"})
        self.bold = wb.add_format({"bold": True, "valign": "top"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.top = wb.add_format({"valign": "top"})

    def for_column(self, column: Column):
        return {"date": self.date, "month": self.month, "id": self.text, "dict": self.text}.get(column.type)


def _data_sheet(wb, f: _Formats, table: Table, ranges: dict[str, str], frame: pl.DataFrame | None) -> None:
    ws = wb.add_worksheet(table.name)
    ws.freeze_panes(1, 0)
    widths = [max(14, len(c.name) + 2) for c in table.columns]
    for j, c in enumerate(table.columns):
        ws.write_string(0, j, c.name, f.header)
        ws.set_column(j, j, widths[j], f.for_column(c))
        _validation(ws, j, c, ranges, table.name)
    print_setup(ws, sum(widths), fit_width=True)  # one page wide: an empty table is one page, not a page a column
    if frame is not None:
        for j, c in enumerate(table.columns):
            for i, v in enumerate(frame[c.name].to_list(), start=1):
                _write_cell(ws, i, j, c, v, f)


def _write_cell(ws, row: int, col: int, column: Column, value: object, f: _Formats) -> None:
    """One typed value as an office system would write it: real dates, numbers, Tak/Nie, text."""
    if value is None:
        return
    if isinstance(value, date):
        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), f.month if column.type == "month" else f.date)
    elif isinstance(value, bool):
        ws.write_string(row, col, YES_NO[0] if value else YES_NO[1])
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value)
    else:
        ws.write_string(row, col, str(value), f.text)


def _metadata_sheet(wb, f: _Formats, ranges: dict[str, str], values: dict[str, object]) -> None:
    ws = wb.add_worksheet(METADATA_TABLE)
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, list(METADATA_COLUMNS), f.header)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 30)
    print_setup(ws, 48)
    for i, key in enumerate(METADATA_KEYS, start=1):
        ws.write_string(i, 0, key)
        kind = METADATA_KEYS[key]
        value = values.get(key)
        if kind == "date":
            ws.write_blank(i, 1, None, f.date)
        if kind == "zakres":
            ws.data_validation(i, 1, i, 1, {"validate": "list", "source": ranges["zakres"], "error_type": "warning"})
        if isinstance(value, date):
            ws.write_datetime(i, 1, datetime(value.year, value.month, value.day), f.date)
        elif value is not None:
            ws.write_string(i, 1, str(value), f.text)


def _instruction_sheet(wb, f: _Formats) -> None:
    """`instrukcja`, the first sheet and the one the workbook opens on: wrapped text, printed one page wide."""
    ws = wb.add_worksheet(INSTRUCTION_SHEET)
    rows = instruction_rows()
    for j, width in enumerate(INSTRUCTION_WIDTHS):
        ws.set_column(j, j, width, f.wrap)
    running = set()  # rows whose text runs across the sheet unwrapped: the intro lines, a sheet's title and meaning
    for i, row in enumerate(rows):
        if len(row) <= 1 or row[0].startswith("arkusz "):
            running.add(i)
            continue
        tall = max(wrapped_lines(text, INSTRUCTION_WIDTHS[j]) for j, text in enumerate(row) if text)
        if tall > 1:  # a wrapped cell shows whole: LibreOffice and Excel keep the default height on opening
            ws.set_row(i, HEADER_LINE_HEIGHT * tall)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if text:
                style = f.bold if i in running and j == 0 and text.startswith("arkusz ") else f.top if i in running else f.wrap
                ws.write_string(i, j, text, style)
    ws.write_string(len(rows), 0, CHECKSUM_LABEL, f.top)
    ws.write_string(len(rows), 1, checksum(rows), f.top)
    print_setup(ws, sum(INSTRUCTION_WIDTHS), header_rows=0, fit_width=True)
    ws.activate()


def write_template(out: Path, tables: dict[str, pl.DataFrame] | None = None,
                   metadata: dict[str, object] | None = None) -> Path:
    """Write the template to `out`; with `tables` (typed frames by table) and `metadata`, filled with them."""
    import xlsxwriter

    out.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(out))
    wb.set_properties({"title": "Szablon eksportu: asystenci rodziny", "created": datetime(2000, 1, 1)})
    f = _Formats(wb)
    lists = _lists()
    ranges = _list_ranges(lists)
    _instruction_sheet(wb, f)
    _metadata_sheet(wb, f, ranges, metadata or {"wersja_formatu": FORMAT_VERSION})
    for table in TABLES.values():
        _data_sheet(wb, f, table, ranges, (tables or {}).get(table.name))
    hidden = wb.add_worksheet(LISTS_SHEET)
    hidden.set_column(0, len(lists) - 1, LIST_WIDTH)
    _write_lists(hidden, _list_cells(lists))
    hidden.hide()
    wb.close()
    return out


def fill_from_export(out: Path, export) -> Path:
    """Write the template filled with an export as read (`pipeline.read.export.ExportData`, read without problems)."""
    meta = export.meta
    metadata = {"jednostka": meta.jednostka, "nazwa_jednostki": meta.nazwa_jednostki, "data_eksportu": meta.data_eksportu,
                "okres_od": meta.okres_od, "okres_do": meta.okres_do, "zakres": meta.zakres, "wersja_formatu": meta.wersja_formatu}
    tables = {name: export.tables[name] for name in TABLES if name in export.tables}
    return write_template(out, tables, metadata)
