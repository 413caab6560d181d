"""Invisible format characters (Unicode Cf) do not hide personal data, in cells or in names; the name scan is linear."""

from __future__ import annotations

import copy

import pytest
from builders import read_export, scan_export, small_case, write
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.read import personal
from pipeline.read.personal import format_characters, normalise, scan_name, shown_name

VALID_PESEL = "44051401458"  # see tests/test_pii.py for the check digit
# one of each class the issue names: soft hyphen, LRM, RLM, word joiner, ZWSP, the bidi embeddings and overrides
# (U+202A-202E), the bidi isolates (U+2066-2069)
CLASSES = {
    "soft hyphen": "\u00ad", "left-to-right mark": "\u200e", "right-to-left mark": "\u200f", "word joiner": "\u2060",
    "zero-width space": "\u200b", "LRE": "\u202a", "RLE": "\u202b", "PDF": "\u202c", "LRO": "\u202d", "RLO": "\u202e",
    "LRI": "\u2066", "RLI": "\u2067", "FSI": "\u2068", "PDI": "\u2069",
}


def test_the_classes_are_format_characters():
    assert set(CLASSES.values()) <= format_characters()
    assert "a" not in format_characters() and " " not in format_characters()


@pytest.mark.parametrize("ch", CLASSES.values(), ids=CLASSES.keys())
def test_names_with_a_format_character_inside_personal_data(ch):
    assert scan_name(f"{VALID_PESEL[:4]}{ch}{VALID_PESEL[4:9]}{ch}{VALID_PESEL[9:]}.csv") == ["pesel"]
    assert scan_name(f"raport_jan{ch}.kowalski@example.pl") == ["email"]
    assert scan_name(f"jan.kowalski@exa{ch}mple.pl") == ["email"]  # inside the domain
    assert scan_name(f"jan.kowalski@example{ch}.pl") == ["email"]  # before the top-level domain's dot
    assert scan_name(f"tel 600{ch}123{ch}456") == ["phone"]
    assert shown_name(f"{ch}{VALID_PESEL}", "plik", 3) == "plik nr 3"
    assert scan_name(f"asystenci{ch}.csv") == []  # a format character alone is not personal data


@pytest.mark.parametrize("ch", CLASSES.values(), ids=CLASSES.keys())
def test_cells_with_a_format_character_inside_personal_data(tmp_path, ch):
    rows = copy.deepcopy(small_case())
    rows["projekty"][0]["nazwa"] = f"Zapisy: jan{ch}.kowalski@exa{ch}mple.pl"
    rows["projekty"][1]["nazwa"] = f"Wakacje {VALID_PESEL[:6]}{ch}{VALID_PESEL[6:]}"
    problems = scan_export(read_export(write(tmp_path / "x", rows)))
    found = {(p.code, p.table, p.column, tuple(p.rows)) for p in problems}
    assert found == {("PII-002", "projekty", "nazwa", (2,)), ("PII-001", "projekty", "nazwa", (3,))}


def test_normalise_removes_format_characters_and_joins_digits():
    assert normalise("12\u00ad 3\u2066-4") == "1234"
    assert normalise("a\u200bb c") == "ab c"  # spaces between letters stay


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="a1@._-%+ ąZ", max_size=14))
def test_the_linear_email_scan_finds_what_the_pattern_finds(text):
    assert personal._has_email(text) == bool(personal._PY_EMAIL.search(text))


class _Counting(str):
    """A name that counts how often the e-mail scan looks for an '@' in it."""

    finds = 0

    def find(self, *args):  # type: ignore[override]
        type(self).finds += 1
        return str.find(self, *args)


@pytest.mark.parametrize("n", [1_000, 10_000, 100_000])
def test_the_email_scan_visits_each_at_sign_once(n):
    """Linearity without a clock: the scan is one `find` per '@' plus one, whatever the length and content."""
    _Counting.finds = 0
    text = _Counting(("1" * 50 + "@" + "b.1" * 20) * (n // 111))
    assert not personal._has_email(text)
    assert _Counting.finds == text.count("@") + 1


def test_a_long_name_of_digits_is_scanned():
    """A folder named with 200,000 digits (quadratic before: 2 s for 20,000 here); no time is asserted, see the
    benchmark notes for the seconds."""
    assert scan_name("1" * 200_000) == []
    assert scan_name("1" * 100_000 + f" {VALID_PESEL}") == ["pesel"]
    assert scan_name("x" * 100_000 + "@" + "y" * 100_000) == []
