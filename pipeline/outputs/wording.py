"""Polish wording shared by the deliverables: the year's figure rows, problem rows, category and duration labels.

The annual information, the notebooks and the period statement show the same rows and labels;
they are written once here.
"""

from __future__ import annotations

from pipeline import grammar
from pipeline.grammar import form
from pipeline.indicators import registry

CATEGORY_LABELS = {"0": "bez dzieci niepełnoletnich", "1": "1 dziecko", "2": "2 dzieci", "3": "3 dzieci", "4+": "4 i więcej dzieci"}


def _years(n: int) -> str:
    return f"{n} {form(n, 'rok', 'lata', 'lat')}"


def _years_genitive(n: int) -> str:
    return "1 roku" if n == 1 else f"{n} lat"


def duration_label(bucket: str) -> str:
    """`<1` poniżej 1 roku, `1-2` od 1 roku do 2 lat (poniżej 2), `5+` 5 lat i dłużej."""
    if bucket.startswith("<"):
        n = int(bucket[1:])
        return "poniżej 1 roku" if n == 1 else f"poniżej {n} lat"
    if bucket.endswith("+"):
        return f"{_years(int(bucket[:-1]))} i dłużej"
    a, b = (int(x) for x in bucket.split("-"))
    return f"od {_years_genitive(a)} do {_years_genitive(b)} (poniżej {b})"


def indicator_rows(values: dict, previous: dict | None) -> list[dict]:
    """One row per indicator: key, label, last year, this year (both as raw values), change, definition."""
    return [{"key": i.key, "label": i.label, "current": values[i.key], "previous": previous[i.key] if previous else None,
             "decimals": i.decimals, "change": grammar.change(values[i.key], previous[i.key] if previous else None),
             "definition": i.definicja} for i in registry.INDICATORS]


def problem_rows(values: dict) -> list[dict]:
    """families_by_problem, most families first (ties in the contract's order), with the share of families supported."""
    supported = values["families_supported"]
    by_problem = values[registry.FAMILIES_BY_PROBLEM.key]
    ordered = sorted(by_problem.items(), key=lambda kv: -kv[1])  # stable: ties keep the contract's order
    return [{"problem": p, "families": n, "share": n / supported * 100 if supported else None} for p, n in ordered]
