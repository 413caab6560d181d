"""Entry cohorts with competing outcomes: the exact Aalen–Johansen estimate on hand-worked cohorts."""

from __future__ import annotations

import numpy as np
import pytest
from builders import child, episode, family, placement

from pipeline.indicators import cohorts
from pipeline.warehouse.connection import connect

KINDS = ("goals", "other")


def test_aalen_johansen_by_hand_with_ties_and_a_censored_family():
    # six episodes: 91 goals, 91 other (a tie of both outcomes), 150 censored, 200 goals and 200 censored
    # (outcomes first: the censored one is still at risk at 200), 400 other.
    # t=91:  n=6, CIF_goals = 1/6, CIF_other = 1/6, S = 4/6
    # t=200: n=3, CIF_goals = 1/6 + 4/6 * 1/3 = 7/18, S = 4/6 * 2/3 = 4/9
    # t=400: n=1, CIF_other = 1/6 + 4/9 = 11/18, S = 0
    days = [91, 91, 150, 200, 200, 400]
    outcomes = ["goals", "other", None, "goals", None, "other"]
    steps = cohorts.incidence_steps(days, outcomes, KINDS)
    assert [(s.t, s.at_risk, s.events) for s in steps] == [
        (91, 6, {"goals": 1, "other": 1}), (200, 3, {"goals": 1, "other": 0}), (400, 1, {"goals": 0, "other": 1})]
    expected = {91: (3 / 18, 3 / 18, 12 / 18), 200: (7 / 18, 3 / 18, 8 / 18), 400: (7 / 18, 11 / 18, 0.0)}
    for s in steps:
        g, o, remaining = expected[s.t]
        assert s.incidence["goals"] == pytest.approx(g) and s.incidence["other"] == pytest.approx(o)
        assert s.remaining == pytest.approx(remaining)
        assert s.incidence["goals"] + s.incidence["other"] + s.remaining == pytest.approx(1.0)   # at each time
    assert cohorts.incidence_at(steps, 90, KINDS) == {"goals": 0.0, "other": 0.0}
    assert cohorts.incidence_at(steps, 365, KINDS) == pytest.approx({"goals": 7 / 18, "other": 3 / 18})
    assert cohorts.incidence_at(steps, 400, KINDS) == pytest.approx({"goals": 7 / 18, "other": 11 / 18})


def test_against_lifelines_aalen_johansen_without_ties():
    from lifelines import AalenJohansenFitter

    rng = np.random.default_rng(3)
    days = rng.permutation(np.arange(1, 401))[:120]          # distinct times: lifelines jitters ties, we do not
    kind = rng.choice([0, 1, 2], size=120, p=[0.3, 0.4, 0.3])  # 0 censored, 1 goals, 2 other
    outcomes = [None if k == 0 else KINDS[k - 1] for k in kind]
    steps = cohorts.incidence_steps(days.tolist(), outcomes, KINDS)
    for k, name in ((1, "goals"), (2, "other")):
        ajf = AalenJohansenFitter(calculate_variance=False).fit(days, kind, event_of_interest=k)
        cif = ajf.cumulative_density_.iloc[:, 0]
        for h in (50, 180, 365):
            theirs = float(cif[cif.index <= h].iloc[-1])
            assert cohorts.incidence_at(steps, h, KINDS)[name] == pytest.approx(theirs, abs=1e-9)


def test_unknown_outcome_is_refused():
    with pytest.raises(ValueError):
        cohorts.incidence_steps([10], ["returned"], KINDS)


def _load(load_rows):
    load_rows({
        "rodziny": [family(f) for f in ("F1", "F2", "F3", "F4", "F5", "F6")],
        "asystentury": [
            episode("E1", "F1", "2024-01-01", "2024-03-31"),                    # 91 days, goals
            episode("E2", "F2", "2024-02-01", "2024-05-01", "brak efektów"),    # 91 days, other
            episode("E3", "F3", "2024-03-01", "2024-07-28"),                    # 150 days, goals
            episode("E4", "F4", "2024-06-01"),                                  # ongoing: censored at 2026-01-15
            episode("E5", "F5", "2025-06-01"),                                  # 2025: 12 months not yet observed
            episode("E6", "F6", "2026-02-01"),                                  # started after the export date
        ],
        "dzieci": [child("D1", "F1", "2015-01"), child("D3", "F3", "2016-01"), child("D4", "F4", "2017-01")],
        "piecza": [
            placement("U1", "D1", "2024-02-01", "2024-05-31"),                  # 121 days, returned home
            placement("U3", "D3", "2024-04-01"),                                # ongoing
            placement("U4", "D4", "2023-01-01", "2023-06-30", "przysposobienie"),  # F4 had no episode then
        ],
    }, exported="2026-01-15", start="2024-01-01", end="2025-12-31")


