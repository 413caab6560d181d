"""How a figure looks, the same everywhere: report, notebooks, workbooks, CSV for people.

Polish conventions: a non-breaking space between thousands (`3 572`), a decimal comma (`2,2`),
percentages with `%` (`45,5%`), money with two decimals and `zł` (`123 032,28 zł`), dates as
`31.12.2024`, years without a separator (`2024`), Tak/Nie for yes/no, and `—` for a value that
does not exist (an empty rate, a median of nothing).  `EXCEL_FORMATS` gives the same look to a
workbook cell (Excel puts the locale's separators in `#,##0`).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any, Literal

from pipeline.grammar import number

Kind = Literal["count", "decimal", "percent", "change", "money", "date", "year", "text", "bool"]  # change: a signed percent
MISSING = "—"

EXCEL_FORMATS: dict[str, str] = {
    "count": "#,##0",
    "decimal": "#,##0.0",
    "percent": "0.0%",
    "change": '+0.0%;"−"0.0%;0.0%',
    "money": '#,##0.00 "zł"',
    "date": "dd.mm.yyyy",
    "year": "0",
}


def is_missing(value: Any) -> bool:
    """None, NaN and infinities are not values a person can read."""
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def count(value: int | float | None) -> str:
    """`3 572`."""
    return MISSING if is_missing(value) else number(round(value))


def decimal(value: float | None, decimals: int = 1) -> str:
    """`2,2`."""
    return MISSING if is_missing(value) else number(value, decimals)


def percent(share: float | None, decimals: int = 1) -> str:
    """A share 0..1 as `45,5%`."""
    return MISSING if is_missing(share) else f"{number(share * 100, decimals)}%"


def change(share: float | None, decimals: int = 1) -> str:
    """A relative change 0..1 with its sign: `+5,0%`, `−12,5%`, `0,0%`."""
    if is_missing(share):
        return MISSING
    sign = "+" if round(share * 100, decimals) > 0 else "−" if round(share * 100, decimals) < 0 else ""
    return sign + percent(abs(share), decimals)


def money(value: float | None) -> str:
    """`123 032,28 zł`."""
    return MISSING if is_missing(value) else f"{number(value, 2)}\u00a0zł"


def day(value: date | datetime | None) -> str:
    """`31.12.2024`."""
    return MISSING if value is None else value.strftime("%d.%m.%Y")


def yes_no(value: bool | None) -> str:
    return MISSING if value is None else ("Tak" if value else "Nie")


def cell(value: Any, kind: Kind, decimals: int = 1) -> str:
    """Any value as text of its kind."""
    if kind == "text":
        return "" if value is None else str(value)
    if kind == "year":
        return MISSING if is_missing(value) else str(int(value))
    if kind == "decimal":
        return decimal(value, decimals)
    return {"count": count, "percent": percent, "change": change, "money": money, "date": day, "bool": yes_no}[kind](value)
