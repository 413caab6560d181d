"""Load the analyst's funding file (`finansowanie.csv`): read and check it, then replace the units' rows.

Prints what was loaded, per year and source, and where the programme's evaluation is (docs/funding.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

from pipeline.contract import FUNDING_SOURCES
from pipeline.grammar import count, form
from pipeline.jobs.status import status
from pipeline.outputs.formats import MISSING, money
from pipeline.problems import ExportRejected
from pipeline.read.funding import read_funding
from pipeline.read.personal import shown_name
from pipeline.warehouse.connection import open_for_writing
from pipeline.warehouse.funding import load_funding

EVALUATION = ("ewaluacja programu: notatnik notebooks/04_ewaluacja_programu.py; python -m pipeline notebooks "
              "(albo run) zapisuje go jako <folder>/04_ewaluacja_programu.html z tabelą kosztów "
              "<folder>/ewaluacja_programu_RRRR.xlsx (RRRR: rok informacji; domyślnie reports/notebooks/)")


def funding_summary(frame: pl.DataFrame) -> list[str]:
    """One line per year: the amount from each source (all units of the file together) and the total."""
    by_year = frame.group_by("rok", "zrodlo").agg(pl.col("kwota").sum()).sort("rok")
    width = max(len(s) for s in FUNDING_SOURCES)
    lines = [f"    {'rok':<6}" + "".join(f"{s:>{width + 2}}" for s in FUNDING_SOURCES) + f"{'razem':>{width + 2}}"]
    for (year,), part in by_year.group_by("rok", maintain_order=True):
        amounts = dict(zip(part["zrodlo"], part["kwota"], strict=True))
        cells = [money(amounts[s]) if s in amounts else MISSING for s in FUNDING_SOURCES]
        lines.append(f"    {year:<6}" + "".join(f"{c:>{width + 2}}" for c in cells)
                     + f"{money(sum(amounts.values())):>{width + 2}}")
    return lines


def load_funding_file(db: Path, path: Path, hint: str | None = EVALUATION) -> bool:
    """Check and load finansowanie.csv; print what happened (and `hint`: where the evaluation is; `run` names the files
    it writes itself); False when it was rejected."""
    name = shown_name(path.name, "plik", 1)
    try:
        frame = read_funding(path)
    except ExportRejected as e:
        print(f"{status('rejected')}{name}: plik finansowania odrzucony, magazyn bez zmian (opis pliku: docs/funding.md)",
              file=sys.stderr)
        for p in e.problems:
            print(f"    - {p.describe()}", file=sys.stderr)
        return False
    con = open_for_writing(db)
    try:
        loaded = load_funding(con, frame)
    finally:
        con.close()
    units = frame["jednostka"].n_unique()
    print(f"{status('loaded')}{name}: finansowanie, {count(loaded, 'wiersz')}"
          + (f" ({units} {form(units, 'jednostka', 'jednostki', 'jednostek')})" if units > 1 else ""))
    for line in funding_summary(frame):
        print(line)
    if hint:
        print(hint)
    return True
