"""The needs for the year planned (issue 27): hand-worked survivors, arrivals, FTE at the limit, cost, backtest."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from builders import assistant, episode, family

from pipeline.indicators import measures, needs, registry
from pipeline.warehouse.connection import connect, open_for_writing

# ---------------------------------------------------------------- pure functions


def table_curve() -> needs.Curve:
    """A known duration table: half the episodes last 10 days, a quarter 20, a quarter more than 30."""
    return needs.Curve(np.array([10.0, 20.0]), np.array([0.5, 0.25]))


def test_curve_steps_at_its_times():
    c = table_curve()
    assert list(c.at(np.array([0, 9, 10, 19, 20, 400]))) == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]


def test_survivors_of_a_small_stock_under_a_known_duration_table():
    # family 1 has been 5 days in its episode on C, family 2 15 days; on day C+k each survives with S(a+k-1)/S(a).
    # k:         1      5              6               15             16
    # family 1:  S(5)=1 S(9)=1         S(10)=0.5       S(19)=0.5      S(20)=0.25
    # family 2:  1      S(19)/S(15)=1  S(20)/0.5=0.5   S(29)/0.5=0.5  S(30)/0.5=0.5
    got = needs.stock_survival(np.array([5.0, 15.0]), table_curve(), np.array([1, 5, 6, 15, 16]))
    assert got == pytest.approx([2.0, 2.0, 1.0, 1.0, 0.75])


def test_the_stock_is_whole_on_the_first_day():
    ages = np.array([1.0, 9.0, 10.0, 25.0])
    assert needs.stock_survival(ages, table_curve(), np.array([1]))[0] == pytest.approx(4.0)


@pytest.mark.parametrize(("days", "ended"), [
    ([10, 10, 20, 30], [True, True, True, False]),
    ([5, 5, 5, 8, 8, 12, 12, 12, 40, 41], [True, False, True, False, True, True, True, False, False, True]),
    ([3, 3], [False, False]),
])
def test_kaplan_meier_is_the_projects_curve(days, ended):
    durations = pl.DataFrame({"days": days, "ended": ended})
    lifelines = needs.curve_from_frame(measures.kaplan_meier_curve(durations))
    own = needs.curve_of(durations)
    t = np.arange(0, 45)
    assert list(own.at(t)) == pytest.approx(list(lifelines.at(t)))


def test_kaplan_meier_of_a_known_table():
    # 4 episodes: 2 end on day 10 (4 at risk: S = 1/2), 1 on day 20 (2 at risk: S = 1/4), 1 still going on day 30
    own = needs.curve_of(pl.DataFrame({"days": [10, 10, 20, 30], "ended": [True, True, True, False]}))
    assert own.at(np.array([9, 10, 19, 20, 30])) == pytest.approx([1.0, 0.5, 0.5, 0.25, 0.25])


def test_durations_drawn_from_a_curve_follow_it():
    c = table_curve()
    assert list(c.draw(np.array([0.9, 0.5, 0.3, 0.25, 0.1]))) == [10.0, 10.0, 20.0, 20.0, np.inf]


def test_arrivals_at_a_known_rate_stay_by_the_curve():
    # one new family a day; S(0) = S(1) = 1, S(2) = 0.5: day 0: 1; day 1: 2; day 2: 1 + 1 + 0.5
    c = needs.Curve(np.array([2.0]), np.array([0.5]))
    assert needs.arrivals_active(np.ones(4), c) == pytest.approx([1.0, 2.0, 2.5, 3.0])


def test_a_flat_monthly_rate_is_the_mean_and_no_trend():
    rate = needs.monthly_rate(np.array([2.0, 1.0, 3.0] * 12))
    assert not rate.trend_used and rate.mean_monthly == pytest.approx(2.0)
    assert rate.months == pytest.approx([2.0] * 12) and rate.months.sum() == pytest.approx(24.0)
    assert rate.p_value > 0.05


def test_a_clear_trend_is_used_and_extrapolated():
    counts = np.array([1.0] * 12 + [4.0] * 12 + [9.0] * 12)
    rate = needs.monthly_rate(counts)
    assert rate.trend_used and rate.p_value < 0.05
    assert rate.months[0] > 9.0 and np.all(np.diff(rate.months) > 0)


def test_fewer_than_two_years_of_months_give_no_trend():
    rate = needs.monthly_rate(np.array([1.0] * 11 + [20.0] * 12))
    assert not rate.trend_used and rate.p_value is None


@pytest.mark.parametrize(("peak", "limit", "fte"), [
    (15, 15, 1), (16, 15, 2), (14.4, 15, 1), (15.4, 15, 1), (15.5, 15, 2), (14.5, 15, 1), (16.5, 15, 2), (15.49, 15, 1),
    (0, 15, 0), (30, 15, 2),
    (31, 15, 3), (20, 20, 1), (21, 20, 2),
])
def test_fte_needed_is_the_ceiling_of_peak_over_limit(peak, limit, fte):
    assert needs.fte_needed(peak, limit) == fte


def test_a_lower_limit_never_needs_fewer_fte():
    for peak in range(0, 120):
        needed = [needs.fte_needed(peak, limit) for limit in range(1, 31)]
        assert all(a >= b for a, b in itertools.pairwise(needed)), peak


def test_fte_needed_refuses_a_limit_below_one():
    with pytest.raises(ValueError):
        needs.fte_needed(10, 0)


def test_a_certain_duration_and_no_arrivals_simulate_exactly():
    # every episode lasts 100 days; 3 families have been 50 days in theirs on 31.12.2024, none arrive
    durations = pl.DataFrame({"days": [100, 100, 100, 50, 50, 50], "ended": [True, True, True, False, False, False]})
    h = needs.History(date(2024, 12, 31), durations, np.array([50.0, 50.0, 50.0]), np.zeros(36))
    sim = needs.simulate(h, needs.monthly_rate(h.monthly_new), 2025, 20, bootstrap=False)
    # active on days C+1 .. C+50 (indexes 0..49: up to 19 February), not on 1 March
    assert set(sim["supported"]) == {3.0} and set(sim["peak"]) == {3.0}
    assert list(sim["at_firsts"][0][:3]) == [3.0, 3.0, 0.0]
    p = needs.project(h, 2025, replicates=20, bootstrap=False)
    assert p["families_supported"] == {"expected": 3.0, "low": 3.0, "high": 3.0}
    assert p["active_on_first_day"][1]["expected"] == pytest.approx(3.0)
    assert p["active_on_first_day"][2]["expected"] == pytest.approx(0.0)


def test_the_last_day_of_a_certain_duration():
    # a 60-day episode 10 days old on C is active on days C+1..C+50: 19 February is index 49
    durations = pl.DataFrame({"days": [60, 10], "ended": [True, False]})
    h = needs.History(date(2024, 12, 31), durations, np.array([10.0]), np.zeros(36))
    sim = needs.simulate(h, needs.monthly_rate(h.monthly_new), 2025, 1, bootstrap=False)
    assert sim["at_firsts"][0][1] == 1.0   # 1 February: index 31
    exp = needs.stock_survival(h.ages, needs.curve_of(durations), np.array([50, 51]))
    assert exp == pytest.approx([1.0, 0.0])


def test_the_simulation_is_reproducible():
    durations = pl.DataFrame({"days": [30, 200, 400, 90, 500], "ended": [True, True, True, False, False]})
    h = needs.History(date(2024, 12, 31), durations, np.array([90.0, 500.0]), np.full(36, 2.0))
    a = needs.project(h, 2025, replicates=50)
    b = needs.project(h, 2025, replicates=50)
    assert a == b
    assert a["families_supported"]["expected"] == pytest.approx(2 + 24)
    assert a["families_supported"]["low"] < 26 < a["families_supported"]["high"]


def test_coverage_of_need():
    assert needs.coverage_of_need(60, None) is None
    assert needs.coverage_of_need(60, 80) == {"need_families": 80, "supported": 60, "share": 0.75, "gap": 20}
    assert needs.coverage_of_need(90, 80)["gap"] == 0


# ---------------------------------------------------------------- from a real warehouse


def history_case() -> dict:
    """Five years of a small unit (2020-2024): closures, a stock on 31.12.2024, new families each year."""
    eps = [
        episode("E1", "R1", "2019-05-01", "2021-04-30"),
        episode("E2", "R2", "2020-02-10", "2022-02-09"),
        episode("E3", "R3", "2020-07-01"),                                   # ongoing: 1645 days on 31.12.2024
        episode("E4", "R4", "2021-03-15", "2023-03-14"),
        episode("E5", "R5", "2022-01-01", "2022-12-31"),                     # ends on 31 Dec: not in the stock
        episode("E6", "R6", "2022-06-01", "2025-03-31"),                     # ends after C: ongoing on C
        episode("E7", "R7", "2023-01-01"),                                   # starts on 1 January: new in 2023
        episode("E8", "R1", "2023-05-10", "2024-01-01"),                     # R1 again: new in 2023
        episode("E9", "R8", "2024-02-01"),
        episode("E10", "R8", "2024-03-01", "2024-06-30", "brak efektów"),    # R8 twice in 2024: once
        episode("E11", "R9", "2024-12-31"),                                  # starts on C: in the stock, age 1
        episode("E12", "R10", "2025-02-01"),                                 # after C: does not exist on C
    ]
    return {
        "asystenci": [assistant("A1", "2018-01-01"), assistant("A2", "2024-06-16", fte=0.5),
                      assistant("A3", "2019-01-01", end="2024-12-31", fte=0.75), assistant("A4", "2025-01-01")],
        "rodziny": [family(f"R{i}") for i in range(1, 11)],
        "asystentury": eps,
    }


@pytest.fixture
def unit_db(db: Path, load_rows) -> Path:
    load_rows(history_case(), start="2020-01-01", end="2024-12-31", exported="2025-01-10")
    return db


def open_db(db: Path):
    return connect(db, read_only=True)


def test_history_as_known_on_the_cutoff(unit_db):
    con = open_db(unit_db)
    try:
        h = needs.history(con, date(2024, 12, 31), None)
    finally:
        con.close()
    # stock: R3 (since 2020-07-01), R6 (ends 2025-03-31, ongoing on C), R7, R8 (E9), R9 (starts on C)
    assert sorted(h.ages.tolist()) == [1.0, 335.0, 731.0, 945.0, 1645.0]
    # E12 starts after C: not a duration; E6 ends after C: censored at C (945 days); E1 began on 01.05.2019, before
    # the export's first day (01.01.2020): the exports hold only such episodes still going on then, so it is left out
    assert h.durations.height == 10
    assert h.durations.filter(pl.col("days") == 945)["ended"].to_list() == [False]
    # new families: 2022: R5 (Jan), R6 (Jun); 2023: R7 (Jan), R1 (May); 2024: R8 (Feb), R9 (Dec)
    months = {i: n for i, n in enumerate(h.monthly_new) if n}
    assert months == {0: 1, 5: 1, 12: 1, 16: 1, 25: 1, 35: 1}


def test_new_families_and_the_stock_add_up_to_families_supported(unit_db):
    con = open_db(unit_db)
    try:
        for year in (2022, 2023, 2024):
            h = needs.history(con, date(year, 12, 31), None, rate_years=1)
            before = needs.history(con, date(year - 1, 12, 31), None)
            assert len(before.ages) + h.monthly_new.sum() == registry.compute(con, year)["families_supported"]
    finally:
        con.close()


def test_employed_on_the_cutoff_and_the_monthly_fte(unit_db):
    con = open_db(unit_db)
    try:
        assert needs.employed(con, date(2024, 12, 31), None) == (3, 2.25)   # A1, A2 0.5, A3 0.75 (last day)
        months = needs.monthly_fte(con, 2024, None)
    finally:
        con.close()
    may, june, july = months[4], months[5], months[6]
    assert (may["assistants"], may["fte"], may["max_bonus"]) == (2, 1.75, 350.0)
    # A2 from 16 June: 15 of 30 days at 0.5 -> 0.25
    assert june["assistants"] == 3 and june["fte"] == pytest.approx(2.0) and june["max_bonus"] == pytest.approx(400.0)
    assert july["fte"] == pytest.approx(2.25)


def test_the_backtests_actual_is_families_supported_of_indicators(unit_db):
    con = open_db(unit_db)
    try:
        result = needs.needs(con, 2025, None, 15)
        rows = result["backtest"]["years"]
        assert [r["year"] for r in rows] == [2023, 2024]          # 3 years of history before each
        for r in rows:
            assert r["actual_families"] == registry.compute(con, r["year"])["families_supported"]
            assert r["projected_families"] == pytest.approx(
                len(needs.history(con, date(r["year"] - 1, 12, 31), None).ages)
                + needs.history(con, date(r["year"] - 1, 12, 31), None).monthly_new.mean() * 12)
        assert needs.actual_peak(con, 2024, None) == 5    # on 31 December: R3, R6, R7, R8, R9 (1 January: 4)
    finally:
        con.close()
    errors = [abs(r["projected_families"] - r["actual_families"]) for r in rows]
    assert result["backtest"]["mae_families"] == pytest.approx(sum(errors) / 2)


def test_the_projection_of_a_unit(unit_db):
    con = open_db(unit_db)
    try:
        r = needs.needs(con, 2025, None, 15, need_families=12)
    finally:
        con.close()
    assert r["status"] == needs.OK and r["reason"] is None
    p = r["projection"]
    assert p["stock"] == 5
    # new families 2022-2024: 6 in 36 months -> 2 a year
    assert p["new_families"]["expected"] == pytest.approx(2.0) and not p["new_families"]["trend_used"]
    assert p["families_supported"]["expected"] == pytest.approx(7.0)
    assert p["families_supported"]["low"] <= 7 <= p["families_supported"]["high"]
    assert r["fte"]["needed"] == needs.fte_needed(p["peak_active"]["expected"], 15) == 1
    assert r["fte"]["employed"] == 2.25 and r["fte"]["gap"] == pytest.approx(-1.25)
    assert r["cost"]["cost_per_fte"] is None and "brak danych o wydatkach na asystentów rodziny za rok 2024" in r["cost"]["reason"]
    # supported in 2024: R1 (until 1 January), R3, R6, R7, R8, R9
    assert r["coverage_of_need"] == {"need_families": 12, "supported": 6, "share": 0.5, "gap": 6}
    assert any("Kaplana–Meiera" in a for a in r["assumptions"])
    json.dumps(r)   # the command prints it


def test_cost_from_the_funding_file(unit_db):
    con = open_for_writing(unit_db)
    try:
        con.execute("INSERT INTO raw.funding VALUES ('1603011', 2024, 'środki własne', 90000, 2), "
                    "('1603011', 2024, 'program Asystent rodziny', 30000, 2)")
    finally:
        con.close()
    con = open_db(unit_db)
    try:
        fte = measures.mean_fte(con, 2024, None)
        c = needs.cost(con, 2025, None, 3, 2.25)
    finally:
        con.close()
    assert fte == pytest.approx(1.0 + 0.75 + 0.5 * 199 / 366)   # A2 from 16 June: 199 of 366 days
    assert c["cost_per_fte"] == pytest.approx(120000 / fte)
    assert c["cost_needed"] == pytest.approx(3 * 120000 / fte)
    assert c["programme_share"] == pytest.approx(0.25)
    assert c["programme_part"] == pytest.approx(0.25 * 3 * 120000 / fte)
    assert c["cost_gap"] == pytest.approx(0.75 * 120000 / fte)
    assert c["reason"] is None


def test_fewer_than_three_years_of_history(db, load_rows):
    load_rows(history_case(), start="2023-01-01", end="2024-12-31", exported="2025-01-10")
    con = open_db(db)
    try:
        r = needs.needs(con, 2025, None, 15)
    finally:
        con.close()
    assert r["status"] == needs.SHORT_HISTORY and "projection" not in r
    assert r["reason"] == ("eksporty obejmują 2 pełne lata przed rokiem 2025 (2023–2024); prognoza wymaga co najmniej 3 "
                           "lat (czasy trwania i napływ nowych rodzin)")


def test_exactly_three_years_of_history_is_enough(db, load_rows):
    load_rows(history_case(), start="2022-01-01", end="2024-12-31", exported="2025-01-10")
    con = open_db(db)
    try:
        r = needs.needs(con, 2025, None, 15)
    finally:
        con.close()
    assert r["status"] == needs.OK and r["backtest"]["years"] == []
    assert r["backtest"]["mae_families"] is None


def test_a_unit_with_no_episode(db, load_rows):
    load_rows({"asystenci": [assistant("A1")]}, start="2020-01-01", end="2024-12-31")
    con = open_db(db)
    try:
        r = needs.needs(con, 2025, "1603011", 15)
    finally:
        con.close()
    assert r["status"] == needs.NO_EPISODES
    assert r["reason"] == "jednostka 1603011 nie ma żadnej asystentury do 31.12.2024: nie ma z czego prognozować"
    assert r["employed"]["fte"] == 1.0


# ---------------------------------------------------------------- the command


@pytest.mark.parametrize("limit", ["0", "-1", "101", "abc"])
def test_a_limit_below_one_is_a_usage_error(unit_db, capsys, limit):
    from pipeline.cli import main

    with pytest.raises(SystemExit) as stop:   # argparse exits while reading the command line
        main(["needs", "--db", str(unit_db), f"--caseload-limit={limit}"])
    out, err = capsys.readouterr()
    assert stop.value.code == 2 and out == ""
    assert "oczekiwano liczby rodzin na asystenta od 1 do 100" in err and "Traceback" not in err


def test_the_limit_of_one_is_accepted(unit_db, cli):
    code, out, _ = cli("needs", "--db", str(unit_db), "--caseload-limit", "1", "--format", "json")
    r = json.loads(out)
    assert code == 0 and r["caseload_limit"] == 1
    assert r["fte"]["needed"] == needs.fte_needed(r["projection"]["peak_active"]["expected"], 1)


def test_the_command_json_defaults_to_the_year_after_the_latest_complete(unit_db, cli):
    code, out, _ = cli("needs", "--db", str(unit_db), "--format", "json", "--need-families", "12")
    assert code == 0
    r = json.loads(out)
    assert r["year"] == 2025 and r["data_until"] == "2024-12-31" and r["status"] == "ok"
    assert r["projection"]["stock"] == 5 and r["coverage_of_need"]["gap"] == 6
    assert [b["year"] for b in r["backtest"]["years"]] == [2023, 2024]


def test_the_command_table_is_polish_with_assumptions(unit_db, cli):
    code, out, _ = cli("needs", "--db", str(unit_db), "--year", "2025")
    assert code == 0
    assert "Potrzeby na rok 2025" in out and "dane do 31.12.2024" in out
    assert "rodziny objęte wsparciem w 2025" in out and "95%: od " in out
    assert "brak danych o wydatkach na asystentów rodziny za rok 2024" in out
    assert "nie wynika z eksportu" in out and "Założenia:" in out


def test_the_command_refuses_a_year_without_a_complete_previous_year(unit_db, cli):
    code, _, err = cli("needs", "--db", str(unit_db), "--year", "2026")
    assert code == 2 and "pełne lata do 2024" in err
    code, _, err = cli("needs", "--db", str(unit_db), "--year", "2020")
    assert code == 2 and "od 2020" in err


def test_the_command_short_history_says_why(db, load_rows, cli):
    load_rows(history_case(), start="2023-01-01", end="2024-12-31", exported="2025-01-10")
    code, out, _ = cli("needs", "--db", str(db), "--format", "json")
    r = json.loads(out)
    assert code == 0 and r["status"] == "za_krotka_historia" and "co najmniej 3 lat" in r["reason"]
    code, out, _ = cli("needs", "--db", str(db))
    assert code == 0 and "Prognozy nie ma: eksporty obejmują 2 pełne lata" in out


def test_the_workbook(unit_db, cli, tmp_path):
    import openpyxl

    path = tmp_path / "potrzeby.xlsx"
    code, out, _ = cli("needs", "--db", str(unit_db), "--out", str(path))
    assert code == 0 and f"zapisano {path}" in out
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["potrzeby 2025", "miesiące 2025", "trafność metody", "etaty 2024", "założenia"]
    fte = book["etaty 2024"]
    assert [c.value for c in fte[1]] == ["miesiąc (pierwszy dzień)", "asystenci zatrudnieni w miesiącu",
                                         "etaty (wymiar × część miesiąca)", "premia maks."]
    assert fte.cell(7, 3).value == pytest.approx(2.0) and fte.cell(7, 4).value == pytest.approx(400.0)   # June
    back = book["trafność metody"]
    assert [back.cell(i, 1).value for i in (2, 3)] == [2023, 2024]


def test_the_command_refuses_another_suffix(unit_db, cli, tmp_path):
    code, _, err = cli("needs", "--db", str(unit_db), "--out", str(tmp_path / "p.csv"))
    assert code == 2 and "plik .xlsx" in err


# ---------------------------------------------------------------- the sentences of the annual information


def test_the_annual_sentences_say_the_interval_in_words(unit_db):
    from pipeline.outputs.wording import needs_paragraphs

    con = open_db(unit_db)
    try:
        r = needs.needs(con, 2025, None, 15, need_families=12)
    finally:
        con.close()
    text = " ".join(needs_paragraphs(r))
    fs = r["projection"]["families_supported"]
    assert "Na koniec 2024 r. trwała współpraca z 5 rodzinami" in text
    assert f"z prawdopodobieństwem 95% od {round(fs['low'])} do {round(fs['high'])}" in text
    assert "Przy ustawowym limicie 15 rodzin na asystenta wymaga to 1 etatu asystenta rodziny" in text
    assert "zatrudnionych było 3 asystentów (2,25 etatu), więc obecne zatrudnienie wystarcza" in text
    assert "Kosztu nie podajemy: brak danych o wydatkach na asystentów rodziny za rok 2024" in text
    assert "luka wynosi 6 rodzin" in text and "tj. 50,0% z nich" in text
    assert "Ta sama metoda zastosowana do lat 2023–2024" in text


def test_the_annual_sentence_when_there_is_no_projection():
    from pipeline.outputs.wording import needs_paragraphs

    r = {"year": 2025, "caseload_limit": 15, "status": needs.SHORT_HISTORY, "reason": "eksporty obejmują 2 pełne lata"}
    assert needs_paragraphs(r) == ["Potrzeb na rok 2025 nie prognozujemy: eksporty obejmują 2 pełne lata."]


def test_a_gap_in_fte_is_said(unit_db):
    from pipeline.outputs.wording import fte_genitive, fte_words, needs_paragraphs

    con = open_db(unit_db)
    try:
        r = needs.needs(con, 2025, None, 1, with_backtest=False)    # a limit of 1 family: the peak in FTE
    finally:
        con.close()
    gap = r["fte"]["needed"] - 2.25
    assert gap > 0 and f"brakuje {fte_genitive(gap)}" in " ".join(needs_paragraphs(r))
    assert [fte_words(n) for n in (1, 2, 5, 22, 2.25, 4.5)] == ["1 etat", "2 etaty", "5 etatów", "22 etaty", "2,25 etatu", "4,5 etatu"]
    assert [fte_genitive(n) for n in (1, 2, 5, 0.75)] == ["1 etatu", "2 etatów", "5 etatów", "0,75 etatu"]


def test_the_annual_information_has_the_needs_section(unit_db, tmp_path):
    from docx import Document

    from pipeline.outputs.annual.report import write_report

    con = open_db(unit_db)
    try:
        html, docx = write_report(con, 2024, None, tmp_path / "out", 15)
    finally:
        con.close()
    page = html.read_text(encoding="utf-8")
    assert "<h2>Potrzeby na rok 2025</h2>" in page and "z\u00a0prawdopodobieństwem 95% od " in page
    texts = [p.text for p in Document(str(docx)).paragraphs]
    at = texts.index("Potrzeby na rok 2025")
    assert texts[at + 1].startswith("Na koniec 2024\u00a0r. trwała współpraca z\u00a05 rodzinami")


def test_the_annual_information_of_an_incomplete_year_says_why(db, load_rows, tmp_path):
    from pipeline.outputs.annual.report import needs_section

    load_rows(history_case(), start="2020-01-01", end="2024-06-30", exported="2024-07-10")
    con = open_db(db)
    try:
        assert needs_section(con, 2024, None, 15) == [
            "Potrzeb na rok 2025 nie prognozujemy: wczytane eksporty nie obejmują całego roku 2024 (do 31 grudnia)."]
    finally:
        con.close()


def test_the_notebook_frames(unit_db):
    from pipeline.outputs.notebooks import tables

    con = open_db(unit_db)
    try:
        plan = tables.needs_result(con, 2024, None, 15)
        assert tables.needs_result(con, 2025, None, 15) is None    # 2025 is not covered up to 31 December
    finally:
        con.close()
    months, backtest = tables.needs_frames(plan)
    assert months.height == 12 and months["month"][0] == date(2025, 1, 1)
    assert months["expected"][0] == pytest.approx(plan["projection"]["active_on_first_day"][0]["expected"])
    assert backtest["year"].to_list() == [2023, 2024]
    empty_months, empty_backtest = tables.needs_frames({"status": needs.SHORT_HISTORY, "monthly_fte": {"previous": []}})
    assert empty_months.height == 0 and empty_backtest.height == 0
