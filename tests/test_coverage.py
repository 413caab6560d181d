"""A year the exports do not cover is never published: one answer to "what do the exports cover" (issue 34).

The new centre of the issue: its first export is a full one covering 01.01.2023-31.12.2025 and, like every real
first export, it holds assistantships begun in 2022.  Worked out by hand:

    E1 R1 2022-03-01 .. 2023-06-30 (goals)      active 2023; closed 2023 after 487 days (counted from 2022)
    E2 R2 2022-12-31 .. open                      active 2023, 2024, 2025 (begun on the last day before coverage)
    E3 R3 2023-01-01 .. 2024-12-31 (other)        active 2023, 2024 (a 1 January start, a 31 December end)
    E4 R4 2025-01-01 .. open                      active 2025
    E5 R5 2022-05-01 .. 2022-12-31 (goals)        active only in 2022: in no covered year
    D1 of R2 born 2005-01                         18 on 01.01.2023: a minor on no day of 2023
    D2 of R3 born 2010-01                         a minor in 2023 and 2024
    advice: 5 on 2022-12-31 (outside), 2 on 2023-01-01, 1 on 2025-12-31

    year   families  closed  goals  children  advice  median days
    2023   3         1       1      1         2       487
    2024   2         1       0      1         0       731
    2025   2         0       0      0         1       null
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from builders import activity, assignment, assistant, child, episode, family, meta, write

from pipeline.indicators import registry
from pipeline.warehouse import coverage
from pipeline.warehouse.connection import connect

NEW = "0201042"
FIGURES = {  # year: (families, closed, goals, children, advice, median)
    2023: (3, 1, 1, 1, 2, 487.0),
    2024: (2, 1, 0, 1, 0, 731.0),
    2025: (2, 0, 0, 0, 1, None),
}


def first_export_rows() -> dict[str, list[dict]]:
    return {
        "asystenci": [assistant("A1", "2020-01-01")],
        "rodziny": [family(f"R{i}") for i in range(1, 6)],
        "asystentury": [
            episode("E1", "R1", "2022-03-01", "2023-06-30"),
            episode("E2", "R2", "2022-12-31"),
            episode("E3", "R3", "2023-01-01", "2024-12-31", reason="inna"),
            episode("E4", "R4", "2025-01-01"),
            episode("E5", "R5", "2022-05-01", "2022-12-31"),
        ],
        "przydzialy": [assignment(f"P{i}", f"E{i}", "A1", s) for i, s in
                       ((1, "2022-03-01"), (2, "2022-12-31"), (3, "2023-01-01"), (4, "2025-01-01"), (5, "2022-05-01"))],
        # born in January 2005 (the month, as the export holds it: the 1st): 18 on 01.01.2023
        "dzieci": [child("D1", "R2", "2005-01"), child("D2", "R3", "2010-01")],
        "dzialania": [activity("Z1", "E2", "A1", "2022-12-31", "porada", 5),
                      activity("Z2", "E3", "A1", "2023-01-01", "porada", 2),
                      activity("Z3", "E4", "A1", "2025-12-31", "porada")],
    }


def new_centre_meta():
    return meta(exported="2026-01-15", start="2023-01-01", end="2025-12-31", zakres="pełny", unit=NEW)


@pytest.fixture
def new_centre(db, load_rows):
    load_rows(first_export_rows(), new_centre_meta())
    return db


def figures(values: dict) -> tuple:
    return (values["families_supported"], values["families_closed"], values["families_closed_goals_achieved"],
            values["children_in_supported_families"], values["advice_sessions"], values["median_closed_episode_days"])


def test_the_coverage_is_the_exports_periods_not_the_records_dates(new_centre):
    con = connect(new_centre, read_only=True)
    try:
        covered = coverage.read(con)
    finally:
        con.close()
    assert covered.years() == [2023, 2024, 2025] and covered.years(NEW) == [2023, 2024, 2025]
    assert covered.last_complete_year() == 2025 and covered.observed_until(NEW) == date(2026, 1, 15)
    assert covered.year(2022).empty and covered.year(2023).whole
    # the boundaries of the covered days: 31.12.2022 is outside, 01.01.2023 and 31.12.2025 inside, 01.01.2026 outside
    unit = covered.unit(NEW)
    assert not unit.covers(date(2022, 12, 31)) and unit.covers(date(2023, 1, 1))
    assert unit.covers(date(2025, 12, 31)) and not unit.covers(date(2026, 1, 1))
    # begun before the first covered day: not seen from its start; begun after the last one: nothing hid its start
    assert not unit.observes_start(date(2022, 12, 31)) and unit.observes_start(date(2023, 1, 1))
    assert unit.observes_start(date(2026, 1, 1))


def test_the_covered_years_figures_are_worked_out_by_hand(new_centre):
    con = connect(new_centre, read_only=True)
    try:
        by_year = registry.compute_years(con, [2023, 2024, 2025], NEW)
        one_by_one = {y: registry.compute(con, y, None) for y in (2023, 2024, 2025)}
    finally:
        con.close()
    assert {y: figures(v) for y, v in by_year.items()} == FIGURES
    assert {y: figures(v) for y, v in one_by_one.items()} == FIGURES


@pytest.mark.slow
def test_run_publishes_no_year_before_the_first_export(new_centre, tmp_path, cli):
    export = write(tmp_path / "pierwszy", first_export_rows(), new_centre_meta())
    db, out = tmp_path / "own.duckdb", tmp_path / "wyniki"
    code, stdout, _ = cli("run", str(export), "--db", str(db), "--out", str(out), "--no-notebooks")
    assert code == 0, stdout
    assert "Wskaźniki za lata 2023-2025" in stdout and "2022" not in stdout.split("== Wskaźniki")[1]
    assert sorted(p.name for p in out.glob("wskazniki_*.json")) == [f"wskazniki_{y}.json" for y in (2023, 2024, 2025)]
    for y, expected in FIGURES.items():
        body = json.loads((out / f"wskazniki_{y}.json").read_text(encoding="utf-8"))
        assert figures(body["indicators"]) == expected
        assert body["coverage"] == {"days": [{"from": f"{y}-01-01", "to": f"{y}-12-31"}], "whole": True,
                                    "units_counted": 1, "units_loaded": 1}
    trend = (out / "wskazniki_lata.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(";")[0] for line in trend[1:]] == ["2023", "2024", "2025"]
    # the charts' data and the annual information: no 2022 anywhere
    for chart in (out / "figures").glob("*.html"):
        assert '"year": 2022' not in chart.read_text(encoding="utf-8") and "2022" not in chart.read_text(encoding="utf-8")
    page = (out / "informacja_2025.html").read_text(encoding="utf-8")
    assert "2022" not in page


@pytest.mark.parametrize("argv", [
    ("indicators", "--year", "2022"),
    ("indicators", "--year", "2022", "--unit", NEW),
    ("indicators", "--period", "2022-Q4"),
    ("indicators", "--period", "2022-H2", "--unit", NEW),
    ("indicators", "--years", "2022-2024"),
    ("indicators", "--year", "2026"),
    ("statement", "--period", "2022-H2"),
    ("compare", "--unit", NEW, "--year", "2022"),
    ("report", "--year", "2022"),
    ("notebooks", "--year", "2022"),
])
def test_every_command_refuses_a_year_before_the_first_export(new_centre, cli, tmp_path, argv):
    extra = ("--out", str(tmp_path / "out")) if argv[0] in ("statement", "report", "notebooks") else ()
    code, out, err = cli(*argv, "--db", str(new_centre), *extra)
    assert code == 2, (out, err)
    assert "obejmują lata 2023-2025; poza nimi" in err and "01.01.2023–31.12.2025" in err
    assert "Traceback" not in err and out == ""
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_cohorts_leave_out_the_episodes_begun_before_the_first_export(new_centre, cli):
    code, out, err = cli("indicators", "--cohorts", "--unit", NEW, "--format", "json", "--db", str(new_centre))
    assert code == 0, err
    values = json.loads(out)
    # E1, E2, E5 began in 2022, before the export's first day: only the survivors are in it, so they are left out
    # (CLI.md: one key per start year up to the year of censored_at, 15.01.2026)
    assert list(values["episodes"]) == ["2023", "2024", "2025", "2026"]
    assert [values["episodes"][y]["n"] for y in ("2023", "2024", "2025", "2026")] == [1, 0, 1, 0]


def test_compare_ranks_only_units_that_cover_the_year(new_centre, load_rows, cli):
    from pipeline.indicators.comparison import unit_values

    rows = {"asystenci": [assistant("A1", "2020-01-01")], "rodziny": [family("R1")],
            "asystentury": [episode("E1", "R1", "2021-06-01")]}
    load_rows(rows, start="2022-01-01", end="2025-12-31", exported="2026-01-10", zakres="pełny")
    con = connect(new_centre, read_only=True)
    try:
        assert unit_values(con, 2022)["jednostka"].to_list() == ["1603011"]  # the new centre is no peer in 2022
        found = unit_values(con, 2023)
    finally:
        con.close()
    assert dict(found.select("jednostka", "families_supported").iter_rows()) == {NEW: 3, "1603011": 1}
    code, _, err = cli("compare", "--unit", "1603011", "--year", "2022", "--db", str(new_centre))
    assert code == 0 and "uwaga: 2022: policzono 1 z 2 jednostek" in err
    code, _, err = cli("compare", "--unit", NEW, "--year", "2023", "--db", str(new_centre))
    assert code == 0, err


def test_a_period_crossing_the_first_day_is_computed_with_its_covered_days_stated(new_centre, cli):
    code, out, err = cli("indicators", "--period", "2022-12-01..2023-01-31", "--unit", NEW, "--format", "json",
                         "--db", str(new_centre))
    assert code == 0, err
    body = json.loads(out)
    assert body["coverage"]["days"] == [{"from": "2023-01-01", "to": "2023-01-31"}] and body["coverage"]["whole"] is False
    assert "dane za 01.01.2023–31.01.2023" in err
    # the figure counts the records of the period as defined (E5 ended 31.12.2022 is one of them): stated, not hidden
    assert body["indicators"]["families_supported"] == 4 and body["indicators"]["advice_sessions"] == 7


def test_a_year_partly_covered_is_shown_with_its_covered_days(db, load_rows, cli):
    """The rule chosen (docs/contract.md, "Zakres danych"): a period with a covered day is computed, and its
    covered days are stated; a year whose export starts on 1 March says so in the JSON, on the console, in the
    run's files and in the annual information."""
    rows = {"asystenci": [assistant("A1", "2020-01-01")], "rodziny": [family("R1")],
            "asystentury": [episode("E1", "R1", "2024-03-01")]}
    load_rows(rows, start="2024-03-01", end="2024-12-31", exported="2025-01-15")
    code, out, err = cli("indicators", "--year", "2024", "--format", "json", "--db", str(db))
    assert code == 0
    body = json.loads(out)
    assert body["coverage"] == {"days": [{"from": "2024-03-01", "to": "2024-12-31"}], "whole": False,
                                "units_counted": 1, "units_loaded": 1}
    assert "uwaga: 2024: dane za 01.03.2024–31.12.2024" in err
    # the boundary: a period ending on the day before the first covered day has no covered day
    code, _, err = cli("indicators", "--period", "2024-01-01..2024-02-29", "--db", str(db))
    assert code == 2 and "poza nimi: 2024-01-01..2024-02-29" in err
    code, out, err = cli("indicators", "--period", "2024-01-01..2024-03-01", "--format", "json", "--db", str(db))
    assert code == 0 and json.loads(out)["coverage"]["days"] == [{"from": "2024-03-01", "to": "2024-03-01"}]
    code, out, err = cli("statement", "--period", "2024-H1", "--db", str(db), "--out", str(db.parent / "s"))
    assert code == 0, err
    assert "uwaga: 2024-H1: dane za 01.03.2024–30.06.2024" in err
    (page,) = (db.parent / "s").glob("*.html")
    assert "Zakres danych: dane za 01.03.2024–30.06.2024." in page.read_text(encoding="utf-8")
    code, out, err = cli("report", "--year", "2024", "--db", str(db), "--out", str(db.parent / "r"))
    assert code == 0, err
    page = (db.parent / "r" / "informacja_2024.html").read_text(encoding="utf-8")
    assert "Zakres danych. Rok 2024: dane za 01.03.2024–31.12.2024." in page


