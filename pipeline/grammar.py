"""Polish number grammar and formatting for messages and the annual information.

Polish nouns after a number take one of three forms: 1 rodzina, 2-4 rodziny
(also 22-24, 102-104, but not 12-14), 5+ rodzin (also 11-21, 25-31, ...).
Numbers are written with a non-breaking space between thousands (3 572) and
a decimal comma.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NBSP = "\u00a0"


def plural_form(n: int) -> str:
    """'one', 'few' or 'many': the Polish plural category of a whole number."""
    n = abs(int(n))
    if n == 1:
        return "one"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "few"
    return "many"


@dataclass(frozen=True)
class Noun:
    """A noun's forms after a number: one (1), few (2-4), many (5+)."""

    one: str
    few: str
    many: str

    def after(self, n: int) -> str:
        return {"one": self.one, "few": self.few, "many": self.many}[plural_form(n)]


NOUNS: dict[str, Noun] = {
    "rodzina": Noun("rodzina", "rodziny", "rodzin"),
    "dziecko": Noun("dziecko", "dzieci", "dzieci"),
    "asystent": Noun("asystent", "asystentów", "asystentów"),
    "porada": Noun("porada", "porady", "porad"),
    "konsultacja": Noun("konsultacja", "konsultacje", "konsultacji"),
    "problem": Noun("problem", "problemy", "problemów"),
    "ustalenie": Noun("ustalenie", "ustalenia", "ustaleń"),
    "wiersz": Noun("wiersz", "wiersze", "wierszy"),
    "dzień": Noun("dzień", "dni", "dni"),
    "przypadek": Noun("przypadek", "przypadki", "przypadków"),
    "eksport": Noun("eksport", "eksporty", "eksportów"),
    "wizytę": Noun("wizytę", "wizyty", "wizyt"),  # accusative: "odbyli 1 wizytę, 3 wizyty, 812 wizyt"
    "trening": Noun("trening", "treningi", "treningów"),
    "posiedzenie": Noun("posiedzenie", "posiedzenia", "posiedzeń"),
    "projekt": Noun("projekt", "projekty", "projektów"),
    "ośrodek": Noun("ośrodek", "ośrodki", "ośrodków"),
}


def number(value: float | int | None, decimals: int = 0) -> str:
    """A number the Polish way: 3 572 (non-breaking space), 12,5 (decimal comma); '—' for None."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return text


def count(n: int, noun: str) -> str:
    """'3 572 porady', '1 rodzina', '21 rodzin' (noun by its dictionary key)."""
    return f"{number(n)} {NOUNS[noun].after(n)}"


def noun_after(n: int, noun: str) -> str:
    """Only the noun's form after n: noun_after(5, 'rodzina') == 'rodzin'."""
    return NOUNS[noun].after(n)


def form(n: int, one: str, few: str, many: str) -> str:
    """Pick the form that agrees with n: form(22, 'została', 'zostały', 'zostało') == 'zostały'."""
    return {"one": one, "few": few, "many": many}[plural_form(n)]


# Small numbers are written as words where the seed report does ("w dwóch przypadkach",
# "czterech asystentów"); larger ones as digits.
_LOCATIVE = {1: "jednym", 2: "dwóch", 3: "trzech", 4: "czterech"}
_LOCATIVE_FEMININE = {1: "jednej", 2: "dwóch", 3: "trzech", 4: "czterech"}
_GENITIVE_PERSONAL = {1: "jednego", 2: "dwóch", 3: "trzech", 4: "czterech", 5: "pięciu", 6: "sześciu", 7: "siedmiu",
                      8: "ośmiu", 9: "dziewięciu", 10: "dziesięciu"}


def in_cases(n: int) -> str:
    """'w jednym przypadku', 'w dwóch przypadkach', 'w 10 przypadkach'."""
    if n == 1:
        return "w jednym przypadku"
    return f"w {_LOCATIVE.get(n, number(n))} przypadkach"


def among_them(n: int) -> str:
    """'w jednej z nich', 'w dwóch z nich', 'w 8 z nich' (of families)."""
    return f"w {_LOCATIVE_FEMININE.get(n, number(n))} z nich"


def assistants_employed(n: int) -> str:
    """Genitive after 'zatrudniał': 'jednego asystenta rodziny', 'czterech asystentów rodziny', '12 asystentów rodziny'."""
    if n == 1:
        return "jednego asystenta rodziny"
    return f"{_GENITIVE_PERSONAL.get(n, number(n))} asystentów rodziny"


def with_families(n: int) -> str:
    """Instrumental: 'z jedną rodziną', 'z 21 rodzinami'."""
    return "z jedną rodziną" if n == 1 else f"z {number(n)} rodzinami"


PERCENT_MIN_BASE = 10  # below it a percentage says more than the numbers do ("−50,0%" of 2)


def change(current: float | int | None, previous: float | int | None, min_base: float = PERCENT_MIN_BASE) -> str:
    """Year-on-year change: '+3 (4,6%)', '−2 (−10,0%)', 'bez zmian', or '—' when unknown; the percentage only
    where the previous value is at least `min_base` (else the difference alone: '−1')."""
    if current is None or previous is None:
        return "—"
    diff = current - previous
    if diff == 0:
        return "bez zmian"
    sign = "+" if diff > 0 else "−"
    dec = 0 if float(diff).is_integer() else 1
    text = f"{sign}{number(abs(diff), dec)}"
    if previous and abs(previous) >= min_base:
        text += f" ({sign}{number(abs(diff) / previous * 100, 1)}%)"
    return text


_COLLECTIVE = {2: "dwoje", 3: "troje", 4: "czworo"}


def group_meetings(n: int) -> str:
    """Locative after 'uczestniczyli w': 'jednym posiedzeniu grupy diagnostyczno-pomocowej',
    'dwóch posiedzeniach grup diagnostyczno-pomocowych', '57 posiedzeniach grup diagnostyczno-pomocowych'."""
    if n == 1:
        return "jednym posiedzeniu grupy diagnostyczno-pomocowej"
    return f"{_LOCATIVE.get(n, number(n))} posiedzeniach grup diagnostyczno-pomocowych"


def children_took_part(n: int) -> str:
    """'wzięło udział jedno dziecko', 'wzięło udział łącznie dwoje dzieci', 'wzięło udział łącznie 74 dzieci'
    (a collective numeral or a number with 'dzieci' takes the neuter singular verb)."""
    if n == 1:
        return "wzięło udział jedno dziecko"
    return f"wzięło udział łącznie {_COLLECTIVE.get(n, number(n))} dzieci"


def from_families(n: int) -> str:
    """Genitive after 'z': 'z jednej rodziny', 'z 2 rodzin', 'z 31 rodzin'."""
    return "z jednej rodziny" if n == 1 else f"z {number(n)} rodzin"


def joined(items: list[str]) -> str:
    """'a', 'a i b', 'a, b i c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " i " + items[-1]


# One-letter words (w, z, i, u, o, a) end no line in Polish typography: they are bound to the next word.
_SHORT_WORD = re.compile(r"(?<![\w.\-])([AaIiOoUuWwZz])[ \t\r\n]+(?=\S)")
_YEAR_ABBREVIATION = re.compile(r"(\d) (r\.|roku\b)")


def bind_short_words(text: str) -> str:
    """Put a non-breaking space after every one-letter word and before "r." after a number ("w\u00a02024\u00a0r.")."""
    return _YEAR_ABBREVIATION.sub(lambda m: m.group(1) + NBSP + m.group(2), _SHORT_WORD.sub(lambda m: m.group(1) + NBSP, text))
