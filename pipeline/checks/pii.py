"""Scan every text cell of an export for personal data (PESEL, e-mail, phone).

Vectorised with polars regular expressions.  Cells whose column typed them to
something that cannot hold personal data (a parsed date, a dictionary label,
a boolean, a birth month) are skipped; ids, numbers, free text and every cell
that failed its type are scanned.  Messages name table, column and rows only.
"""

from __future__ import annotations

import polars as pl

from pipeline.contract import METADATA_TABLE, TABLES
from pipeline.problems import Problem
from pipeline.read.export import ExportData
from pipeline.read.tables import ROW

PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
_NINE = r"(\d{9}|\d{3}[ \-]\d{3}[ \-]\d{3}|\d{2}[ \-]\d{3}[ \-]\d{2}[ \-]\d{2})"
PHONE = r"(^|[^0-9\pL])((\+48|0048)[ \-]?)?" + _NINE + r"($|[^0-9\pL])"
_SAFE_TYPES = ("date", "month", "bool", "dict")
_META_DATE_KEYS = ("data_eksportu", "okres_od", "okres_do")


def pesel_valid(digits: str) -> bool:
    """True for 11 digits whose check digit is right."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:10], PESEL_WEIGHTS, strict=True))
    return (10 - total % 10) % 10 == int(digits[10])


def _pesel_expr(s: pl.Expr, excel: bool) -> pl.Expr:
    """True where a cell holds an 11-digit run (not part of a longer run) with a valid check digit."""
    runs = s.str.extract_all(r"\d+")
    if excel:
        # Excel drops the leading zero of a number: a whole 10-digit number is checked as 0 + digits.
        runs = pl.when(s.str.contains(r"^\d{10}$")).then(pl.concat_list(runs, pl.concat_list(pl.lit("0") + s))).otherwise(runs)
    eleven = runs.list.eval(pl.element().filter(pl.element().str.len_chars() == 11))
    checks = eleven.list.eval(
        (
            pl.sum_horizontal(
                *(pl.element().str.slice(i, 1).cast(pl.Int32) * w for i, w in enumerate(PESEL_WEIGHTS))
            ) % 10
        ).pipe(lambda t: (10 - t) % 10)
        == pl.element().str.slice(10, 1).cast(pl.Int32)
    )
    return checks.list.any().fill_null(False)


def _pesel_candidate(s: pl.Expr, excel: bool) -> pl.Expr:
    """A cheap test that a cell may hold a PESEL (11 digits in a row, or 10 in an Excel number)."""
    candidate = s.str.contains(r"\d{11}")
    if excel:
        candidate = candidate | s.str.contains(r"^\d{10}$")
    return candidate.fill_null(False)


_KINDS = (("pesel", "PII-001", "numer PESEL"), ("email", "PII-002", "adres e-mail"), ("phone", "PII-003", "numer telefonu"))


def _scan_frame(text: pl.DataFrame, columns: list[str], failed: pl.DataFrame | None, safe: set[str],
                excel: bool, table: str, label: str) -> list[Problem]:
    """Scan a table's cells in one pass (one flag column per column and kind), then locate the rare hits."""
    scanned = [c for c in columns if c not in safe or failed is not None]
    if not scanned or text.height == 0:
        return []

    def cells(column: str) -> pl.Expr:
        s = pl.col(column)
        if column in safe:  # only the cells that failed their type can hold free text
            s = pl.when(failed[column]).then(s)
        return s

    flags = text.select(
        pl.col(ROW),
        *(_pesel_candidate(cells(c), excel).alias(f"{c}\x00pesel") for c in scanned),
        *(cells(c).str.contains(EMAIL).fill_null(False).alias(f"{c}\x00email") for c in scanned),
        *(cells(c).str.contains(PHONE).fill_null(False).alias(f"{c}\x00phone") for c in scanned),
    )
    totals = flags.select(pl.exclude(ROW).sum()).row(0, named=True)
    for column in scanned:  # the exact check digit only where a candidate was seen (rarely anywhere)
        name = f"{column}\x00pesel"
        if totals[name]:
            exact = text.select(_pesel_expr(cells(column), excel).alias(name))
            flags = flags.with_columns(exact[name] & flags[name])
            totals[name] = int(flags[name].sum())
    problems = []
    for column in scanned:
        for kind, code, what in _KINDS:
            name = f"{column}\x00{kind}"
            if not totals[name]:
                continue
            rows = flags.filter(pl.col(name))[ROW]
            problems.append(Problem(code, f"komórka zawiera {what} (dane osobowe); wartości nie pokazujemy",
                                    file=label, table=table, column=column, rows=rows.head(10).to_list(), count=len(rows)))
    return problems


def scan_export(data: ExportData) -> list[Problem]:
    """Personal-data problems of an export (critical: the export is rejected)."""
    problems: list[Problem] = []
    for table, text in data.text.items():
        label = data.labels.get(table, table)
        if table == METADATA_TABLE:
            key = pl.col("klucz").str.strip_chars().str.to_lowercase()
            dates_unparsed = data.meta is None  # parsed metadata dates are not text
            cells = text.filter(~key.is_in(_META_DATE_KEYS) | pl.lit(dates_unparsed))
            problems += _scan_frame(cells, ["klucz", "wartosc"], None, set(), data.excel, table, label)
            continue
        spec = TABLES[table]
        safe = {c.name for c in spec.columns if c.type in _SAFE_TYPES}
        problems += _scan_frame(text, spec.column_names, data.failed.get(table), safe, data.excel, table, label)
    return problems
