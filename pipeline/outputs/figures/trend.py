"""The indicators by year as a table for people: an Excel workbook or a CSV for Polish Excel.

One row per year, one column per indicator under its Polish label (the registry's), closures by
reason and families by problem as extra columns (`zakończone: …`, `problem: …`, as the printed trend); the workbook has a second sheet
`definicje` (label, key, definition).  The JSON of `indicators --format json` stays the machine format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from pipeline.indicators import registry
from pipeline.outputs.spreadsheets import Column, Sheet, write_csv, write_workbook

TREND_SHEET = "wskaźniki"
DEFINITIONS_SHEET = "definicje"
REASON_PREFIX = "closed: "  # registry.trend_frame's column for one closure reason
EMPTY_NOTE = ("Puste pole: wartość nie istnieje (mediana czasu trwania, gdy w roku nie zakończono żadnej "
              "asystentury).")


def trend_columns() -> list[Column]:
    """The trend table's columns: year, every indicator, closures by reason, each breakdown's categories (families by
    problem: `problem: ubóstwo`, the column registry.trend_frame names so)."""
    columns = [Column("year", "rok", "year", width=8)]
    columns += [Column(i.key, i.label, "decimal" if i.decimals else "count", width=18) for i in registry.INDICATORS]
    columns += [Column(f"{REASON_PREFIX}{r}", f"zakończone: {r}", "count", width=18) for r in registry.CLOSURE_REASONS]
    columns += [Column(f"{b.column}: {c}", f"{b.column}: {c}", "count", width=18)
                for b in registry.BREAKDOWNS for c in b.categories]
    return columns


def definitions_frame() -> pl.DataFrame:
    """Label, key and Polish definition of every column of the trend table."""
    rows = [{"label": "rok", "key": "year", "definition": "rok kalendarzowy (1 stycznia - 31 grudnia)"}]
    rows += [{"label": i.label, "key": i.key, "definition": i.definicja} for i in registry.INDICATORS]
    rows += [{"label": f"zakończone: {r}", "key": f"{registry.CLOSED_BY_REASON}:{r}",
              "definition": f"rodziny, z którymi zakończono asystenturę w okresie z przyczyny „{r}” (rodzina z dwiema "
                            "asystenturami zakończonymi z dwóch przyczyn liczy się przy każdej)"}
             for r in registry.CLOSURE_REASONS]
    rows += [{"label": f"{b.column}: {c}", "key": f"{b.key}:{c}", "definition": f"{b.label}, kategoria „{c}”: {b.definicja}"}
             for b in registry.BREAKDOWNS for c in b.categories]
    return pl.DataFrame(rows)


DEFINITION_COLUMNS = (Column("label", "wskaźnik", "text", width=50), Column("key", "klucz", "text", width=36),
                      Column("definition", "definicja", "text", width=100))


def write_trend(path: Path, values_by_year: dict[int, dict[str, Any]], coverage_notes: dict[int, str] | None = None) -> Path:
    """Write the years' indicators to `path`: .xlsx (with the `definicje` sheet) or .csv (`;`, decimal comma, BOM).

    `coverage_notes`: the years the exports do not wholly cover, each with its note (the workbook prints them under
    the table; the CSV stays one row per year for scripts)."""
    frame = registry.trend_frame(values_by_year)
    columns = trend_columns()
    if path.suffix.lower() == ".xlsx":
        notes = [EMPTY_NOTE] if any(frame[c.key].null_count() for c in columns) else []
        notes += [f"Rok {y}: {note}." for y, note in sorted((coverage_notes or {}).items())]
        return write_workbook(path, [Sheet(TREND_SHEET, frame, columns, notes),
                                     Sheet(DEFINITIONS_SHEET, definitions_frame(), DEFINITION_COLUMNS)])
    return write_csv(path, frame, columns)
