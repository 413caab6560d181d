"""Personal data in text: the patterns (PESEL, e-mail, phone), the normalisation before them, and names.

A value is normalised before it is scanned, so that a PESEL or a phone number written with
spaces, hyphens, dots, non-breaking or zero-width spaces or quotes between its digits, or in
full-width or other Unicode digits, is found as well as the plain one: Unicode NFKC, every
decimal digit as its ASCII digit, then the separators between two digits removed.

The cells of the tables are scanned with polars in `pipeline.checks.pii` (same patterns);
names (of the export, its files, archive members and sheets) are few and scanned here, in
Python, because the readers must not print a name that holds personal data: such a name is
referred to by its kind and position ("plik nr 3"), never by its text.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

from pipeline.problems import escape_controls, issue

PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
EMAIL = r"[\w.%+\-]+@[\w\-]+(\.[\w\-]+)*\.(\pL{2,}|xn--[A-Za-z0-9\-]+)"
_NINE = r"([0-9]{9}|[0-9]{3}[ .\-][0-9]{3}[ .\-][0-9]{3}|[0-9]{2}[ .\-][0-9]{3}[ .\-][0-9]{2}[ .\-][0-9]{2})"
PHONE = r"(^|[^0-9\pL])((\+48|0048)[ .\-]?)?" + _NINE + r"($|[^0-9\pL])"
# what may stand between two digits of one number: spaces of any kind, hyphens and dashes, dots,
# zero-width characters and quotes
SEPARATORS = "\\s\\-\u2010-\u2015\u2212.\u00a0\u2007\u202f\u200b-\u200d\u2060\ufeff'\"`\u2018\u2019\u201c\u201d\u201e"
BETWEEN_DIGITS = f"([0-9])[{SEPARATORS}]+([0-9])"
# a value that may read differently once normalised: a non-ASCII character or a separator between digits
NEEDS_NORMALISING = f"[^\\x00-\\x7f]|[0-9][{SEPARATORS}]+[0-9]"

NAME_WITH_PERSONAL_DATA = issue("PII-004", "nazwa pliku, folderu, członu archiwum albo arkusza zawiera dane osobowe")


@cache
def unicode_digits() -> tuple[list[str], list[str]]:
    """Every Unicode decimal digit that is not ASCII, and its ASCII digit."""
    found = [chr(c) for c in range(128, sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Nd"]
    return found, [str(unicodedata.digit(ch)) for ch in found]


@cache
def _digit_table() -> dict[int, str]:
    source, target = unicode_digits()
    return {ord(s): t for s, t in zip(source, target, strict=True)}


def normalise(text: str) -> str:
    """The text as scanned: NFKC, ASCII digits, no separators between digits."""
    text = unicodedata.normalize("NFKC", text).translate(_digit_table())
    for _ in range(2):  # a match consumes the digit after its separator: two passes join every gap
        text = re.sub(BETWEEN_DIGITS, r"\1\2", text)
    return text


def _pesel_valid(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits, PESEL_WEIGHTS, strict=False))
    return (10 - total % 10) % 10 == int(digits[10])


_PY_EMAIL = re.compile(EMAIL.replace(r"\pL{2,}", r"[^\W\d_]{2,}"))
_PY_PHONE = re.compile(r"(?:^|(?<=[\W_]))((\+48|0048)[ .\-]?)?" + _NINE + r"(?=$|[\W_])")


def personal_kinds(text: str) -> list[str]:
    """Which kinds of personal data ("pesel", "email", "phone") a text holds, after normalisation."""
    kinds = []
    for candidate in {text, normalise(text)}:
        if any(_pesel_valid(run) for run in re.findall(r"(?<![0-9])[0-9]{11}(?![0-9])", candidate)):
            kinds.append("pesel")
        if _PY_EMAIL.search(candidate):
            kinds.append("email")
        if _PY_PHONE.search(candidate):
            kinds.append("phone")
    return sorted(set(kinds))


def shown_name(name: str, kind: str, position: int) -> str:
    """How a message names a file, folder, member or sheet: its text with control characters escaped,
    or, when it holds personal data, its kind and position ("plik nr 3")."""
    return f"{kind} nr {position}" if personal_kinds(name) else escape_controls(name)
