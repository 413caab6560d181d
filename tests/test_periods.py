"""Periods: the parser, figures for half-years that cut through episodes, placements, court decisions and
assignments (hand-worked), the identity year vs H1 + H2, stock at the period's end and the breakdowns."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from builders import activity, assignment, assistant, child, episode, family, placement

from pipeline.indicators import registry
from pipeline.indicators.breakdowns import (
    BREAKDOWNS,
    compute_stock_and_breakdowns,
    duration_bucket,
    duration_buckets,
)
from pipeline.indicators.periods import PeriodError, parse_period
from pipeline.warehouse.connection import connect

H1, H2, YEAR = parse_period("2024-H1"), parse_period("2024-H2"), parse_period("2024")


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2024", "2024-01-01", "2024-12-31"),
    ("2024-H1", "2024-01-01", "2024-06-30"),
    ("2024-h2", "2024-07-01", "2024-12-31"),
    ("2024-Q1", "2024-01-01", "2024-03-31"),
    ("2023-Q1", "2023-01-01", "2023-03-31"),
    ("2024-Q2", "2024-04-01", "2024-06-30"),
    ("2024-Q3", "2024-07-01", "2024-09-30"),
    ("2024-Q4", "2024-10-01", "2024-12-31"),
    ("2024-01-01..2024-06-30", "2024-01-01", "2024-06-30"),
    (" 2024-02-29..2024-02-29 ", "2024-02-29", "2024-02-29"),
])
def test_parse_period(text, start, end):
    p = parse_period(text)
    assert (p.start, p.end) == (date.fromisoformat(start), date.fromisoformat(end))
    assert p.as_json() == {"from": start, "to": end}


def test_period_names_and_days():
    assert parse_period("2024").is_year and parse_period("2024").year == 2024
    assert parse_period("2024-01-01..2024-12-31").is_year
    assert not H1.is_year and H1.year is None
    assert (H1.days, H2.days, YEAR.days) == (182, 184, 366)
    assert H2.polish() == "II półrocze 2024 (01.07.2024–31.12.2024)"
    assert parse_period("2024-Q3").polish() == "III kwartał 2024 (01.07.2024–30.09.2024)"
    assert YEAR.polish() == "rok 2024 (01.01.2024–31.12.2024)"
    assert parse_period("2024-02-01..2024-03-15").polish() == "01.02.2024–15.03.2024"


@pytest.mark.parametrize(("text", "message"), [
    ("2024-H3", "H1 albo H2"),
    ("2024-Q5", "Q1, Q2, Q3 albo Q4"),
    ("2024-06-30..2024-01-01", "pierwszy dzień jest po ostatnim"),
    ("2023-02-29..2023-03-01", "nie jest prawdziwą datą"),
    ("H1-2024", "nie rozumiem okresu"),
    ("0999", "poza zakresem"),
    ("", "nie rozumiem okresu"),
])
def test_parse_period_errors_are_polish(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text)


def _cut_case() -> dict:
    """Things that cut through 30 June / 1 July 2024 (every expected value below is worked out by hand)."""
    return {
        "asystenci": [
            assistant("A1", "2020-01-01"),
            assistant("A2", "2024-04-01"),                                    # H1: 91 of 182 days
            assistant("A3", "2019-01-01", end="2024-06-30", fte=0.5,          # last day worked 30 June
                      forma_zatrudnienia="umowa cywilnoprawna", system_czasu_pracy="podstawowy"),
        ],
        "rodziny": [family("R1"), family("R2"), family("R3", wielodzietna=True), family("F4"), family("F5"), family("F6")],
        "asystentury": [
            episode("E1", "R1", "2024-03-01", court="2024-07-01"),            # court decision dated 1 July
            episode("E2", "R2", "2023-05-01", "2024-06-30"),                  # ends 30 June, goals achieved
            episode("E3", "R3", "2024-01-01"),
            episode("E4", "F4", "2024-06-29"),
            episode("E5", "F5", "2024-06-29", za_zyciem=True),
            episode("E6", "F6", "2024-06-29", "2024-07-02", "brak efektów"),  # 4 days, closed in H2
        ],
        "przydzialy": [                                                       # A2: 3 families 29 June - 2 July
            assignment("P4", "E4", "A2", "2024-06-29", "2024-07-02"),
            assignment("P5", "E5", "A2", "2024-06-29", "2024-07-02"),
            assignment("P6", "E6", "A2", "2024-06-29"),                       # empty data_do: to 2 July
        ],
        "dzieci": [
            child("D1", "R1", "2006-07"),                                     # 18 on 1 July 2024
            child("D2", "R2", "2015-01"),
            child("D3", "R3", "2010-01"), child("D4", "R3", "2012-01"), child("D5", "R3", "2013-01"),
            child("D6", "R3", "2000-01"),                                     # an adult all year
            child("D7", "R3", "2016-01"),
        ],
        "piecza": [placement("U1", "D3", "2024-05-01", "2024-07-01")],        # returns home on 1 July
        "dzialania": [
            activity("Z1", "E1", "A1", "2024-06-30", "porada", 3),
            activity("Z2", "E1", "A1", "2024-07-01", "porada"),               # empty liczba = 1
            activity("Z3", "E3", "A1", "2024-12-31", "konsultacja", 2),
            activity("Z4", "E3", "A1", "2024-01-01", "konsultacja"),
        ],
    }


def _figures(db: Path, when, limit: int = 15) -> dict:
    con = connect(db, read_only=True)
    try:
        return registry.compute(con, when, None, limit)
    finally:
        con.close()


def _extra(db: Path, when) -> dict:
    con = connect(db, read_only=True)
    try:
        return compute_stock_and_breakdowns(con, when)
    finally:
        con.close()


def test_half_years_cut_through_episodes_placements_decisions_and_assignments(db, load_rows):
    load_rows(_cut_case())
    h1, h2, year = _figures(db, H1, limit=2), _figures(db, H2, limit=2), _figures(db, 2024, limit=2)
    assert (h1["families_court_obliged"], h2["families_court_obliged"], year["families_court_obliged"]) == (0, 1, 1)
    assert (h1["families_closed"], h2["families_closed"], year["families_closed"]) == (1, 1, 2)          # R2; F6
    assert (h1["families_closed_goals_achieved"], h2["families_closed_goals_achieved"]) == (1, 0)
    assert (h1["families_supported"], h2["families_supported"], year["families_supported"]) == (6, 5, 6)  # R2 not in H2
    assert (h1["children_returned_home"], h2["children_returned_home"], year["children_returned_home"]) == (0, 1, 1)
    # the placement 1 May - 1 July is active in both halves
    assert (h1["families_with_children_in_foster_care"], h2["families_with_children_in_foster_care"]) == (1, 1)
    # D1 is a minor until 30 June: H1 D1 D2 D3 D4 D5 D7, H2 D3 D4 D5 D7
    assert (h1["children_in_supported_families"], h2["children_in_supported_families"]) == (6, 4)
    # A2 has 3 families 29 June - 2 July: limit 2 is broken on 29, 30 June and on 1, 2 July
    assert (h1["caseload_breach_days"], h2["caseload_breach_days"], year["caseload_breach_days"]) == (2, 2, 4)
    assert (h1["max_caseload"], h2["max_caseload"]) == (3, 3)
    assert (h1["advice_sessions"], h2["advice_sessions"], year["advice_sessions"]) == (3, 1, 4)
    assert (h1["consultations"], h2["consultations"], year["consultations"]) == (1, 2, 3)
    assert (h1["assistants"], h2["assistants"]) == (3, 2)
    assert (h1["families_za_zyciem"], h2["families_za_zyciem"]) == (1, 1)
    assert h2["median_closed_episode_days"] == 4.0 and h1["median_closed_episode_days"] == 427.0  # 1 May 2023 - 30 June 2024


def test_year_is_the_same_as_its_period(db, load_rows):
    load_rows(_cut_case())
    assert _figures(db, 2024) == _figures(db, YEAR)


ADDITIVE = ("advice_sessions", "consultations", "caseload_breach_days")


def test_year_equals_h1_plus_h2_for_flows_and_at_most_for_distinct_counts(db, load_rows):
    load_rows(_cut_case())
    for limit in (0, 2, 15):
        h1, h2, year = _figures(db, H1, limit), _figures(db, H2, limit), _figures(db, 2024, limit)
        quarters = [_figures(db, parse_period(f"2024-Q{q}"), limit) for q in (1, 2, 3, 4)]
        for i in registry.INDICATORS:
            if i.key in ADDITIVE:
                assert year[i.key] == h1[i.key] + h2[i.key] == sum(q[i.key] for q in quarters), i.key
            elif i.aggregate == "count(*)":
                assert year[i.key] <= h1[i.key] + h2[i.key], i.key
                assert max(h1[i.key], h2[i.key]) <= year[i.key], i.key
    # strictly less where something spans the cut: families supported 6 < 6 + 5
    assert _figures(db, 2024)["families_supported"] < _figures(db, H1)["families_supported"] + _figures(db, H2)["families_supported"]


def test_stock_at_the_end_of_each_half(db, load_rows):
    load_rows(_cut_case())
    assert _extra(db, H1)["stock"] == {"assistants_at_end": 3, "assistants_fte_at_end": 2.5,   # A3 works on 30 June
                                       "families_at_end": 6, "children_at_end": 6}             # R2 ends on 30 June
    assert _extra(db, H2)["stock"] == {"assistants_at_end": 2, "assistants_fte_at_end": 2.0,
                                       "families_at_end": 4, "children_at_end": 4}             # R1 R3 F4 F5; D3 D4 D5 D7
    assert _extra(db, H2)["on"] == "2024-12-31"


def test_breakdowns_hand_worked(db, load_rows):
    load_rows(_cut_case())
    h1, h2 = _extra(db, H1)["breakdowns"], _extra(db, H2)["breakdowns"]
    assert h1["assistants_by_employment"] == {"umowa o pracę": {"zadaniowy": 2}, "umowa cywilnoprawna": {"podstawowy": 1}}
    # A1 1.0 x 182/182 + A2 1.0 x 91/182; A3 0.5 x 182/182
    assert h1["assistants_fte_by_employment"] == {"umowa o pracę": {"zadaniowy": 1.5}, "umowa cywilnoprawna": {"podstawowy": 0.5}}
    assert h1["assistants_fte_by_employment_at_end"] == {"umowa o pracę": {"zadaniowy": 2.0}, "umowa cywilnoprawna": {"podstawowy": 0.5}}
    assert h2["assistants_by_employment_at_end"] == {"umowa o pracę": {"zadaniowy": 2}}
    assert h1["families_by_children"] == {"0": 3, "1": 2, "2": 0, "3": 0, "4+": 1}   # R1, R2 one each; R3 four minors
    assert h2["families_by_children"] == {"0": 4, "1": 0, "2": 0, "3": 0, "4+": 1}   # R1's D1 is 18 from 1 July
    assert h1["families_large"] == {"wielodzietne": 1, "pozostałe": 5}
    assert h2["families_by_court_obligation"] == {"zobowiązane przez sąd": 1, "bez zobowiązania": 4}
    assert h1["families_by_court_obligation"] == {"zobowiązane przez sąd": 0, "bez zobowiązania": 6}
    assert h1["families_by_za_zyciem"] == {"„Za życiem”": 1, "pozostałe": 5}
    assert h1["episodes_closed_by_duration"] == {"<1": 0, "1-2": 1, "2-3": 0, "3+": 0}   # E2: 1 May 2023 - 30 June 2024
    assert h2["episodes_closed_by_duration"] == {"<1": 1, "1-2": 0, "2-3": 0, "3+": 0}   # E6: 4 days
    # at 31 Dec: E1 (from 1 Mar) <1, E3 1 Jan - 31 Dec is exactly one full year, E4 E5 <1
    assert h2["episodes_ongoing_by_duration"] == {"<1": 3, "1-2": 1, "2-3": 0, "3+": 0}
    assert h1["episodes_ongoing_by_duration"] == {"<1": 5, "1-2": 1, "2-3": 0, "3+": 0}   # E2 on 30 June: 1 full year


def test_breakdowns_add_up_to_their_totals(db, load_rows):
    load_rows(_cut_case())
    for when in (H1, H2, YEAR, parse_period("2024-Q3")):
        flows, extra = _figures(db, when), _extra(db, when)
        b, stock = extra["breakdowns"], extra["stock"]
        totals = flows | stock | {"episodes_closed": b["episodes_closed"]}
        for f in BREAKDOWNS:
            counts = b[f.key]
            flat = [n for v in counts.values() for n in (v.values() if isinstance(v, dict) else [v])]
            assert sum(flat) == totals[f.total], (when.name, f.key)
        with_children = sum(n for k, n in b["families_by_children"].items() if k != "0")
        assert with_children + b["families_by_children"]["0"] == flows["families_supported"]
        assert b["episodes_closed"] >= flows["families_closed"]
        assert sum(b["assistants_fte_by_employment_at_end"].get(f, {}).get(s, 0) for f in b["assistants_fte_by_employment_at_end"]
                   for s in b["assistants_fte_by_employment_at_end"][f]) == stock["assistants_fte_at_end"]


def test_families_with_children_bucket_sums_to_families_with_a_minor(db, load_rows):
    load_rows(_cut_case())
    b = _extra(db, H1)["breakdowns"]["families_by_children"]
    con = connect(db, read_only=True)
    try:
        with_minor = registry.run_sql(con, "SELECT DISTINCT jednostka, id_rodziny FROM ({c})".replace(
            "{c}", registry.members_sql("children_in_supported_families")), H1, None).height
    finally:
        con.close()
    assert with_minor == 3 and sum(n for k, n in b.items() if k != "0") == with_minor


def test_duration_buckets_are_a_parameter():
    assert duration_buckets() == ("<1", "1-2", "2-3", "3+")
    assert duration_buckets((2, 5)) == ("<2", "2-5", "5+")
    assert [duration_bucket(n) for n in (0, 1, 2, 3, 9)] == ["<1", "1-2", "2-3", "3+", "3+"]
    assert duration_bucket(4, (2, 5)) == "2-5"


def test_full_years_on_anniversaries(db, load_rows):
    load_rows({"rodziny": [family(f"R{i}") for i in range(4)], "asystentury": [
        episode("E0", "R0", "2021-07-01", "2024-06-30"),   # exactly 3 full years
        episode("E1", "R1", "2021-07-02", "2024-06-30"),   # one day short of 3
        episode("E2", "R2", "2023-07-01", "2024-06-29"),   # one day short of 1
        episode("E3", "R3", "2022-07-01", "2024-06-30"),   # exactly 2
    ]})
    assert _extra(db, H1)["breakdowns"]["episodes_closed_by_duration"] == {"<1": 1, "1-2": 0, "2-3": 2, "3+": 1}


def test_cli_period_json_and_year_is_the_same_as_period(db, load_rows, capsys):
    from pipeline.cli import main

    load_rows(_cut_case())
    assert main(["indicators", "--period", "2024-H2", "--db", str(db), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "year" not in out and out["period"] == {"from": "2024-07-01", "to": "2024-12-31"} and out["unit"] is None
    assert out["indicators"]["families_court_obliged"] == 1 and out["stock"]["families_at_end"] == 4
    assert out["breakdowns"]["families_by_children"]["4+"] == 1
    assert main(["indicators", "--year", "2024", "--db", str(db), "--format", "json"]) == 0
    by_year = json.loads(capsys.readouterr().out)
    assert main(["indicators", "--period", "2024", "--db", str(db), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == by_year
    assert by_year["year"] == 2024 and by_year["period"] == {"from": "2024-01-01", "to": "2024-12-31"}
    assert main(["indicators", "--period", "2024-H1", "--db", str(db), "--explain", "families_closed"]) == 0
    assert capsys.readouterr().out.split() == ["jednostka,id_rodziny", "1603011,R2"]


@pytest.mark.parametrize("argv", [
    ["--period", "2024-H3"], ["--period", "2024", "--year", "2024"], ["--period", "2024-H1", "--publish"],
])
def test_cli_period_usage_errors(db, load_rows, capsys, argv):
    from pipeline.cli import main

    load_rows(_cut_case())
    with pytest.raises(SystemExit) as e:  # argparse's own errors exit 2 as well
        code = main(["indicators", "--db", str(db), *argv])
        raise SystemExit(code)
    assert e.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
