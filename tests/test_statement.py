"""The period statement: written, opened, its figures and notes; with --publish, nothing small and nothing derivable."""

from __future__ import annotations

import re

from builders import assistant
from openpyxl import load_workbook
from test_disclosure import lp_disclosed
from test_periods import H2, _cut_case

from pipeline.indicators.disclosure import Relation, disclosed, protect
from pipeline.outputs.publication.statement import BEYOND_FOUR, FORMS, SYSTEMS, _children_relations, build_statement, publish
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
    assert "stan na 31.12.2024" in page and "II półrocze 2024 (01.07.2024–31.12.2024)" in page and "urzędowy formularz" in page


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
            assert p.shown(key) in ("<5", "x"), key      # "x" where small counts pin each other
    assert lp_disclosed(s.values, s.relations, p, frozenset({BEYOND_FOUR})) == set()
    assert any(r.total == "children_in_supported_families" for r in s.relations)     # the children relation holds here
    assert p.shown("families_court_obliged") == "<5" and p.shown("families_by_court_obligation:zobowiązane przez sąd") == "<5"
    assert p.shown("assistants_at_end") == 2 and p.shown("assistants_fte_at_end") == 2.0   # staff: shown, however few
    assert p.shown("assistants") == 2 and p.shown("emp:umowa o pracę|zadaniowy") == 2
    assert p.shown("max_caseload") == "<5"                   # one assistant's families: a count of families
    assert p.shown("advice_sessions") == 1                     # acts are not people: shown
    # 4 children ("<5") and one family with four or more ("<5"): 4 n4 <= 4 gives n4 = 1 and the children 4, so with every
    # part of this 5-family unit small, the totals go too (reported in keep_hidden)
    assert p.shown("families_supported") == "x" and "families_supported" in p.keep_hidden


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


def _four_assistants() -> dict:
    """The cut case with two more assistants: in H2 (and on 31 December) A1, A2, A4 at 1 FTE on an employment contract,
    task-based, and A5 at 0.5 on a civil-law contract, basic system: 4 assistants, 3.50 FTE; A3 left on 30 June."""
    rows = _cut_case()
    rows["asystenci"] = [*rows["asystenci"], assistant("A4", "2023-01-01"),
                         assistant("A5", "2024-01-01", fte=0.5, forma_zatrudnienia="umowa cywilnoprawna",
                                   system_czasu_pracy="podstawowy")]
    return rows


def test_published_statement_shows_the_staff_in_full_and_still_hides_families(db, load_rows, tmp_path):
    from pipeline.cli import main

    load_rows(_four_assistants())
    out = tmp_path / "pub"
    assert main(["statement", "--period", "2024-H2", "--db", str(db), "--out", str(out), "--publish"]) == 0
    xlsx, html = out / "zestawienie_2024-H2_publikacja.xlsx", out / "zestawienie_2024-H2_publikacja.html"
    assert _line(xlsx, "liczba asystentów rodziny") == 4
    assert _line(xlsx, "asystenci zatrudnieni w ostatnim dniu okresu") == 4
    assert _line(xlsx, "etaty asystentów w ostatnim dniu okresu") == 3.5
    assert _line(xlsx, "rodziny zobowiązane przez sąd do współpracy") == "<5"                      # 1 family: still hidden
    assert _line(xlsx, "rodziny z trwającą asystenturą w ostatnim dniu okresu") == "<5"            # 4 families
    assert _line(xlsx, "największa liczba rodzin u jednego asystenta jednocześnie") == "<5"        # 3 families at A2
    book = load_workbook(xlsx)
    for sheet, want in (("asystenci okres liczba", [4, 1, 3]), ("asystenci koniec liczba", [4, 1, 3]),
                        ("asystenci okres etaty", [3.5, 0.5, 3.0]), ("asystenci koniec etaty", [3.5, 0.5, 3.0])):
        rows = {r[0]: r[1:] for r in book[sheet].iter_rows(values_only=True) if r[0] in (*FORMS, "razem")}
        got = [rows["razem"][-1], rows["umowa cywilnoprawna"][SYSTEMS.index("podstawowy")],
               rows["umowa o pracę"][SYSTEMS.index("zadaniowy")]]
        assert got == want, sheet
        assert not {"<5", "x"} & {v for r in rows.values() for v in r}, sheet
    page = html.read_text(encoding="utf-8")
    grids = page[page.index("Forma zatrudnienia"):]
    assert grids.count("<td class=\"n\">4 (3,50 et.)</td>") == 2                # the grand totals, over the period and at the end
    # per grid, A5's cell, its row (umowa cywilnoprawna) and its column (podstawowy); the same for the other three
    assert grids.count("<td class=\"n\">1 (0,50 et.)</td>") == 6
    assert grids.count("<td class=\"n\">3 (3,00 et.)</td>") == 6
    assert "&lt;5" not in grids[:grids.index("class=\"notes\"")] and ">x<" not in grids
    assert "<td class=\"n hidden\">&lt;5</td>" in page[:page.index("Forma zatrudnienia")]     # the families' small counts
    notes = " ".join(map(str, _cells(xlsx)["zestawienie"]))
    assert "kontrolę ujawniania do liczb rodzin, dzieci i asystentur" in notes and "nie kadrę" in notes
    assert "etaty liczone z ukrytej liczby też ukryto" not in notes and "kontrola ujawniania chroni rodziny i dzieci" in page


