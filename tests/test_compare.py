"""`compare`: peers' quartiles, rank, funnel verdicts and "too small to compare", on hand-made unit tables."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.indicators.comparison import UNIT_COLUMNS, compare, quartiles, rank_of
from pipeline.indicators.funnel import limits
from pipeline.outputs.comparison.compare import as_text, write

RURAL = ("0201012", "0201022", "0201032", "0201042", "0201052")


def units(rows: dict[str, dict]) -> pl.DataFrame:
    """A unit table with every column (0 / None where not given)."""
    full = []
    for u, v in rows.items():
        base = {c: 0 for c in UNIT_COLUMNS[1:8]} | {"families_per_fte": None, "cost": None}
        full.append({"jednostka": u} | base | v)
    return pl.DataFrame(full, schema={c: (pl.String if c == "jednostka" else pl.Float64 if c in ("families_per_fte", "cost")
                                          else pl.Int64) for c in UNIT_COLUMNS}, orient="row")


def test_quartiles_and_rank_by_hand():
    assert quartiles([0.1, 0.2, 0.3, 0.4]) == pytest.approx((0.175, 0.25, 0.325))  # linear: 0.1 + 0.75 * 0.1, ...
    assert quartiles([]) is None
    assert rank_of(0.3, [0.1, 0.3, 0.3, 0.5]) == 2   # one above; ties share the best rank
    assert rank_of(0.5, [0.1, 0.5]) == 1


def _group() -> pl.DataFrame:
    # closures (goals / closed): 9/10, 5/10, 4/10, 6/10 in four rural units; 1/2 in a fifth (too small); a city elsewhere
    closed = {RURAL[0]: (9, 10), RURAL[1]: (5, 10), RURAL[2]: (4, 10), RURAL[3]: (6, 10), RURAL[4]: (1, 2),
              "1661011": (50, 100)}
    return units({u: {"families_closed_goals_achieved": g, "families_closed": n, "families_supported": 3 * n,
                      "families_per_fte": float(n)} for u, (g, n) in closed.items()})


def test_the_unit_among_its_type_peers():
    c = compare(_group(), RURAL[0], 2024, "type")
    assert c.group == "gminy wiejskie" and c.members == sorted(RURAL) and not c.alone
    goals = c.table.filter(pl.col("key") == "goals_share").row(0, named=True)
    assert goals["wartosc"] == pytest.approx(0.9)
    # the other comparable peers: 0.5, 0.4, 0.6 (the fifth has 2 closures < 5): Q1 0.45, median 0.5, Q3 0.55
    assert (goals["q1"], goals["mediana"], goals["q3"]) == pytest.approx((0.45, 0.5, 0.55))
    assert (goals["pozycja"], goals["z"], goals["porownywalnych"]) == (1, 4, 3)
    # pooled rate of the group: (9 + 5 + 4 + 6 + 1) / 42 = 25/42; 9/10 against its limits for n = 10
    theta = 25 / 42
    assert goals["stopa_grupy"] == pytest.approx(theta)
    assert goals["poza_95"] == limits(10, theta, "95").outside(0.9)
    assert goals["poza_99_8"] == limits(10, theta, "99.8").outside(0.9)
    assert limits(10, theta, "95").upper < 0.9 < limits(10, theta, "99.8").upper   # 0.849 < 0.9 < 0.982
    assert goals["poza_95"] and not goals["poza_99_8"] and goals["ocena"].startswith("poza granicą 95% (powyżej")
    fte = c.table.filter(pl.col("key") == "families_per_fte").row(0, named=True)
    assert fte["stopa_grupy"] is None and fte["poza_95"] is None and fte["pozycja"] == 1   # a ratio: no limits
    cost = c.table.filter(pl.col("key") == "cost_per_family").row(0, named=True)
    assert cost["pozycja"] is None and "finansowaniu" in cost["ocena"]


def test_too_small_to_compare_is_not_ranked():
    c = compare(_group(), RURAL[4], 2024, "type")
    goals = c.table.filter(pl.col("key") == "goals_share").row(0, named=True)
    assert goals["pozycja"] is None and goals["poza_95"] is None
    assert goals["ocena"] == "za mało, by porównywać (mianownik 2 < 5)"


def test_alone_in_the_warehouse_or_in_the_group(tmp_path):
    alone = compare(_group().filter(pl.col("jednostka") == "1661011"), "1661011", 2024, "all")
    assert alone.alone and alone.table["pozycja"].null_count() == alone.table.height
    assert "tylko ta jedna jednostka: nie ma z kim porównać" in as_text(alone)
    city = compare(_group(), "1661011", 2024, "type")
    assert city.alone and "w grupie nie ma innych jednostek" in as_text(city)
    assert write(alone, tmp_path / "x.html") == [tmp_path / "x.html"]   # a page, no funnel files


def test_outputs_xlsx_and_html_with_funnel_files(tmp_path):
    from openpyxl import load_workbook

    c = compare(_group(), RURAL[0], 2024, "type")
    (book,) = write(c, tmp_path / "p.xlsx")
    wb = load_workbook(book)
    assert wb.sheetnames == ["Porównanie", "Jednostki w grupie"]
    assert wb["Porównanie"]["B2"].value == "90,0%" and wb["Porównanie"]["G2"].value == "1 z 4"
    files = write(c, tmp_path / "p.html")
    names = {p.name for p in files}
    assert {"p.html", "lejek_osiagniecie_celow.png", "lejek_osiagniecie_celow.svg", "lejek_osiagniecie_celow.html"} <= names
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "<svg" in page and "http" not in page.split("<svg")[0]   # inline charts, no remote scripts before them
    with pytest.raises(ValueError):
        write(c, tmp_path / "p.pdf")


def test_cli_compare_and_cohorts_on_a_one_unit_warehouse(db, load_rows, tmp_path, capsys):
    import json

    from builders import episode, family

    from pipeline.cli import main

    load_rows({"rodziny": [family("F1"), family("F2")],
               "asystentury": [episode("E1", "F1", "2023-01-01", "2024-03-31"), episode("E2", "F2", "2024-02-01")]})
    assert main(["compare", "--unit", "1603011", "--year", "2024", "--db", str(db), "--out", str(tmp_path / "c.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "tylko ta jedna jednostka: nie ma z kim porównać" in out and (tmp_path / "c.xlsx").exists()
    assert main(["compare", "--unit", "0201011", "--year", "2024", "--db", str(db)]) == 2     # unknown unit
    assert main(["compare", "--unit", "1603011", "--year", "1990", "--db", str(db)]) == 2     # outside the data
    capsys.readouterr()
    assert main(["indicators", "--cohorts", "--unit", "1603011", "--db", str(db), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["censored_at"] == "2025-01-15" and list(found["episodes"]) == ["2023", "2024", "2025"]
    assert found["episodes"]["2023"] == {"n": 1, "goals": {"12": 0.0, "24": None, "36": None},
                                         "other": {"12": 0.0, "24": None, "36": None}}   # 455 days: after 12 months
    assert found["placements"] == {}
    assert main(["indicators", "--cohorts", "--db", str(db)]) == 2   # --cohorts needs --unit


def test_a_unit_with_exports_but_no_episode_is_in_the_warehouse(db, load_rows, capsys):
    from builders import episode, family

    from pipeline.cli import main

    load_rows({"rodziny": [family("F1")], "asystentury": [episode("E1", "F1", "2024-02-01")]})
    load_rows({"rodziny": [], "asystentury": []}, unit="1661011")   # exports, no episode at all
    assert main(["compare", "--unit", "1661011", "--year", "2024", "--db", str(db), "--peers", "all"]) == 0
    out = capsys.readouterr().out
    assert "nie ma w magazynie" not in out
    assert "ma wczytane eksporty, ale w 2024 r. nie miała żadnej asystentury" in out
    assert main(["compare", "--unit", "1603011", "--year", "2024", "--db", str(db), "--peers", "all"]) == 0
    out = capsys.readouterr().out
    assert "2 jednostki (z wybraną)" in out and "nie miała żadnej asystentury" not in out
