"""What the loaded exports cover: the one answer to "which units, days and years do we have data for".

Every command, figure and output asks this module (the guards, `run`, the trend, the charts, the annual
information, the notebooks, `compare`, the cohorts, `needs`, `statement`): no other module reads the load
log for coverage (a test holds that).

The rule (docs/contract.md, "Zakres danych"):

* The days a unit's exports cover are the union of `okres_od .. okres_do` of its loaded exports.  A full
  export (`zakres = pełny`) replaces what came before it (EXPORT_FORMAT.md: a record then counts only if
  that export, or a later one, holds it), so once one is loaded the unit's days are the latest full
  export's period and the periods of the exports dated after it.
* Records from before a unit's coverage still count where a definition needs them (an assistantship
  begun in 2022 is active in 2023 and its duration runs from 2022); only *periods* are bounded.
* A period with no covered day is never computed or shown: a usage error naming what is covered.
* A period only partly covered is computed, and every output states the covered days
  ("dane za 01.04.2012–31.12.2012"): a centre whose service began in April has its first year.
* For several units together, a period counts the units whose exports cover at least one of its days;
  the others are left out of every figure of that period (`scoped`), and the output says how many units
  were counted.
* The latest complete year is the latest year whose 31 December is covered; the date data are observed
  until (where ongoing things are censored) is the latest `data_eksportu`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb

from pipeline import grammar
from pipeline.sql import query

# The DuckDB session variable that the staging macros read: the units a computation for "all units" counts
# (NULL: every unit).  Set only through `scoped`.
SCOPE_VARIABLE = "asystenci_scope"

Days = tuple[date, date]  # first and last day, inclusive


def _pl_day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def days_text(days: Sequence[Days]) -> str:
    """'01.04.2012–31.12.2012' (several stretches joined by commas)."""
    return ", ".join(_pl_day(a) if a == b else f"{_pl_day(a)}–{_pl_day(b)}" for a, b in days)


def merge(spans: Sequence[Days]) -> tuple[Days, ...]:
    """Overlapping or touching stretches of days joined into one (sorted)."""
    out: list[list[date]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + timedelta(days=1):
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def clip(spans: Sequence[Days], d0: date, d1: date) -> tuple[Days, ...]:
    """The parts of the stretches inside d0..d1."""
    return tuple((max(a, d0), min(b, d1)) for a, b in spans if a <= d1 and b >= d0)


@dataclass(frozen=True)
class UnitCoverage:
    """One unit as the load log knows it: its name, exports, loads, and the days its exports cover."""

    code: str
    name: str
    first_export: date | None
    last_export: date | None
    loads: int
    rejected: int
    spans: tuple[Days, ...] = ()  # the covered days, merged (empty when no export was loaded)
    first_record: date | None = None  # the earliest start of any of its records (None: it has none)

    def may_touch(self, first: date, last: date) -> bool:
        """Whether its records can count in first..last although its exports do not cover it: its exports ended before
        the period (an assistantship left open goes on in every later year), or it has a record begun by its end."""
        ended_before = bool(self.spans) and self.spans[-1][1] < first
        return ended_before or (self.first_record is not None and self.first_record <= last)

    @property
    def observed_until(self) -> date | None:
        """The latest data_eksportu of its loaded exports: where ongoing things are censored."""
        return self.last_export if self.loads else None

    @property
    def years(self) -> list[int]:
        """The calendar years with at least one covered day."""
        return sorted({y for a, b in self.spans for y in range(a.year, b.year + 1)})

    @property
    def last_complete_year(self) -> int | None:
        """The latest year whose 31 December is covered (None: no year closed yet)."""
        closed = [y for y in self.years if self.days_in(date(y, 12, 31), date(y, 12, 31))]
        return max(closed) if closed else None

    def days_in(self, d0: date, d1: date) -> tuple[Days, ...]:
        """The covered days of d0..d1."""
        return clip(self.spans, d0, d1)

    def covers(self, day: date) -> bool:
        """Whether the exports cover that day."""
        return bool(self.days_in(day, day))

    def observes_start(self, day: date) -> bool:
        """Whether something begun on that day is seen from its start: the day is covered, or later than every
        covered day.  Begun before the first covered day (or in a gap), the exports hold it only if it was still
        going on when they begin, so a cohort of such starts would be made of survivors."""
        return self.covers(day) or (bool(self.spans) and day > self.spans[-1][1])


@dataclass(frozen=True)
class PeriodCoverage:
    """What the exports cover of one period: the units counted and the covered days (their union)."""

    first: date
    last: date
    unit: str | None  # the unit asked for (None: every unit)
    counted: tuple[str, ...]  # the units with a covered day in the period
    loaded: tuple[str, ...]  # the units asked for that have a loaded export
    days: tuple[Days, ...]  # the covered days of the period (of the counted units together)
    partial: tuple[str, ...] = ()  # the counted units that cover only some of its days
    left_out: tuple[str, ...] = ()  # the units not counted whose records could count in it (the figures leave them out)

    @property
    def empty(self) -> bool:
        return not self.counted

    @property
    def whole(self) -> bool:
        """Every day covered and every unit asked for counted."""
        return self.days == ((self.first, self.last),) and self.counted == self.loaded and not self.partial

    @property
    def scope(self) -> tuple[str, ...] | None:
        """The units a figure of the period counts when some loaded units cover a day of it and others do not (None:
        every unit).  A period no unit covers is refused by the guards before anything is computed; the engine then,
        as for one unit, counts the records it is given."""
        if self.unit is not None or not self.counted or not self.left_out:
            return None  # a unit that covers no day of the period and has no record in it changes no figure
        return tuple(u for u in self.loaded if u not in self.left_out)

    def note(self) -> str | None:
        """The Polish sentence an output prints beside a period that is not wholly covered (None: it is)."""
        parts = []
        if self.days and self.days != ((self.first, self.last),):
            parts.append(f"dane za {days_text(self.days)}")
        if self.counted != self.loaded:
            # "z 2 jednostek", "z 5 jednostek": the genitive plural after "z" (loaded > counted >= 1, so >= 2)
            parts.append(f"policzono {grammar.number(len(self.counted))} z {grammar.number(len(self.loaded))} jednostek "
                         "(eksporty pozostałych nie obejmują tego okresu)")
        if self.partial and len(self.counted) > 1:
            k = len(self.partial)
            parts.append(f"eksporty {grammar.number(k)} {grammar.form(k, 'jednostki', 'jednostek', 'jednostek')} "
                         f"obejmują tylko część okresu")
        return "; ".join(parts) if parts else None

    def as_json(self) -> dict[str, Any]:
        """The "coverage" object of the indicators JSON."""
        return {"days": [{"from": a.isoformat(), "to": b.isoformat()} for a, b in self.days],
                "whole": self.whole, "units_counted": len(self.counted), "units_loaded": len(self.loaded)}


class NotCovered(ValueError):
    """A period the loaded exports do not cover (the message is Polish and names what is covered)."""


@dataclass(frozen=True)
class Coverage:
    """What every loaded export of the warehouse covers, unit by unit."""

    units: tuple[UnitCoverage, ...] = field(default_factory=tuple)  # every unit named in the load log, by code

    def of(self, unit: str | None = None) -> list[UnitCoverage]:
        """The units with a loaded export (only `unit`, when given)."""
        return [u for u in self.units if u.loads and (unit is None or u.code == unit)]

    def unit(self, code: str) -> UnitCoverage | None:
        found = [u for u in self.units if u.code == code]
        return found[0] if found else None

    def years(self, unit: str | None = None) -> list[int]:
        """The years with a covered day (of the unit, or of any unit)."""
        return sorted({y for u in self.of(unit) for y in u.years})

    def last_complete_year(self, unit: str | None = None) -> int | None:
        """The latest year whose 31 December the exports (of the unit, or of any unit) cover."""
        years = [u.last_complete_year for u in self.of(unit) if u.last_complete_year is not None]
        return max(years) if years else None

    def observed_until(self, unit: str | None = None) -> date | None:
        """The latest data_eksportu of the unit's (or any unit's) loaded exports."""
        days = [u.observed_until for u in self.of(unit) if u.observed_until is not None]
        return max(days) if days else None

    def period(self, first: date, last: date, unit: str | None = None) -> PeriodCoverage:
        """What the exports of the unit (or of every unit) cover of first..last."""
        units = self.of(unit)
        counted: list[str] = []
        partial: list[str] = []
        left_out: list[str] = []
        days: list[Days] = []
        for u in units:
            found = u.days_in(first, last)
            if found:
                counted.append(u.code)
                days.extend(found)
                if found != ((first, last),):
                    partial.append(u.code)
            elif u.may_touch(first, last):
                left_out.append(u.code)
        return PeriodCoverage(first, last, unit, tuple(counted), tuple(u.code for u in units), merge(days),
                              tuple(partial), tuple(left_out))

    def covers(self, year: int, unit: str | None = None) -> bool:
        """Whether the year can stand beside another as a comparison: every unit asked for covers a day of it."""
        found = self.year(year, unit)
        return not found.empty and found.counted == found.loaded

    def year(self, year: int, unit: str | None = None) -> PeriodCoverage:
        return self.period(date(year, 1, 1), date(year, 12, 31), unit)

    def summary(self, unit: str | None = None) -> str:
        """'01.04.2012–31.12.2025' (the covered days of the unit, or of every unit together)."""
        return days_text(merge([d for u in self.of(unit) for d in u.spans])) or "—"

    def check(self, first: date, last: date, unit: str | None = None, what: str | None = None) -> PeriodCoverage:
        """The period's coverage; NotCovered when the exports cover none of its days (or none is loaded)."""
        if not self.of(unit):
            raise NotCovered("magazyn nie ma jeszcze żadnego wczytanego eksportu"
                             + (f" jednostki {unit}" if unit else "") + " (python -m pipeline ingest ...)")
        found = self.period(first, last, unit)
        if found.empty:
            asked = what or (str(first.year) if (first, last) == (date(first.year, 1, 1), date(first.year, 12, 31))
                             else days_text(((first, last),)))
            raise self._outside(unit, asked, "okres", "go")
        return found

    def _outside(self, unit: str | None, asked: str, choose: str, pronoun: str) -> NotCovered:
        """The refusal of what lies outside the covered years: what is covered, what was asked, what to do."""
        whose = f"jednostki {unit}" if unit else "wczytanych jednostek"
        return NotCovered(f"eksporty {whose} obejmują {years_phrase(self.years(unit))}; poza nimi: {asked} "
                          f"(dni objęte eksportami: {self.summary(unit)}). Wybierz {choose} z tego zakresu "
                          f"albo wczytaj eksport, który {pronoun} obejmuje")

    def check_years(self, years: Sequence[int], unit: str | None = None) -> dict[int, PeriodCoverage]:
        """Each year's coverage; NotCovered naming every year with no covered day."""
        if not self.of(unit):
            self.check(date(2000, 1, 1), date(2000, 1, 1), unit)
        outside = sorted({y for y in years if self.year(y, unit).empty})
        if outside:
            listed = ", ".join(map(str, outside[:10])) + (" ..." if len(outside) > 10 else "")
            raise self._outside(unit, listed, "lata", "je")
        return {y: self.year(y, unit) for y in years}

    def notes(self, years: Sequence[int], unit: str | None = None) -> dict[int, str]:
        """The years of `years` not wholly covered, each with its note."""
        found = {y: self.year(y, unit).note() for y in years}
        return {y: n for y, n in found.items() if n}


