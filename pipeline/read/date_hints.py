"""What the unread dates of a column look like, and the mapping line that reads them.

A column whose dates came out of a US-locale Excel (`5/15/2020`), with a time part
(`2020-05-15 00:00:00`) or as Excel serial numbers (`43966`) fails its type in nearly every
row.  When most of its cells fail and nearly all of the failed ones have one recognisable
shape, the type error says which format it looks like and the line of a mapping file
(`--mapping`, `[daty] format = ...`) that reads it.  Only shapes are looked at, never shown.
"""

from __future__ import annotations

import polars as pl

MOST = 0.5  # more than this share of the column's non-empty cells failed
NEARLY_ALL = 0.9  # and at least this share of the failed ones have one shape

_TIME = r"(?P<sep>[ T])\d{1,2}:\d{2}(?P<sec>:\d{2})?"
_SHAPES = {
    "slash": r"^(?P<a>\d{1,2})/(?P<b>\d{1,2})/\d{4}",
    "dots": r"^\d{1,2}\.\d{1,2}\.\d{4}",
    "iso": r"^\d{4}-\d{2}-\d{2}",
}
EXCEL_SERIAL = r"^\d{5}(\.\d+)?$"  # 10000..99999: 1927..2173
EXCEL_FORMAT = "excel"  # the mapping's `[daty] format` for Excel serial day numbers


def _line(fmt: str) -> str:
    return f'[daty] format = "{fmt}"'


def date_hint(text: pl.Series, failed: pl.Series) -> str | None:
    """A sentence naming the format most failed dates of a column have and the mapping line that reads it, or None.

    `text`: the column's trimmed cells; `failed`: where a non-empty cell did not read as a date."""
    filled = int(text.is_not_null().sum())
    bad = text.filter(failed.fill_null(False)).str.strip_chars()
    if not filled or bad.len() <= MOST * filled:
        return None
    need = NEARLY_ALL * bad.len()
    if int(bad.str.contains(EXCEL_SERIAL).sum()) >= need:
        return ("większość dat tej kolumny wygląda na liczby seryjne dat Excela; odczyta je plik mapowania "
                f"(--mapping) z wierszem {_line(EXCEL_FORMAT)}")
    for shape, pattern in _SHAPES.items():
        full = f"{pattern}(?:{_TIME})?$"
        if int(bad.str.contains(full).sum()) < need:
            continue
        whole = bad.str.extract_groups(full)
        time_part = ""
        seps = whole.struct.field("sep").drop_nulls()
        if seps.len() >= need:  # a time part in nearly every cell
            sep = seps.mode().sort()[0]
            with_seconds = whole.struct.field("sec").drop_nulls().len() >= need
            time_part = f"{sep}%H:%M" + (":%S" if with_seconds else "")
        elif seps.len():
            continue  # some with a time part, some without: one format does not read them all
        if shape == "iso":
            if not time_part:
                return None
            return (f"większość dat tej kolumny ma dołączoną godzinę (RRRR-MM-DD GG:MM); odczyta je plik mapowania "
                    f"(--mapping) z wierszem {_line('%Y-%m-%d' + time_part)}")
        if shape == "dots":
            return (f"większość dat tej kolumny ma postać D.M.RRRR{' z godziną' if time_part else ''}; odczyta je plik "
                    f"mapowania (--mapping) z wierszem {_line('%d.%m.%Y' + time_part)}")
        return _slash_hint(whole, time_part)
    return None


def _slash_hint(parts: pl.Series, time_part: str) -> str | None:
    """M/D/RRRR or D/M/RRRR: a first number above 12 says day first, a second above 12 says month first."""
    a = parts.struct.field("a").cast(pl.Int64, strict=False)
    b = parts.struct.field("b").cast(pl.Int64, strict=False)
    day_first, month_first = bool((a > 12).any()), bool((b > 12).any())
    hour = " z godziną" if time_part else ""
    if month_first and not day_first:
        return (f"większość dat tej kolumny ma postać M/D/RRRR (miesiąc przed dniem, jak w amerykańskim Excelu){hour}; "
                f"odczyta je plik mapowania (--mapping) z wierszem {_line('%m/%d/%Y' + time_part)}")
    if day_first and not month_first:
        return (f"większość dat tej kolumny ma postać D/M/RRRR{hour}; odczyta je plik mapowania (--mapping) "
                f"z wierszem {_line('%d/%m/%Y' + time_part)}")
    if not day_first and not month_first:
        return (f"większość dat tej kolumny ma postać M/D/RRRR albo D/M/RRRR{hour} (z danych nie wynika, która liczba "
                f"jest miesiącem); odczyta je plik mapowania (--mapping) z wierszem {_line('%m/%d/%Y' + time_part)} "
                f"albo {_line('%d/%m/%Y' + time_part)}")
    return None  # both orders in one column: no single format reads it
