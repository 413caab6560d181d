"""The period statement: written, opened, its figures and notes; with --publish, nothing small and nothing derivable."""

from __future__ import annotations

import re

from openpyxl import load_workbook
from test_periods import H2, _cut_case

from pipeline.outputs.disclosure import derivable
from pipeline.outputs.statement import build_statement, publish
from pipeline.warehouse.connection import connect


def _cells(path) -> dict[str, list]:
    book = load_workbook(path)
    return {ws.title: [c.value for row in ws.iter_rows() for c in row if c.value is not None] for ws in book.worksheets}


def _line(path, label: str):
    ws = load_workbook(path)["zestawienie"]
    for row in ws.iter_rows(values_only=True):
        if row[1] and row[1].strip() == label:
            return row[2] if row[2] is not None else row[3]
    raise KeyError(label)


def test_statement_for_h2_without_publish(db, load_rows, tmp_path, capsys):
    from pipeline.cli import main

    load_rows(_cut_case())
    assert main(["statement", "--period", "2024-H2", "--db", str(db), "--out", str(tmp_path / "out")]) == 0
    xlsx, html = tmp_path / "out" / "zestawienie_2024-H2.xlsx", tmp_path / "out" / "zestawienie_2024-H2.html"
    sheets = _cells(xlsx)
    assert list(sheets) == ["zestawienie", "asystenci okres liczba", "asystenci okres etaty", "asystenci koniec liczba",
                            "asystenci koniec etaty", "definicje"]
    assert _line(xlsx, "rodziny zobowiązane przez sąd do współpracy") == 1          # the decision of 1 July
    assert _line(xlsx, "rodziny z trwającą asystenturą w ostatnim dniu okresu") == 4
    assert _line(xlsx, "etaty asystentów w ostatnim dniu okresu") == 2.0
    assert _line(xlsx, "4 i więcej dzieci") == 1
    text = " ".join(map(str, sheets["zestawienie"]))
    assert "Stan na 31.12.2024" in text and "Nie jest to urzędowy formularz" in text and "nie jest przeznaczone do publikacji" in text
    assert not any(isinstance(v, str) and v.startswith("=") for vs in sheets.values() for v in vs)
    page = html.read_text(encoding="utf-8")
    assert "stan na 31.12.2024" in page and "2024-H2 (01.07.2024–31.12.2024)" in page and "urzędowy formularz" in page


def test_published_statement_hides_small_counts_and_nothing_follows(db, load_rows, tmp_path):
    load_rows(_cut_case())
    con = connect(db, read_only=True)
    try:
        s = publish(build_statement(con, H2, None, "MOPS"), 5)
    finally:
        con.close()
    p = s.protected
    for key in s.counts:
        if 0 < s.values[key] < 5:
            assert p.shown(key) == "<5", key
    hidden = [k for k in s.values if p.hidden(k)]
    assert derivable(hidden, s.relations) == []
    assert p.shown("families_court_obliged") == "<5" and p.shown("families_by_court_obligation:zobowiązane przez sąd") == "<5"
    assert p.shown("assistants_fte_at_end") == "x"          # 2 assistants at the end: their FTE goes with them
    assert p.shown("families_supported") == 5 and p.shown("advice_sessions") == 1   # acts are not people: shown


def test_published_outputs_from_the_command_line(db, load_rows, tmp_path, capsys):
    from pipeline.cli import main

    load_rows(_cut_case())
    out = tmp_path / "pub"
    assert main(["statement", "--period", "2024-H2", "--db", str(db), "--out", str(out), "--publish", "--threshold", "3"]) == 0
    xlsx = out / "zestawienie_2024-H2_publikacja.xlsx"
    assert _line(xlsx, "rodziny zobowiązane przez sąd do współpracy") == "<3"
    text = " ".join(" ".join(map(str, v)) for v in _cells(xlsx).values())
    assert "liczby od 1 do 2 pokazano jako „<3”" in text
    assert not re.search(r"\bA[123]\b|\bR[123]\b", text)     # no pseudonym, no table per assistant
    assert main(["indicators", "--period", "2024-H2", "--db", str(db), "--out", str(tmp_path / "w.xlsx"), "--publish"]) == 0
    assert _line(tmp_path / "w.xlsx", "rodziny zobowiązane przez sąd do współpracy") == "<5"
    assert main(["indicators", "--period", "2024-H2", "--db", str(db), "--out", str(tmp_path / "w.csv"), "--publish"]) == 2
    assert main(["statement", "--period", "2024-H2", "--db", str(db), "--publish", "--threshold", "1", "--out", str(out)]) == 2
