"""Unknown column headers: named in messages only when the header itself passes the personal-data scan.

The reader carries an unknown column's header in its problem's `column`; the gate calls
`hide_personal_headers` before any problem is shown or stored, and every other user of the reader's
problems (the pseudonymiser, the template) does too.
"""

from __future__ import annotations

import polars as pl

from pipeline.checks.pii import EMAIL, PHONE, _pesel_expr
from pipeline.problems import Problem

UNKNOWN_COLUMN_CODE = "STR-020"
HIDDEN = "nazwa kolumny ukryta, bo sama wygląda na dane osobowe (PESEL, e-mail albo telefon)"


def personal(texts: list[str]) -> list[bool]:
    """Whether each text holds a PESEL, an e-mail address or a phone number (the scan of the cells)."""
    if not texts:
        return []
    s = pl.col("t")
    flags = pl.DataFrame({"t": texts}, schema={"t": pl.String}).select(
        (_pesel_expr(s, False) | s.str.contains(EMAIL).fill_null(False) | s.str.contains(PHONE).fill_null(False)).alias("hit")
    )
    return flags["hit"].to_list()


def hide_personal_headers(problems: list[Problem]) -> list[Problem]:
    """Unknown-column problems keep their header only when it is not itself personal data (in place; returned)."""
    unknown = [p for p in problems if p.code == UNKNOWN_COLUMN_CODE and p.column]
    for p, hit in zip(unknown, personal([p.column or "" for p in unknown]), strict=True):
        if hit:
            p.column = None
            p.message = f"{p.message}; {HIDDEN}"
    return problems
