"""The rule catalogue of the quality gate: every check of the contract, each with a code that never moves.

Each rule is written out in `catalogue.py` with its literal code, the table and
columns it touches, its Polish message, its severity, the Great Expectations
expectation that checks it, and `Breaks`: how the test suite's small valid
export is changed to break it.  Codes are append-only: `issued_codes.tsv`
lists every code ever issued (rules here and the reading, typing, personal-data
and funding codes defined beside their checks), and a test fails if a code
disappears or changes meaning.  `suite_json` writes the rules as GX 1.x suites,
committed in `expectations/`.

Cross-table facts (does a reference resolve, what is the episode's span, when
did the family's previous episode end) are prepared as `_context` columns by
`pipeline.checks.context`, so that every rule is a single-table expectation.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import DEFAULT_CASELOAD_LIMIT
from pipeline.contract import TABLES
from pipeline.problems import ISSUED, Code, Severity
from pipeline.read.batch import EXPORT

EXPORT_DATE = "_data_eksportu"
CASELOAD_LIMIT_PARAMETER = "caseload_limit"
SUITE_TABLES: tuple[str, ...] = ("metadane", *TABLES)  # each has its GX suite, expectations/<table>.json
ISSUED_CODES_FILE = Path(__file__).with_name("issued_codes.tsv")

Expectation = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Breaks:
    """How a rule's test breaks it: a change to the small valid export of the tests
    (`tests/builders.small_case`) and the row (header = 1) the problem must name.

    set: (table, row index, column, value); add: (table, changes to a copy of its first row);
    drop: (table, id); meta: metadata overrides; limit: the caseload limit to check with.
    Dates are ISO strings."""

    row: int
    set: tuple[str, int, str, Any] | None = None
    add: tuple[str, dict[str, Any]] | None = None
    drop: tuple[str, str] | None = None
    meta: dict[str, str] = field(default_factory=dict)
    limit: int = DEFAULT_CASELOAD_LIMIT


@dataclass(frozen=True)
class Rule:
    """One check: a GX expectation with a code, a Polish message and the columns it touches."""

    code: str
    table: str
    columns: tuple[str, ...]
    message: str
    check: Expectation
    breaks: Breaks
    severity: Severity = "critical"

    @property
    def expectation(self) -> str:
        return self.check[0]

    @property
    def kwargs(self) -> dict[str, Any]:
        return self.check[1]

    def to_expectation(self) -> dict[str, Any]:
        """The rule as a GX 1.x expectation configuration (JSON)."""
        return {
            "type": self.expectation,
            "kwargs": self.kwargs,
            "meta": {"code": self.code, "table": self.table, "columns": list(self.columns), "message": self.message},
            "severity": self.severity,
        }


def ref_column(column: str) -> str:
    """Name of the context column saying whether `column`'s reference resolves."""
    return f"_ref_{column}"


# The expectations the catalogue is written with.
def not_null(column: str, when: str | None = None) -> Expectation:
    kwargs: dict[str, Any] = {"column": column}
    if when:
        kwargs |= {"row_condition": when, "condition_parser": "pandas"}
    return "expect_column_values_to_not_be_null", kwargs


def null(column: str, when: str) -> Expectation:
    return "expect_column_values_to_be_null", {"column": column, "row_condition": when, "condition_parser": "pandas"}


def a_ge_b(a: str, b: str, strict: bool = False) -> Expectation:
    return "expect_column_pair_values_a_to_be_greater_than_b", {
        "column_A": a, "column_B": b, "or_equal": not strict, "ignore_row_if": "either_value_is_missing",
    }


def is_true(column: str) -> Expectation:
    return "expect_column_values_to_be_in_set", {"column": column, "value_set": [True]}


def reference_resolves(column: str) -> Expectation:
    return is_true(ref_column(column))


def unique(key: str) -> Expectation:
    return "expect_compound_columns_to_be_unique", {"column_list": [EXPORT, key]}


def between(column: str, **bounds: Any) -> Expectation:
    return "expect_column_values_to_be_between", {"column": column, **bounds}


def at_most_caseload_limit(column: str) -> Expectation:
    return between(column, max_value={"$PARAMETER": CASELOAD_LIMIT_PARAMETER})


def all_rules() -> list[Rule]:
    """Every rule of the catalogue, in its order."""
    from pipeline.checks.rules.catalogue import RULES

    return list(RULES)


def rules_by_code() -> dict[str, Rule]:
    return {r.code: r for r in all_rules()}


def suite_json(table: str) -> dict[str, Any]:
    """The GX 1.x expectation suite of one table, as stored in expectations/<table>.json."""
    return {
        "name": table,
        "expectations": [r.to_expectation() for r in all_rules() if r.table == table],
        "meta": {
            "generated_by": "python -m pipeline suites --write",
            "default_parameters": {CASELOAD_LIMIT_PARAMETER: DEFAULT_CASELOAD_LIMIT},
        },
    }


def problem_codes() -> dict[str, Code]:
    """The codes of the reading, typing, personal-data and funding checks (defined beside their checks, in the
    modules of pipeline.read and pipeline.checks: importing them issues their codes)."""
    import importlib
    import pkgutil

    import pipeline.checks
    import pipeline.read

    for package in (pipeline.read, pipeline.checks):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    return dict(sorted(ISSUED.items()))


def current_codes() -> dict[str, tuple[str, str]]:
    """Every code the code base issues now: code -> (severity, meaning)."""
    codes = {c.code: (c.severity, c.meaning) for c in problem_codes().values()}
    codes |= {r.code: (r.severity, f"{r.table} ({', '.join(r.columns)}): {r.message}") for r in all_rules()}
    return dict(sorted(codes.items()))


def issued_codes() -> dict[str, tuple[str, str]]:
    """The committed list of every code ever issued: code -> (severity, meaning)."""
    with ISSUED_CODES_FILE.open(encoding="utf-8", newline="") as f:
        return {row["code"]: (row["severity"], row["meaning"]) for row in csv.DictReader(f, delimiter="\t")}
