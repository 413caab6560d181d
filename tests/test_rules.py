"""Every rule of the gate fires on a fixture made to break it, and names file, table, row and column.

All the broken exports are checked in one call, as `ingest` does with many
exports: each failure must be attributed to its own export only.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest
from builders import assessment, episode, meta, placement, small_case, write

from pipeline.checks.gate import check_exports
from pipeline.checks.gx_runner import EXPECTATIONS_DIR
from pipeline.checks.rules import EXPORT_DATE, all_rules, suite_json
from pipeline.read.export import read_export

LATE = date(2025, 2, 1)  # after the fixtures' data_eksportu (2025-01-15)
RULES = {r.code: r for r in all_rules()}


def _set(table: str, column: str, value, index: int = 0):
    def mutate(rows):
        rows[table][index][column] = value
    return mutate


def _add(table: str, row: dict):
    def mutate(rows):
        rows[table].append(row)
    return mutate


def _drop(table: str, key: str, value: str):
    def mutate(rows):
        rows[table] = [r for r in rows[table] if r[key] != value]
    return mutate


# code -> (mutation of small_case rows, expected row, metadata overrides, caseload limit)
SPECIFIC = {
    "MET-001": (None, 6, {"start": "2025-01-01"}, 15),
    "MET-002": (None, 6, {"end": "2025-02-01", "exported": "2025-01-15"}, 15),
    "ASY-009": (_set("asystenci", "data_zakonczenia_zatrudnienia", date(2019, 12, 31), 1), 3, {}, 15),
    "ASY-010": (_set("asystenci", "wymiar_etatu", 0.0), 2, {}, 15),
    "ASY-011": (None, 2, {}, 1),  # A1 had E1 and E2 at once in 2023: above a limit of 1
    "ROD-006": (_set("rodziny", "liczba_osob", 0), 2, {}, 15),
    "EPI-012": (_set("asystentury", "data_zakonczenia", date(2022, 1, 1)), 2, {}, 15),
    "EPI-013": (_set("asystentury", "przyczyna_zakonczenia", None), 2, {}, 15),
    "EPI-014": (_set("asystentury", "przyczyna_zakonczenia", "inna", 1), 3, {}, 15),
    "EPI-015": (_set("asystentury", "data_postanowienia_sadu", None, 1), 3, {}, 15),
    "EPI-016": (_set("asystentury", "data_postanowienia_sadu", date(2024, 1, 1), 2), 4, {}, 15),
    "EPI-017": (_set("asystentury", "data_zakonczenia_monitoringu", date(2024, 10, 1), 1), 3, {}, 15),
    "EPI-018": (_set("asystentury", "data_zakonczenia_monitoringu", date(2024, 1, 1)), 2, {}, 15),
    "EPI-019": (_add("asystentury", episode("E4", "R1", "2024-06-30")), 5, {}, 15),      # starts the day E1 ends
    "EPI-020": (_add("asystentury", episode("E4", "R2", "2024-05-01")), 5, {}, 15),      # E2 still ongoing
    "EPI-021": (_set("asystentury", "data_zakonczenia_monitoringu", None), 2, {}, 15),
    "EPI-022": (_drop("przydzialy", "id_przydzialu", "P4"), 4, {}, 15),
    "EPI-023": (_drop("oceny", "id_oceny", "O2"), 4, {}, 15),
    "PRZ-010": (_set("przydzialy", "data_do", date(2023, 1, 1), 1), 3, {}, 15),
    "PRZ-011": (_set("przydzialy", "data_od", date(2022, 1, 1)), 2, {}, 15),
    "PRZ-012": (_set("przydzialy", "data_od", date(2024, 7, 1)), 2, {}, 15),
    "PRZ-013": (_set("przydzialy", "data_do", date(2024, 7, 31)), 2, {}, 15),
    "PRZ-014": (_set("przydzialy", "data_do", date(2022, 12, 31), 1), 3, {}, 15),
    "PIE-009": (_set("piecza", "data_zakonczenia", date(2022, 1, 1)), 2, {}, 15),
    "PIE-010": (_set("piecza", "przyczyna_zakonczenia", None), 2, {}, 15),
    "PIE-011": (_add("piecza", placement("U2", "D1", "2023-01-01") | {"przyczyna_zakonczenia": "inna"}), 3, {}, 15),
    "DZL-010": (_set("dzialania", "liczba", 0), 2, {}, 15),
    "OCE-007": (_set("oceny", "data_oceny", date(2022, 12, 1)), 2, {}, 15),
    "OCE-008": (_add("oceny", assessment("O3", "E1", "2024-08-01")), 4, {}, 15),
}
# tables whose first row may take a date after the export without another rule hiding it
DATE_COLUMNS = {
    ("asystenci", "data_zatrudnienia"): 1, ("asystenci", "data_zakonczenia_zatrudnienia"): 1,
    ("asystentury", "data_rozpoczecia"): 2, ("asystentury", "data_zakonczenia"): 0,
    ("asystentury", "data_postanowienia_sadu"): 1, ("asystentury", "data_zakonczenia_monitoringu"): 0,
    ("przydzialy", "data_od"): 3, ("przydzialy", "data_do"): 1, ("piecza", "data_umieszczenia"): 0,
    ("piecza", "data_zakonczenia"): 0, ("dzieci", "miesiac_urodzenia"): 2, ("dzialania", "data"): 0,
    ("oceny", "data_oceny"): 0,
}


def case_for(code: str):
    """The mutation, expected row, metadata and limit that make one rule fire."""
    if code in SPECIFIC:
        return SPECIFIC[code]
    rule = RULES[code]
    kw = rule.kwargs
    if rule.expectation == "expect_column_values_to_not_be_null" and "row_condition" not in kw:
        return _set(rule.table, kw["column"], None), 2, {}, 15
    if rule.expectation == "expect_compound_columns_to_be_unique":
        def duplicate(rows, table=rule.table):
            rows[table].append(copy.deepcopy(rows[table][0]))
        return duplicate, 2, {}, 15
    if kw.get("column", "").startswith("_ref_"):
        return _set(rule.table, kw["column"].removeprefix("_ref_"), "NOPE"), 2, {}, 15
    if kw.get("column_A") == EXPORT_DATE:
        index = DATE_COLUMNS[(rule.table, kw["column_B"])]
        return _set(rule.table, kw["column_B"], LATE, index), index + 2, {}, 15
    raise KeyError(code)


def test_every_rule_has_a_breaking_fixture():
    missing = []
    for code in RULES:
        try:
            case_for(code)
        except KeyError:
            missing.append(code)
    assert missing == []


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory, validator):
    """One clean export and one broken export per rule, checked together."""
    root = tmp_path_factory.mktemp("rules")
    paths, limits = [write(root / "clean")], {}
    for code in RULES:
        mutate, _, meta_kw, limit = case_for(code)
        rows = copy.deepcopy(small_case())
        if mutate:
            mutate(rows)
        paths.append(write(root / code, rows, meta(**meta_kw)))
        limits[code] = limit
    exports = [read_export(p) for p in paths]
    by_limit = {}
    for limit in sorted(set(limits.values())):
        chosen = [0] + [i + 1 for i, c in enumerate(RULES) if limits[c] == limit]
        for i, v in zip(chosen, check_exports([exports[i] for i in chosen], limit, validator), strict=True):
            by_limit[i] = v
    return {("clean" if i == 0 else list(RULES)[i - 1]): by_limit[i] for i in by_limit}


def test_the_clean_export_passes_every_rule(verdicts):
    clean = verdicts["clean"]
    assert clean.problems == [] and clean.findings == []
    assert clean.rules_checked == len(RULES) and clean.rules_failed == 0


@pytest.mark.parametrize("code", list(RULES))
def test_rule_fires_and_names_the_place(verdicts, code):
    rule = RULES[code]
    _, row, _, _ = case_for(code)
    verdict = verdicts[code]
    reported = verdict.findings if rule.severity == "warning" else verdict.problems
    hits = [p for p in reported if p.code == code]
    assert hits, f"{code} did not fire: {[p.describe() for p in verdict.problems + verdict.findings]}"
    p = hits[0]
    assert p.table == rule.table and p.file and p.file.endswith(".csv")
    assert rule.columns[0] in p.column
    assert row in p.rows, p.describe()
    assert p.message == rule.message
    if rule.severity == "warning":
        assert not verdict.problems, [x.describe() for x in verdict.problems]  # a warning alone never rejects
        assert p.ids, "findings carry the pseudonymised ids"


def test_committed_suites_equal_the_generated_ones():
    for path in EXPECTATIONS_DIR.glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8")) == suite_json(path.stem), path.name


def test_suites_load_into_great_expectations():
    import great_expectations as gx

    for path in EXPECTATIONS_DIR.glob("*.json"):
        spec = json.loads(path.read_text(encoding="utf-8"))
        suite = gx.ExpectationSuite(**{k: v for k, v in spec.items() if k != "meta"})
        assert len(suite.expectations) == len(spec["expectations"])
        assert {e.meta["code"] for e in suite.expectations} == {e["meta"]["code"] for e in spec["expectations"]}


def test_gate_report_lists_failures_per_export_without_values(tmp_path: Path, ingest_paths):
    bad = write(tmp_path / "bad", _mutated("asystentury", "data_zakonczenia", date(2022, 1, 1)))
    results = ingest_paths(bad)
    assert results[0].outcome == "rejected"
    html = next((tmp_path / "reports").glob("*bad.html")).read_text(encoding="utf-8")
    assert "EPI-012" in html and "odrzucony" in html and "http" not in html.replace("http-equiv", "")
    stored = json.loads(next((tmp_path / "reports").glob("*bad.gx.json")).read_text(encoding="utf-8"))
    failed = [r for r in stored["results"] if not r["success"]]
    assert {"code", "table", "rows", "unexpected_count"} <= set(failed[0])


def _mutated(table: str, column: str, value) -> dict:
    rows = copy.deepcopy(small_case())
    rows[table][0][column] = value
    return rows
