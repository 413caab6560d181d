"""The quality gate: read problems, personal data, then the GX suites, per export.

All exports of one call are validated together (one GX run per table), and
each failure is attributed back to its export.  Critical problems reject an
export; warnings are findings that load with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.checks.context import build_context
from pipeline.checks.gx_runner import GxValidator, RuleOutcome, load_suites
from pipeline.checks.pii import scan_exports
from pipeline.config import DEFAULT_CASELOAD_LIMIT
from pipeline.contract import TABLES
from pipeline.problems import Problem
from pipeline.read.batch import ROW
from pipeline.read.export import ExportData


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


def _attribute(outcomes: list[RuleOutcome], verdicts: list[Verdict]) -> None:
    """Give each export the failures of its own rows (a rule that could not run fails for all)."""
    for o in outcomes:
        raised = bool(o.result.get("raised_exception"))
        for i, v in enumerate(verdicts):
            rows = sorted(o.rows_by_export.get(i, []))
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
    """Check every export of a call; return one verdict each, in order."""
    verdicts = [Verdict(e, problems=list(e.problems)) for e in exports]
    for v, problems in zip(verdicts, scan_exports(exports), strict=True):
        v.problems += problems
    clean = [v for v in verdicts if v.accepted and v.export.meta is not None]
    if not clean:
        return verdicts
    frames = build_context([v.export for v in clean])
    validator = validator or GxValidator()
    suites = load_suites()
    for table, suite in suites.items():
        _attribute(validator.validate(suite, frames[table], caseload_limit), clean)
    return verdicts
