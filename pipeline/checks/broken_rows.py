"""Exports too broken to check rule by rule: thousands of rows without their required values.

Great Expectations lists every failing row of every rule; a small file of a million junk lines
(each a row with only its first cell) would make it hold millions of row numbers for each
"brak wymaganej wartości" rule.  Such an export is rejected before the rules run, with the exact
count and the first rows counted by polars, and the message says the rules were not checked.
"""

from __future__ import annotations

import polars as pl

from pipeline.contract import TABLES
from pipeline.grammar import count
from pipeline.problems import Problem, issue
from pipeline.read.batch import ROW
from pipeline.read.export import ExportData

MAX_BROKEN_ROWS = 10_000  # rows of one table with a required value missing or unreadable
TOO_BROKEN = issue("STR-017", "tabela ma tysiące wierszy bez wymaganych wartości: reguł eksportu nie sprawdzono")


def too_broken(data: ExportData, limit: int = MAX_BROKEN_ROWS) -> list[Problem]:
    """A problem for each table of the export with more than `limit` rows whose required value is missing or unreadable."""
    problems = []
    for name, frame in data.tables.items():
        spec = TABLES.get(name)
        if spec is None or frame.height <= limit:
            continue
        required = [c.name for c in spec.columns if c.required]
        broken = frame.select(ROW, pl.any_horizontal(pl.col(c).is_null() for c in required).alias("_broken")).filter("_broken")
        if broken.height > limit:
            rows = broken[ROW].head(10).to_list()
            problems.append(TOO_BROKEN.problem(
                f"{count(broken.height, 'wiersz')} bez wymaganej wartości (pustej albo nieczytelnej) — to nie wygląda na "
                f"tabelę {name}; reguł eksportu nie sprawdzono (popraw plik i sprawdź eksport ponownie)",
                file=data.labels.get(name, name), table=name, rows=rows, count=broken.height))
    return problems