def test_several_units_count_each_year_only_for_the_units_that_cover_it(new_centre, load_rows, cli):
    """The demo-like unit covers 2022-2025, the new centre 2023-2025: 2022 for all units counts the first alone
    (the new centre's 2022 assistantships are left out) and says 1 of 2 units."""
    rows = {"asystenci": [assistant("A1", "2020-01-01")], "rodziny": [family("R1"), family("R2")],
            "asystentury": [episode("E1", "R1", "2021-06-01", "2022-06-30"), episode("E2", "R2", "2023-05-01")]}
    load_rows(rows, start="2022-01-01", end="2025-12-31", exported="2026-01-10", zakres="pełny")
    code, out, err = cli("indicators", "--year", "2022", "--format", "json", "--db", str(new_centre))
    assert code == 0, err
    body = json.loads(out)
    assert body["indicators"]["families_supported"] == 1  # not 1 + 3 (E1, E2, E5 of the new centre)
    assert body["coverage"]["units_counted"] == 1 and body["coverage"]["units_loaded"] == 2
    assert "policzono 1 z 2 jednostek" in err
    code, out, _ = cli("indicators", "--years", "2022-2023", "--format", "json", "--db", str(new_centre))
    by_year = {y["year"]: y["indicators"]["families_supported"] for y in json.loads(out)["years"]}
    assert by_year == {2022: 1, 2023: 1 + 3}
    code, out, err = cli("indicators", "--year", "2022", "--unit", NEW, "--db", str(new_centre))
    assert code == 2


