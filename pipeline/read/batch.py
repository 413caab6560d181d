"""The batch tags and how a batch is stacked: one table of many exports in one frame, and back.

Two column names travel with every row through reading and checking, and are owned here:
`_export` (the export's index in its batch) and `_row` (the row's spreadsheet-style number in its
file, header = 1, kept for messages).

Polars has a fixed cost per query (about half a millisecond here); paid for
every file and every step it dominated reading at national scale.  Stacked,
each vectorised step runs once per table for a whole batch of exports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl

EXPORT = "_export"  # the export's index in its batch
ROW = "_row"  # the row's number in its file (the header is row 1)


def stack(parts: Sequence[tuple[int, pl.DataFrame]]) -> pl.DataFrame:
    """Concatenate (index, frame) parts (columns matched by name) and add `_export`."""
    frames = [frame for _, frame in parts]
    data = pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()
    tags = np.repeat(np.array([i for i, _ in parts], dtype=np.int64), [frame.height for frame in frames])
    return data.hstack([pl.Series(EXPORT, tags, dtype=pl.Int64)])


def split(stacked: pl.DataFrame, indexes: Iterable[int]) -> dict[int, pl.DataFrame]:
    """One frame per export index (without `_export`); an export with no rows gets an empty frame."""
    parts = stacked.partition_by(EXPORT, as_dict=True, maintain_order=True, include_key=False)
    empty = stacked.clear().drop(EXPORT)
    return {i: parts.get((i,), empty) for i in indexes}


def rows_by_export(stacked: pl.DataFrame, mask: pl.Expr, row: str = ROW) -> dict[int, list[int]]:
    """The row numbers where `mask` holds, per export (meant for rare hits: the grouping is in Python)."""
    found: dict[int, list[int]] = defaultdict(list)
    for export, number in stacked.filter(mask).select(EXPORT, row).iter_rows():
        found[export].append(number)
    return dict(found)



def first_rows_by_export(stacked: pl.DataFrame, mask: pl.Expr, limit: int, row: str = ROW) -> dict[int, tuple[list[int], int]]:
    """Per export, the first `limit` row numbers where `mask` holds and how many rows it holds in (exact);
    a million failing rows cost a count, not a million-item list."""
    grouped = (stacked.filter(mask).group_by(EXPORT, maintain_order=True)
               .agg(pl.col(row).head(limit).alias("rows"), pl.len().alias("count")))
    return {export: (rows, count) for export, rows, count in grouped.iter_rows()}
