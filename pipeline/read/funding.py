"""Read the analyst's reference data: `finansowanie.csv` (funding by unit, year, source).

Same CSV dialect as exports (`;`, UTF-8 or Windows-1250, decimal comma); amounts
as Polish users write them are accepted: `85 400,00`, `85400,00`, `85400.00`,
`85 400,00 zł` (docs/funding.md describes the file).  The file is checked as a
whole: every problem is reported with its row and column, and a bad file is
never loaded (see `pipeline.warehouse.funding`).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipeline.contract import FUNDING_COLUMNS, FUNDING_SOURCES, Column
from pipeline.problems import ExportRejected, issue
from pipeline.read.batch import ROW
from pipeline.read.coerce import decimal_expr, dict_expr, integer_expr
from pipeline.read.tables import decode

FUNDING_UNREADABLE = issue("REF-001", "plik finansowania nie jest poprawnym plikiem CSV")
FUNDING_COLUMNS_WRONG = issue("REF-002", "plik finansowania ma inne kolumny niż oczekiwane")
FUNDING_BAD_VALUE = issue("REF-003", "niepoprawna wartość w pliku finansowania")
FUNDING_DUPLICATE = issue("REF-004", "powtórzony wiersz (jednostka, rok, źródło) w pliku finansowania")

_SOURCE = Column("zrodlo", "dict", values=FUNDING_SOURCES)
_THOUSANDS = r"(\d)[ \u00a0\u202f]+(\d{3})\b"  # a space (also non-breaking or narrow) between thousands


def amount_expr(s: pl.Expr) -> pl.Expr:
    """An amount as written in Polish offices: thousands separated by (non-breaking) spaces, a decimal comma or
    point, an optional "zł" after it -> a float (null when it is not such a number)."""
    bare = s.str.replace(r"(?i)\s*zł\s*$", "")
    for _ in range(2):  # matches do not overlap: "1 234 567" needs a second pass for " 567"
        bare = bare.str.replace_all(_THOUSANDS, "$1$2")
    return decimal_expr(bare)


def read_funding(path: Path) -> pl.DataFrame:
    """Read and check finansowanie.csv; raise ExportRejected with every problem found."""
    label = path.name
    text, _ = decode(path.read_bytes(), label)
    try:
        raw = pl.read_csv(text.encode("utf-8"), separator=";", infer_schema=False)
    except pl.exceptions.PolarsError:
        raise ExportRejected([FUNDING_UNREADABLE.problem("plik CSV jest uszkodzony", file=label)]) from None
    raw = raw.rename({c: c.strip().lower() for c in raw.columns})
    missing = [c for c in FUNDING_COLUMNS if c not in raw.columns]
    extra = [c for c in raw.columns if c not in FUNDING_COLUMNS]
    if missing or extra:
        raise ExportRejected([FUNDING_COLUMNS_WRONG.problem(f"oczekiwano kolumn {', '.join(FUNDING_COLUMNS)}", file=label)])
    raw = raw.with_row_index(ROW, offset=2).with_columns(pl.col(c).str.strip_chars() for c in FUNDING_COLUMNS)
    typed = raw.select(
        ROW,
        pl.col("jednostka"),
        integer_expr(pl.col("rok")).alias("rok"),
        dict_expr(pl.col("zrodlo"), _SOURCE).alias("zrodlo"),
        amount_expr(pl.col("kwota")).alias("kwota"),
        decimal_expr(pl.col("liczba_asystentow")).alias("liczba_asystentow"),
    )
    checks = {
        "jednostka": (~pl.col("jednostka").str.contains(r"^[0-9]{7}$")).fill_null(True), "rok": pl.col("rok").is_null()
        | ~pl.col("rok").is_between(2000, 2100), "zrodlo": pl.col("zrodlo").is_null(),
        "kwota": pl.col("kwota").is_null() | (pl.col("kwota") < 0),
        "liczba_asystentow": pl.col("liczba_asystentow").is_null() | (pl.col("liczba_asystentow") < 0),
    }
    messages = {
        "jednostka": "oczekiwano 7-cyfrowego kodu TERYT (cyfry 0-9)", "rok": "oczekiwano roku",
        "zrodlo": "dozwolone źródła: " + ", ".join(FUNDING_SOURCES),
        "kwota": "oczekiwano kwoty >= 0 w złotych, np. 85 400,00 albo 85400.00",
        "liczba_asystentow": "oczekiwano liczby >= 0",
    }
    problems = []
    for column, bad in checks.items():
        rows = typed.filter(bad)[ROW].to_list()
        if rows:
            problems.append(FUNDING_BAD_VALUE.problem(messages[column], file=label, table="finansowanie", column=column,
                                    rows=rows[:10], count=len(rows)))
    dup = typed.filter(pl.struct("jednostka", "rok", "zrodlo").is_duplicated())[ROW].to_list()
    if dup:
        problems.append(FUNDING_DUPLICATE.problem("powtórzony wiersz (jednostka, rok, źródło)", file=label, table="finansowanie",
                                rows=dup[:10], count=len(dup)))
    if problems:
        raise ExportRejected(problems)
    return typed.drop(ROW)