def one_episode(start: str) -> dict[str, list[dict]]:
    return {"asystenci": [assistant("A1", "2020-01-01")], "rodziny": [family("R1")],
            "asystentury": [episode("E1", "R1", start)]}


def read_coverage(db: Path) -> coverage.Coverage:
    con = connect(db, read_only=True)
    try:
        return coverage.read(con)
    finally:
        con.close()


def test_a_full_export_replaces_the_coverage_before_it(db, load_rows):
    """EXPORT_FORMAT.md: once a full export is loaded, only it and later exports count, so the days of older
    periodic exports outside its period are no longer covered."""
    rows = one_episode("2020-03-01")
    load_rows(rows, start="2020-01-01", end="2020-12-31", exported="2021-01-15")
    load_rows(rows, start="2021-01-01", end="2021-12-31", exported="2022-01-15")
    assert read_coverage(db).years() == [2020, 2021]
    load_rows(rows, start="2023-01-01", end="2023-06-30", exported="2023-07-01", zakres="pełny")
    load_rows(rows, start="2023-07-01", end="2023-12-31", exported="2024-01-15")
    covered = read_coverage(db)
    assert covered.years() == [2023] and covered.summary() == "01.01.2023–31.12.2023"
    assert covered.last_complete_year() == 2023


def test_a_gap_between_exports_is_not_covered(db, load_rows):
    rows = one_episode("2020-03-01")
    load_rows(rows, start="2020-01-01", end="2020-12-31", exported="2021-01-15")
    load_rows(rows, start="2022-01-01", end="2022-12-31", exported="2023-01-15")
    covered = read_coverage(db)
    assert covered.years() == [2020, 2022] and coverage.year_span(covered.years()) == "2020, 2022"
    assert covered.year(2021).empty
    with pytest.raises(coverage.NotCovered, match="poza nimi: 2021"):
        covered.check_years([2020, 2021, 2022])


