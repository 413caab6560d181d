"""Which names a message may show: a column header, a folder or file name inside an export.

A name is shown only when it cannot be personal data: it passes the personal-data scan of
`pipeline.read.personal` (PESEL, e-mail, phone, after normalisation), it does not look like a
person's name ("Jan Kowalski", "Anna Nowak-Wiśniewska": two to four capitalised words of letters),
it holds fewer than six digits (no column name needs more; a PESEL or a phone number split by any
character has eleven or nine) and it is not longer than `MAX_SHOWN` characters.  What is shown has its
control characters escaped (`pipeline.problems.escape_controls`).  The cheap tests come first, so
a header of 20,000 digits costs one pass over its characters.
"""

from __future__ import annotations

from pipeline.problems import escape_controls
from pipeline.read.personal import personal_kinds

MAX_SHOWN = 100  # characters: a longer header is not a column name anyone typed
MAX_DIGITS = 5  # a shown name holds at most this many digits


def _capitalised(word: str) -> bool:
    """A word written like a name: every hyphenated part an upper-case letter then at least one lower-case."""
    parts = word.split("-")
    return all(len(p) >= 2 and p[0].isupper() and p[1:].isalpha() and p[1:].islower() for p in parts)


def looks_like_person(text: str) -> bool:
    """Whether a text is written like a person's name and surname (2-4 capitalised words, letters only)."""
    words = text.split()
    return 2 <= len(words) <= 4 and all(_capitalised(w) for w in words)


def safe_name(text: str) -> str | None:
    """The name as it may be printed, or None when it must not be shown (see the module's rules)."""
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_SHOWN:
        return None
    if sum(ch.isdigit() for ch in stripped) > MAX_DIGITS:
        return None
    if looks_like_person(stripped) or personal_kinds(stripped):
        return None
    return escape_controls(stripped)
