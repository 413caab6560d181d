"""Sentences that depend on two numbers, written as a careful person writes them (Polish agreement, no "(liczba: 1)")."""

from __future__ import annotations

import re

import pytest

from pipeline.grammar import NBSP
from pipeline.outputs.annual.phrases import children_came_back, returns_home
from pipeline.outputs.evaluation.report import families_sentence

LEAD = "Dzięki pozytywnym i trwałym zmianom wypracowanym przez rodziców, w roku sprawozdawczym "


@pytest.mark.parametrize(("families", "children", "expected"), [
    (1, 1, "w jednym przypadku nastąpił powrót dziecka do rodziny biologicznej"),
    (1, 2, "w jednym przypadku nastąpił powrót dwojga dzieci do rodziny biologicznej"),
    (1, 4, "w jednym przypadku nastąpił powrót czworga dzieci do rodziny biologicznej"),
    (1, 5, "w jednym przypadku nastąpił powrót 5 dzieci do rodziny biologicznej"),
    (2, 2, "w dwóch przypadkach nastąpił powrót dzieci do rodziny biologicznej; łącznie do rodzin biologicznych "
           "powróciło dwoje dzieci"),
    (2, 3, "w dwóch przypadkach nastąpił powrót dzieci do rodziny biologicznej; łącznie do rodzin biologicznych "
           "powróciło troje dzieci"),
    (4, 5, "w czterech przypadkach nastąpił powrót dzieci do rodziny biologicznej; łącznie do rodzin biologicznych "
           "powróciło 5 dzieci"),
    (5, 12, "w 5 przypadkach nastąpił powrót dzieci do rodziny biologicznej; łącznie do rodzin biologicznych "
            "powróciło 12 dzieci"),
])
def test_returns_home_agree_with_both_numbers(families, children, expected):
    assert returns_home(families, children) == expected


def test_children_came_back_one_few_many():
    assert [children_came_back(n) for n in (1, 2, 4, 5, 22)] == [
        "powróciło jedno dziecko", "powróciło dwoje dzieci", "powróciło czworo dzieci", "powróciło 5 dzieci",
        "powróciło 22 dzieci"]


def _page(db, tmp_path) -> str:
    from pipeline.outputs.annual.report import write_report
    from pipeline.warehouse.connection import connect

    con = connect(db, read_only=True)
    try:
        html = write_report(con, 2024, None, tmp_path)[0].read_text(encoding="utf-8")
    finally:
        con.close()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace(NBSP, " "))


def test_one_child_returned_reads_as_a_sentence(db, load_rows, tmp_path):
    from builders import child, episode, family, placement

    load_rows({"rodziny": [family("F1")], "asystentury": [episode("E1", "F1", "2023-02-01")],
               "dzieci": [child("D1", "F1", "2015-03")],
               "piecza": [placement("U1", "D1", "2022-06-01", "2024-03-15")]})
    text = _page(db, tmp_path)
    assert LEAD + "w jednym przypadku nastąpił powrót dziecka do rodziny biologicznej." in text
    assert "liczba dzieci, które powróciły" not in text


def test_no_return_no_credit_to_the_parents(db, load_rows, tmp_path):
    from builders import child, episode, family, placement

    load_rows({"rodziny": [family("F1")], "asystentury": [episode("E1", "F1", "2023-02-01")],
               "dzieci": [child("D1", "F1", "2015-03")],
               "piecza": [placement("U1", "D1", "2022-06-01")]})                     # still in foster care
    text = _page(db, tmp_path)
    assert "Dzięki pozytywnym" not in text
    assert "W roku sprawozdawczym nie nastąpił powrót dzieci z pieczy zastępczej do rodziny biologicznej." in text


def test_families_with_and_before_the_programme_say_by_how_many():
    base = "Średnio rocznie wsparciem objęto 68,0 rodziny z programem wobec 66,3 rodziny przed programem"
    assert families_sentence(68.0, 66.3) == base + ", czyli o 1,7 rodziny więcej."
    assert families_sentence(66.3, 68.0) == ("Średnio rocznie wsparciem objęto 66,3 rodziny z programem wobec 68,0 "
                                             "rodziny przed programem, czyli o 1,7 rodziny mniej.")
    # equal as printed (one decimal): "tyle samo", never "o 0,0 rodziny"
    assert families_sentence(68.04, 67.96) == ("Średnio rocznie wsparciem objęto 68,0 rodziny z programem wobec 68,0 "
                                               "rodziny przed programem, czyli tyle samo.")
    assert families_sentence(68.1, 68.0).endswith(", czyli o 0,1 rodziny więcej.")
