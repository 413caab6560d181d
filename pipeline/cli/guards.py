"""Guards against confident wrong output: a unit or a year the warehouse does not hold is a usage error.

Without them `--unit 9999999` or `--year 2030` would print a plausible table of zeros.  These
guards ask what the warehouse holds (the load log); the shape of an argument (a 7-digit code, a
year in range, a writable path) is checked before, when the command line is read.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import duckdb

from pipeline.cli.errors import UsageError
from pipeline.warehouse.units import LoadedUnit, covered_years, loaded_units

LISTED_UNITS = 20  # a national warehouse holds thousands: the message names the first ones


def ordered_range(first: int, last: int) -> list[int]:
    """The years first..last; a reversed range is an error (it would print nothing and exit 0)."""
    if first > last:
        raise ValueError(f"początek zakresu lat ({first}) jest późniejszy niż koniec ({last}); np. {last}-{first}")
    return list(range(first, last + 1))


def _listing(units: list[LoadedUnit]) -> str:
    shown = ", ".join(f"{u.code} ({u.name})" for u in units[:LISTED_UNITS])
    more = f" i {len(units) - LISTED_UNITS} innych (pełna lista: python -m pipeline units)" if len(units) > LISTED_UNITS else ""
    return shown + more


def resolve_unit(con: duckdb.DuckDBPyConnection, unit: str | None) -> str | None:
    """The loaded unit meant by `unit` (None: all units); a UsageError naming the loaded units otherwise.

    A 6-digit code that is a loaded unit's code once its leading zero is restored (Excel drops it from
    a TERYT code such as 0201042) is accepted, with a note on stderr."""
    if unit is None:
        return None
    units = [u for u in loaded_units(con) if u.loads]
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


def _span(years: range) -> str:
    return str(years.start) if len(years) == 1 else f"{years.start}-{years.stop - 1}"


def check_years(con: duckdb.DuckDBPyConnection, years: Iterable[int], unit: str | None) -> None:
    """A UsageError when a year lies outside the years the loaded exports (of the unit, or of all) cover."""
    units = [u for u in loaded_units(con) if u.loads and (unit is None or u.code == unit)]
    covered = covered_years(units)
    if not covered:
        raise UsageError("magazyn nie ma jeszcze żadnego wczytanego eksportu (python -m pipeline ingest ...)")
    outside = sorted({y for y in years if y not in covered})
    if outside:
        whose = f"jednostki {unit}" if unit else "wczytanych jednostek"
        listed = ", ".join(map(str, outside[:10])) + (" ..." if len(outside) > 10 else "")
        raise UsageError(f"eksporty {whose} obejmują lata {_span(covered)}; poza nimi: {listed}")