def test_entry_cohorts_of_a_unit_as_cli_json(db, load_rows):
    _load(load_rows)
    con = connect(db, read_only=True)
    try:
        out = cohorts.entry_cohorts(con, "1603011")
        assert cohorts.entry_cohorts(con, "0201011") is None
    finally:
        con.close()
    assert out["unit"] == "1603011" and out["censored_at"] == "2026-01-15"
    # cohort 2024: t=91 n=4 -> goals 1/4, other 1/4, S 1/2; t=150 n=2 -> goals 1/4 + 1/2 * 1/2 = 1/2.
    # 12 months observable (2025-12-31 <= 2026-01-15); 24 and 36 not (null, not zero)
    e = out["episodes"]
    assert list(e) == ["2024", "2025", "2026"]
    assert e["2024"] == {"n": 4, "goals": {"12": pytest.approx(0.5), "24": None, "36": None},
                         "other": {"12": pytest.approx(0.25), "24": None, "36": None}}
    assert e["2025"] == {"n": 1, "goals": {"12": None, "24": None, "36": None},
                         "other": {"12": None, "24": None, "36": None}}
    # every member started after the export date: not observable, not zero
    assert e["2026"] == e["2025"]
    p = out["placements"]
    assert list(p) == ["2024", "2025", "2026"]
    assert p["2024"] == {"n": 2, "returned": {"12": pytest.approx(0.5), "24": None}, "other": {"12": 0.0, "24": None}}
    assert p["2025"] == {"n": 0, "returned": {"12": None, "24": None}, "other": {"12": None, "24": None}}


def test_number_at_risk_and_the_notebook_frame(db, load_rows):
    _load(load_rows)
    con = connect(db, read_only=True)
    try:
        found, c = cohorts.unit_cohorts(con, "1603011", "episodes")
    finally:
        con.close()
    assert c.isoformat() == "2026-01-15"
    assert found[0].at_risk == {"12": 1, "24": None, "36": None}   # only the ongoing E4 (594 days) is past 365
    frame = cohorts.cohort_frame(found, "episodes")
    row = frame.filter((frame["rok_rozpoczecia"] == 2024) & (frame["miesiace"] == 12)
                       & (frame["zdarzenie"] == "zakończenie z osiągnięciem celów")).row(0, named=True)
    assert row["skumulowana_czestosc"] == pytest.approx(0.5) and row["w_ryzyku"] == 1 and row["obserwowalne"]
    assert frame.filter(frame["rok_rozpoczecia"] == 2025)["obserwowalne"].to_list() == [False] * 6


def test_no_member_at_all_gives_empty_tables(db, load_rows):
    load_rows({"rodziny": [], "asystentury": []}, exported="2025-01-15")
    con = connect(db, read_only=True)
    try:
        out = cohorts.entry_cohorts(con, "1603011")
    finally:
        con.close()
    assert out == {"unit": "1603011", "censored_at": "2025-01-15", "episodes": {}, "placements": {}}


def test_cohorts_table_shows_the_number_at_risk(db, load_rows, capsys):
    from pipeline.cli import main

    _load(load_rows)
    assert main(["indicators", "--cohorts", "--unit", "1603011", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = next(line for line in lines if line.strip().startswith("rok"))
    assert header.rstrip().endswith("w ryzyku 12 m.  w ryzyku 24 m.  w ryzyku 36 m.")
    # cohort 2024: 4 episodes; by day 365 two ended (t=91) and one (t=150); E4 is ongoing (594 days) -> 1 at risk;
    # 24 and 36 months are not observable
    row = next(line for line in lines if line.strip().startswith("2024") and "50,0%" in line).split()
    assert row[-3:] == ["1", "nieobs.", "nieobs."]
    assert "m. = miesięcy od rozpoczęcia" in out and "m. = miesięcy od umieszczenia" in out
    placements = out.split("Umieszczenia w pieczy")[1].splitlines()
    assert placements[1].rstrip().endswith("w ryzyku 12 m.  w ryzyku 24 m.") and placements[2].split()[0] == "2024"
    # placements 2024: U1 returned at 121 days, U3 ongoing since 2024-04-01 (655 days at the export) -> 1 at risk at 12 m.
    assert placements[2].split()[-2:] == ["1", "nieobs."]
    assert main(["indicators", "--cohorts", "--unit", "1603011", "--db", str(db), "--format", "json"]) == 0
    assert "at_risk" not in capsys.readouterr().out   # the JSON keeps the contract's keys


def test_cohorts_with_a_year_or_period_is_a_usage_error(db, load_rows, capsys):
    from pipeline.cli import main

    _load(load_rows)
    for extra in (["--year", "2024"], ["--period", "2024-H1"], ["--years", "2023-2024"]):
        assert main(["indicators", "--cohorts", "--unit", "1603011", "--db", str(db), *extra]) == 2
        assert "bez --year, --years i --period" in capsys.readouterr().err
