"""Turn a table of trimmed strings into typed columns, per the contract.

Vectorised with polars expressions (no per-row Python).  A cell that is not
empty but cannot be read as its type becomes a problem naming the table,
column and rows, never the value.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import cache

import polars as pl

from pipeline.contract import TABLES, Column, Table, dictionary_lookup
from pipeline.problems import MAX_ROWS_SHOWN, Problem, issue
from pipeline.read.batch import EXPORT, ROW, first_rows_by_export

EXCEL_EPOCH = date(1899, 12, 30)
DATE_FLOOR = date(1900, 1, 1)  # an earlier date is a typo (1020 for 2020), read as not a date
_DIACRITIC_FROM = list("ąćęłńóśźż")
_DIACRITIC_TO = list("acelnoszz")

_EXPECTED = {
    "date": ("oczekiwano daty RRRR-MM-DD albo DD.MM.RRRR, nie wcześniejszej niż 01.01.1900 (w skoroszycie: liczba w "
             "komórce daty, np. sam rok 2024, nie jest datą)"),
    "decimal": "oczekiwano liczby (przecinek albo kropka dziesiętna)",
    "integer": "oczekiwano liczby całkowitej",
    "bool": "oczekiwano T/N, Tak/Nie albo 1/0",
    "month": "oczekiwano miesiąca RRRR-MM, nie wcześniejszego niż 1900-01",
}
TYPE_ERRORS = {
    "id": issue("TYP-000", "niepoprawny identyfikator"),
    "date": issue("TYP-001", "niepoprawna data"),
    "decimal": issue("TYP-002", "niepoprawna liczba dziesiętna"),
    "integer": issue("TYP-003", "niepoprawna liczba całkowita"),
    "bool": issue("TYP-004", "niepoprawna wartość logiczna"),
    "dict": issue("TYP-005", "wartość spoza słownika"),
    "month": issue("TYP-006", "niepoprawny miesiąc"),
}


EXCEL_SERIAL_FLOOR = 10_000  # day 10 000 is 18.05.1927: a smaller number in a date cell is a year typed alone (2024)
# or a typo, never a date of the contract's records (day 2024 would be 16.07.1905)


EXCEL_DATE_FLOOR = EXCEL_EPOCH + timedelta(days=EXCEL_SERIAL_FLOOR)  # 18.05.1927, for cells Excel holds as dates


def _excel_serial(s: pl.Expr) -> pl.Expr:
    """An Excel serial day number (as text, at least EXCEL_SERIAL_FLOOR) to a date."""
    n = pl.when(s.str.contains(r"^\d{1,6}(\.0+)?$")).then(s.str.extract(r"^(\d+)").cast(pl.Int64, strict=False))
    n = pl.when(n >= EXCEL_SERIAL_FLOOR).then(n)
    return pl.lit(EXCEL_EPOCH) + pl.duration(days=n)


def date_expr(s: pl.Expr, excel: bool) -> pl.Expr:
    """Parse YYYY-MM-DD or DD.MM.YYYY (and, from xlsx, Excel date-times and serials)."""
    iso = pl.when(s.str.contains(r"^\d{4}-\d{2}-\d{2}$")).then(s.str.strptime(pl.Date, "%Y-%m-%d", strict=False))
    pl_ = pl.when(s.str.contains(r"^\d{2}\.\d{2}\.\d{4}$")).then(s.str.strptime(pl.Date, "%d.%m.%Y", strict=False))
    out = pl.coalesce(iso, pl_)
    if excel:
        dt = pl.when(s.str.contains(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}")).then(
            s.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        )
        dt = pl.when(dt >= EXCEL_DATE_FLOOR).then(dt)  # 2024 typed into a date-formatted cell: Excel shows 16.07.1905
        out = pl.coalesce(out, dt, _excel_serial(s))
    return pl.when(out >= DATE_FLOOR).then(out)


def month_expr(s: pl.Expr, excel: bool) -> pl.Expr:
    """Parse YYYY-MM into the first day of the month (from xlsx also a date Excel made of it)."""
    ym = pl.when(s.str.contains(r"^\d{4}-\d{2}$")).then((s + "-01").str.strptime(pl.Date, "%Y-%m-%d", strict=False))
    if excel:
        ym = pl.coalesce(ym, date_expr(s, excel=True).dt.truncate("1mo"))
    return pl.when(ym >= DATE_FLOOR).then(ym)


def decimal_expr(s: pl.Expr) -> pl.Expr:
    ok = s.str.contains(r"^[+-]?\d+([.,]\d+)?$")
    return pl.when(ok).then(s.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False))


def integer_expr(s: pl.Expr) -> pl.Expr:
    ok = s.str.contains(r"^[+-]?\d{1,15}([.,]0+)?$")
    return pl.when(ok).then(s.str.extract(r"^([+-]?\d+)").cast(pl.Int64, strict=False))


def bool_expr(s: pl.Expr) -> pl.Expr:
    low = s.str.to_lowercase()
    return (
        pl.when(low.is_in(["t", "tak", "1", "true", "1.0"])).then(pl.lit(True))
        .when(low.is_in(["n", "nie", "0", "false", "0.0"])).then(pl.lit(False))
        .otherwise(pl.lit(None, dtype=pl.Boolean))
    )


def fold_expr(s: pl.Expr) -> pl.Expr:
    """Polars version of contract.fold (case, spaces, diacritics)."""
    return (
        s.str.replace_all(r"\s+", " ").str.to_lowercase()
        .str.replace_many(_DIACRITIC_FROM, _DIACRITIC_TO)
        .str.replace_all(r"[\x{0300}-\x{036F}]", "")
    )


def dict_expr(s: pl.Expr, column: Column) -> pl.Expr:
    return fold_expr(s).replace_strict(dictionary_lookup(column), default=None, return_dtype=pl.String)


def column_expr(s: pl.Expr, column: Column, excel: bool) -> pl.Expr:
    """The typed value of a column's text (null where the text is not of its type)."""
    match column.type:
        case "id" | "text":
            return s
        case "date":
            return date_expr(s, excel)
        case "month":
            return month_expr(s, excel)
        case "decimal":
            return decimal_expr(s)
        case "integer":
            return integer_expr(s)
        case "bool":
            return bool_expr(s)
        case "dict":
            return dict_expr(s, column)
    raise ValueError(column.type)


