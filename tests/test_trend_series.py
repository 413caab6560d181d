"""The trend computes every year in a few statements over a series of years: the same values as year by year."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import activity, assignment, assistant, child, episode, family, project

from pipeline.contract import TABLES
from pipeline.indicators import registry
from pipeline.sql import query, sql_text
from pipeline.warehouse.connection import connect


@pytest.fixture(scope="module")
def demo_db(demo_warehouse) -> Path:
    """The shipped demo exports loaded without the GX gate (conftest: once for the whole run)."""
    return demo_warehouse


@pytest.mark.parametrize("limit", [15, 3])
def test_the_series_equals_year_by_year_on_the_demo(demo_db, limit):
    con = connect(demo_db, read_only=True)
    try:
        units = [None, query(con, "SELECT min(jednostka) AS u FROM core.asystentury")["u"][0]]
        years = list(range(2011, 2027))
        for unit in units:
            series = registry.compute_years(con, years, unit, limit)
            assert list(series) == years
            for y in years:
                assert series[y] == registry.compute(con, y, unit, limit), (unit, y)
        assert any(series[y]["families_supported"] for y in years)  # the demo has data: the comparison is not empty
    finally:
        con.close()


def test_the_series_keeps_the_order_asked_and_repeats(demo_db):
    con = connect(demo_db, read_only=True)
    try:
        series = registry.compute_years(con, [2025, 2013, 2013, 2020])
        assert list(series) == [2025, 2013, 2020]
        assert series[2013] == registry.compute(con, 2013)
        assert registry.compute_years(con, []) == {}
    finally:
        con.close()


def test_year_boundaries_in_the_series(db, load_rows):
    load_rows({
        "asystenci": [
            assistant("A1", "2012-04-01"),
            assistant("A2", "2020-01-01", end="2023-12-31"),    # last day worked 31 Dec 2023
            assistant("A3", "2024-12-31"),                      # starts on the last day of 2024
            assistant("A4", "2010-01-01", end="2024-01-01"),    # last day worked 1 Jan 2024
        ],
        "rodziny": [family("R1"), family("R2")],
        "asystentury": [episode("E1", "R1", "2022-03-01", "2023-12-31", reason="osiągnięcie celów"),
                        episode("E2", "R2", "2024-01-01")],
    })
    con = connect(db, read_only=True)
    try:
        series = registry.compute_years(con, [2022, 2023, 2024, 2025])
    finally:
        con.close()
    assert [series[y]["assistants"] for y in (2022, 2023, 2024, 2025)] == [3, 3, 3, 2]
    assert [series[y]["families_supported"] for y in (2022, 2023, 2024, 2025)] == [1, 1, 1, 1]
    assert [series[y]["families_closed"] for y in (2022, 2023, 2024, 2025)] == [0, 1, 0, 0]
    assert series[2023]["families_closed_by_reason"] == {"osiągnięcie celów": 1}
    assert series[2024]["families_closed_by_reason"] == {}
    assert series[2023]["median_closed_episode_days"] == 671.0  # 1 Mar 2022 .. 31 Dec 2023, both ends: 306 + 365
    assert series[2024]["median_closed_episode_days"] is None


def test_the_work_log_projects_and_caseload_at_year_boundaries_in_the_series(db, load_rows):
    """The figures the series computes over its whole span (records counted in the year of their date, caseload
    segments swept once and cut at each year's first and last day) at 31 Dec / 1 Jan, worked out by hand."""
    load_rows({
        "asystenci": [assistant("A1", "2020-01-01")],
        "rodziny": [family("R1"), family("R2")],
        "asystentury": [episode("E1", "R1", "2023-06-01", "2024-01-01"), episode("E2", "R2", "2023-12-31")],
        "przydzialy": [assignment("P1", "E1", "A1", "2023-06-01"), assignment("P2", "E2", "A1", "2023-12-31")],
        "dzialania": [activity("Z1", "E1", "A1", "2023-12-31", "porada", 2), activity("Z2", "E1", "A1", "2024-01-01"),
                      activity("Z3", "E2", "A1", "2024-12-31", "konsultacja", 3),
                      activity("Z4", "E2", "A1", "2025-01-01", "konsultacja", 4)],
        "projekty": [project("J1", "Warsztaty", "2023-11-01", "2023-12-31", 4),
                     project("J2", "Piknik", "2023-12-01", "2024-01-01", 5)],
    }, exported="2025-03-01", start="2020-01-01", end="2025-02-28")
    years = [2023, 2024, 2025]
    con = connect(db, read_only=True)
    try:
        series = registry.compute_years(con, years, limit=1)
        by_year = {y: registry.compute(con, y, limit=1) for y in years}
    finally:
        con.close()

    def figure(key: str) -> list:
        return [series[y][key] for y in years]

    assert figure("advice_sessions") == [2, 1, 0]          # 31 Dec 2023: 2; 1 Jan 2024: an empty liczba counts 1
    assert figure("consultations") == [0, 3, 4]
    assert figure("projects_completed") == [1, 1, 0]        # a project belongs to the year it ended
    assert figure("project_children") == [4, 5, 0]
    assert figure("max_caseload") == [2, 2, 1]              # R1 and R2 together on 31 Dec 2023 and 1 Jan 2024 only
    assert figure("caseload_breach_days") == [1, 1, 0]      # above 1 family: a segment cut at both sides of New Year
    assert series == by_year


def test_only_plain_dated_records_are_counted_by_year():
    """`dated_by` promises a figure whose SQL only picks rows by that one date: no DISTINCT, no join, no clipping."""
    dated = [i for i in registry.INDICATORS if i.dated_by]
    assert {i.key for i in dated} == {"advice_sessions", "consultations", "home_visits", "diagnostic_group_meetings",
                                      "skill_trainings", "projects_completed", "project_children"}
    for i in dated:
        sql = i.sql.upper()
        assert f"{i.dated_by.upper()} BETWEEN $D0 AND $D1" in sql, i.key
        assert "DISTINCT" not in sql and "JOIN" not in sql and "CLIP_" not in sql and sql.count("$D0") == 1, i.key


def test_children_and_problems_at_year_boundaries_in_the_series(db, load_rows):
    """The figures the series counts from spans forms (each member's rows expanded to the years they overlap):
    an 18th birthday at New Year, an episode ending 31 Dec and the next starting 1 Jan, an episode starting on
    31 Dec, a child born after the family's last episode, two episodes of one family in one year; by hand."""
    load_rows({
        "rodziny": [family("R1"), family("R2"), family("R3")],
        "asystentury": [episode("E1", "R1", "2021-05-01", "2023-12-31"), episode("E2", "R1", "2024-01-01"),
                        episode("E3", "R2", "2024-12-31", "2025-03-31"),
                        episode("E4", "R3", "2022-01-01", "2022-06-30"), episode("E5", "R3", "2022-09-01", "2022-12-31")],
        "dzieci": [child("C1", "R1", "2006-01"),   # a minor until 31 Dec 2023: 18 on 1 Jan 2024, the first day of E2
                   child("C2", "R1", "2007-01"),   # a minor until 31 Dec 2024
                   child("C3", "R2", "2010-05"),   # E3's one day of 2024 counts
                   child("C4", "R3", "2015-01"),   # in both episodes of 2022: once
                   child("C5", "R2", "2025-02"),   # born during E3
                   child("C6", "R3", "2023-01")],  # born the day after R3's last episode ended: never
        "problemy": [{"id_problemu": "B1", "id_asystentury": "E1", "problem": "ubóstwo"},
                     {"id_problemu": "B2", "id_asystentury": "E2", "problem": "ubóstwo"},
                     {"id_problemu": "B6", "id_asystentury": "E1", "problem": "bezrobocie"},
                     {"id_problemu": "B3", "id_asystentury": "E4", "problem": "przemoc domowa"},
                     {"id_problemu": "B4", "id_asystentury": "E5", "problem": "przemoc domowa"},
                     {"id_problemu": "B5", "id_asystentury": "E3", "problem": "niepełnosprawność"}],
    }, exported="2026-03-01", start="2020-01-01", end="2026-02-28")
    years = [2021, 2022, 2023, 2024, 2025, 2026]
    con = connect(db, read_only=True)
    try:
        unit = query(con, "SELECT min(jednostka) AS u FROM core.asystentury")["u"][0]
        series = registry.compute_years(con, years)
        assert registry.compute_years(con, years, unit) == series
        by_year = {y: registry.compute(con, y) for y in years}
    finally:
        con.close()
    assert [series[y]["children_in_supported_families"] for y in years] == [2, 3, 2, 2, 2, 0]
    assert [series[y]["families_supported"] for y in years] == [1, 2, 1, 2, 2, 1]
    assert [series[y]["families_by_problem"] for y in years] == [
        {"ubóstwo": 1, "bezrobocie": 1},
        {"ubóstwo": 1, "bezrobocie": 1, "przemoc domowa": 1},
        {"ubóstwo": 1, "bezrobocie": 1},
        {"ubóstwo": 1, "niepełnosprawność": 1},   # bezrobocie was E1's only, E2 began on 1 Jan 2024
        {"ubóstwo": 1, "niepełnosprawność": 1},
        {"ubóstwo": 1},
    ]
    assert series == by_year


def test_the_spans_forms_are_of_counted_figures():
    """A spans form counts distinct members: only figures counted with count(*), and every breakdown's column is in it."""
    for key in registry.EXPLAINABLE + tuple(b.key for b in registry.BREAKDOWNS):
        if registry.has_spans(key):
            assert key not in registry.BY_KEY or registry.BY_KEY[key].aggregate == "count(*)", key
            sql = registry.spans_sql(key)
            assert "s_from" in sql and "s_to" in sql and "$d0" not in sql and "$d1" not in sql, key
    assert registry.has_spans("children_in_supported_families") and registry.has_spans("families_by_problem")


def test_the_work_log_figures_are_one_kind_of_the_shared_work_log_sql():
    """The series sums every kind of the work log in one scan: that equals the figures only while each is exactly
    `activities_in_period` of its kind, summed, and its kind is one of the contract's."""
    kinds = TABLES["dzialania"].column("rodzaj").values
    work_log = [i for i in registry.INDICATORS if i.activity_kind]
    assert {i.key for i in work_log} == {"advice_sessions", "consultations", "home_visits", "diagnostic_group_meetings",
                                         "skill_trainings"}
    for i in work_log:
        assert i.activity_kind in kinds, i.key
        assert i.aggregate == "coalesce(sum(liczba), 0)", i.key
        text = sql_text(f"indicators/sql/figures/{i.key}.sql")
        assert text == ("SELECT jednostka, id_dzialania, id_asystentury, data, liczba\n"
                        f"FROM ({{activities_in_period}})\nWHERE rodzaj = '{i.activity_kind}'\n"), i.key
    # no other figure reads the work log behind the series' back
    for i in registry.INDICATORS:
        if not i.activity_kind:
            assert "stg_activities" not in i.sql, i.key
