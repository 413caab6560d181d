"""How much an export may hold before it is rejected unread (docs/contract.md, "Limity").

A real export of a big city is about 50 MB of CSV; the limits leave ample room for that and stop
a crafted or broken file (a zip bomb, gigabytes of blank lines) before it costs memory or hours.
Sizes are decompressed bytes; the compression ratio is checked once a member has grown past
`ratio_floor` (a small file may compress very well without harm).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.problems import issue

MIB = 1 << 20


@dataclass(frozen=True)
class ReadLimits:
    """The reading limits of one call."""

    member_bytes: int = 512 * MIB  # one table file (decompressed)
    export_bytes: int = 1024 * MIB  # every table of one export together (decompressed; an .xlsx file as it is)
    ratio: int = 200  # decompressed / compressed size of a zip member
    ratio_floor: int = 16 * MIB  # the ratio is checked only past this many decompressed bytes
    blank_lines: int = 1000  # more blank lines than this, and more than data lines: the file is rejected
    # the used range of one xlsx sheet (the reader allocates it whole: XFD1048576 alone is 17 billion cells, 550 GB)
    sheet_columns: int = 256  # a contract table has about a dozen columns; 256 leaves room for unknown ones
    sheet_cells: int = 16_000_000  # rows x columns of the used range: a big city's work log is about 5 million


DEFAULT_LIMITS = ReadLimits()


@dataclass
class Budget:
    """What one export has used of its limits so far."""

    limits: ReadLimits = DEFAULT_LIMITS
    used: int = 0

SHRINK_SHARE = 0.1  # a `pełny` export may remove at most this share of a unit's current records
# checked by pipeline.warehouse.shrink against the warehouse; defined here with the other limits
TOO_MUCH_REMOVED = issue("STR-040", "eksport pełny usunąłby zbyt dużą część bieżących rekordów jednostki (--allow-shrink)")
