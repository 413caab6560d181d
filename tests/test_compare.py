"""`compare`: peers' quartiles, rank, funnel verdicts and "too small to compare", on hand-made unit tables."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.indicators.comparison import FLOAT_COLUMNS, UNIT_COLUMNS, compare, quartiles, rank_of
from pipeline.indicators.funnel import limits
from pipeline.outputs.comparison.compare import as_text, write

RURAL = ("0201012", "0201022", "0201032", "0201042", "0201052")


def units(rows: dict[str, dict]) -> pl.DataFrame:
    """A unit table with every column (0 / None where not given)."""
    full = []
    for u, v in rows.items():
        base = {c: 0 for c in UNIT_COLUMNS[1:8]} | {"families_per_fte": None, "cost": None, "mean_fte": None}
        full.append({"jednostka": u} | base | v)
    return pl.DataFrame(full, schema={c: (pl.String if c == "jednostka" else pl.Float64 if c in FLOAT_COLUMNS
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
                      "families_per_fte": float(n), "mean_fte": 2.5} for u, (g, n) in closed.items()})


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
    ws = wb["Porównanie"]
    assert [ws.cell(1, j).value for j in range(1, 16)] == [
        "miara", "jednostka", "licznik", "mianownik", "mianownik to", "grupa: 1. kwartyl", "grupa: mediana",
        "grupa: 3. kwartyl", "pozycja (1 = najwyższa)", "ex aequo do pozycji", "z (jednostek porównywalnych)",
        "łączna stopa grupy", "poza granicą 95%", "poza granicą 99,8%", "ocena"]
    # goals share: numbers with formats, never text ('90,0%', '9 / 10' were text before)
    assert (ws["B2"].value, ws["B2"].number_format, ws["B2"].data_type) == (pytest.approx(0.9), "0.0%", "n")
    assert (ws["C2"].value, ws["C2"].number_format) == (9, "#,##0") and (ws["D2"].value, ws["D2"].number_format) == (10, "#,##0")
    assert ws["E2"].value == "rodziny, z którymi zakończono pracę"
    assert ws["G2"].value == pytest.approx(0.5) and ws["G2"].number_format == "0.0%"
    assert (ws["I2"].value, ws["J2"].value, ws["K2"].value) == (1, 1, 4) and ws["L2"].number_format == "0.0%"
    assert (ws["M2"].value, ws["N2"].value) == ("Tak", "Nie")
    # families per FTE: a decimal over the mean FTE (2,5), no families as its denominator
    assert ws["A6"].value == "średnio rodzin na etat asystenta"
    assert (ws["B6"].value, ws["B6"].number_format) == (10.0, "#,##0.0") and ws["C6"].value is None
    assert (ws["D6"].value, ws["D6"].number_format) == (2.5, "#,##0.0") and ws["E6"].value == "etaty asystentów (średnio w roku)"
    assert (ws["I6"].value, ws["J6"].value, ws["K6"].value) == (1, 4, 5)   # 10, 10, 10, 10 of 5: places 1-4
    assert ws["A3"].value == "udział rodzin zobowiązanych przez sąd" and (ws["I3"].value, ws["J3"].value) == (1, 5)
    for row in ws.iter_rows(min_row=2, max_row=7, min_col=2, max_col=12):
        assert all(cell.value is None or cell.data_type == "n" for cell in row if cell.column != 5)   # E: text
    members = wb["Jednostki w grupie"]
    fte_n = [members.cell(1, j).value for j in range(1, 15)].index("mianownik: etaty asystentów (średnio w roku)") + 1
    assert members.cell(2, fte_n).value == 2.5
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
               "asystentury": [episode("E1", "F1", "2023-01-01", "2024-03-31"), episode("E2", "F2", "2024-02-01")]},
              start="2023-01-01")  # the exports cover E1's start: the 2023 cohort is observed from it
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


def test_ties_share_their_places():
    from pipeline.indicators.comparison import rank_range
    from pipeline.outputs.comparison.compare import place

    assert rank_range(0.0, [0.0] * 9) == (1, 9)
    assert rank_range(0.3, [0.1, 0.3, 0.3, 0.5]) == (2, 3)
    assert rank_range(0.5, [0.1, 0.3, 0.5]) == (1, 1)   # no tie: one place
    assert place(1, 9, 9) == "1–9 z 9 (ex aequo)"
    assert place(2, 2, 4) == "2 z 4" and place(None, None, None) == "—"


def test_all_units_at_zero_do_not_rank_first():
    nine = units({f"0201{i}2": {"families_supported": 10} for i in range(10, 19)})
    c = compare(nine, "0201102", 2024, "all")
    court = c.table.filter(pl.col("key") == "court_share").row(0, named=True)
    assert (court["pozycja"], court["pozycja_do"], court["z"]) == (1, 9, 9)
    (line,) = [x for x in as_text(c).split("\n") if x.startswith("udział rodzin zobowiązanych przez sąd")]
    assert line.split()[5:12] == ["0,0%", "0", "/", "10", "0,0%", "0,0%", "0,0%"] and "  1–9 z 9 (ex aequo)  " in line
    assert " 1 z 9 " not in as_text(c)


def test_families_per_fte_shows_the_fte_as_its_denominator():
    c = compare(_group(), RURAL[0], 2024, "type", name="MOPS Testowo")
    text = as_text(c)
    assert "średnio rodzin na etat asystenta                          10,0       — / 2,5 etatu" in text
    assert "/ 30" not in text.split("średnio rodzin na etat")[1].split("\n")[0]
    small = compare(_group(), RURAL[4], 2024, "type").table.filter(pl.col("key") == "families_per_fte").row(0, named=True)
    assert small["ocena"] == "w porównaniu z kwartylami grupy (bez granic kontrolnych: to nie jest odsetek)"  # 6 >= 5
    tiny = units({RURAL[0]: {"families_supported": 4, "families_per_fte": 4.0, "mean_fte": 1.0},
                  RURAL[1]: {"families_supported": 5, "families_per_fte": 5.0, "mean_fte": 1.0},
                  RURAL[2]: {"families_supported": 9, "families_per_fte": 9.0, "mean_fte": 1.0}})
    row = compare(tiny, RURAL[0], 2024, "type").table.filter(pl.col("key") == "families_per_fte").row(0, named=True)
    assert row["ocena"] == "za mało, by porównywać (rodzin objętych wsparciem 4 < 5)" and row["mianownik"] == 1.0
    row = compare(tiny, RURAL[1], 2024, "type").table.filter(pl.col("key") == "families_per_fte").row(0, named=True)
    assert (row["pozycja"], row["z"]) == (2, 2)   # 5 families: at the threshold, compared (4 is not)


def test_the_title_shows_the_units_name(tmp_path):
    c = compare(_group(), RURAL[0], 2024, "type", name="GOPS Wiejska Wola")
    assert as_text(c).startswith("Jednostka GOPS Wiejska Wola (0201012), rok 2024; grupa porównawcza (rodzaj gminy)")
    (page, *_) = write(c, tmp_path / "p.html")
    text = page.read_text(encoding="utf-8")
    assert "<title>Porównanie: GOPS Wiejska Wola (0201012) — 2024</title>" in text
    assert "<h1>Gdzie stoi jednostka GOPS Wiejska Wola (0201012) — 2024 r.</h1>" in text


def test_alone_in_its_type_falls_back_to_the_nearest_non_empty_group(tmp_path):
    from openpyxl import load_workbook

    from pipeline.indicators.comparison import compare_nearest
    from pipeline.outputs.comparison.compare import NOTEBOOK_HINT, fallback_line, headline

    # an urban gmina (R 1) among rural ones: alone in its type; 30 families: in the size band 20-49 with two of them
    rows = {"0201011": {"families_supported": 30}, RURAL[0]: {"families_supported": 25},
            RURAL[1]: {"families_supported": 49}, RURAL[2]: {"families_supported": 50}, "1661011": {"families_supported": 19}}
    c = compare_nearest(units(rows), "0201011", 2024, "type")
    assert c.kind == "size" and c.group == "20–49 rodzin" and c.members == ["0201011", RURAL[0], RURAL[1]]
    line = ("W grupie „gminy miejskie” (rodzaj gminy) nie ma innych jednostek: porównujemy z najbliższą niepustą "
            "grupą, „20–49 rodzin” (wielkość: rodziny objęte wsparciem).")
    assert fallback_line(c) == line and as_text(c).split("\n")[0] == line
    (book,) = write(c, tmp_path / "f.xlsx")
    assert line in [cell.value for (cell,) in load_workbook(book)["Porównanie"].iter_rows(min_col=2, max_col=2)]
    # (notes begin in B: the sheet prints on two pages across, its first column repeated)
    # alone in its size band too: the voivodeship (dolnośląskie: the rural ones), never the city in Opolskie
    rows["0201011"] = {"families_supported": 200}
    c = compare_nearest(units(rows), "0201011", 2024, "type")
    assert c.kind == "voivodeship" and c.members == ["0201011", *RURAL[:3]]
    assert fallback_line(c) == ("Ani w grupie „gminy miejskie” (rodzaj gminy), ani w grupie „100 i więcej rodzin” "
                                "(wielkość: rodziny objęte wsparciem) nie ma innych jednostek: porównujemy z najbliższą "
                                "niepustą grupą, „województwo dolnośląskie” (województwo).")
    # a group that is not empty: no fallback, no line
    c = compare_nearest(units(rows), RURAL[0], 2024, "type")
    assert c.kind == "type" and c.left == () and fallback_line(c) is None
    # alone everywhere (one unit): nothing to fall back to, the headline says why; the notebook's hint has no CLI flag
    one = compare_nearest(units({"0201011": {"families_supported": 30}}), "0201011", 2024, "type")
    assert one.kind == "type" and one.left == () and "tylko ta jedna jednostka" in headline(one)
    city = compare(units(rows), "1661011", 2024, "type")
    assert headline(city, NOTEBOOK_HINT).endswith(
        "nie ma z kim porównać (zmień parametr peers w pierwszej komórce notatnika).") and "--peers" not in NOTEBOOK_HINT
