"""The quality gate: read problems, personal data, then the GX suites, per export.

All exports of one call are validated together (one GX run per table), and
each failure is attributed back to its export.  Critical problems reject an
export; warnings are findings that load with it.

Every problem in one pass: the rules run on every export whose metadata could be
read, even when it already has reading, typing or personal-data problems.  A rule
is skipped only where it cannot run (its table, or a table it reads, was not read),
a rule's failure on a cell that already failed its type is not repeated, a warning that
reads such a cell (in its row or through its context, `consequential`) is left out, and a
note (`STR-090`) says what was not checked.  An export with thousands of rows
missing their required values is not checked rule by rule (`STR-017`, see
`broken_rows`): that bounds the memory the rules' row lists take.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import polars as pl

from pipeline.checks.broken_rows import too_broken
from pipeline.checks.consequential import Consequences
from pipeline.checks.context import build_context
from pipeline.checks.gx_runner import GxValidator, RuleOutcome, load_suites
from pipeline.checks.headers import hide_personal_headers
from pipeline.checks.pii import scan_exports
from pipeline.checks.skipped import not_checked_note
from pipeline.config import DEFAULT_CASELOAD_LIMIT
from pipeline.contract import METADATA_TABLE, TABLES
from pipeline.problems import Problem
from pipeline.read.batch import ROW
from pipeline.read.coerce import TYPE_ERRORS
from pipeline.read.export import ExportData, empty_table
from pipeline.read.mapping import names_of

# Tables whose rows the context columns of a table's rules read (pipeline/checks/context.py), besides its references.
_CONTEXT_READS = {"asystenci": ("przydzialy", "asystentury"), "asystentury": ("przydzialy", "oceny"),
                  "przydzialy": ("asystentury",), "oceny": ("asystentury",)}


@dataclass
class Verdict:
    """What the gate says of one export."""

    export: ExportData
    problems: list[Problem] = field(default_factory=list)
    findings: list[Problem] = field(default_factory=list)
    rules_checked: int = 0
    rules_failed: int = 0
    gx_results: list[dict] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.problems


def _ids_for_rows(data: ExportData, table: str, rows: list[int]) -> list[str]:
    if table not in TABLES:
        return []
    key = TABLES[table].key
    frame = data.tables[table]
    lookup = dict(zip(frame[ROW].to_list(), frame[key].to_list(), strict=True))
    return [lookup.get(r) for r in rows]


def _rule_needs() -> dict[str, set[str]]:
    """The tables each rule reads (by code): its own, those its columns reference, and those of its table's context."""
    from pipeline.checks.rules import all_rules

    needs = {}
    for r in all_rules():
        spec = TABLES.get(r.table)
        refs = {spec.column(c).references for c in r.columns if spec and c in spec.column_names and spec.column(c).references}
        needs[r.code] = {r.table} | refs | set(_CONTEXT_READS.get(r.table, ()))
    return needs


def _rule_tables() -> dict[str, str]:
    from pipeline.checks.rules import all_rules

    return {r.code: r.table for r in all_rules()}


def _unread(data: ExportData) -> list[str]:
    """The tables of an export that could not be read into typed frames."""
    return [t for t in TABLES if t not in data.tables]


class _TypedAlready:
    """The rows of each table whose given columns already failed their type (their rule failures are not repeated).

    Only columns with a type problem of the export are looked at: most exports have none, and a query per rule and
    export would cost more than the rules themselves at national scale."""

    def __init__(self, data: ExportData) -> None:
        self._data = data
        self._cache: dict[tuple[str, tuple[str, ...]], set[int]] = {}
        type_codes = {code.code for code in TYPE_ERRORS.values()}
        self._mistyped = {(p.table, p.column) for p in data.problems if p.code in type_codes}

    def rows(self, table: str, columns: list[str]) -> set[int]:
        if not self._mistyped or not any((table, c) in self._mistyped for c in columns):
            return set()
        key = (table, tuple(columns))
        if key not in self._cache:
            failed = self._data.failed.get(table)
            cols = [c for c in columns if failed is not None and c in failed.columns and (table, c) in self._mistyped]
            self._cache[key] = set(failed.filter(pl.any_horizontal(cols))[ROW].to_list()) if cols else set()
        return self._cache[key]


