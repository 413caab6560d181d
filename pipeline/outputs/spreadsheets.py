"""Tables for people as files: an Excel workbook and a CSV that Polish Excel opens right.

A table is a polars frame and its `Column`s (key in the frame, Polish header, kind).  Workbooks get
Polish headers, a frozen header row, an autofilter, column widths, number formats by kind (years as
plain integers, counts with a thousands separator, money with two decimals and `zł`, rates as
percentages), Tak/Nie instead of TRUE/FALSE, and an empty cell instead of a value that does not
exist (a division by zero); text is always written as text, never as a formula.  A column whose
rows differ in kind (a percent in one row, money in the next) names the frame column holding each
row's kind (`kind_by`).  The CSV uses `;`, a decimal comma and UTF-8 with a BOM (what Excel in a
Polish locale expects).

Every sheet is set up for print here, once for every writer: A4, landscape when the table is wider
than a portrait page, fitted to the page's width (as many pages down as needed), the header row
repeated on every page, long text wrapped in its column (never cut), notes wrapped across the
table's width, the sheet's name and the page number in the footer.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.outputs.formats import EXCEL_FORMATS, Kind, is_missing

MAX_SHEET_NAME = 31  # Excel's limit
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: str) -> str:
    """Text a spreadsheet must not take for a formula: a leading = + - @ tab or CR gets a `'` before it."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


@dataclass(frozen=True)
class Column:
    """One column of a table for people: its key in the frame, its Polish header and its kind."""

    key: str
    label: str
    kind: Kind = "text"
    width: float | None = None
    kind_by: str | None = None  # a frame column naming each row's kind (rows of different kinds in one column)


@dataclass
class Sheet:
    """One sheet: a Polish name, the frame, its columns in order, and notes printed under the table."""

    name: str
    frame: pl.DataFrame
    columns: Sequence[Column]
    notes: list[str] = field(default_factory=list)


def _width(column: Column, frame: pl.DataFrame) -> float:
    if column.width:
        return column.width
    longest = max([len(column.label)] + [len(str(v)) for v in frame[column.key].head(200).to_list() if v is not None])
    return float(min(max(longest + 2, 8), 60))


HEADER_LINE_HEIGHT = 15  # points per line of an 11-point header
PORTRAIT_WIDTH = 75  # characters of column width across a portrait A4 page (margins 0.5") at 100 % (as LibreOffice prints)
LANDSCAPE_WIDTH = 105  # and across a landscape one
MIN_SCALE = 70  # the smallest print scale that stays readable (an 11-point font prints at about 8 points)
WRAP_FROM = 20  # a text column at least this wide wraps its cells (definitions, verdicts)
A4 = 9


