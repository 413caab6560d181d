"""Stock at the period's end and the breakdowns the national statistics use, for any period d0 .. d1.

Each figure reads one SQL file of `sql/breakdowns/` (the records behind it, through the staging
macros, like the registry's figures); the definitions below are the exact days, generated into
`docs/indicators.md`.  Stock: what is true on the last day d1.  Breakdowns: dictionaries of counts
whose parts add up to a stated total (`TOTALS`), so a reader, a test and the disclosure control
can check them.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import duckdb

from pipeline.contract import TABLES
from pipeline.indicators import registry
from pipeline.indicators.registry import When, _resolve, run_sql, span
from pipeline.sql import sql_text

DURATION_EDGES = (1, 2, 3)  # full years: under 1, 1-2, 2-3, 3 and more
CHILD_BUCKETS = ("0", "1", "2", "3", "4+")
EMPLOYMENT_FORMS = TABLES["asystenci"].column("forma_zatrudnienia").values
WORKING_TIME = TABLES["asystenci"].column("system_czasu_pracy").values


@dataclass(frozen=True)
class Figure:
    """One stock figure or breakdown: key, Polish label, the exact definition (English, Polish)."""

    key: str
    label: str
    definition: str
    definicja: str
    total: str | None = None  # the figure the parts add up to (a key of the registry, STOCK or another breakdown)


STOCK: tuple[Figure, ...] = (
    Figure("assistants_at_end", "asystenci zatrudnieni w ostatnim dniu okresu",
           "assistants whose employment (data_zatrudnienia .. data_zakonczenia_zatrudnienia, inclusive) includes d1",
           "asystenci, których zatrudnienie obejmuje ostatni dzień okresu (także ten, dla kogo jest on ostatnim dniem pracy)"),
    Figure("assistants_fte_at_end", "etaty asystentów w ostatnim dniu okresu",
           "sum of wymiar_etatu over assistants_at_end",
           "suma wymiarów etatu asystentów zatrudnionych w ostatnim dniu okresu"),
    Figure("families_at_end", "rodziny z trwającą asystenturą w ostatnim dniu okresu",
           "families with an episode active on d1 (data_rozpoczecia <= d1 and data_zakonczenia empty or >= d1: an "
           "episode ending on d1 counts)",
           "rodziny z asystenturą trwającą w ostatnim dniu okresu (także kończącą się tego dnia)"),
    Figure("children_at_end", "dzieci w tych rodzinach w ostatnim dniu okresu",
           "children of those families who are a minor on d1 (birth <= d1 < birth + 18 years; children placed in foster "
           "care included)",
           "niepełnoletnie w ostatnim dniu okresu dzieci tych rodzin (także przebywające w pieczy)"),
)

BREAKDOWNS: tuple[Figure, ...] = (
    Figure("assistants_by_employment", "asystenci według formy zatrudnienia i systemu czasu pracy (w okresie)",
           "assistants counted by `assistants` (employment overlaps d0 .. d1), by forma_zatrudnienia and "
           "system_czasu_pracy; each with the average FTE over the period (sum of wymiar_etatu x days employed in "
           "d0 .. d1, divided by the days of the period)",
           "asystenci zatrudnieni w okresie według formy zatrudnienia i systemu czasu pracy; etaty przeciętnie w okresie "
           "(wymiar etatu razy dni zatrudnienia w okresie, podzielone przez liczbę dni okresu)",
           total="assistants"),
    Figure("assistants_by_employment_at_end", "asystenci według formy zatrudnienia i systemu czasu pracy (stan na koniec)",
           "assistants_at_end by forma_zatrudnienia and system_czasu_pracy, each with the sum of wymiar_etatu",
           "asystenci zatrudnieni w ostatnim dniu okresu według formy zatrudnienia i systemu czasu pracy, z sumą etatów",
           total="assistants_at_end"),
    Figure("families_by_children", "rodziny według liczby dzieci niepełnoletnich",
           "families counted by families_supported, by the number of their children counted by "
           "children_in_supported_families (a minor on a day of d0 .. d1 on which the family had an active episode): "
           "1, 2, 3, 4 and more; the families with none are stated apart under 0, so the buckets 1 .. 4+ add up to the "
           "families with at least one such child and all five to families_supported",
           "rodziny objęte wsparciem według liczby dzieci niepełnoletnich w dniach okresu z trwającą asystenturą: "
           "1, 2, 3, 4 i więcej; rodziny bez takiego dziecka osobno (0)",
           total="families_supported"),
    Figure("families_large", "rodziny wielodzietne",
           "families counted by families_supported whose rodziny row has wielodzietna true (the current state), and the rest",
           "rodziny objęte wsparciem oznaczone jako wielodzietne, i pozostałe",
           total="families_supported"),
    Figure("families_by_court_obligation", "rodziny według zobowiązania przez sąd",
           "families_supported split into those counted by families_court_obliged (a decision dated no later than d1) "
           "and the rest",
           "rodziny objęte wsparciem: zobowiązane przez sąd (postanowienie najpóźniej w ostatnim dniu okresu) i pozostałe",
           total="families_supported"),
    Figure("families_by_za_zyciem", "rodziny według ustawy „Za życiem”",
           "families_supported split into those counted by families_za_zyciem and the rest",
           "rodziny objęte wsparciem: na podstawie ustawy „Za życiem” i pozostałe",
           total="families_supported"),
    Figure("episodes_closed_by_duration", "zakończone asystentury według czasu trwania",
           "episodes whose data_zakonczenia is in d0 .. d1, by the full years of data_rozpoczecia .. data_zakonczenia "
           "(the largest n with data_rozpoczecia + n years <= data_zakonczenia + 1 day; a start on 29 February has its "
           "anniversary on 28 February): under 1, 1-2, 2-3, 3 and more (the edges a parameter); episodes, not "
           "families, so a family closed twice counts twice",
           "asystentury zakończone w okresie według pełnych lat współpracy (od dnia rozpoczęcia do dnia zakończenia "
           "włącznie), w przedziałach tabeli (domyślnie: poniżej roku, 1–2 lata, 2–3 lata, 3 lata i więcej)",
           total="episodes_closed"),
    Figure("episodes_ongoing_by_duration", "trwające asystentury według czasu od rozpoczęcia (stan na koniec)",
           "episodes active on d1 (as families_at_end), by the full years of data_rozpoczecia .. d1, the same buckets; "
           "one per family, so they add up to families_at_end",
           "asystentury trwające w ostatnim dniu okresu według pełnych lat od rozpoczęcia do tego dnia włącznie",
           total="families_at_end"),
)
EPISODES_CLOSED = Figure(
    "episodes_closed", "zakończone asystentury",
    "episodes whose data_zakonczenia is in d0 .. d1 (a family closed twice counts twice)",
    "asystentury zakończone w okresie (rodzina zakończona dwa razy liczy się dwa razy)")
TOTALS = {f.key: f.total for f in BREAKDOWNS}


def duration_buckets(edges: tuple[int, ...] = DURATION_EDGES) -> tuple[str, ...]:
    """`<1`, `1-2`, `2-3`, `3+` for edges (1, 2, 3)."""
    inner = [f"{a}-{b}" for a, b in pairwise(edges)]
    return (f"<{edges[0]}", *inner, f"{edges[-1]}+")


def duration_bucket(full_years: int, edges: tuple[int, ...] = DURATION_EDGES) -> str:
    """The bucket of a number of full years."""
    labels = duration_buckets(edges)
    for i, edge in enumerate(edges):
        if full_years < edge:
            return labels[i]
    return labels[-1]


def children_bucket(n: int) -> str:
    return "4+" if n >= 4 else str(n)


def breakdown_sql(name: str) -> str:
    """The SQL of a stock figure or breakdown (shared parts resolved)."""
    return _resolve(sql_text(f"indicators/sql/breakdowns/{name}.sql"))


def _rows(con: duckdb.DuckDBPyConnection, name: str, when: When, unit: str | None) -> list[dict[str, Any]]:
    return run_sql(con, breakdown_sql(name), when, unit).to_dicts()


def _by_employment(rows: list[dict[str, Any]], weight: Any) -> tuple[dict, dict]:
    counts: dict[str, dict[str, int]] = {}
    fte: dict[str, dict[str, float]] = {}
    for r in rows:
        form, system = r["forma_zatrudnienia"], r["system_czasu_pracy"]
        counts.setdefault(form, {}).setdefault(system, 0)
        counts[form][system] += 1
        fte.setdefault(form, {}).setdefault(system, 0.0)
        fte[form][system] += weight(r)
    order = {f: i for i, f in enumerate(EMPLOYMENT_FORMS)} | {s: i for i, s in enumerate(WORKING_TIME)}

    def sort(d: dict) -> dict:
        return {k: (sort(v) if isinstance(v, dict) else v) for k, v in sorted(d.items(), key=lambda kv: order[kv[0]])}

    return sort(counts), {f: {s: round(v, 4) for s, v in d.items()} for f, d in sort(fte).items()}


def compute_stock_and_breakdowns(con: duckdb.DuckDBPyConnection, when: When, unit: str | None = None,
                                 edges: tuple[int, ...] = DURATION_EDGES) -> dict[str, Any]:
    """`{"on": d1, "stock": {...}, "breakdowns": {...}}` for one period (and one unit, or all)."""
    d0, d1 = span(when)
    days = (d1 - d0).days + 1
    at_end = _rows(con, "assistants_at_end", when, unit)
    in_period = _rows(con, "assistants_in_period", when, unit)
    episodes_end = _rows(con, "episodes_at_end", when, unit)
    closed = _rows(con, "episodes_closed", when, unit)
    by_children = _rows(con, "families_by_children", when, unit)
    flags = _rows(con, "families_flags", when, unit)
    children_end = _rows(con, "children_at_end", when, unit)

    stock = {
        "assistants_at_end": len(at_end),
        "assistants_fte_at_end": round(sum(float(r["wymiar_etatu"]) for r in at_end), 4),
        "families_at_end": len({(r["jednostka"], r["id_rodziny"]) for r in episodes_end}),
        "children_at_end": len({(r["jednostka"], r["id_dziecka"]) for r in children_end}),
    }
    period_counts, period_fte = _by_employment(in_period, lambda r: float(r["wymiar_etatu"]) * r["days"] / days)
    end_counts, end_fte = _by_employment(at_end, lambda r: float(r["wymiar_etatu"]))
    buckets = duration_buckets(edges)

    def tally(labels: tuple[str, ...], values: list[str]) -> dict[str, int]:
        return {label: sum(1 for v in values if v == label) for label in labels}

    def split(flag: str, yes: str, no: str) -> dict[str, int]:
        n = sum(1 for r in flags if r[flag])
        return {yes: n, no: len(flags) - n}

    breakdowns = {
        "assistants_by_employment": period_counts,
        "assistants_fte_by_employment": period_fte,
        "assistants_by_employment_at_end": end_counts,
        "assistants_fte_by_employment_at_end": end_fte,
        "families_by_children": tally(CHILD_BUCKETS, [children_bucket(r["children"]) for r in by_children]),
        "families_large": split("wielodzietna", "wielodzietne", "pozostałe"),
        "families_by_court_obligation": split("court_obliged", "zobowiązane przez sąd", "bez zobowiązania"),
        "families_by_za_zyciem": split("za_zyciem", "„Za życiem”", "pozostałe"),
        "episodes_closed": len(closed),
        "episodes_closed_by_duration": tally(buckets, [duration_bucket(r["full_years"], edges) for r in closed]),
        "episodes_ongoing_by_duration": tally(buckets, [duration_bucket(r["full_years"], edges) for r in episodes_end]),
    }
    return {"on": d1.isoformat(), "stock": stock, "breakdowns": breakdowns}


def completed_projects(con: duckdb.DuckDBPyConnection, year: int, unit: str | None) -> list[dict]:
    """The projects behind projects_completed (title, kind, children, families), in the order they ended."""
    rows = registry.explain(con, "projects_completed", year, unit)
    return rows.sort("data_do", "data_od", "jednostka", "id_projektu").to_dicts()
