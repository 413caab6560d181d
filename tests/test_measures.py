"""Analytic measures on hand-worked fixtures (Kaplan–Meier checked against a hand computation)."""

from __future__ import annotations

import polars as pl
import pytest
from builders import assignment, assistant, episode, family

from pipeline.indicators import measures
from pipeline.warehouse.connection import connect


def _con(db):
    return connect(db, read_only=True)


def test_kaplan_meier_by_hand():
    # durations 10 (ended), 20 (censored), 30 (ended), 40 (ended)
    # S(10) = 3/4 = 0.75; S(30) = 0.75 * 1/2 = 0.375; S(40) = 0
    d = pl.DataFrame({"days": [10, 20, 30, 40], "ended": [True, False, True, True]})
    assert measures.kaplan_meier(d) == {"n": 4, "events": 3, "q25": 10.0, "median": 30.0, "q75": 40.0}
    curve = measures.kaplan_meier_curve(d)
    assert dict(zip(curve["days"].to_list(), curve["still_ongoing"].to_list(), strict=True))[30.0] == pytest.approx(0.375)


def test_kaplan_meier_from_the_warehouse_censors_ongoing_episodes(db, load_rows):
    load_rows({
        "rodziny": [family(f) for f in ("F1", "F2", "F3", "F4")],
        "asystentury": [
            episode("E1", "F1", "2024-01-01", "2024-01-10"),   # 10 days, ended
            episode("E2", "F2", "2024-12-27"),                 # ongoing: censored at 2025-01-15 -> 20 days
            episode("E3", "F3", "2024-01-01", "2024-01-30"),   # 30 days
            episode("E4", "F4", "2024-02-01", "2024-03-11"),   # 29 + 11 = 40 days
        ],
    })
    con = _con(db)
    try:
        assert measures.kaplan_meier(measures.episode_durations(con))["median"] == 30.0
    finally:
        con.close()


def test_caseload_per_assistant_and_per_fte(db, load_rows):
    load_rows({
        "asystenci": [assistant("A1", "2020-01-01", fte=0.5), assistant("A2", "2024-07-01")],
        "rodziny": [family("F1")],
        "asystentury": [episode("E1", "F1", "2023-01-01")],
        "przydzialy": [assignment("P1", "E1", "A1", "2023-01-01")],
    })
    con = _con(db)
    try:
        c = measures.caseload(con, 2024)
    finally:
        con.close()
    # 182 days (Jan-Jun) with 1 family / 1 assistant (0.5 FTE); 184 days with 1 family / 2 assistants (1.5 FTE)
    assert c["days"] == 366
    assert c["families_per_assistant"] == pytest.approx((182 * 1 + 184 * 0.5) / 366)
    assert c["families_per_fte"] == pytest.approx((182 * 2 + 184 / 1.5) / 366)


def test_reentry_within_twelve_months_by_reason(db, load_rows):
    load_rows({
        "rodziny": [family("F1"), family("F2"), family("F3")],
        "asystentury": [
            episode("E1", "F1", "2022-01-01", "2023-03-31", "brak efektów"),
            episode("E2", "F1", "2024-02-01"),                                   # 307 days later: a re-entry
            episode("E3", "F2", "2022-01-01", "2023-05-31", "osiągnięcie celów"),
            episode("E4", "F2", "2024-07-01"),                                   # 397 days later: not
            episode("E5", "F3", "2023-01-01", "2024-06-30", "inna"),             # its 12 months not yet observed
        ],
    })
    con = _con(db)
    try:
        rows = measures.reentry(con, 2023).iter_rows(named=True)
        r2023 = {row["przyczyna_zakonczenia"]: (row["closures"], row["reentries"]) for row in rows}
        r2024 = measures.reentry(con, 2024)
    finally:
        con.close()
    assert r2023 == {"brak efektów": (1, 1), "osiągnięcie celów": (1, 0)}
    assert r2024.height == 0
