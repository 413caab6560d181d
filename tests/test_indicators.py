"""Each indicator of INDICATORS.md on a small fixture whose answer was worked out by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from builders import activity, assignment, assistant, child, episode, family, placement, project

from pipeline.indicators import registry
from pipeline.warehouse.connection import connect

CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "contract" / "INDICATORS.md"


def figures(db: Path, year: int, unit: str | None = None, limit: int = 15) -> dict:
    con = connect(db, read_only=True)
    try:
        return registry.compute(con, year, unit, limit)
    finally:
        con.close()


def ids(db: Path, key: str, year: int, column: str, limit: int = 15) -> list[str]:
    con = connect(db, read_only=True)
    try:
        return sorted(set(registry.explain(con, key, year, None, limit)[column].to_list()))
    finally:
        con.close()


def test_registry_has_every_key_of_the_contract():
    keys = list(registry.CONTRACT_KEYS)
    if CONTRACT.exists():
        documented = re.findall(r"^\| `(\w+)` \|", CONTRACT.read_text(encoding="utf-8"), re.M)
        assert keys == documented
    assert len(keys) == 21 and len(set(keys)) == 21
    assert all(i.definicja and i.definition and i.label for i in (*registry.INDICATORS, *registry.BREAKDOWNS))


def test_assistants_employment_is_inclusive_at_both_ends(db, load_rows):
    load_rows({
        "asystenci": [
            assistant("A1", "2012-04-01"),                      # still employed
            assistant("A2", "2020-01-01", end="2023-12-31"),    # last day worked 31 Dec 2023
            assistant("A3", "2024-12-31"),                      # starts on the last day of 2024
            assistant("A4", "2010-01-01", end="2024-01-01"),    # last day worked 1 Jan 2024
        ],
    })
    assert figures(db, 2024)["assistants"] == 3      # A1, A3, A4
    assert figures(db, 2023)["assistants"] == 3      # A1, A2, A4
    assert figures(db, 2025)["assistants"] == 2      # A1, A3
    assert ids(db, "assistants", 2024, "id_asystenta") == ["A1", "A3", "A4"]


def _closures_case() -> dict:
    return {
        "rodziny": [family(f) for f in ("R1", "R2", "R3", "R4", "R6")],
        "asystentury": [
            episode("E1", "R1", "2024-12-31"),                                             # starts on 31 Dec
            episode("E2", "R2", "2023-03-01", "2024-01-01", "osiągnięcie celów"),          # ends on 1 Jan: 307 days
            episode("E3", "R3", "2022-01-01", "2023-12-31", "brak efektów"),               # ends the day before: 730 days
            episode("E4", "R4", "2023-01-01", "2024-03-31", "brak efektów"),               # 456 days
            episode("E5", "R4", "2024-09-01"),                                             # R4 again, same year
            episode("E6", "R6", "2023-05-01", "2024-02-28", "zmiana metody pracy"),        # 304 days
            episode("E7", "R6", "2024-04-01", "2024-10-31", "osiągnięcie celów"),          # R6 closed twice: 214 days
        ],
    }


def test_families_supported_and_closed_on_year_boundaries(db, load_rows):
    load_rows(_closures_case())
    f = figures(db, 2024)
    assert f["families_supported"] == 4              # R1, R2, R4 (two episodes, once), R6
    assert f["families_closed"] == 3                 # R2, R4, R6 (R6 twice, once)
    assert f["families_closed_goals_achieved"] == 2  # R2, R6
    assert f["families_closed_by_reason"] == {"osiągnięcie celów": 2, "brak efektów": 1, "zmiana metody pracy": 1}
    assert ids(db, "families_closed", 2024, "id_rodziny") == ["R2", "R4", "R6"]


def test_families_supported_2023_is_hand_counted(db, load_rows):
    load_rows(_closures_case())
    # 2023: E2 (R2), E3 (R3), E4 (R4), E6 (R6) overlap it; E1, E5, E7 start later.
    assert ids(db, "families_supported", 2023, "id_rodziny") == ["R2", "R3", "R4", "R6"]


def test_median_of_closed_episodes_even_odd_and_none(db, load_rows):
    load_rows(_closures_case())
    assert figures(db, 2024)["median_closed_episode_days"] == 305.5   # 214, 304, 307, 456 -> (304 + 307) / 2
    assert figures(db, 2023)["median_closed_episode_days"] == 730.0   # only E3
    assert figures(db, 2021)["median_closed_episode_days"] is None


def test_median_odd_count(db, load_rows):
    load_rows({
        "rodziny": [family("R1"), family("R2"), family("R3")],
        "asystentury": [
            episode("E1", "R1", "2024-01-01", "2024-01-10"),   # 10 days
            episode("E2", "R2", "2024-03-01", "2024-03-20"),   # 20 days
            episode("E3", "R3", "2024-01-01", "2024-04-09"),   # 31 + 29 + 31 + 9 = 100 days
        ],
    })
    assert figures(db, 2024)["median_closed_episode_days"] == 20.0


def test_children_minor_on_an_active_day(db, load_rows):
    load_rows({
        "rodziny": [family("F1"), family("F2"), family("F3")],
        "asystentury": [
            episode("E1", "F1", "2024-03-01"),
            episode("E2", "F2", "2022-01-01", "2024-02-15"),
            episode("E3", "F3", "2020-01-01", "2022-12-31"),
        ],
        "dzieci": [
            child("C1", "F1", "2006-02"),   # 18 on 1 Feb 2024, family active only from 1 Mar: no
            child("C2", "F1", "2006-06"),   # 18 on 1 Jun 2024, minor 1 Mar-31 May while active: yes
            child("C3", "F1", "2024-05"),   # born during the episode: yes
            child("C4", "F2", "2024-06"),   # born after the family's episode ended: no
            child("C5", "F2", "2006-01"),   # 18 on 1 Jan 2024, never a minor on an active day of 2024: no
            child("C6", "F2", "2006-02"),   # 18 on 1 Feb 2024, minor in January while active: yes
            child("C7", "F2", "2015-01"),   # in foster care during the year: yes
            child("C8", "F3", "2015-01"),   # family not supported in 2024: no
        ],
        "piecza": [placement("U1", "C7", "2023-01-01")],
    })
    assert ids(db, "children_in_supported_families", 2024, "id_dziecka") == ["C2", "C3", "C6", "C7"]
    assert figures(db, 2024)["children_in_supported_families"] == 4


def test_court_decision_after_the_year_does_not_count(db, load_rows):
    load_rows({
        "rodziny": [family(f) for f in ("F1", "F2", "F3", "F4")],
        "asystentury": [
            episode("E1", "F1", "2024-01-01", court="2023-11-20"),
            episode("E2", "F2", "2024-06-01", court="2025-01-10"),        # decided after 2024
            episode("E3", "F3", "2024-06-01"),                             # no court order
            episode("E4", "F4", "2019-01-01", "2023-12-31", court="2018-12-01"),  # ended before 2024
        ],
    })
    assert figures(db, 2024)["families_court_obliged"] == 1   # F1
    assert figures(db, 2025)["families_court_obliged"] == 2   # F1, F2
    assert figures(db, 2023)["families_court_obliged"] == 1   # F4


def test_foster_care_needs_a_common_active_day(db, load_rows):
    load_rows({
        "rodziny": [family(f) for f in ("F1", "F2", "F3", "F4", "F5")],
        "asystentury": [
            episode("E1", "F1", "2024-01-01"),
            episode("E2", "F2", "2024-05-01"),
            episode("E3", "F3", "2023-01-01", "2024-02-01"),
            episode("E4", "F4", "2023-01-01"),
            episode("E5", "F5", "2023-01-01"),
        ],
        "dzieci": [child("K1", "F1", "2010-01"), child("K2", "F2", "2010-01"), child("K3", "F3", "2010-01"),
                   child("K4", "F4", "2004-01"), child("K5", "F5", "2012-01"), child("K6", "F5", "2014-01")],
        "piecza": [
            placement("U1", "K1", "2023-01-01", "2024-03-10", "zmiana formy pieczy"),  # overlaps the episode
            placement("U2", "K2", "2022-01-01", "2024-02-01", "przysposobienie"),      # ended before the episode began
            placement("U3", "K3", "2024-06-01"),                                        # began after the episode ended
            placement("U4", "K4", "2022-01-01"),                                        # an adult child: any age counts
            placement("U5", "K5", "2023-06-01"), placement("U6", "K6", "2023-06-01"),  # two children, one family
        ],
    })
    assert ids(db, "families_with_children_in_foster_care", 2024, "id_rodziny") == ["F1", "F4", "F5"]


def test_returns_home_on_an_active_day(db, load_rows):
    load_rows({
        "rodziny": [family(f) for f in ("F1", "F2", "F3", "F4", "F5")],
        "asystentury": [
            episode("E1", "F1", "2023-01-01"),
            episode("E2", "F2", "2023-01-01", "2024-03-31"),
            episode("E3", "F3", "2024-02-01"),
            episode("E4", "F4", "2023-01-01"),
            episode("E5", "F5", "2023-01-01"),
        ],
        "dzieci": [child("K1", "F1", "2012-01"), child("K2", "F1", "2014-01"), child("K3", "F2", "2012-01"),
                   child("K4", "F3", "2012-01"), child("K5", "F4", "2012-01"), child("K6", "F5", "2012-01")],
        "piecza": [
            placement("U1", "K1", "2022-01-01", "2024-05-05"),   # two children of F1 home the same day
            placement("U2", "K2", "2022-01-01", "2024-05-05"),
            placement("U3", "K3", "2022-01-01", "2024-04-01"),   # the day after F2's episode ended: no
            placement("U4", "K4", "2022-01-01", "2024-02-01"),   # on the first day of F3's episode: yes
            placement("U5", "K5", "2022-01-01", "2024-06-01", "przysposobienie"),  # not a return home
            placement("U6", "K6", "2022-01-01", "2023-12-31"),   # home in 2023
        ],
    })
    f = figures(db, 2024)
    assert f["children_returned_home"] == 3                  # K1, K2, K4
    assert f["families_with_children_returned_home"] == 2    # F1, F3
    assert figures(db, 2023)["children_returned_home"] == 1  # K6


def _one_episode_with(acts: list[dict]) -> dict:
    return {
        "asystenci": [assistant("A1")],
        "rodziny": [family("F1")],
        "asystentury": [episode("E1", "F1", "2023-01-01")],
        "przydzialy": [assignment("P1", "E1", "A1", "2023-01-01")],
        "dzialania": acts,
    }


def test_advice_and_consultations_sum_liczba_with_empty_as_one(db, load_rows):
    load_rows(_one_episode_with([
        activity("Z1", "E1", "A1", "2023-12-31", "porada", 5),
        activity("Z2", "E1", "A1", "2024-01-01", "porada"),          # empty = 1
        activity("Z3", "E1", "A1", "2024-12-31", "porada", 7),
        activity("Z4", "E1", "A1", "2025-01-01", "porada", 3),
        activity("Z5", "E1", "A1", "2024-06-15", "konsultacja", 4),
        activity("Z6", "E1", "A1", "2024-06-16", "konsultacja"),     # empty = 1
        activity("Z7", "E1", "A1", "2024-06-16", "wizyta w domu rodziny", 10),
    ]))
    assert (figures(db, 2024)["advice_sessions"], figures(db, 2024)["consultations"]) == (8, 5)
    assert figures(db, 2023)["advice_sessions"] == 5
    assert figures(db, 2025)["advice_sessions"] == 3


def test_home_visits_group_meetings_and_trainings_sum_liczba_by_year(db, load_rows):
    load_rows(_one_episode_with([
        activity("Z1", "E1", "A1", "2023-12-31", "wizyta w domu rodziny", 4),
        activity("Z2", "E1", "A1", "2024-01-01", "wizyta w domu rodziny"),                         # empty = 1
        activity("Z3", "E1", "A1", "2024-12-31", "wizyta w domu rodziny", 6),
        activity("Z4", "E1", "A1", "2025-01-01", "wizyta w domu rodziny", 2),
        activity("Z5", "E1", "A1", "2024-03-10", "posiedzenie grupy diagnostyczno-pomocowej"),      # empty = 1
        activity("Z6", "E1", "A1", "2024-11-30", "posiedzenie grupy diagnostyczno-pomocowej", 2),
        activity("Z7", "E1", "A1", "2024-12-31", "posiedzenie grupy diagnostyczno-pomocowej"),      # empty = 1, last day
        activity("Z8", "E1", "A1", "2025-01-01", "posiedzenie grupy diagnostyczno-pomocowej", 5),
        activity("Z9", "E1", "A1", "2024-01-01", "trening umiejętności", 5),
        activity("Z10", "E1", "A1", "2024-05-05", "trening umiejętności"),                          # empty = 1
        activity("Z11", "E1", "A1", "2023-12-31", "trening umiejętności", 2),
        activity("Z12", "E1", "A1", "2024-06-16", "porada", 10),                                    # another kind
        activity("Z13", "E1", "A1", "2024-06-16", "inne", 3),                                       # another kind
    ]))
    keys = ("home_visits", "diagnostic_group_meetings", "skill_trainings")
    assert tuple(figures(db, 2024)[k] for k in keys) == (7, 4, 6)     # 1 + 6; 1 + 2 + 1; 5 + 1
    assert tuple(figures(db, 2023)[k] for k in keys) == (4, 0, 2)
    assert tuple(figures(db, 2025)[k] for k in keys) == (2, 5, 0)
    assert ids(db, "diagnostic_group_meetings", 2024, "id_dzialania") == ["Z5", "Z6", "Z7"]


def _projects_case() -> dict:
    return {"projekty": [
        project("K1", "Mikołaj w Krainie Lodu", "2024-12-02", "2024-12-13", 74, 31),
        project("K2", "Zimowe spotkania rodzin", "2023-12-15", "2024-01-10", 20, 9, kind="zajęcia grupowe"),  # spans into 2024
        project("K3", "Kolędowanie", "2024-12-20", "2025-01-05", 30, kind="wydarzenie"),                      # spans into 2025
        project("K4", "Noworoczny spacer", "2024-01-01", "2024-01-01", 0, kind="wydarzenie"),                 # 1 Jan, no children
        project("K5", "Wakacje z asystentem", "2023-06-01", "2023-12-31", 15, kind="zajęcia grupowe"),       # ends 31 Dec
    ]}


def test_projects_belong_to_the_year_they_ended(db, load_rows):
    load_rows(_projects_case())
    f = figures(db, 2024)
    assert (f["projects_completed"], f["project_children"]) == (3, 94)   # K1, K2, K4: 74 + 20 + 0
    assert (figures(db, 2023)["projects_completed"], figures(db, 2023)["project_children"]) == (1, 15)   # K5
    assert (figures(db, 2025)["projects_completed"], figures(db, 2025)["project_children"]) == (1, 30)   # K3
    assert (figures(db, 2022)["projects_completed"], figures(db, 2022)["project_children"]) == (0, 0)
    assert ids(db, "projects_completed", 2024, "id_projektu") == ["K1", "K2", "K4"]
    assert ids(db, "project_children", 2024, "nazwa") == ["Mikołaj w Krainie Lodu", "Noworoczny spacer", "Zimowe spotkania rodzin"]


def test_a_corrected_project_in_a_later_export_wins(db, load_rows):
    first = {"projekty": [project("K1", "Mikołaj w Krainie Lodu", "2024-12-02", "2024-12-13", 70)]}
    fixed = {"projekty": [project("K1", "Mikołaj w Krainie Lodu", "2024-12-02", "2024-12-13", 74)]}
    load_rows(fixed, exported="2025-03-01")   # the correction arrives first ...
    load_rows(first, exported="2025-01-15")   # ... the older export loaded after it does not win
    assert (figures(db, 2024)["projects_completed"], figures(db, 2024)["project_children"]) == (1, 74)
    load_rows({"projekty": []}, exported="2025-04-01", zakres="pełny")   # a full export without it: the project is gone
    assert (figures(db, 2024)["projects_completed"], figures(db, 2024)["project_children"]) == (0, 0)


def _problems_case() -> dict:
    def problem(id: str, ep: str, label: str) -> dict:
        return {"id_problemu": id, "id_asystentury": ep, "problem": label}

    return {
        "rodziny": [family(f) for f in ("F1", "F2", "F3", "F4")],
        "asystentury": [
            episode("E1", "F1", "2022-01-01", "2024-03-31"),
            episode("E2", "F1", "2024-06-01"),                      # F1's second episode in 2024
            episode("E3", "F2", "2020-01-01", "2023-12-31"),        # ends the day before 2024
            episode("E4", "F3", "2024-12-31"),                      # starts on the last day of 2024
            episode("E5", "F4", "2024-01-01"),                      # no problem recorded
        ],
        "problemy": [
            problem("B1", "E1", "ubóstwo"), problem("B2", "E1", "alkoholizm"),
            problem("B3", "E2", "ubóstwo"), problem("B4", "E2", "bezrobocie"),    # ubóstwo again: F1 counts once
            problem("B5", "E3", "przemoc domowa"),
            problem("B6", "E4", "ubóstwo"), problem("B7", "E4", "migracja zarobkowa"),
        ],
    }


def test_families_by_problem_counts_each_family_once_per_problem(db, load_rows):
    load_rows(_problems_case())
    # 2024: E1, E2 (F1), E4 (F3), E5 (F4) overlap it; E3 (F2) does not, so "przemoc domowa" is left out.
    assert figures(db, 2024)["families_by_problem"] == {"ubóstwo": 2, "bezrobocie": 1, "alkoholizm": 1, "migracja zarobkowa": 1}
    assert list(figures(db, 2024)["families_by_problem"]) == ["ubóstwo", "bezrobocie", "alkoholizm", "migracja zarobkowa"]
    assert figures(db, 2023)["families_by_problem"] == {"ubóstwo": 1, "przemoc domowa": 1, "alkoholizm": 1}
    assert figures(db, 2025)["families_by_problem"] == {"ubóstwo": 2, "bezrobocie": 1, "migracja zarobkowa": 1}
    assert figures(db, 2019)["families_by_problem"] == {}
    assert ids(db, "families_by_problem", 2024, "id_rodziny") == ["F1", "F3"]
    con = connect(db, read_only=True)
    try:
        rows = registry.explain(con, "families_by_problem", 2024)
        assert rows.height == 5 and rows.filter(rows["problem"] == "ubóstwo")["id_rodziny"].to_list() == ["F1", "F3"]
        assert registry.compute_units(con, 2024)["1603011"]["families_by_problem"] == figures(db, 2024)["families_by_problem"]
    finally:
        con.close()


def test_new_figures_in_csv_table_and_trend(db, load_rows, capsys):
    from pipeline.cli import main

    load_rows(_problems_case() | _projects_case(), start="2023-01-01")  # the export covers both years of the trend
    assert main(["indicators", "--year", "2024", "--db", str(db), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "projects_completed,zrealizowane projekty socjalne i zajęcia grupowe,3" in out
    assert "families_by_problem:ubóstwo,rodziny według zdiagnozowanych problemów: ubóstwo,2" in out
    assert main(["indicators", "--year", "2024", "--db", str(db), "--format", "table"]) == 0
    assert "project_children" in capsys.readouterr().out
    assert main(["indicators", "--years", "2023-2024", "--db", str(db)]) == 0
    header, y2023, y2024 = capsys.readouterr().out.splitlines()
    columns = header.split(",")
    assert {"home_visits", "projects_completed", "problem: ubóstwo", "problem: inny"} <= set(columns)
    assert y2024.split(",")[columns.index("problem: ubóstwo")] == "2"
    assert y2023.split(",")[columns.index("problem: przemoc domowa")] == "1"
    assert main(["indicators", "--year", "2024", "--db", str(db), "--explain", "projects_completed"]) == 0
    assert "Mikołaj w Krainie Lodu" in capsys.readouterr().out


def test_za_zyciem(db, load_rows):
    load_rows({
        "rodziny": [family("F1"), family("F2"), family("F3")],
        "asystentury": [
            episode("E1", "F1", "2024-02-01", za_zyciem=True),
            episode("E2", "F2", "2020-01-01", "2023-12-31", za_zyciem=True),
            episode("E3", "F3", "2024-02-01"),
        ],
    })
    assert figures(db, 2024)["families_za_zyciem"] == 1


def _caseload_case() -> dict:
    return {
        "asystenci": [assistant("A1"), assistant("A2"), assistant("A3")],
        "rodziny": [family(f) for f in ("F1", "F2", "F3", "F4")],
        "asystentury": [
            episode("E1", "F1", "2024-01-01"),
            episode("E2", "F2", "2024-02-01", "2024-02-10"),
            episode("E3", "F3", "2024-02-05", "2024-02-20"),
            episode("E4", "F4", "2023-06-01", "2024-01-10"),
        ],
        "przydzialy": [
            assignment("P1", "E1", "A1", "2024-01-01", "2024-03-31"),   # reassignment from A1 ...
            assignment("P2", "E1", "A2", "2024-04-01"),                 # ... to A2
            assignment("P3", "E2", "A1", "2024-02-01"),                 # empty data_do = until the episode ends
            assignment("P4", "E3", "A1", "2024-02-05", "2024-02-20"),
            assignment("P5", "E1", "A1", "2024-02-01", "2024-02-28"),   # F1 twice at A1: counts once
            assignment("P6", "E4", "A3", "2023-06-01"),                 # runs to 10 Jan 2024
        ],
    }


def test_caseload_counts_distinct_families_per_assistant_day(db, load_rows):
    load_rows(_caseload_case())
    # A1: Jan 1 family; 1-4 Feb 2 (F1, F2); 5-10 Feb 3 (F1, F2, F3); 11-20 Feb 2; then 1 until 31 Mar.
    assert figures(db, 2024)["max_caseload"] == 3
    assert figures(db, 2024)["caseload_breach_days"] == 0
    assert figures(db, 2024, limit=2)["caseload_breach_days"] == 6     # 5-10 Feb
    # limit 0: every assistant-day with a family: A1 1 Jan-31 Mar = 91, A2 1 Apr-31 Dec = 275, A3 1-10 Jan = 10
    assert figures(db, 2024, limit=0)["caseload_breach_days"] == 376
    assert figures(db, 2022)["max_caseload"] == 0


def test_units_are_part_of_the_id(db, load_rows):
    rows = {"rodziny": [family("R1")], "asystentury": [episode("E1", "R1", "2024-01-01")]}
    load_rows(rows, unit="1603011")
    load_rows(rows, unit="0201011")
    assert figures(db, 2024)["families_supported"] == 2
    assert figures(db, 2024, unit="1603011")["families_supported"] == 1
    assert figures(db, 2024, unit="9999999")["families_supported"] == 0


def test_a_correction_in_a_later_export_changes_the_figure(db, load_rows):
    first = {"rodziny": [family("R1")], "asystentury": [episode("E1", "R1", "2023-01-01", "2024-05-31", "inna")]}
    fixed = {"rodziny": [family("R1")], "asystentury": [episode("E1", "R1", "2023-01-01", "2024-05-31", "osiągnięcie celów")]}
    load_rows(fixed, exported="2025-03-01")   # the correction arrives first ...
    load_rows(first, exported="2025-01-15")   # ... the older export after it does not win
    assert figures(db, 2024)["families_closed_goals_achieved"] == 1


def test_a_year_without_data_gives_zeros(db, load_rows):
    load_rows({"asystenci": [assistant("A1", "2020-01-01")]})
    f = figures(db, 1999)
    breakdowns = ("families_closed_by_reason", "families_by_problem")
    assert all(v == 0 for k, v in f.items() if k not in ("median_closed_episode_days", *breakdowns))
    assert f["median_closed_episode_days"] is None and all(f[k] == {} for k in breakdowns)


def test_cli_json_has_the_contract_shape(db, load_rows, capsys):
    from pipeline.cli import main

    load_rows(_closures_case())
    assert main(["indicators", "--year", "2024", "--db", str(db), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["year"] == 2024 and out["unit"] is None
    assert list(out["indicators"]) == [i.key for i in registry.INDICATORS] + ["families_closed_by_reason", "families_by_problem"]
    assert out["indicators"]["median_closed_episode_days"] == 305.5


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_cli_other_formats(db, load_rows, capsys, fmt):
    from pipeline.cli import main

    load_rows(_closures_case())
    assert main(["indicators", "--year", "2024", "--db", str(db), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "families_closed" in out and "3" in out


def test_cli_trend_and_explain(db, load_rows, capsys, tmp_path):
    from pipeline.cli import main

    load_rows(_closures_case(), start="2023-01-01")   # the export covers both years of the trend
    assert main(["indicators", "--years", "2023-2024", "--db", str(db), "--out", str(tmp_path / "t.xlsx")]) == 0
    assert (tmp_path / "t.xlsx").stat().st_size > 0
    capsys.readouterr()
    assert main(["indicators", "--years", "2023-2024", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("year,assistants,families_supported") and len(lines) == 3
    assert main(["indicators", "--year", "2024", "--db", str(db), "--explain", "families_closed"]) == 0
    assert capsys.readouterr().out.split() == ["jednostka,id_rodziny", "1603011,R2", "1603011,R4", "1603011,R6"]
    assert main(["indicators", "--year", "2024", "--db", str(db), "--explain", "nope"]) == 2
