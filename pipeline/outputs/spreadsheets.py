"""Tables for people as files: an Excel workbook and a CSV that Polish Excel opens right.

A table is a polars frame and its `Column`s (key in the frame, Polish header, kind).  Workbooks get
Polish headers, a frozen header row, an autofilter, column widths, number formats by kind (years as
plain integers, counts with a thousands separator, money with two decimals and `zł`, rates as
percentages), Tak/Nie instead of TRUE/FALSE, and an empty cell instead of a value that does not
exist (a division by zero); text is always written as text, never as a formula.  The CSV uses `;`,
a decimal comma and UTF-8 with a BOM (what Excel in a Polish locale expects).
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


def _header_lines(label: str, width: float) -> int:
    """How many lines a header wraps into in a column `width` characters wide (words are not split)."""
    lines, used = 1, 0
    for word in label.split():
        if used and used + 1 + len(word) > width - 1:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> Path:
    """Write the sheets into one .xlsx file."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": False})
    try:
        header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#EEEEEE", "border": 1})
        formats = {kind: book.add_format({"num_format": f}) for kind, f in EXCEL_FORMATS.items()}
        note = book.add_format({"italic": True, "font_color": "#555555"})
        for sheet in sheets:
            ws = book.add_worksheet(sheet.name[:MAX_SHEET_NAME])
            lines = 1
            for j, column in enumerate(sheet.columns):
                width = _width(column, sheet.frame)
                ws.write_string(0, j, column.label, header)
                ws.set_column(j, j, width, formats.get(column.kind))
                lines = max(lines, _header_lines(column.label, width))
            ws.set_row(0, HEADER_LINE_HEIGHT * lines + 3)  # a wrapped header shows whole (LibreOffice does not fit it)
            for i, row in enumerate(sheet.frame.select([c.key for c in sheet.columns]).iter_rows(), start=1):
                for j, (column, value) in enumerate(zip(sheet.columns, row, strict=True)):
                    _write_cell(ws, i, j, value, column.kind, formats)
            last = sheet.frame.height
            ws.freeze_panes(1, 0)
            if sheet.columns:
                ws.autofilter(0, 0, max(last, 1), len(sheet.columns) - 1)
            for k, text in enumerate(sheet.notes):
                ws.write_string(last + 2 + k, 0, text, note)
    finally:
        book.close()
    return path


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
        if kind == "percent":
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
        w.writerow([c.label + (" (%)" if c.kind == "percent" else "") for c in columns])
        for row in frame.select([c.key for c in columns]).iter_rows():
            w.writerow([_csv_text(v, c.kind) for v, c in zip(row, columns, strict=True)])
    return path