def wrapped_lines(label: str, width: float) -> int:
    """How many lines a text wraps into in a column `width` characters wide (words are not split)."""
    lines, used = 1, 0
    for word in label.split():
        if used and used + 1 + len(word) > width - 1:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def print_setup(ws: Any, width: float, header_rows: int = 1, fit_width: bool = False) -> None:
    """A sheet's print settings (every workbook the project writes gets them): A4, the first `header_rows` rows
    repeated on every page, the sheet's name and page number in the footer, and by `width` (characters of column
    width): portrait fitted to the page's width when it fits a portrait page, landscape fitted to the width when
    it fits at no less than MIN_SCALE, else landscape at MIN_SCALE with the first column repeated on every page
    across (a wide trend table: pages of readable columns, each with its years), pages across before down;
    `fit_width`: always fitted to the width (a sheet of wrapped text, not a table of many columns)."""
    ws.set_paper(A4)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&L&A&RStrona &P z &N")
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
    if width <= PORTRAIT_WIDTH:
        ws.set_portrait()
        ws.fit_to_pages(1, 0)
    elif fit_width or width * MIN_SCALE / 100 <= LANDSCAPE_WIDTH:
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
    else:
        ws.set_landscape()
        ws.set_print_scale(MIN_SCALE)
        ws.repeat_columns(0)
        ws.print_across()


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> Path:
    """Write the sheets into one .xlsx file."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": False})
    try:
        header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#EEEEEE", "border": 1})
        formats = {kind: book.add_format({"num_format": f, "valign": "top"}) for kind, f in EXCEL_FORMATS.items()}
        wrapped = book.add_format({"text_wrap": True, "valign": "top"})
        plain = book.add_format({"valign": "top"})
        note = book.add_format({"italic": True, "font_color": "#555555", "text_wrap": True, "valign": "top"})
        for sheet in sheets:
            ws = book.add_worksheet(sheet.name[:MAX_SHEET_NAME])
            lines, widths, wraps = 1, [], {}
            for j, column in enumerate(sheet.columns):
                width = _width(column, sheet.frame)
                widths.append(width)
                ws.write_string(0, j, column.label, header)
                if column.kind == "text" and column.kind_by is None and width >= WRAP_FROM:
                    wraps[column.key] = width
                ws.set_column(j, j, width, wrapped if column.key in wraps else formats.get(column.kind, plain))
                lines = max(lines, wrapped_lines(column.label, width))
            ws.set_row(0, HEADER_LINE_HEIGHT * lines + 3)  # a wrapped header shows whole (LibreOffice does not fit it)
            keys = [c.key for c in sheet.columns]
            kinds = list(dict.fromkeys(c.kind_by for c in sheet.columns if c.kind_by and c.kind_by not in keys))
            for i, row in enumerate(sheet.frame.select(keys + kinds).iter_rows(named=True), start=1):
                for j, column in enumerate(sheet.columns):
                    kind = row[column.kind_by] if column.kind_by else column.kind
                    _write_cell(ws, i, j, row[column.key], kind, formats)
                tall = max((wrapped_lines(str(row[k]), w) for k, w in wraps.items() if row[k]), default=1)
                if tall > 1:  # a wrapped cell shows whole: LibreOffice and Excel keep the default height on opening
                    ws.set_row(i, HEADER_LINE_HEIGHT * tall)
            last = sheet.frame.height
            ws.freeze_panes(1, 0)
            if sheet.columns:
                ws.autofilter(0, 0, max(last, 1), len(sheet.columns) - 1)
            span = _first_page_columns(widths)
            first = 1 if 1 < span < len(widths) else 0  # the first column repeats on every page: notes begin after it
            for k, text in enumerate(sheet.notes):
                _write_note(ws, last + 2 + k, first, span, sum(widths[first:span]), text, note)
            print_setup(ws, sum(widths))
    finally:
        book.close()
    return path


def _first_page_columns(widths: Sequence[float]) -> int:
    """How many columns print on the first page across (all of them when the sheet is fitted to the width)."""
    total = sum(widths)
    if total <= PORTRAIT_WIDTH or total * MIN_SCALE / 100 <= LANDSCAPE_WIDTH:
        return len(widths)
    page, used = LANDSCAPE_WIDTH * 100 / MIN_SCALE, 0.0
    for n, w in enumerate(widths):
        used += w
        if used > page:
            return max(n, 1)
    return len(widths)


def _write_note(ws: Any, row: int, first: int, stop: int, width: float, text: str, note: Any) -> None:
    """A note under the table, wrapped across columns first..stop-1 (so it prints whole within the first page)."""
    if stop - first > 1:
        ws.merge_range(row, first, row, stop - 1, "", note)
    ws.write_string(row, first, text, note)
    lines = max(1, -(-len(text) // max(int(width * 1.1), 1)))  # an italic 11-point line holds about 1.1 chars a unit
    if lines > 1:
        ws.set_row(row, HEADER_LINE_HEIGHT * lines)


def _write_cell(ws: Any, i: int, j: int, value: Any, kind: Kind, formats: dict) -> None:
    if is_missing(value):
        return  # an empty cell, never an error value
    if isinstance(value, bool):
        ws.write_string(i, j, "Tak" if value else "Nie")
    elif isinstance(value, datetime | date):
        ws.write_datetime(i, j, datetime(value.year, value.month, value.day) if not isinstance(value, datetime) else value,
                          formats["date"])
    elif isinstance(value, int | float):
        ws.write_number(i, j, value, formats.get(kind))
    else:
        ws.write_string(i, j, str(value))  # write_string: never a formula, whatever the text


def _csv_text(value: Any, kind: Kind) -> str:
    if is_missing(value):
        return ""
    if isinstance(value, bool):
        return "Tak" if value else "Nie"
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        if kind in ("percent", "change"):
            return f"{value * 100:.1f}".replace(".", ",")
        if kind == "money":
            return f"{value:.2f}".replace(".", ",")
        return (f"{value:.1f}" if kind == "decimal" else repr(value)).replace(".", ",")
    return str(value) if isinstance(value, int) else as_text(str(value))


def write_csv(path: Path, frame: pl.DataFrame, columns: Sequence[Column]) -> Path:
    """Write a CSV for people: `;`, decimal comma, UTF-8 with BOM, Polish headers (percentages as numbers 0-100)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow([c.label + (" (%)" if c.kind in ("percent", "change") else "") for c in columns])
        for row in frame.select([c.key for c in columns]).iter_rows():
            w.writerow([_csv_text(v, c.kind) for v, c in zip(row, columns, strict=True)])
    return path
