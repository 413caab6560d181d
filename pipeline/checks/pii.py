"""Scan every text cell of an export for personal data (PESEL, e-mail, phone).

Vectorised with polars regular expressions.  Cells whose column typed them to
something that cannot hold personal data (a parsed date, a dictionary label,
a boolean, a birth month) are skipped; ids, numbers, free text and every cell
that failed its type are scanned.  Messages name table, column and rows only.

Each cell is scanned as it is and, where it could read differently once normalised (a non-ASCII
character, a separator between digits), also normalised (`pipeline.read.personal`): NFKC, no
invisible format characters (Unicode Cf) anywhere, ASCII digits, no spaces, hyphens, dots,
zero-width characters or quotes between digits.  Numbers that
parsed as numbers are scanned only as they are (`12.5` is not `125`).
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl

from pipeline.contract import METADATA_TABLE, TABLES
from pipeline.problems import Problem, issue
from pipeline.read.batch import EXPORT, ROW, rows_by_export, stack
from pipeline.read.export import ExportData
from pipeline.read.personal import (
    BETWEEN_DIGITS,
    EMAIL,
    FORMAT_CHARACTERS,
    NEEDS_NORMALISING,
    PESEL_WEIGHTS,
    PHONE,
    unicode_digits,
)

_SAFE_TYPES = ("date", "month", "bool", "dict")
_NUMBER_TYPES = ("decimal", "integer")
_META_DATE_KEYS = ("data_eksportu", "okres_od", "okres_do")


def _pesel_expr(s: pl.Expr, excel: bool) -> pl.Expr:
    """True where a cell holds an 11-digit run (not part of a longer run) with a valid check digit."""
    runs = s.str.extract_all(r"[0-9]+")
    if excel:
        # Excel drops the leading zero of a number: a whole 10-digit number is checked as 0 + digits.
        runs = pl.when(s.str.contains(r"^[0-9]{10}$")).then(pl.concat_list(runs, pl.concat_list(pl.lit("0") + s))).otherwise(runs)
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
    candidate = s.str.contains(r"[0-9]{11}")
    if excel:
        candidate = candidate | s.str.contains(r"^[0-9]{10}$")
    return candidate.fill_null(False)


PESEL_FOUND = issue("PII-001", "komórka zawiera numer PESEL (dane osobowe)")
EMAIL_FOUND = issue("PII-002", "komórka zawiera adres e-mail (dane osobowe)")
PHONE_FOUND = issue("PII-003", "komórka zawiera numer telefonu (dane osobowe)")
_KINDS = (("pesel", PESEL_FOUND, "numer PESEL"), ("email", EMAIL_FOUND, "adres e-mail"), ("phone", PHONE_FOUND, "numer telefonu"))


Hits = dict[tuple[int, str, str], list[int]]  # (export, column, kind) -> rows


def normalised(s: pl.Expr) -> pl.Expr:
    """A cell as scanned the second time: NFKC, no format characters (Cf, anywhere: inside a number, an e-mail's
    local part or its domain), ASCII digits, no separators between digits."""
    source, target = unicode_digits()
    s = s.str.normalize("NFKC").str.replace_all(FORMAT_CHARACTERS, "").str.replace_many(source, target)
    for _ in range(2):  # a match consumes the digit after its separator: two passes join every gap
        s = s.str.replace_all(BETWEEN_DIGITS, "${1}${2}")
    return s


def _flag_hits(text: pl.DataFrame, scanned: list[str], cells: dict[str, pl.Expr], excel: bool) -> Hits:
    """The rows of each column and kind that hold personal data (one pass; the check digit only where needed)."""
    flags = text.select(
        pl.col(ROW), pl.col(EXPORT),
        *(_pesel_candidate(cells[c], excel).alias(f"{c}\x00pesel") for c in scanned),
        *(cells[c].str.contains(EMAIL).fill_null(False).alias(f"{c}\x00email") for c in scanned),
        *(cells[c].str.contains(PHONE).fill_null(False).alias(f"{c}\x00phone") for c in scanned),
    )
    totals = flags.select(pl.exclude(ROW, EXPORT).sum()).row(0, named=True)
    for column in scanned:  # the exact check digit only where a candidate was seen (rarely anywhere)
        name = f"{column}\x00pesel"
        if totals[name]:
            exact = text.select(_pesel_expr(cells[column], excel).alias(name))
            flags = flags.with_columns(exact[name] & flags[name])
            totals[name] = int(flags[name].sum())
    hits: Hits = {}
    for column in scanned:
        for kind, _, _ in _KINDS:
            name = f"{column}\x00{kind}"
            if totals[name]:
                for export, rows in rows_by_export(flags, pl.col(name)).items():
                    hits[(export, column, kind)] = rows
    return hits


def _scan_stacked(text: pl.DataFrame, columns: list[str], failed: pl.DataFrame | None, safe: set[str],
                  excel: bool, table: str, labels: dict[int, str], numbers: set[str] = frozenset()) -> dict[int, list[Problem]]:
    """Scan a stacked table's cells as they are, then the cells that may read differently normalised; locate the rare hits."""
    scanned = [c for c in columns if c not in safe or failed is not None]
    if not scanned or text.height == 0:
        return {}

    def cells(mask: pl.DataFrame | None, column: str) -> pl.Expr:
        s = pl.col(column)
        if column in safe and mask is not None:  # only the cells that failed their type can hold free text
            s = pl.when(mask[column]).then(s)
        return s

    hits = _flag_hits(text, scanned, {c: cells(failed, c) for c in scanned}, excel)
    # the second pass, column by column: only the cells that may read differently once normalised (a cell that is
    # ASCII with no separator between digits normalises to itself, so the first pass has seen it as scanned), and
    # not numbers that parsed
    second = [c for c in scanned if not (c in numbers and failed is None)]

    def scanned_cells(mask: pl.DataFrame | None, column: str) -> pl.Expr:
        s = cells(mask, column)
        if column in numbers and mask is not None:  # a number that parsed is scanned only as it is
            s = pl.when(mask[column]).then(s)
        return s

    needs = text.select(scanned_cells(failed, c).str.contains(NEEDS_NORMALISING).fill_null(False).alias(c) for c in second)
    for column in second:
        need = needs[column]
        if not need.any():
            continue
        subset, mask = text.filter(need), failed.filter(need) if failed is not None else None
        for key, rows in _flag_hits(subset, [column], {column: normalised(scanned_cells(mask, column))}, excel).items():
            hits[key] = sorted(set(hits.get(key, [])) | set(rows))
    problems: dict[int, list[Problem]] = defaultdict(list)
    whats = {kind: (code, what) for kind, code, what in _KINDS}
    for column in scanned:
        for kind, _, _ in _KINDS:
            for (export, c, k), rows in sorted(hits.items()):
                if c == column and k == kind:
                    code, what = whats[kind]
                    problems[export].append(code.problem(f"komórka zawiera {what} (dane osobowe); wartości nie pokazujemy",
                                                         file=labels[export], table=table, column=column, rows=rows[:10],
                                                         count=len(rows)))
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
            numbers = {c.name for c in spec.columns if c.type in _NUMBER_TYPES}
            failed = stack([(i, exports[i].failed[table]) for i in indexes]) if all(table in exports[i].failed for i in indexes) else None
            hits = _scan_stacked(text, spec.column_names, failed, safe, excel, table, labels, numbers)
        for i, problems in hits.items():
            found[(i, table)] = problems
    return [[p for table in data.text for p in found.get((i, table), [])] for i, data in enumerate(exports)]