def type_error_message(column: Column) -> str:
    if column.type == "dict":
        return "wartość spoza słownika; dozwolone: " + ", ".join(column.values)
    return f"niepoprawna wartość: {_EXPECTED[column.type]}"


@cache
def _table_exprs(table_name: str, excel: bool) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """The typing expressions of a table (each value parsed once, into `__typed__<column>`) and the
    final columns: typed values, and `__failed__<column>` where a non-empty cell did not parse."""
    spec = TABLES[table_name]
    typed = [column_expr(pl.col(c.name), c, excel).alias(_TYPED + c.name) for c in spec.columns]
    final = [pl.col(_TYPED + c.name).alias(c.name) for c in spec.columns] + [
        (pl.col(c.name).is_not_null() & pl.col(_TYPED + c.name).is_null()).alias(_FAILED + c.name) for c in spec.columns
    ]
    return typed, final


_TYPED = "__typed__"
_FAILED = "__failed__"


def coerce_table(df: pl.DataFrame, table: Table, labels: dict[int, str],
                 excel: bool) -> tuple[pl.DataFrame, dict[int, list[Problem]], pl.DataFrame]:
    """Type every column of a stacked `table` (see `stacking`); return the typed frame, the problems
    per export (`labels` names each export's file), and a mask of the cells that failed."""
    typed_exprs, final_exprs = _table_exprs(table.name, excel)
    both = df.lazy().with_columns(typed_exprs).select(pl.col(ROW), *final_exprs, pl.col(EXPORT)).collect()
    typed = both.select(ROW, *table.column_names, EXPORT)
    failed = both.select(ROW, *(pl.col(_FAILED + c).alias(c) for c in table.column_names), EXPORT)
    problems: dict[int, list[Problem]] = defaultdict(list)
    counts = failed.select(pl.col(c.name).sum() for c in table.columns).row(0, named=True)
    for c in table.columns:
        if not counts[c.name]:
            continue
        for export, (rows, count) in first_rows_by_export(failed, pl.col(c.name), MAX_ROWS_SHOWN).items():
            problems[export].append(
                TYPE_ERRORS[c.type].problem(type_error_message(c), file=labels[export],
                        table=table.name, column=c.name, rows=rows, count=count)
            )
    return typed, dict(problems), failed
