"""The programme evaluation: hand-worked costs and FTE, and conclusions that follow the data.

Cases of the issue: (a) the demo funding, (b) programme years only, (c) one year only, (d) no
funding file, (e) a year with no goal-achieved closure; each runs (also as notebook 04) and the
sentences change when the data change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from builders import assignment, assistant, episode, family

from pipeline.indicators import evaluation as figures
from pipeline.indicators import measures
from pipeline.outputs.evaluation import report as evaluation
from pipeline.outputs.notebooks.runner import execute, summary
from pipeline.read.funding import read_funding
from pipeline.warehouse.connection import connect, open_for_writing
from pipeline.warehouse.funding import load_funding

ROOT = Path(__file__).resolve().parents[1]
DEMO_FUNDING = ROOT / "data" / "reference" / "finansowanie.csv"
HEADER = "jednostka;rok;zrodlo;kwota;liczba_asystentow\n"


def _funding(con, tmp_path: Path, lines: list[str]) -> None:
    con.execute("DELETE FROM raw.funding")
    if lines:
        path = tmp_path / "finansowanie.csv"
        path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
        load_funding(con, read_funding(path))


@pytest.fixture(scope="module")
def demo_base(demo_warehouse) -> Path:
    """The demo exports and the demo funding (conftest: loaded once for the whole run; copied before a change)."""
    return demo_warehouse


def _variant(demo_base: Path, tmp_path: Path, lines: list[str] | None) -> Path:
    """A copy of the demo warehouse with other funding rows (None: the demo's own)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    db = tmp_path / "variant.duckdb"
    shutil.copy(demo_base, db)
    if lines is not None:
        con = open_for_writing(db)
        try:
            _funding(con, tmp_path, lines)
        finally:
            con.close()
    return db


def _demo_lines(keep=lambda year, source: True, scale=lambda year, source: 1.0) -> list[str]:
    out = []
    for line in DEMO_FUNDING.read_text(encoding="utf-8").splitlines()[1:]:
        unit, year, source, amount, staff = line.split(";")
        if keep(int(year), source):
            value = float(amount.replace(",", ".")) * scale(int(year), source)
            out.append(f"{unit};{year};{source};{value:.2f}".replace(".", ",") + f";{staff}")
    return out


def _evaluate(db: Path, year: int) -> evaluation.Evaluation:
    con = connect(db, read_only=True)
    try:
        return evaluation.evaluate(con, year, None, 15)
    finally:
        con.close()


def _text(e: evaluation.Evaluation) -> str:
    return "\n".join(e.conclusions)


# ---- hand-worked figures -------------------------------------------------------------------------

@pytest.fixture
def small_unit(db, load_rows, tmp_path):
    """Two years: A1 at 0.5 FTE throughout, A2 full-time from 1 July 2024.  Families: F1 all along,
    F2 in 2024 only and closed with goals achieved on 30 June 2024, F3 closed in 2023 without success."""
    load_rows({
        "asystenci": [assistant("A1", "2020-01-01", fte=0.5), assistant("A2", "2024-07-01")],
        "rodziny": [family("F1"), family("F2"), family("F3")],
        "asystentury": [episode("E1", "F1", "2023-01-01"),
                        episode("E2", "F2", "2024-02-01", "2024-06-30"),
                        episode("E3", "F3", "2023-01-01", "2023-05-31", reason="brak współpracy rodziny")],
        "przydzialy": [assignment("P1", "E1", "A1", "2023-01-01"), assignment("P2", "E2", "A1", "2024-02-01", "2024-06-30"),
                       assignment("P3", "E3", "A1", "2023-01-01", "2023-05-31")],
    }, start="2023-01-01", end="2024-12-31")
    con = open_for_writing(db)
    try:
        _funding(con, tmp_path, ["1603011;2023;środki własne;30000,00;1", "1603011;2024;środki własne;30000,00;2",
                                 "1603011;2024;program Asystent rodziny;15000,00;2"])
    finally:
        con.close()
    return db


def test_mean_fte_is_the_yearly_average_of_wymiar_etatu(small_unit):
    con = connect(small_unit, read_only=True)
    try:
        assert measures.mean_fte(con, 2023) == pytest.approx(0.5)
        # 366 days at 0.5, plus 184 days (1 July .. 31 December) at 1.0
        assert measures.mean_fte(con, 2024) == pytest.approx((0.5 * 366 + 184) / 366)
        assert measures.mean_fte(con, 2019) == 0.0  # nobody employed: 0, not a division by zero
    finally:
        con.close()


def test_costs_by_hand(small_unit):
    e = _evaluate(small_unit, 2024)
    rows = {r["year"]: r for r in e.costs.iter_rows(named=True)}
    assert set(rows) == {2023, 2024}
    y23, y24 = rows[2023], rows[2024]
    assert (y23["total"], y23["programme_share"], y23["families_supported"]) == (30000.0, 0.0, 2)
    assert y23["families_closed_goals_achieved"] == 0 and y23["cost_per_goal"] is None  # no goal closure: empty
    assert y23["cost_per_family"] == pytest.approx(15000.0)
    assert y23["cost_per_fte"] == pytest.approx(60000.0)
    assert y24["total"] == 45000.0 and y24["programme_share"] == pytest.approx(1 / 3)
    assert y24["families_supported"] == 2 and y24["cost_per_family"] == pytest.approx(22500.0)
    assert y24["cost_per_goal"] == pytest.approx(45000.0)
    assert y24["cost_per_fte"] == pytest.approx(45000.0 / ((0.5 * 366 + 184) / 366))
    before, with_programme = e.periods.row(0, named=True), e.periods.row(1, named=True)
    assert before["period"] == "przed programem (2023)" and with_programme["period"] == "z programem (2024)"
    assert with_programme["own"] == 30000.0 and with_programme["programme"] == 15000.0
    text = _text(e)
    text = text.replace("\u00a0", " ")
    assert "W 2024 r. program „Asystent rodziny” pokrył 33,3% kosztów pracy asystentów (15 000,00 zł z 45 000,00 zł)." in text
    assert "Koszt na rodzinę wzrósł: 15 000,00 zł przed programem (2023) wobec 22 500,00 zł z programem (2024) (+50,0%)." in text
    assert "pochodzi głównie z dofinansowania z programu" in text  # own funds flat: 30 000 both years
    assert "Zakończeń jest za mało (1 przed programem, 1 z programem" in text
    assert "przed programem są dane tylko za 2023 r." in text  # sensitivity: 2, 3 and 5 years are the same year


def test_year_before_the_programme_gives_no_comparison(small_unit):
    e = _evaluate(small_unit, 2023)  # --year 2023: the 2024 money is not used
    assert e.costs["year"].to_list() == [2023]
    text = _text(e)
    assert "W 2023 r. nie zakończono współpracy z żadną rodziną z osiągnięciem celów" in text
    assert "Do 2023 r. ośrodek nie otrzymał środków z programu" in text
    assert "tylko 2023 r." in text


def test_ratio_never_divides_by_zero():
    assert figures.ratio(5.0, 0) is None and figures.ratio(None, 2) is None and figures.ratio(5.0, None) is None
    assert figures.ratio(0.0, 4) == 0.0 and figures.ratio(6.0, 4) == 1.5


# ---- the five cases of the issue, on the demo warehouse -----------------------------------------------------

CASES = {
    # (a) the demo funding: own funds flat (+4,1%), the rise in cost per family is the grant
    "a_demo": (None, 2024, ["pokrył 31,7% kosztów", "pochodzi głównie z dofinansowania z programu",
                            "przed programem (2020–2022)", "nie zależy od wyboru lat przed programem"]),
    # (b) a centre's first funding file: programme years only
    "b_programme_years_only": (_demo_lines(keep=lambda y, s: y >= 2023), 2024,
                               ["nie ma roku przed programem", "pokrył 31,7% kosztów", "Analizy wrażliwości nie ma"]),
    # (c) one year only
    "c_one_year": (_demo_lines(keep=lambda y, s: y == 2024), 2024,
                   ["obejmują tylko 2024 r.", "nie ma roku przed programem"]),
    # (d) no funding file
    "d_no_funding": ([], 2024, ["Brak danych o finansowaniu"]),
    # (e) a year with no goal-achieved closure (2012 in the demo: 22 families, no closure yet)
    "e_no_goal_closure": (None, 2012, ["nie zakończono współpracy z żadną rodziną z osiągnięciem celów",
                                       "Do 2012 r. ośrodek nie otrzymał środków z programu"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_evaluation_cases(demo_base, tmp_path, case):
    lines, year, expected = CASES[case]
    db = _variant(demo_base, tmp_path, lines)
    e = _evaluate(db, year)
    text = _text(e)
    for sentence in expected:
        assert sentence in text, (sentence, text)
    assert evaluation.CAVEAT in e.conclusions  # the caveats stay whatever the data
    assert all(y <= year for y in e.costs["year"].to_list())
    # the notebook runs to the end on the same data and says the same
    nb = execute(ROOT / "notebooks" / "04_ewaluacja_programu.py",
                 {"db": str(db), "year": year, "figures_dir": str(tmp_path / "out" / "figures")})
    assert [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"] == []
    assert summary(nb)["conclusions"] == e.conclusions
    workbook = tmp_path / "out" / f"ewaluacja_programu_{year}.xlsx"
    assert workbook.exists() == (e.costs.height > 0)


def test_conclusions_change_when_the_data_change(demo_base, tmp_path):
    """Swap the demo's flat own funds for rising or falling ones: a different sentence, with the figures."""
    flat = _text(_evaluate(_variant(demo_base, tmp_path / "flat", None), 2024))
    up = _text(_evaluate(_variant(demo_base, tmp_path / "up", _demo_lines(
        scale=lambda y, s: 1.8 if y >= 2023 and s == "środki własne" else 1.0)), 2024))
    down = _text(_evaluate(_variant(demo_base, tmp_path / "down", _demo_lines(
        scale=lambda y, s: 0.5 if y >= 2023 and s == "środki własne" else 1.0)), 2024))
    assert "pochodzi głównie z dofinansowania z programu" in flat
    assert "Środki własne ośrodka wzrosły" in up and "większą część wzrostu dały środki własne" in up
    assert "pochodzi głównie z dofinansowania" not in up
    assert "Środki własne ośrodka spadły" in down and "zastąpił środki ośrodka" in down
    assert len({flat, up, down}) == 3


def test_evaluation_follows_the_year(demo_base):
    e2022 = _evaluate(demo_base, 2022)
    assert max(e2022.costs["year"].to_list()) == 2022
    assert "Do 2022 r. ośrodek nie otrzymał środków z programu" in _text(e2022)
    e2023 = _evaluate(demo_base, 2023)
    assert e2023.periods["period"].to_list() == ["przed programem (2020–2022)", "z programem (2023)"]


def test_funding_workbook_has_polish_headers_and_empty_cells(demo_base, tmp_path):
    import openpyxl

    e = _evaluate(demo_base, 2024)
    path = evaluation.write_funding_workbook(tmp_path / "ewaluacja.xlsx", e)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["koszty według lat", "przed i z programem"]
    ws = book["koszty według lat"]
    headers = [c.value for c in ws[1]]
    assert headers == [c.label for c in evaluation.COST_COLUMNS]
    first = [c.value for c in ws[2]]  # 2012: no goal-achieved closure -> an empty cell, never an error value
    assert first[0] == 2012 and first[headers.index("koszt na zakończenie z osiągnięciem celów")] is None
    assert ws.cell(2, headers.index("koszt na rodzinę") + 1).number_format == '#,##0.00 "zł"'
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in ws.iter_rows() for c in row)
