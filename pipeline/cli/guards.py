"""Guards against confident wrong output: a unit, a year or a period the loaded exports do not cover is a usage error.

Without them `--unit 9999999` or `--year 2030` would print a plausible table of zeros, and a year before a
centre's first export a figure made only of the assistantships that were still going on later.  Every command
asks the same two questions here, answered by the coverage module (`pipeline/warehouse/coverage.py`); the shape
of an argument (a 7-digit code, a year in range, a writable path) is checked before, when the command line is read.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import date

import duckdb

from pipeline.cli.errors import UsageError
from pipeline.indicators.periods import Period
from pipeline.warehouse import coverage
from pipeline.warehouse.coverage import NotCovered, PeriodCoverage, UnitCoverage

LISTED_UNITS = 20  # a national warehouse holds thousands: the message names the first ones


def ordered_range(first: int, last: int) -> list[int]:
    """The years first..last; a reversed range is an error (it would print nothing and exit 0)."""
    if first > last:
        raise ValueError(f"początek zakresu lat ({first}) jest późniejszy niż koniec ({last}); np. {last}-{first}")
    return list(range(first, last + 1))


def _listing(units: list[UnitCoverage]) -> str:
    shown = ", ".join(f"{u.code} ({u.name})" for u in units[:LISTED_UNITS])
    more = f" i {len(units) - LISTED_UNITS} innych (pełna lista: python -m pipeline units)" if len(units) > LISTED_UNITS else ""
    return shown + more


def resolve_unit(con: duckdb.DuckDBPyConnection, unit: str | None) -> str | None:
    """The loaded unit meant by `unit` (None: all units); a UsageError naming the loaded units otherwise.

    A 6-digit code that is a loaded unit's code once its leading zero is restored (Excel drops it from
    a TERYT code such as 0201042) is accepted, with a note on stderr."""
    if unit is None:
        return None
    units = coverage.read(con).of()
    codes = {u.code for u in units}
    code = unit.strip()
    if code in codes:
        return code
    if len(code) == 6 and code.isdigit() and "0" + code in codes:
        print(f"uwaga: przyjęto jednostkę 0{code} (kod {code} bez wiodącego zera, jak zapisuje go Excel)", file=sys.stderr)
        return "0" + code
    if not units:
        raise UsageError(f"nie ma w magazynie jednostki {code}: magazyn nie ma jeszcze żadnego wczytanego eksportu")
    raise UsageError(f"nie ma w magazynie jednostki {code}; wczytane jednostki: {_listing(units)}")


def check_years(con: duckdb.DuckDBPyConnection, years: Iterable[int], unit: str | None) -> dict[int, PeriodCoverage]:
    """Each year's coverage; a UsageError when a year has no day the loaded exports (of the unit, or of all) cover."""
    try:
        return coverage.read(con).check_years(list(years), unit)
    except NotCovered as e:
        raise UsageError(str(e)) from None


def check_period(con: duckdb.DuckDBPyConnection, period: Period | int, unit: str | None) -> PeriodCoverage:
    """The period's coverage; a UsageError when the loaded exports (of the unit, or of all) cover none of its days."""
    first, last = (date(period, 1, 1), date(period, 12, 31)) if isinstance(period, int) else (period.start, period.end)
    try:
        return coverage.read(con).check(first, last, unit, None if isinstance(period, int) else period.name)
    except NotCovered as e:
        raise UsageError(str(e)) from None