def test_the_children_total_cannot_give_back_a_hidden_bucket():
    # the reviewer's case: 13 families, 22 children; buckets 0: 0, 1: 6, 2: 5, 3: 2, 4+: 0
    values = {"families_supported": 13, "children_in_supported_families": 22, "families_by_children:0": 0,
              "families_by_children:1": 6, "families_by_children:2": 5, "families_by_children:3": 2,
              "families_by_children:4+": 0}
    relations = [Relation("families_supported", tuple(k for k in values if k.startswith("families_by_children"))),
                 *_children_relations(values)]
    assert len(relations) == 3
    keep = {"families_supported", "children_in_supported_families"}
    leaky = {k: "shown" for k in values} | {"families_by_children:2": "secondary", "families_by_children:3": "primary"}
    assert disclosed(values, relations, leaky, 5, unknowns={BEYOND_FOUR}) == ["families_by_children:2", "families_by_children:3"]
    p = protect(values, relations, keep=keep, unknowns={BEYOND_FOUR})
    assert p.shown("families_by_children:3") == "<5" and p.shown("families_by_children:1") == "x"
    assert p.shown("children_in_supported_families") == 22 and p.shown("families_supported") == 13
    assert lp_disclosed(values, relations, p, frozenset({BEYOND_FOUR})) == set()
    # more children than 4 per 4+ family needs such a family; fewer than the buckets say is not this relation
    assert _children_relations(values | {"children_in_supported_families": 23}) == []
    assert _children_relations(values | {"children_in_supported_families": 21}) == []


def test_statement_and_publish_refuse_what_the_warehouse_does_not_hold(db, load_rows, tmp_path, capsys):
    from pipeline.cli import main
    from pipeline.warehouse.connection import open_for_writing
    empty = tmp_path / "empty.duckdb"
    open_for_writing(empty).close()          # a warehouse created, nothing loaded
    out = tmp_path / "out"
    assert main(["statement", "--period", "2024-H2", "--db", str(empty), "--out", str(out)]) == 2
    assert "żadnego wczytanego eksportu" in capsys.readouterr().err
    assert main(["indicators", "--period", "2024-H2", "--db", str(empty), "--out", str(tmp_path / "e.xlsx"), "--publish"]) == 2
    assert "żadnego wczytanego eksportu" in capsys.readouterr().err
    load_rows(_cut_case())
    assert main(["statement", "--period", "1990-H1", "--db", str(db), "--out", str(out)]) == 2
    assert "obejmują rok 2024; poza nimi: 1990" in capsys.readouterr().err
    assert main(["statement", "--period", "2024-H2", "--unit", "9999999", "--db", str(db), "--out", str(out)]) == 2
    assert "nie ma w magazynie jednostki 9999999; wczytane jednostki:" in capsys.readouterr().err
    assert main(["indicators", "--period", "1990-H1", "--db", str(db), "--out", str(tmp_path / "p.xlsx"), "--publish"]) == 2
    assert "poza nimi: 1990" in capsys.readouterr().err
    assert main(["statement", "--period", "2024-H2", "--db", str(db), "--out", str(out), "--publish", "--threshold", "2"]) == 2
    assert "co najmniej 3" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "p.xlsx").exists() and not (tmp_path / "e.xlsx").exists()


def testduration_labels_agree_with_the_number():
    from pipeline.outputs.publication.statement import duration_label

    assert [duration_label(b) for b in ("<1", "1-2", "2-5", "5+", "1+", "22+")] == [
        "poniżej 1 roku", "od 1 roku do 2 lat (poniżej 2)", "od 2 lat do 5 lat (poniżej 5)", "5 lat i dłużej",
        "1 rok i dłużej", "22 lata i dłużej"]