def years_phrase(years: Sequence[int]) -> str:
    """'lata 2012-2025', 'rok 2023' (what the exports cover, after "obejmują")."""
    return f"rok {years[0]}" if len(years) == 1 else f"lata {year_span(years)}"


def year_span(years: Sequence[int]) -> str:
    """'2012-2025', '2023', '2012-2019, 2021-2025' (gaps shown)."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs) or "—"


# The load log per unit, and each loaded export's period with the unit's latest full export beside it.
_UNITS_SQL = """
SELECT jednostka AS code,
       coalesce(arg_max(nazwa_jednostki, data_eksportu) FILTER (WHERE outcome = 'loaded'),
                arg_max(nazwa_jednostki, data_eksportu)) AS name,
       min(data_eksportu) FILTER (WHERE outcome = 'loaded') AS first_export,
       max(data_eksportu) FILTER (WHERE outcome = 'loaded') AS last_export,
       count(*) FILTER (WHERE outcome = 'loaded') AS loads,
       count(*) FILTER (WHERE outcome = 'rejected') AS rejected
FROM raw.loads
WHERE jednostka IS NOT NULL
GROUP BY jednostka
ORDER BY jednostka
"""
_SPANS_SQL = """
WITH loaded AS (
    SELECT load_id, jednostka, data_eksportu, okres_od, okres_do, zakres FROM raw.loads
    WHERE outcome = 'loaded' AND jednostka IS NOT NULL AND okres_od IS NOT NULL AND okres_do IS NOT NULL
),
latest_full AS (
    SELECT jednostka, load_id AS full_load, data_eksportu AS full_date FROM loaded WHERE zakres = 'pełny'
    QUALIFY row_number() OVER (PARTITION BY jednostka ORDER BY data_eksportu DESC, load_id DESC) = 1
)
SELECT l.jednostka, l.okres_od, l.okres_do
FROM loaded AS l LEFT JOIN latest_full AS f USING (jednostka)
WHERE f.full_load IS NULL OR l.load_id = f.full_load OR l.data_eksportu > f.full_date
ORDER BY 1, 2
"""


# The staging macro of the date each unit is observed until (its latest data_eksportu), installed with the others
# (indicators/sql/staging/macros.sql) so that figures censor ongoing things where the coverage says.
OBSERVED_UNTIL_MACRO = """CREATE OR REPLACE TEMP MACRO stg_observed_until() AS TABLE
    SELECT jednostka, max(data_eksportu) AS observed_until FROM raw.loads WHERE outcome = 'loaded' GROUP BY jednostka"""


_SIGNATURE_SQL = "SELECT count(*), max(load_id), CAST(max(loaded_at) AS VARCHAR) FROM raw.loads"
_CACHE: dict[tuple, Coverage] = {}
_CACHE_SIZE = 8


def read(con: duckdb.DuckDBPyConnection) -> Coverage:
    """What the warehouse's loaded exports cover.  Figures ask for every period they compute, so the answer is kept
    for the warehouse file and the state of its load log (a new load, or a rolled-back one, is another state)."""
    files = con.execute("SELECT file FROM pragma_database_list WHERE name = current_database()").fetchall()
    key = (files[0][0] if files else None, *con.execute(_SIGNATURE_SQL).fetchall()[0])
    if key[0] and key in _CACHE:
        return _CACHE[key]
    found = _read(con)
    if key[0]:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = found
    return found


# The earliest start of each unit's records that count by their own dates, in the current state: a unit whose exports
# do not cover a period and whose records all begin after it changes none of its figures, so "all units" need not
# leave it out (one series statement).  Placements, children and problems count only on days of an active episode,
# so the episodes' starts stand for them; assessments are in no figure.
_FIRST_RECORD_SQL = " UNION ALL ".join(
    f"SELECT jednostka, min({column}) AS d FROM core.{table} GROUP BY 1" for table, column in (
        ("asystenci", "data_zatrudnienia"), ("asystentury", "data_rozpoczecia"), ("przydzialy", "data_od"),
        ("dzialania", "data"), ("projekty", "data_od")))


def _read(con: duckdb.DuckDBPyConnection) -> Coverage:
    spans: dict[str, list[Days]] = {}
    for code, a, b in con.execute(_SPANS_SQL).fetchall():
        spans.setdefault(code, []).append((a, b))
    first = dict(con.execute(f"SELECT jednostka, min(d) FROM ({_FIRST_RECORD_SQL}) GROUP BY 1").fetchall())
    units = tuple(UnitCoverage(**row, spans=merge(spans.get(row["code"], [])), first_record=first.get(row["code"]))
                  for row in query(con, _UNITS_SQL).iter_rows(named=True))
    return Coverage(units)


@contextmanager
def scoped(con: duckdb.DuckDBPyConnection, units: Sequence[str] | None) -> Iterator[None]:
    """Within the block, a computation for "all units" on this connection counts only `units` (None: every unit):
    the staging macros read the session variable.  The previous scope is restored afterwards."""
    before = con.execute(f"SELECT getvariable('{SCOPE_VARIABLE}')").fetchall()[0][0]
    _set(con, units)
    try:
        yield
    finally:
        _set(con, before)


def _set(con: duckdb.DuckDBPyConnection, units: Sequence[str] | None) -> None:
    if units is None:
        con.execute(f"RESET VARIABLE {SCOPE_VARIABLE}")
    else:
        con.execute(f"SET VARIABLE {SCOPE_VARIABLE} = $units::VARCHAR[]", {"units": list(units)})


def unit_names(con: duckdb.DuckDBPyConnection, unit: str | None, counted: Sequence[str] | None = None) -> list[str]:
    """The names (from their latest export) of the unit, or of every loaded unit (or of those `counted`)."""
    return [u.name for u in read(con).of(unit) if counted is None or u.code in counted]


def unit_name(con: duckdb.DuckDBPyConnection, unit: str | None, counted: Sequence[str] | None = None) -> str:
    """The unit's name, or "łącznie 2 ośrodki pomocy społecznej" for several units (those `counted`, when given)."""
    names = unit_names(con, unit, counted)
    if len(names) == 1:
        return names[0]
    return f"łącznie {grammar.count(len(names), 'ośrodek')} pomocy społecznej"
