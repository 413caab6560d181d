"""Every rule of the gate fires on a fixture made to break it, and names file, table, row and column.

All the broken exports are checked in one call, as `ingest` does with many
exports: each failure must be attributed to its own export only.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from pathlib import Path

import pytest
from builders import meta, read_export, small_case, write

from pipeline.checks.gate import check_exports
from pipeline.checks.rules import ISSUED_CODES_FILE, all_rules, current_codes, issued_codes, suite_json
from pipeline.config import EXPECTATIONS_DIR, PROJECT_ROOT
from pipeline.contract import TABLES

PIPELINE = PROJECT_ROOT / "pipeline"
RULES = {r.code: r for r in all_rules()}


def _value(value):
    """Dates in the catalogue are ISO strings."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    return value


def case_for(code: str):
    """The mutation, expected row, metadata and limit that make one rule fire (from the rule's `breaks`)."""
    breaks = RULES[code].breaks

    def mutate(rows):
        if breaks.set:
            table, index, column, value = breaks.set
            rows[table][index][column] = _value(value)
        if breaks.add:
            table, changes = breaks.add
            rows[table].append(copy.deepcopy(rows[table][0]) | {k: _value(v) for k, v in changes.items()})
        if breaks.drop:
            table, record = breaks.drop
            key = TABLES[table].key
            rows[table] = [r for r in rows[table] if r[key] != record]

    return mutate, breaks.row, breaks.meta, breaks.limit


def test_every_rule_has_a_breaking_fixture():
    assert all(r.breaks.set or r.breaks.add or r.breaks.drop or r.breaks.meta or r.breaks.limit != 15 for r in RULES.values())


def test_issued_codes_never_disappear_or_change_meaning():
    issued, current = issued_codes(), current_codes()
    gone = sorted(set(issued) - set(current))
    changed = sorted(c for c in issued if c in current and issued[c] != current[c])
    new = sorted(set(current) - set(issued))
    assert not gone, f"codes were issued and must stay: {gone}"
    assert not changed, f"a code keeps its meaning (add a new code instead): {[(c, issued[c], current[c]) for c in changed]}"
    assert not new, f"append the new codes to {ISSUED_CODES_FILE.name}: {new}"


def test_each_code_is_written_literally_beside_its_check():
    source = "\n".join(p.read_text(encoding="utf-8") for p in PIPELINE.rglob("*.py"))
    for code in current_codes():
        assert f'"{code}"' in source, code


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
