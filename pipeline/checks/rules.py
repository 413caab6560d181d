"""The rule catalogue: every check of the contract, each with a code and a message.

Rules that follow from the contract (required columns, unique ids, references,
dates not after the export) are generated from `pipeline.contract`; the
cross-field and cross-table rules are listed by hand.  Each rule becomes one
Great Expectations expectation; `suite_json` writes them as GX 1.x suites,
which are committed in `expectations/` and reviewed like code.

Cross-table facts (does a reference resolve, what is the episode's span, when
did the family's previous episode end) are prepared as `_context` columns by
`pipeline.checks.context`, so that every rule is a single-table expectation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.contract import DEFAULT_CASELOAD_LIMIT, TABLES
from pipeline.problems import Severity
from pipeline.read.stacking import EXPORT

ROW = "_row"
EXPORT_DATE = "_data_eksportu"
CASELOAD_LIMIT_PARAMETER = "caseload_limit"

_PREFIX = {
    "metadane": "MET",
    "asystenci": "ASY",
    "rodziny": "ROD",
    "asystentury": "EPI",
    "przydzialy": "PRZ",
    "dzieci": "DZI",
    "piecza": "PIE",
    "problemy": "PRB",
    "dzialania": "DZL",
    "oceny": "OCE",
}


@dataclass(frozen=True)
class Rule:
    """One check: a GX expectation with a code, a Polish message and the columns it touches."""

    code: str
    table: str
    columns: tuple[str, ...]
    message: str
    expectation: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    severity: Severity = "critical"

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


def _not_null(column: str, when: str | None = None) -> tuple[str, dict]:
    kwargs: dict[str, Any] = {"column": column}
    if when:
        kwargs |= {"row_condition": when, "condition_parser": "pandas"}
    return "expect_column_values_to_not_be_null", kwargs


def _null(column: str, when: str) -> tuple[str, dict]:
    return "expect_column_values_to_be_null", {"column": column, "row_condition": when, "condition_parser": "pandas"}


def _a_ge_b(a: str, b: str, strict: bool = False) -> tuple[str, dict]:
    return "expect_column_pair_values_a_to_be_greater_than_b", {
        "column_A": a, "column_B": b, "or_equal": not strict, "ignore_row_if": "either_value_is_missing",
    }


def _is_true(column: str) -> tuple[str, dict]:
    return "expect_column_values_to_be_in_set", {"column": column, "value_set": [True]}


def _between(column: str, **bounds: Any) -> tuple[str, dict]:
    return "expect_column_values_to_be_between", {"column": column, **bounds}


# Hand-written rules: (table, columns, message, expectation, severity).
_SPECIFIC: list[tuple[str, tuple[str, ...], str, tuple[str, dict], Severity]] = [
    ("metadane", ("okres_od", "okres_do"), "okres_od jest późniejszy niż okres_do", _a_ge_b("okres_do", "okres_od"), "critical"),
    ("metadane", ("okres_do", "data_eksportu"), "okres_do jest późniejszy niż data_eksportu",
     _a_ge_b("data_eksportu", "okres_do"), "critical"),
    ("asystenci", ("data_zatrudnienia", "data_zakonczenia_zatrudnienia"), "koniec zatrudnienia przed jego początkiem",
     _a_ge_b("data_zakonczenia_zatrudnienia", "data_zatrudnienia"), "critical"),
    ("asystenci", ("wymiar_etatu",), "wymiar etatu musi być większy od 0 i nie większy niż 1",
     _between("wymiar_etatu", min_value=0, max_value=1, strict_min=True), "critical"),
    ("asystenci", ("id_asystenta",), "asystent prowadził jednocześnie więcej rodzin niż pozwala limit ustawowy",
     _between("_max_caseload", max_value={"$PARAMETER": CASELOAD_LIMIT_PARAMETER}), "warning"),
    ("rodziny", ("liczba_osob",), "liczba osób w rodzinie musi wynosić co najmniej 1", _between("liczba_osob", min_value=1), "critical"),
    ("asystentury", ("data_rozpoczecia", "data_zakonczenia"), "zakończenie asystentury przed jej rozpoczęciem",
     _a_ge_b("data_zakonczenia", "data_rozpoczecia"), "critical"),
    ("asystentury", ("przyczyna_zakonczenia", "data_zakonczenia"), "asystentura zakończona bez przyczyny zakończenia",
     _not_null("przyczyna_zakonczenia", "data_zakonczenia.notna()"), "critical"),
    ("asystentury", ("przyczyna_zakonczenia", "data_zakonczenia"), "przyczyna zakończenia podana dla trwającej asystentury",
     _null("przyczyna_zakonczenia", "data_zakonczenia.isna()"), "critical"),
    ("asystentury", ("data_postanowienia_sadu", "zobowiazanie_sadu"), "zobowiązanie sądu bez daty postanowienia",
     _not_null("data_postanowienia_sadu", "zobowiazanie_sadu == True"), "critical"),
    ("asystentury", ("data_postanowienia_sadu", "zobowiazanie_sadu"), "data postanowienia sądu bez zobowiązania sądu",
     _null("data_postanowienia_sadu", "zobowiazanie_sadu == False"), "critical"),
    ("asystentury", ("data_zakonczenia_monitoringu", "data_zakonczenia"), "koniec monitoringu podany dla trwającej asystentury",
     _null("data_zakonczenia_monitoringu", "data_zakonczenia.isna()"), "critical"),
    ("asystentury", ("data_zakonczenia_monitoringu", "data_zakonczenia"), "koniec monitoringu przed zakończeniem asystentury",
     _a_ge_b("data_zakonczenia_monitoringu", "data_zakonczenia"), "critical"),
    ("asystentury", ("id_rodziny", "data_rozpoczecia"), "asystentury rodziny nakładają się: ta zaczyna się, zanim skończyła się poprzednia",
     _a_ge_b("data_rozpoczecia", "_prev_end", strict=True), "critical"),
    ("asystentury", ("id_rodziny", "data_zakonczenia"),
     "rodzina ma później rozpoczętą asystenturę, a poprzednia nadal trwa (trwać może tylko ostatnia)",
     _is_true("_prev_closed"), "critical"),
    ("asystentury", ("data_zakonczenia", "data_zakonczenia_monitoringu"),
     "zakończona asystentura bez monitoringu po zakończeniu (ponad 3 miesiące)",
     _is_true("_monitoring_ok"), "warning"),
    ("asystentury", ("id_asystentury",), "asystentura bez żadnego przydziału asystenta", _is_true("_has_assignment"), "warning"),
    ("asystentury", ("id_asystentury",), "trwająca asystentura bez oceny sytuacji rodziny od ponad 6 miesięcy",
     _is_true("_assessment_ok"), "warning"),
    ("przydzialy", ("data_od", "data_do"), "koniec przydziału przed jego początkiem", _a_ge_b("data_do", "data_od"), "critical"),
    ("przydzialy", ("data_od",), "przydział zaczyna się przed rozpoczęciem asystentury", _a_ge_b("data_od", "_ep_start"), "critical"),
    ("przydzialy", ("data_od",), "przydział zaczyna się po zakończeniu asystentury", _a_ge_b("_ep_end", "data_od"), "critical"),
    ("przydzialy", ("data_do",), "przydział kończy się po zakończeniu asystentury", _a_ge_b("_ep_end", "data_do"), "critical"),
    ("przydzialy", ("data_do",), "przydział kończy się przed rozpoczęciem asystentury", _a_ge_b("data_do", "_ep_start"), "critical"),
    ("piecza", ("data_umieszczenia", "data_zakonczenia"), "zakończenie pieczy przed umieszczeniem",
     _a_ge_b("data_zakonczenia", "data_umieszczenia"), "critical"),
    ("piecza", ("przyczyna_zakonczenia", "data_zakonczenia"), "zakończona piecza bez przyczyny zakończenia",
     _not_null("przyczyna_zakonczenia", "data_zakonczenia.notna()"), "critical"),
    ("piecza", ("przyczyna_zakonczenia", "data_zakonczenia"), "przyczyna zakończenia podana dla trwającej pieczy",
     _null("przyczyna_zakonczenia", "data_zakonczenia.isna()"), "critical"),
    ("dzialania", ("liczba",), "liczba działań musi wynosić co najmniej 1", _between("liczba", min_value=1), "critical"),
    ("oceny", ("data_oceny",), "ocena przed rozpoczęciem asystentury", _a_ge_b("data_oceny", "_ep_start"), "critical"),
    ("oceny", ("data_oceny",), "ocena po zakończeniu asystentury", _a_ge_b("_ep_end", "data_oceny"), "critical"),
]


def _generated(table: str) -> list[tuple[tuple[str, ...], str, tuple[str, dict], Severity]]:
    """Rules that follow from the contract's column list for one table."""
    spec = TABLES[table]
    out: list[tuple[tuple[str, ...], str, tuple[str, dict], Severity]] = []
    for c in spec.columns:
        if c.required:
            out.append(((c.name,), "brak wymaganej wartości", _not_null(c.name), "critical"))
    out.append(((spec.key,), "identyfikator powtarza się w tabeli",
                ("expect_compound_columns_to_be_unique", {"column_list": [EXPORT, spec.key]}), "critical"))
    for c in spec.columns:
        if c.references:
            out.append(((c.name,), f"odwołanie do nieistniejącego rekordu tabeli {c.references}", _is_true(ref_column(c.name)), "critical"))
    for c in spec.columns:
        if c.type in ("date", "month"):
            out.append(((c.name,), "data późniejsza niż data_eksportu", _a_ge_b(EXPORT_DATE, c.name), "critical"))
    return out


def all_rules() -> list[Rule]:
    """Every rule, numbered per table in a stable order."""
    rules: list[Rule] = []
    for table in ("metadane", *TABLES):
        entries = ([] if table == "metadane" else _generated(table)) + [
            (cols, msg, exp, sev) for t, cols, msg, exp, sev in _SPECIFIC if t == table
        ]
        for i, (cols, msg, (expectation, kwargs), sev) in enumerate(entries, start=1):
            rules.append(Rule(f"{_PREFIX[table]}-{i:03d}", table, cols, msg, expectation, kwargs, sev))
    return rules


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
