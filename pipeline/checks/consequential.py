"""Findings that would only echo a type error: the rows of a warning rule whose inputs failed their type.

A date that could not be read is null for the rules, and a null end date means "still open": one
unread `data_do` of an assignment makes its assistant look as if he had more families at once than
the law allows (ASY-011), one unread `data_oceny` makes an episode look unassessed (EPI-023).  Such
a finding says nothing about the data, only about the date that was not read, and an analyst may
believe it.  So a warning's row is not reported when a cell it reads failed its type — in its own
row, or in the rows of other tables its context columns are computed from (`checks/context.py`) —
and the type error's message says how many findings were left out because of it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

import polars as pl

from pipeline.grammar import count
from pipeline.problems import Problem
from pipeline.read.batch import ROW
from pipeline.read.coerce import TYPE_ERRORS
from pipeline.read.export import ExportData

Hop = tuple[str, str, str]  # (id column of the rows found, next table, its column holding the same id)


@dataclass(frozen=True)
class Input:
    """Cells a warning rule reads: `columns` of `table`, reaching the rule's rows through `hops` (none: the same row)."""

    table: str
    columns: tuple[str, ...]
    hops: tuple[Hop, ...] = ()


_TO_ASSISTANT: Hop = ("id_asystenta", "asystenci", "id_asystenta")
_TO_EPISODE: Hop = ("id_asystentury", "asystentury", "id_asystentury")

# Every warning rule whose check reads dates (its own, or those of its context columns in `checks/context.py`).
INPUTS: dict[str, tuple[Input, ...]] = {
    # the caseload sweep: assignments' data_od/data_do, or their episode's end when data_do is empty
    "ASY-011": (Input("przydzialy", ("data_od", "data_do"), (_TO_ASSISTANT,)),
                Input("asystentury", ("data_zakonczenia",),
                      (("id_asystentury", "przydzialy", "id_asystentury"), _TO_ASSISTANT))),
    "EPI-021": (Input("asystentury", ("data_zakonczenia", "data_zakonczenia_monitoringu")),),
    # the last assessment, or the episode's start when there is none
    "EPI-023": (Input("asystentury", ("data_rozpoczecia", "data_zakonczenia")),
                Input("oceny", ("data_oceny",), (_TO_EPISODE,))),
}

Cause = tuple[str, str]  # (table, column) of the cells that failed their type


class Consequences:
    """For one export: which rows of each warning rule read a cell that failed its type, by the column that failed.

    Only columns with a type problem are looked at, so an export without any costs nothing."""

    def __init__(self, data: ExportData) -> None:
        self._data = data
        type_codes = {code.code for code in TYPE_ERRORS.values()}
        self._mistyped: set[Cause] = {(p.table, p.column) for p in data.problems
                                      if p.code in type_codes and p.table and p.column}
        self.left_out: dict[Cause, dict[str, int]] = defaultdict(lambda: defaultdict(int))  # cause -> code -> rows

    def _rows(self, source: Input, column: str) -> set[int]:
        """The rows of the rule's table reached from the rows of `source` whose `column` failed its type."""
        failed = self._data.failed.get(source.table)
        typed = self._data.tables.get(source.table)
        if failed is None or typed is None or column not in failed.columns:
            return set()
        found = typed.join(failed.select(ROW, pl.col(column).alias("_failed")), on=ROW, how="inner").filter("_failed")
        for id_column, table, column_there in source.hops:
            ids = found[id_column].drop_nulls().unique()
            target = self._data.tables.get(table)
            if target is None:
                return set()
            found = target.filter(pl.col(column_there).is_in(ids.implode()))
        return set(found[ROW].to_list())

    def tainted(self, code: str) -> dict[Cause, set[int]]:
        """The rows of rule `code` whose inputs failed their type, per failed column (empty for most rules and exports)."""
        out: dict[Cause, set[int]] = {}
        for source in INPUTS.get(code, ()):
            for column in source.columns:
                if (source.table, column) in self._mistyped:
                    rows = self._rows(source, column)
                    if rows:
                        out[(source.table, column)] = rows
        return out

    def drop(self, code: str, rows: list[int]) -> list[int]:
        """The failing rows of warning `code` that do not depend on an unread cell; the others are counted as left out."""
        tainted = self.tainted(code)
        if not tainted or not rows:
            return rows
        for cause, bad in tainted.items():
            hit = len(bad.intersection(rows))
            if hit:
                self.left_out[cause][code] += hit
        every = set().union(*tainted.values())
        return [r for r in rows if r not in every]

    def annotate(self, problems: list[Problem]) -> list[Problem]:
        """The problems with each type error's message saying how many findings were left out because of it."""
        if not self.left_out:
            return problems
        out = []
        for p in problems:
            codes = self.left_out.get((p.table or "", p.column or ""))
            if codes and p.code in {c.code for c in TYPE_ERRORS.values()}:
                n = sum(codes.values())
                p = replace(p, message=f"{p.message}; przez te komórki pominięto {count(n, 'ustalenie')} "
                                       f"({', '.join(sorted(codes))}), które wynikałyby tylko z nieodczytanych wartości")
            out.append(p)
        return out