def test_merge_joins_touching_days_only():
    a, b, c = (date(2023, 1, 1), date(2023, 6, 30)), (date(2023, 7, 1), date(2023, 12, 31)), (date(2024, 1, 2), date(2024, 2, 1))
    assert coverage.merge([b, a, c]) == ((date(2023, 1, 1), date(2023, 12, 31)), c)
    assert coverage.clip(coverage.merge([a, b]), date(2023, 12, 31), date(2024, 1, 1)) == ((date(2023, 12, 31), date(2023, 12, 31)),)


def test_no_other_module_reads_the_load_log_for_coverage():
    """Only the coverage module answers "what do the exports cover"; the others that read raw.loads each have a
    reason of their own, named here."""
    allowed = {
        "warehouse/coverage.py": "the answer itself",
        "warehouse/load.py": "writes the load log",
        "warehouse/schema.py": "creates it",
        "warehouse/version.py": "recognises a warehouse by its tables",
        "warehouse/shrink.py": "the records each export held (the shrink guard)",
        "warehouse/sql/current_state.sql": "the merge rules of EXPORT_FORMAT.md",
        "jobs/ingest.py": "the outcome of the loads it has just made",
        "outputs/notebooks/tables.py": "the load log as notebook 01 shows it (loads, rejections, findings)",
        "problems.py": "names the table in its docstring",
    }
    root = Path(__file__).resolve().parents[1] / "pipeline"
    readers = {str(p.relative_to(root)) for p in root.rglob("*") if p.suffix in (".py", ".sql")
               and "raw.loads" in p.read_text(encoding="utf-8") and "synth" not in p.parts}
    assert readers <= set(allowed), readers - set(allowed)
    tables = (root / "outputs/notebooks/tables.py").read_text(encoding="utf-8")
    assert "okres_od)" not in tables and "max(okres_do)" not in tables