def _attribute(outcomes: list[RuleOutcome], verdicts: list[Verdict], skipped: list[set[str]],
               typed_already: list[_TypedAlready], consequences: list[Consequences] | None = None) -> None:
    """Give each export the failures of its own rows (a rule that could not run fails for all); rules in an
    export's `skipped` codes are not counted, and rows whose rule columns failed their type are not repeated."""
    for o in outcomes:
        raised = bool(o.result.get("raised_exception"))
        passed = {"code": o.code, "table": o.table, "severity": o.severity, "success": True, "unexpected_count": 0, "rows": []}
        for i, v in enumerate(verdicts):
            if o.code in skipped[i]:
                continue
            if not raised and not o.rows_by_export.get(i):  # most exports pass most rules: nothing to look up
                v.rules_checked += 1
                v.gx_results.append(passed)
                continue
            rows = sorted(o.rows_by_export.get(i, []))
            if consequences is not None and o.severity == "warning":
                rows = consequences[i].drop(o.code, rows)  # a finding that only echoes an unread cell (counted)
            rows = sorted(set(rows) - typed_already[i].rows(o.table, o.columns))
            failed = bool(rows) or raised
            v.rules_checked += 1
            v.gx_results.append({"code": o.code, "table": o.table, "severity": o.severity, "success": not failed,
                                 "unexpected_count": len(rows), "rows": rows})
            if not failed:
                continue
            v.rules_failed += 1
            label = v.export.labels.get(o.table, o.table)
            column = ", ".join(o.columns)
            if o.severity == "warning":
                ids = _ids_for_rows(v.export, o.table, rows)
                v.findings.append(Problem(o.code, o.message, "warning", label, o.table, column, rows, len(rows), ids))
            else:
                v.problems.append(Problem(o.code, o.message, "critical", label, o.table, column, rows[:10], max(len(rows), 1)))


def check_exports(exports: list[ExportData], caseload_limit: int = DEFAULT_CASELOAD_LIMIT,
                  validator: GxValidator | None = None) -> list[Verdict]:
    """Check every export of a call; return one verdict each, in order (a `--mapping` copy's problems name
    the source's own files and columns, see `pipeline.read.mapping.SourceNames`)."""
    verdicts = _check_exports(exports, caseload_limit, validator)
    for v in verdicts:
        names = names_of(v.export.path)
        if names is not None:
            v.problems = names.problems + [names.rename(p, v.export.labels) for p in v.problems]
            v.findings = [names.rename(p, v.export.labels) for p in v.findings]
    return verdicts


def _check_exports(exports: list[ExportData], caseload_limit: int,
                   validator: GxValidator | None) -> list[Verdict]:
    verdicts = [Verdict(e, problems=hide_personal_headers(list(e.problems))) for e in exports]
    for v, problems in zip(verdicts, scan_exports(exports), strict=True):
        v.problems += problems
    runnable: list[tuple[Verdict, set[str]]] = []
    needs = _rule_needs()
    owners = _rule_tables()
    for v in verdicts:
        unread = _unread(v.export) if v.export.container is not None else list(TABLES)
        if v.export.meta is None or METADATA_TABLE not in v.export.tables:
            v.problems.append(not_checked_note(v.export, unread, []))
            continue
        broken = too_broken(v.export)
        if broken:  # thousands of junk rows: the rules would hold every one of them (memory), and they say nothing more
            v.problems += broken
            continue
        skipped = [code for code, tables in needs.items() if tables & set(unread)]
        if unread:
            v.problems.append(not_checked_note(v.export, unread, [c for c in skipped if owners[c] not in unread]))
        runnable.append((v, set(skipped)))
    if not runnable:
        return verdicts
    staged = [replace(v.export, tables={**{t: empty_table(t) for t in TABLES}, **v.export.tables}) for v, _ in runnable]
    frames = build_context(staged)
    validator = validator or GxValidator()
    suites = load_suites()
    checked = [v for v, _ in runnable]
    skips = [skipped for _, skipped in runnable]
    typed_already = [_TypedAlready(v.export) for v in checked]
    consequences = [Consequences(v.export) for v in checked]
    for table, suite in suites.items():
        _attribute(validator.validate(suite, frames[table], caseload_limit), checked, skips, typed_already, consequences)
    for v, c in zip(checked, consequences, strict=True):
        v.problems = c.annotate(v.problems)
    return verdicts
