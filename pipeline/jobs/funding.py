"""Load the analyst's funding file (`finansowanie.csv`): read and check it, then replace the units' rows."""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.grammar import count
from pipeline.problems import ExportRejected
from pipeline.read.funding import read_funding
from pipeline.warehouse.connection import open_for_writing
from pipeline.warehouse.funding import load_funding


def load_funding_file(db: Path, path: Path) -> bool:
    """Check and load finansowanie.csv; print what happened; False when it was rejected."""
    try:
        frame = read_funding(path)
    except ExportRejected as e:
        print(f"rejected        {path.name}: plik finansowania odrzucony, magazyn bez zmian", file=sys.stderr)
        for p in e.problems:
            print(f"    - {p.describe()}", file=sys.stderr)
        return False
    con = open_for_writing(db)
    try:
        print(f"loaded          {path.name}: finansowanie, {count(load_funding(con, frame), 'wiersz')}")
    finally:
        con.close()
    return True
