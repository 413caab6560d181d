"""The annual information for 2024 from the demo warehouse, in the seed's wording, as HTML and DOCX."""

from __future__ import annotations

import re

import pytest

from pipeline.grammar import NBSP
from pipeline.outputs.annual_report import write_report
from pipeline.warehouse.connection import connect, open_for_writing

# Each seed figure of 2024 in the seed's wording (the report writes 2-4 agreement correctly:
# "22 z nich zostały zobowiązane", where the seed has "zostało zobowiązanych").
SEED_PHRASES = [
    "zatrudniał czterech asystentów rodziny",
    "objęli wsparciem 68 rodzin, w których wychowuje się 143 dzieci",
    "22 z nich zostały zobowiązane do współpracy z asystentem postanowieniem Sądu Rodzinnego",
    "w 8 z nich dzieci umieszczone były w pieczy zastępczej",
    "w dwóch przypadkach nastąpił powrót dzieci do rodziny biologicznej",
    "zakończono współpracę z 21 rodzinami; w 10 przypadkach asystenturę zakończono osiągając zamierzone cele",
    f"udzielili łącznie 3{NBSP}572 porady",
    f"przeprowadzili 3{NBSP}440 konsultacji",
    "została objęta wsparciem jedna rodzina",
]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from builders import load_export, read_export

    from pipeline.jobs.run import demo_exports

    out = tmp_path_factory.mktemp("report")
    db = out / "demo.duckdb"
    con = open_for_writing(db)
    for p in demo_exports():
        load_export(con, read_export(p), [])
    con.close()
    return _write(db, out)


def _write(db, out, year: int = 2024):
    con = connect(db, read_only=True)
    try:
        return write_report(con, year, None, out)
    finally:
        con.close()


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(NBSP, "\x00")).replace("\x00", NBSP)


def test_html_has_every_seed_figure_in_its_wording(report):
    import html as html_lib

    text = _plain(html_lib.unescape(re.sub(r"<[^>]+>", " ", report[0].read_text(encoding="utf-8"))))
    for phrase in SEED_PHRASES:
        assert phrase in text, phrase
    page = report[0].read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page and page.count("data:image/png;base64") == 3


def test_docx_has_every_seed_figure_in_its_wording(report):
    from docx import Document

    doc = Document(str(report[1]))
    text = _plain(" ".join(p.text for p in doc.paragraphs))
    for phrase in SEED_PHRASES:
        assert phrase in text, phrase
    table = doc.tables[0]
    rows = {r.cells[0].text: r.cells[2].text for r in table.rows}
    assert rows["rodziny objęte wsparciem asystenta"] == "68"
    assert rows["udzielone porady"] == f"3{NBSP}572"
    assert len(doc.inline_shapes) == 3


def test_zero_and_one_read_well(tmp_path, load_rows, db):
    from builders import episode, family

    load_rows({"rodziny": [family("F1")], "asystentury": [episode("E1", "F1", "2024-02-01")]})
    html = _write(db, tmp_path)[0].read_text(encoding="utf-8")
    assert "objęli wsparciem jedną rodzinę, w której nie wychowuje się żadne dziecko" in html  # accusative, singular
    assert "Żadna z rodzin objętych asystenturą nie została zobowiązana" in html
    assert "nie objęto wsparciem żadnej rodziny" in html
    assert "nie zakończono współpracy z żadną rodziną" in html
