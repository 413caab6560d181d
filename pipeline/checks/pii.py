"""Scan every text cell of an export for personal data (PESEL, e-mail, phone).

Vectorised with polars regular expressions.  Cells whose column typed them to
something that cannot hold personal data (a parsed date, a dictionary label,
a boolean, a birth month) are skipped; ids, numbers, free text and every cell
that failed its type are scanned.  Messages name table, column and rows only.
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl

from pipeline.contract import METADATA_TABLE, TABLES
from pipeline.problems import Problem, issue
from pipeline.read.batch import EXPORT, ROW, rows_by_export, stack
from pipeline.read.export import ExportData

PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
_NINE = r"(\d{9}|\d{3}[ \-]\d{3}[ \-]\d{3}|\d{2}[ \-]\d{3}[ \-]\d{2}[ \-]\d{2})"
PHONE = r"(^|[^0-9\pL])((\+48|0048)[ \-]?)?" + _NINE + r"($|[^0-9\pL])"
_SAFE_TYPES = ("date", "month", "bool", "dict")
_META_DATE_KEYS = ("data_eksportu", "okres_od", "okres_do")


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


PESEL_FOUND = issue("PII-001", "komórka zawiera numer PESEL (dane osobowe)")
EMAIL_FOUND = issue("PII-002", "komórka zawiera adres e-mail (dane osobowe)")
PHONE_FOUND = issue("PII-003", "komórka zawiera numer telefonu (dane osobowe)")
_KINDS = (("pesel", PESEL_FOUND, "numer PESEL"), ("email", EMAIL_FOUND, "adres e-mail"), ("phone", PHONE_FOUND, "numer telefonu"))


def _scan_stacked(text: pl.DataFrame, columns: list[str], failed: pl.DataFrame | None, safe: set[str],
                  excel: bool, table: str, labels: dict[int, str]) -> dict[int, list[Problem]]:
    """Scan a stacked table's cells in one pass (one flag column per column and kind), then locate the rare hits."""
    scanned = [c for c in columns if c not in safe or failed is not None]
    if not scanned or text.height == 0:
        return {}

    def cells(column: str) -> pl.Expr:
        s = pl.col(column)
        if column in safe:  # only the cells that failed their type can hold free text
            s = pl.when(failed[column]).then(s)
        return s

    flags = text.select(
        pl.col(ROW), pl.col(EXPORT),
        *(_pesel_candidate(cells(c), excel).alias(f"{c}\x00pesel") for c in scanned),
        *(cells(c).str.contains(EMAIL).fill_null(False).alias(f"{c}\x00email") for c in scanned),
        *(cells(c).str.contains(PHONE).fill_null(False).alias(f"{c}\x00phone") for c in scanned),
    )
    totals = flags.select(pl.exclude(ROW, EXPORT).sum()).row(0, named=True)
    for column in scanned:  # the exact check digit only where a candidate was seen (rarely anywhere)
        name = f"{column}\x00pesel"
        if totals[name]:
            exact = text.select(_pesel_expr(cells(column), excel).alias(name))
            flags = flags.with_columns(exact[name] & flags[name])
            totals[name] = int(flags[name].sum())
    problems: dict[int, list[Problem]] = defaultdict(list)
    for column in scanned:
        for kind, code, what in _KINDS:
            name = f"{column}\x00{kind}"
            if not totals[name]:
                continue
            for export, rows in rows_by_export(flags, pl.col(name)).items():
                problems[export].append(code.problem(f"komórka zawiera {what} (dane osobowe); wartości nie pokazujemy",
                                                     file=labels[export], table=table, column=column, rows=rows[:10], count=len(rows)))
    return problems


def scan_exports(exports: list[ExportData]) -> list[list[Problem]]:
    """Personal-data problems of each export (critical: the export is rejected), scanned table by table."""
    groups: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for i, data in enumerate(exports):
        for table in data.text:
            groups[(table, data.excel)].append(i)
    found: dict[tuple[int, str], list[Problem]] = {}
    for (table, excel), indexes in groups.items():
        labels = {i: exports[i].labels.get(table, table) for i in indexes}
        text = stack([(i, exports[i].text[table]) for i in indexes])
        if table == METADATA_TABLE:
            key = pl.col("klucz").str.strip_chars().str.to_lowercase()
            unparsed = [i for i in indexes if exports[i].meta is None]  # parsed metadata dates are not text
            cells = text.filter(~key.is_in(_META_DATE_KEYS) | pl.col(EXPORT).is_in(unparsed))
            hits = _scan_stacked(cells, ["klucz", "wartosc"], None, set(), excel, table, labels)
        else:
            spec = TABLES[table]
            safe = {c.name for c in spec.columns if c.type in _SAFE_TYPES}
            failed = stack([(i, exports[i].failed[table]) for i in indexes]) if all(table in exports[i].failed for i in indexes) else None
            hits = _scan_stacked(text, spec.column_names, failed, safe, excel, table, labels)
        for i, problems in hits.items():
            found[(i, table)] = problems
    return [[p for table in data.text for p in found.get((i, table), [])] for i, data in enumerate(exports)]
