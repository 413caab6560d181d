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
from pipeline.grammar import number
from pipeline.problems import ExportRejected, issue
from pipeline.read.batch import ROW
from pipeline.read.coerce import decimal_expr, dict_expr, integer_expr
from pipeline.read.containers import file_kind
from pipeline.read.names import safe_name
from pipeline.read.personal import shown_name
from pipeline.read.tables import decode

FUNDING_UNREADABLE = issue("REF-001", "plik finansowania nie jest poprawnym plikiem CSV")
FUNDING_COLUMNS_WRONG = issue("REF-002", "plik finansowania ma inne kolumny niż oczekiwane")
FUNDING_BAD_VALUE = issue("REF-003", "niepoprawna wartość w pliku finansowania")
FUNDING_DUPLICATE = issue("REF-004", "powtórzony wiersz (jednostka, rok, źródło) w pliku finansowania")
FUNDING_REPEATED_COLUMN = issue("REF-005", "kolumna pliku finansowania występuje dwa razy")
FUNDING_TOO_BIG = issue("REF-006", "plik finansowania przekracza limit rozmiaru albo nie jest zwykłym plikiem")

MAX_AMOUNT = 10_000_000_000  # zł: more than any centre's budget (the whole national programme is far less)
MAX_ASSISTANTS = 10_000  # more than the country employs
MAX_FILE_BYTES = 64 << 20  # one row per unit, year and source: a few MB at the very most

_SOURCE = Column("zrodlo", "dict", values=FUNDING_SOURCES)
_THOUSANDS = r"(\d)[ \u00a0\u202f]+(\d{3})\b"  # a space (also non-breaking or narrow) between thousands


def amount_expr(s: pl.Expr) -> pl.Expr:
    """An amount as written in Polish offices: thousands separated by (non-breaking) spaces, a decimal comma or
    point, an optional "zł" after it -> a float (null when it is not such a number)."""
    bare = s.str.replace(r"(?i)\s*zł\s*$", "")
    for _ in range(2):  # matches do not overlap: "1 234 567" needs a second pass for " 567"
        bare = bare.str.replace_all(_THOUSANDS, "$1$2")
    return decimal_expr(bare)


def _read_capped(path: Path, label: str) -> bytes:
    """The file's bytes: a regular file of at most MAX_FILE_BYTES (a pipe or a device is never opened)."""
    kind = file_kind(path)
    if kind is not None:
        raise ExportRejected([FUNDING_TOO_BIG.problem(f"plik finansowania nie jest zwykłym plikiem ({kind})", file=label)])
    with path.open("rb") as f:
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ExportRejected([FUNDING_TOO_BIG.problem(f"plik finansowania przekracza {MAX_FILE_BYTES >> 20} MiB", file=label)])
    return data


def read_funding(path: Path) -> pl.DataFrame:
    """Read and check finansowanie.csv; raise ExportRejected with every problem found."""
    label = shown_name(path.name, "plik", 1)
    text, _ = decode(_read_capped(path, label), label)
    try:
        raw = pl.read_csv(text.encode("utf-8"), separator=";", infer_schema=False)
    except pl.exceptions.PolarsError:
        raise ExportRejected([FUNDING_UNREADABLE.problem("plik CSV jest uszkodzony", file=label)]) from None
    names = [c.strip().lower() for c in raw.columns]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ExportRejected([FUNDING_REPEATED_COLUMN.problem(
            f"kolumna występuje w nagłówku więcej niż raz (po pominięciu spacji i wielkości liter): "
            f"{', '.join(safe_name(n) or '(nazwa ukryta)' for n in repeated)}", file=label)])
    raw = raw.rename(dict(zip(raw.columns, names, strict=True)))
    missing = [c for c in FUNDING_COLUMNS if c not in raw.columns]
    extra = [c for c in raw.columns if c not in FUNDING_COLUMNS]
    if missing or extra:
        raise ExportRejected([FUNDING_COLUMNS_WRONG.problem(f"oczekiwano kolumn {', '.join(FUNDING_COLUMNS)}", file=label)])
    raw = raw.select(FUNDING_COLUMNS)
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
        "kwota": pl.col("kwota").is_null() | ~pl.col("kwota").is_between(0, MAX_AMOUNT),
        "liczba_asystentow": pl.col("liczba_asystentow").is_null() | ~pl.col("liczba_asystentow").is_between(0, MAX_ASSISTANTS),
    }
    messages = {
        "jednostka": "oczekiwano 7-cyfrowego kodu TERYT (cyfry 0-9)", "rok": "oczekiwano roku",
        "zrodlo": "dozwolone źródła: " + ", ".join(FUNDING_SOURCES),
        "kwota": f"oczekiwano kwoty od 0 do {number(MAX_AMOUNT)} zł, np. 85 400,00 albo 85400.00",
        "liczba_asystentow": f"oczekiwano liczby od 0 do {number(MAX_ASSISTANTS)}",
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

