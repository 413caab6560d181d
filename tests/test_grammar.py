"""Polish plurals and number formats for every number the issue lists."""

from __future__ import annotations

import pytest

from pipeline.grammar import NBSP, among_them, assistants_employed, change, count, in_cases, number, with_families

CASES = {
    # n: (rodzina, dziecko, asystent, porada, konsultacja)
    0: ("rodzin", "dzieci", "asystentów", "porad", "konsultacji"),
    1: ("rodzina", "dziecko", "asystent", "porada", "konsultacja"),
    2: ("rodziny", "dzieci", "asystentów", "porady", "konsultacje"),
    4: ("rodziny", "dzieci", "asystentów", "porady", "konsultacje"),
    5: ("rodzin", "dzieci", "asystentów", "porad", "konsultacji"),
    11: ("rodzin", "dzieci", "asystentów", "porad", "konsultacji"),
    12: ("rodzin", "dzieci", "asystentów", "porad", "konsultacji"),
    14: ("rodzin", "dzieci", "asystentów", "porad", "konsultacji"),
    21: ("rodzin", "dzieci", "asystentów", "porad", "konsultacji"),
    22: ("rodziny", "dzieci", "asystentów", "porady", "konsultacje"),
    25: ("rodzin", "dzieci", "asystentów", "porad", "konsultacji"),
    101: ("rodzin", "dzieci", "asystentów", "porad", "konsultacji"),
    102: ("rodziny", "dzieci", "asystentów", "porady", "konsultacje"),
    112: ("rodzin", "dzieci", "asystentów", "porad", "konsultacji"),
    1000: ("rodzin", "dzieci", "asystentów", "porad", "konsultacji"),
    3572: ("rodziny", "dzieci", "asystentów", "porady", "konsultacje"),
}


@pytest.mark.parametrize("n", list(CASES))
def test_noun_forms(n):
    nouns = ("rodzina", "dziecko", "asystent", "porada", "konsultacja")
    shown = number(n)
    assert [count(n, noun) for noun in nouns] == [f"{shown} {form}" for form in CASES[n]]


def test_numbers_the_polish_way():
    assert number(3572) == f"3{NBSP}572" and number(1000) == f"1{NBSP}000" and number(112) == "112"
    assert number(2.25, 1) == "2,2" or number(2.25, 1) == "2,3"
    assert number(12.5, 1) == "12,5" and number(None) == "—"


@pytest.mark.parametrize(("n", "text"), [(1, "w jednym przypadku"), (2, "w dwóch przypadkach"), (4, "w czterech przypadkach"),
                                         (5, "w 5 przypadkach"), (10, "w 10 przypadkach"), (22, "w 22 przypadkach")])
def test_in_cases(n, text):
    assert in_cases(n) == text


def test_other_phrases():
    assert assistants_employed(1) == "jednego asystenta rodziny"
    assert assistants_employed(4) == "czterech asystentów rodziny"
    assert assistants_employed(12) == "12 asystentów rodziny"
    assert among_them(1) == "w jednej z nich" and among_them(8) == "w 8 z nich"
    assert with_families(1) == "z jedną rodziną" and with_families(21) == "z 21 rodzinami"


def test_change():
    assert change(68, 71) == "−3 (−4,2%)"
    assert change(12, 10) == "+2 (+20,0%)" and change(8, 10) == "−2 (−20,0%)"   # a base of 10: the percentage
    assert change(10, 8) == "+2" and change(1, 2) == "−1"                          # below 10: the difference alone
    assert change(11, 9.5, min_base=9) == "+1,5 (+15,8%)"
    assert change(5, 5) == "bez zmian" and change(5, None) == "—" and change(3, 0) == "+3"


def test_section_3_phrases():
    from pipeline.grammar import children_took_part, from_families, group_meetings, joined

    assert group_meetings(1) == "jednym posiedzeniu grupy diagnostyczno-pomocowej"
    assert group_meetings(3) == "trzech posiedzeniach grup diagnostyczno-pomocowych"
    assert group_meetings(57) == "57 posiedzeniach grup diagnostyczno-pomocowych"
    assert children_took_part(1) == "wzięło udział jedno dziecko"
    assert children_took_part(2) == "wzięło udział łącznie dwoje dzieci"
    assert children_took_part(74) == "wzięło udział łącznie 74 dzieci"
    assert children_took_part(1204) == f"wzięło udział łącznie 1{NBSP}204 dzieci"
    assert from_families(1) == "z jednej rodziny" and from_families(3) == "z 3 rodzin" and from_families(31) == "z 31 rodzin"
    assert [count(n, "wizytę") for n in (1, 3, 812, 22)] == ["1 wizytę", "3 wizyty", "812 wizyt", "22 wizyty"]
    assert [count(n, "trening") for n in (1, 4, 12)] == ["1 trening", "4 treningi", "12 treningów"]
    assert joined(["a"]) == "a" and joined(["a", "b"]) == "a i b" and joined(["a", "b", "c"]) == "a, b i c"


def test_one_letter_words_are_bound_to_the_next_word():
    from pipeline.grammar import bind_short_words

    assert bind_short_words("w 8 z nich, a praca i dom") == f"w{NBSP}8 z{NBSP}nich, a{NBSP}praca i{NBSP}dom"
    assert bind_short_words("W 2024 r. o tym") == f"W{NBSP}2024{NBSP}r. o{NBSP}tym"
    assert bind_short_words("U\nnas\nw domu") == f"U{NBSP}nas\nw{NBSP}domu"
    assert bind_short_words("e-mail a-b zw. x y ów") == "e-mail a-b zw. x y ów"   # parts of words and other letters stay
    assert bind_short_words("koniec i") == "koniec i"                              # nothing to bind to
