"""A reporting period: a year, a half-year, a quarter or explicit dates, first and last day inclusive.

`parse_period` reads what the command line accepts (`2024`, `2024-H1`, `2024-H2`, `2024-Q1` ..
`2024-Q4`, `2024-01-01..2024-06-30`) and says in Polish what is wrong with anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta


class PeriodError(ValueError):
    """A period the command line cannot read (the message is Polish, for the user)."""


@dataclass(frozen=True)
class Period:
    """The days d0 .. d1, both inclusive, with the name it was given (`2024-H1`)."""

    start: date
    end: date
    name: str

    @property
    def is_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31) \
            and self.start.year == self.end.year

    @property
    def year(self) -> int | None:
        """The calendar year when the period is one, else None."""
        return self.start.year if self.is_year else None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_json(self) -> dict[str, str]:
        """`{"from": "2024-01-01", "to": "2024-06-30"}` as CLI.md's JSON carries it."""
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    def polish(self) -> str:
        """How a Polish statement names the period: `II półrocze 2024 (01.07.2024–31.12.2024)`, `III kwartał 2024 (…)`,
        `rok 2024 (…)`, or the days alone (`01.02.2024–15.03.2024`)."""
        span = f"{self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"
        named = re.fullmatch(r"(\d{4})-([HQ])([1-4])", self.name)
        if named:
            kind = "półrocze" if named.group(2) == "H" else "kwartał"
            return f"{_ROMAN[int(named.group(3))]} {kind} {named.group(1)} ({span})"
        return f"rok {self.name} ({span})" if self.is_year and self.name.isdigit() else span


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def year_period(year: int) -> Period:
    """The year as the period 1 January .. 31 December."""
    return Period(date(year, 1, 1), date(year, 12, 31), str(year))


def half_year(year: int, half: int) -> Period:
    start, end = (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))
    return Period(start, end, f"{year}-H{half}")


def quarter(year: int, q: int) -> Period:
    start = date(year, 3 * q - 2, 1)
    end = date(year + 1, 1, 1) - timedelta(days=1) if q == 4 else date(year, 3 * q + 1, 1) - timedelta(days=1)
    return Period(start, end, f"{year}-Q{q}")


_FORMS = "rok (2024), półrocze (2024-H1, 2024-H2), kwartał (2024-Q1 … 2024-Q4) albo daty (2024-01-01..2024-06-30)"
_YEAR = r"(\d{4})"


def _year(text: str) -> int:
    year = int(text)
    if not 1900 <= year <= 2999:
        raise PeriodError(f"rok {year} jest poza zakresem 1900–2999")
    return year


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"„{text}” nie jest prawdziwą datą w postaci RRRR-MM-DD") from None


def parse_period(text: str) -> Period:
    """The period a text names; PeriodError (Polish) for anything else."""
    t = text.strip()
    if m := re.fullmatch(_YEAR, t):
        return year_period(_year(m.group(1)))
    if m := re.fullmatch(_YEAR + r"-[Hh](\d)", t):
        if m.group(2) not in ("1", "2"):
            raise PeriodError(f"półrocze „{t}”: jest H1 albo H2")
        return half_year(_year(m.group(1)), int(m.group(2)))
    if m := re.fullmatch(_YEAR + r"-[Qq](\d)", t):
        if m.group(2) not in ("1", "2", "3", "4"):
            raise PeriodError(f"kwartał „{t}”: jest Q1, Q2, Q3 albo Q4")
        return quarter(_year(m.group(1)), int(m.group(2)))
    if ".." in t:
        first, _, last = t.partition("..")
        start, end = _date(first.strip()), _date(last.strip())
        _year(str(start.year)), _year(str(end.year))
        if start > end:
            raise PeriodError(f"okres {t}: pierwszy dzień jest po ostatnim")
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
    raise PeriodError(f"nie rozumiem okresu „{t}”; podaj {_FORMS}")
