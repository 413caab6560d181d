"""Personal data in text: the patterns (PESEL, e-mail, phone), the normalisation before them, and names.

A value is normalised before it is scanned, so that a PESEL, a phone number or an e-mail address
written with spaces, hyphens, dots, non-breaking or zero-width spaces or quotes between its digits,
with invisible format characters anywhere in it (Unicode category Cf: soft hyphen, left-to-right and
right-to-left marks, word joiner, bidi embeddings and isolates, ...), or in full-width or other
Unicode digits, is found as well as the plain one: Unicode NFKC, every format character removed,
every decimal digit as its ASCII digit, then the separators between two digits removed.

The cells of the tables are scanned with polars in `pipeline.checks.pii` (the same patterns, and
`FORMAT_CHARACTERS` removed the same way); names (of the export, its files, archive members, folders
and sheets, and headers) are few and scanned here, in Python, by `scan_name`, because the readers
must not print a name that holds personal data: such a name is referred to by its kind and position
("plik nr 3"), never by its text.

`scan_name` is linear in the length of the name, whatever the name: every step is one pass over the
text (NFKC, `str.translate`, one regular-expression substitution whose every match starts right
after a digit, `str.split`), or a regular expression whose work from each starting position is
bounded by a constant (the phone pattern matches at most 17 characters), or a loop that visits
each character a fixed number of times (the e-mail scan: see `_has_email`).  A name of 20,000
digits took 2-15 s with the former e-mail pattern (`[\\w.%+\\-]+@...` searched from every position
runs to the end of the name each time: quadratic).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache, lru_cache

from pipeline.problems import escape_controls, issue

PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
EMAIL = r"[\w.%+\-]+@[\w\-]+(\.[\w\-]+)*\.(\pL{2,}|xn--[A-Za-z0-9\-]+)"
_NINE = r"([0-9]{9}|[0-9]{3}[ .\-][0-9]{3}[ .\-][0-9]{3}|[0-9]{2}[ .\-][0-9]{3}[ .\-][0-9]{2}[ .\-][0-9]{2})"
PHONE = r"(^|[^0-9\pL])((\+48|0048)[ .\-]?)?" + _NINE + r"($|[^0-9\pL])"
# what may stand between two digits of one number: spaces of any kind, hyphens and dashes, dots,
# zero-width characters and quotes (format characters are removed everywhere before this)
SEPARATORS = "\\s\\-\u2010-\u2015\u2212.\u00a0\u2007\u202f\u200b-\u200d\u2060\ufeff'\"`\u2018\u2019\u201c\u201d\u201e"
BETWEEN_DIGITS = f"([0-9])[{SEPARATORS}]+([0-9])"
# the invisible format characters (Unicode category Cf), for polars' regular expressions (Rust regex)
FORMAT_CHARACTERS = r"\p{Cf}"
# a value that may read differently once normalised: a non-ASCII character or a separator between digits
NEEDS_NORMALISING = f"[^\\x00-\\x7f]|[0-9][{SEPARATORS}]+[0-9]"

NAME_WITH_PERSONAL_DATA = issue("PII-004", "nazwa pliku, folderu, członu archiwum albo arkusza zawiera dane osobowe")


@cache
def _special_characters() -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """One pass over Unicode: every non-ASCII decimal digit (Nd), its ASCII digit, and every format character (Cf;
    ASCII has none of either)."""
    digits: list[str] = []
    formats: list[str] = []
    category = unicodedata.category
    for code in range(128, sys.maxunicode + 1):
        kind = category(chr(code))
        if kind == "Nd":
            digits.append(chr(code))
        elif kind == "Cf":
            formats.append(chr(code))
    return tuple(digits), tuple(str(unicodedata.digit(ch)) for ch in digits), frozenset(formats)


def unicode_digits() -> tuple[list[str], list[str]]:
    """Every Unicode decimal digit that is not ASCII, and its ASCII digit."""
    digits, ascii_digits, _ = _special_characters()
    return list(digits), list(ascii_digits)


def format_characters() -> frozenset[str]:
    """Every Unicode format character (category Cf): invisible, so removed before a value is scanned."""
    return _special_characters()[2]


@cache
def _translation() -> dict[int, str | None]:
    """One `str.translate` table: non-ASCII digits to ASCII, format characters removed."""
    source, target = unicode_digits()
    return {ord(s): t for s, t in zip(source, target, strict=True)} | {ord(ch): None for ch in format_characters()}


# a run of separators between two digits; every match starts right after a digit and ends before one, so
# one substitution joins every gap (the lookarounds consume nothing) and each character is looked at a
# bounded number of times
_GAP = re.compile(f"(?<=[0-9])[{SEPARATORS}]+(?=[0-9])")


def normalise(text: str) -> str:
    """The text as scanned: NFKC, no format characters, ASCII digits, no separators between digits."""
    if text.isascii():  # NFKC and the table change nothing in ASCII (it has no format characters, no other digits)
        return _GAP.sub("", text)
    return _GAP.sub("", unicodedata.normalize("NFKC", text).translate(_translation()))


def _pesel_valid(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits, PESEL_WEIGHTS, strict=False))
    return (10 - total % 10) % 10 == int(digits[10])


_DIGIT_RUN = re.compile(r"[0-9]+")
# (from one starting position this looks at no more than 17 characters: a bounded amount of work per position)
_PY_PHONE = re.compile(r"(?:^|(?<=[\W_]))((\+48|0048)[ .\-]?)?" + _NINE + r"(?=$|[\W_])")
_PY_EMAIL = re.compile(EMAIL.replace(r"\pL{2,}", r"[^\W\d_]{2,}"))  # the pattern as Python writes it (tests compare)
_LOCAL = re.compile(r"[\w.%+\-]")  # a character of an address's local part
_DOMAIN = re.compile(r"[\w.\-]*")  # the characters an address's domain is made of
_TLD = re.compile(r"[^\W\d_]{2}|xn--[A-Za-z0-9\-]")  # how a top-level domain starts (two letters, or punycode)


def _has_pesel(text: str) -> bool:
    """An 11-digit run (not part of a longer one) with a valid check digit; one pass over the runs of digits."""
    return any(len(run) == 11 and _pesel_valid(run) for run in _DIGIT_RUN.findall(text))


def _has_email(text: str) -> bool:
    """What `EMAIL` finds, in time linear in the text: for each '@' with a local-part character before it, the
    domain after it (up to the first character that cannot be in one, so never past the next '@': each character
    is part of at most one domain) must be labels separated by dots, the first non-empty, and some later label
    must start a top-level domain with every label before it non-empty."""
    at = text.find("@")
    while at >= 0:
        if at > 0 and _LOCAL.fullmatch(text[at - 1]):
            labels = _DOMAIN.match(text, at + 1).group().split(".")  # type: ignore[union-attr]
            if labels[0]:
                for label in labels[1:]:
                    if _TLD.match(label):
                        return True
                    if not label:
                        break
        at = text.find("@", at + 1)
    return False


@lru_cache(maxsize=4096)  # the same member names ("asystenci.csv") come with every export
def _kinds(text: str) -> tuple[str, ...]:
    kinds: set[str] = set()
    for candidate in {text, normalise(text)}:
        if _has_pesel(candidate):
            kinds.add("pesel")
        if _has_email(candidate):
            kinds.add("email")
        if _PY_PHONE.search(candidate):
            kinds.add("phone")
    return tuple(sorted(kinds))


def scan_name(text: str) -> list[str]:
    """Which kinds of personal data ("pesel", "email", "phone") a name holds: a file, folder, archive member or
    sheet name, or a header; scanned as it is and normalised (see the module's note), in time linear in its length."""
    return list(_kinds(text))


def personal_kinds(text: str) -> list[str]:
    """The same as `scan_name` (its former name, kept for the callers that use it)."""
    return scan_name(text)


def shown_name(name: str, kind: str, position: int) -> str:
    """How a message names a file, folder, member or sheet: its text with control characters escaped,
    or, when it holds personal data, its kind and position ("plik nr 3")."""
    return f"{kind} nr {position}" if scan_name(name) else escape_controls(name)
