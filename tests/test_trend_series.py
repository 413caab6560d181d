"""The trend computes every year in a few statements over a series of years: the same values as year by year."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import assistant, episode, family, load_export, read_export

from pipeline.indicators import registry
from pipeline.jobs.run import demo_exports
from pipeline.sql import query
from pipeline.warehouse.connection import connect, open_for_writing


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """The shipped demo exports loaded without the GX gate (what the figures read is the same)."""
    db = tmp_path_factory.mktemp("series") / "warehouse.duckdb"
    con = open_for_writing(db)
    try:
        for path in demo_exports():
            data = read_export(path)
            assert not data.problems, [p.describe() for p in data.problems]
            load_export(con, data)
    finally:
        con.close()
    return db


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
