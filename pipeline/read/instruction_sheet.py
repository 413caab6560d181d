"""The template's help sheets, `instrukcja` and the hidden `listy` (its drop-down lists): allowed in an
`.xlsx` export only while they are exactly as generated.

`python -m pipeline template` writes each with a checksum of its own text in its last row.  A
filled template can be sent with the sheets still in it; a sheet whose text was changed (where data
could have been pasted) is not part of the contract and rejects the export like any other sheet.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

INSTRUCTION_SHEET = "instrukcja"
LISTS_SHEET = "listy"  # hidden: the values of the drop-down lists
HELP_SHEETS = (INSTRUCTION_SHEET, LISTS_SHEET)
CHECKSUM_LABEL = "suma kontrolna arkusza"


def _normalised(rows: Sequence[Sequence[object]]) -> list[list[str]]:
    """Rows as text without trailing empty cells, empty rows dropped."""
    out = []
    for row in rows:
        cells = ["" if c is None else str(c) for c in row]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            out.append(cells)
    return out


def checksum(rows: Sequence[Sequence[object]]) -> str:
    """The checksum of a sheet's text (its rows of cells)."""
    text = "\x1e".join("\x1f".join(row) for row in _normalised(rows))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_unchanged_instruction(sheet_name: str, rows: Sequence[Sequence[object]]) -> bool:
    """True for a help sheet of the template whose last row holds the checksum of the rows above it."""
    if sheet_name.strip().lower() not in HELP_SHEETS:
        return False
    body = _normalised(rows)
    if not body or len(body[-1]) != 2 or body[-1][0] != CHECKSUM_LABEL:
        return False
    return body[-1][1] == checksum(body[:-1])


def unchanged_instruction_sheets(reader: object, sheets: list[str]) -> set[str]:
    """The sheets of a workbook (a fastexcel reader) that are the template's unchanged help sheets."""
    found = set()
    for sheet in sheets:
        if sheet.strip().lower() not in HELP_SHEETS:
            continue
        try:
            frame = reader.load_sheet(sheet, header_row=None, dtypes="string").to_polars()  # type: ignore[attr-defined]
        except Exception:  # fastexcel's own error types: an unreadable sheet is not the template's
            continue
        if is_unchanged_instruction(sheet, frame.rows()):
            found.add(sheet)
    return found