def test_report_and_notebooks_refuse_publish_and_point_to_the_statement(db, tmp_path, capsys):
    from pipeline.cli import main

    out = tmp_path / "r"
    assert main(["report", "--year", "2024", "--db", str(db), "--out", str(out), "--publish"]) == 2
    err = capsys.readouterr().err
    assert "informacja roczna nie ma wersji do publikacji" in err and "statement --period 2024 --publish" in err
    assert main(["notebooks", "--db", str(db), "--out", str(out), "--publish"]) == 2
    err = capsys.readouterr().err
    assert "notatniki nie mają wersji do publikacji" in err and "statement --period ROK --publish" in err
    assert not out.exists()


def _published(db) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT jednostka, okres, klucz, wartosc, status, prog FROM raw.published_cells "
                           "ORDER BY ALL").fetchall()
    finally:
        con.close()


def test_publish_records_what_it_published_and_refuses_ranges_of_days(db, load_rows, tmp_path, capsys):
    from pipeline.cli import main

    load_rows(_cut_case())
    out = tmp_path / "pub"
    # a range of days cut out of the half-year would give its hidden cells back by subtraction: refused, nothing recorded
    assert main(["statement", "--period", "2024-07-01..2024-10-31", "--db", str(db), "--out", str(out), "--publish"]) == 2
    err = capsys.readouterr().err
    assert "[PUB-001]" in err and "okres standardowy" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert _published(db) == [] and not out.exists()
    assert main(["statement", "--period", "2024-07-01..2024-10-31", "--db", str(db), "--out", str(out)]) == 0  # not published
    assert _published(db) == []
    # the half-year's days typed as a range are the half-year
    assert main(["statement", "--period", "2024-07-01..2024-12-31", "--db", str(db), "--out", str(out), "--publish"]) == 0
    assert (out / "zestawienie_2024-H2_publikacja.xlsx").exists()
    first = _published(db)
    assert {(u, p, t) for u, p, *_, t in first} == {("*", "2024-H2", 5)}
    assert ("*", "2024-H2", "families_court_obliged", 1.0, "primary", 5) in first
    assert ("*", "2024-H2", "assistants_at_end", 2.0, "shown", 5) in first
    assert "odjęcie jednego zestawienia od drugiego" in (out / "zestawienie_2024-H2_publikacja.html").read_text(encoding="utf-8")
    xlsx = out / "zestawienie_2024-H2_publikacja.xlsx"
    hidden = {k: s for _, _, k, _, s, _ in first if s != "shown"}
    assert _line(xlsx, "rodziny zobowiązane przez sąd do współpracy") == "<5" and hidden["families_court_obliged"] == "primary"
    # published again, the same figures: the same statement and the same record
    assert main(["statement", "--period", "2024-H2", "--db", str(db), "--out", str(out), "--publish"]) == 0
    assert [r for r in _published(db)] == first
    # another threshold in the same year would let the two be compared
    assert main(["statement", "--period", "2024-Q4", "--db", str(db), "--out", str(out), "--publish", "--threshold", "3"]) == 2
    assert "[PUB-002]" in capsys.readouterr().err
    # a quarter of the published half-year: protected with it, recorded beside it; nothing hidden in either follows
    assert main(["statement", "--period", "2024-Q4", "--db", str(db), "--out", str(out), "--publish"]) == 0
    assert {p for _, p, *_ in _published(db)} == {"2024-H2", "2024-Q4"}
    assert main(["indicators", "--period", "2024-07-01..2024-09-30", "--db", str(db), "--out", str(tmp_path / "q.html"),
                 "--publish"]) == 0                                    # the days of Q3: Q3, recorded too
    assert {p for _, p, *_ in _published(db)} == {"2024-H2", "2024-Q3", "2024-Q4"}
    assert main(["indicators", "--period", "2024-08-01..2024-09-30", "--db", str(db), "--out", str(tmp_path / "r.html"),
                 "--publish"]) == 2
    assert "[PUB-001]" in capsys.readouterr().err


def test_a_version_2_warehouse_gets_the_record_of_publications_by_migrate(db, load_rows, tmp_path, capsys):
    import duckdb

    from pipeline.cli import main

    load_rows(_cut_case())
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE raw.published_cells")  # as version 2 was, before publications were recorded
    con.execute("UPDATE raw.warehouse_info SET value = '2' WHERE key = 'schema_version'")
    con.close()
    out = tmp_path / "pub"
    assert main(["statement", "--period", "2024-H2", "--db", str(db), "--out", str(out), "--publish"]) == 1
    assert f"python -m pipeline migrate --db {db}" in capsys.readouterr().err and not out.exists()
    assert main(["migrate", "--db", str(db)]) == 0
    assert "wersja schematu 2 -> 3" in capsys.readouterr().out
    assert _published(db) == []
    assert main(["statement", "--period", "2024-H2", "--db", str(db), "--out", str(out), "--publish"]) == 0
    assert {p for _, p, *_ in _published(db)} == {"2024-H2"}