@pytest.mark.notebooks
def test_every_notebook_of_the_new_centre_shows_only_covered_years(new_centre, tmp_path):
    """The five notebooks, executed on the new centre's warehouse: the years shown are 2023-2025, no 2022 anywhere
    (notebook 03's "Co znaleźliśmy" no longer calls the edge of the data a growth from 4 families in 2022)."""
    import html
    import re

    from pipeline.outputs.notebooks.runner import execute, notebook_paths, summary, to_html

    texts = {}
    for path in notebook_paths():
        nb = execute(path, {"db": str(new_centre)})
        if path.stem == "03_trendy":
            found = summary(nb)
            assert found["years"] == [2023, 2024, 2025] and found["families_supported"] == [3, 2, 2]
        page = to_html(nb, tmp_path / f"{path.stem}.html").read_text(encoding="utf-8")
        page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
        texts[path.stem] = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert len(texts) == 5
    for name, text in texts.items():
        assert "2022" not in text, name
        assert "lata z danymi: 2023–2025" in text, name
    assert "spadła: z 3 w 2023 r. do 2 w 2025 r." in re.sub(r"\s+", " ", texts["03_trendy"]).replace("\xa0", " ")


def test_needs_learn_durations_from_the_episodes_begun_on_a_covered_day(new_centre):
    """E3 begins on the first covered day (01.01.2023) and counts; E1, E2 and E5 began before it and are left out
    (their durations would be those of survivors); E4 is ongoing on the cutoff."""
    from pipeline.indicators import needs

    con = connect(new_centre, read_only=True)
    try:
        h = needs.history(con, date(2025, 12, 31), NEW)
        first, last = needs.covered_history(con, NEW)
    finally:
        con.close()
    assert sorted(h.durations.rows()) == [(365, False), (731, True)]
    assert (first, last) == (2023, 2025)


def test_the_previous_year_is_compared_only_where_the_exports_cover_it(new_centre, load_rows):
    """Notebook 02 and the annual information: 2023 is the new centre's first year, so there is no 2022 to compare
    with (not a 2022 made of the assistantships still going on in 2023)."""
    from pipeline.outputs.notebooks import tables

    con = connect(new_centre, read_only=True)
    try:
        assert tables.previous_year(con, 2023, None, 15) is None
        assert tables.previous_year(con, 2024, None, 15)["families_supported"] == 3
        assert tables.annual_table(con, 2023, None, 15)["previous"].null_count() == len(registry.INDICATORS)
    finally:
        con.close()


def test_a_unit_covering_part_of_a_year_others_cover_whole_is_named(new_centre, load_rows):
    rows = {"asystenci": [assistant("A1", "2020-01-01")], "rodziny": [family("R1")],
            "asystentury": [episode("E1", "R1", "2021-06-01")]}
    load_rows(rows, start="2025-01-01", end="2025-03-31", exported="2025-04-10")
    con = connect(new_centre, read_only=True)
    try:
        found = coverage.read(con).year(2025)
    finally:
        con.close()
    assert not found.whole and found.partial == ("1603011",)
    assert found.note() == "eksporty 1 jednostki obejmują tylko część okresu"


def test_a_unit_is_left_out_of_a_period_only_where_its_records_could_count():
    """All units, 2022: B covers from 01.01.2023 on. Its records beginning on 01.01.2023 change no 2022 figure, so
    nothing is left out (one series statement for every year); one beginning on 31.12.2022 does, so B is left out;
    A's exports ended in 2021 and its open assistantships would go on: left out of 2022 whatever its records."""
    a = coverage.UnitCoverage("0000001", "A", date(2012, 1, 15), date(2022, 1, 15), 1, 0,
                              ((date(2012, 1, 1), date(2021, 12, 31)),), date(2012, 3, 1))
    c = coverage.UnitCoverage("0000003", "C", date(2012, 1, 15), date(2026, 1, 15), 1, 0,
                              ((date(2012, 1, 1), date(2025, 12, 31)),), date(2012, 3, 1))

    def b(first_record: str) -> coverage.UnitCoverage:
        return coverage.UnitCoverage("0000002", "B", date(2026, 1, 15), date(2026, 1, 15), 1, 0,
                                     ((date(2023, 1, 1), date(2025, 12, 31)),), date.fromisoformat(first_record))

    assert coverage.Coverage((b("2023-01-01"), c)).year(2022).scope is None
    assert coverage.Coverage((b("2022-12-31"), c)).year(2022).scope == ("0000003",)
    assert coverage.Coverage((a, b("2023-01-01"), c)).year(2022).scope == ("0000002", "0000003")
    assert coverage.Coverage((a, b("2023-01-01"), c)).year(2021).scope is None  # A covers 2021, B begins later
