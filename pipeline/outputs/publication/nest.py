"""Published statements a reader can set side by side, protected as one output, and the record of what was published.

A statement protected alone still leaks by subtraction from another one: the half-year's 9 families closed minus
May–June's 5 gives January–April's hidden 4, and a unit's figure minus the total of all units gives another unit's.
So `statement --publish` (and `indicators --out --publish`):

- publishes only the standard periods of one year, which nest (the year = its halves, a half = its quarters);
  a range of days is refused (`PUB-001`): the custom ranges a reader could cut out of each other have no end;
- protects the new statement together with every statement of the same year already published (recorded in
  `raw.published_cells`: each cell's value and status) for this unit, and with the total of all units and every unit
  when the total is (or was) published: one problem (`disclosure.protect`), where the published cells are fixed and
  secondary suppression chooses among the new statement's cells only; the periods of the year not published and the
  units whose statement is not published are in it as unknowns (counts >= 0), so that what is published later cannot
  be worked back through them either;
- states between the nodes the relations the definitions make true (`KINDS`, each checked on the figures): a
  period = the sum of its two parts (episodes closed, the children of projects), = its last part (a stock on the same
  last day), between the largest part and the sum of the parts (families and children counted once over the
  period), at least each part (the court-obliged families) or at most their sum (the rest beside them); the families
  at the end of the first part <= the families supported in the second + those closed in the first (a family active at
  the end of a part goes on into the next unless its episode ended that day); and the total of all units = the sum of
  the units (the unit is part of every id; the largest caseload only between the largest unit's and the sum).  Only
  the periods needed are in the problem: the published ones, and those between a published period and a published
  part of it (`_needed`); a one-unit warehouse's total is the unit itself (one node);
- records what it published, in the same transaction as the files are written.

Publishing the same unit and period again with the same figures gives the same statement; with other figures (a
corrected export loaded since) the cells hidden before stay hidden.  Every statement of a nest is protected with one
threshold (`PUB-002` otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import duckdb

from pipeline.indicators.disclosure import Protected, Relation, Status, Unprotectable, holds, protect
from pipeline.indicators.periods import Period, half_year, quarter, year_period
from pipeline.warehouse import coverage
from pipeline.warehouse.transaction import transaction

T = TypeVar("T")

ALL_UNITS = "*"  # the unit of a statement over all units together
TABLE = "raw.published_cells"


class PublicationRefused(ValueError):
    """A publication the nest does not allow (the message is Polish, with its code)."""


def standard_period(period: Period) -> Period | None:
    """The year, half-year or quarter with the period's days (named as such), or None for any other range."""
    y = period.start.year
    for p in (year_period(y), half_year(y, 1), half_year(y, 2), *(quarter(y, q) for q in (1, 2, 3, 4))):
        if (p.start, p.end) == (period.start, period.end):
            return p
    return None


def year_nest(year: int) -> tuple[list[Period], dict[str, tuple[str, str]]]:
    """The seven standard periods of a year, and each parent's two parts (year: halves, half: quarters)."""
    periods = [year_period(year), half_year(year, 1), half_year(year, 2), *(quarter(year, q) for q in (1, 2, 3, 4))]
    y = str(year)
    return periods, {y: (f"{y}-H1", f"{y}-H2"), f"{y}-H1": (f"{y}-Q1", f"{y}-Q2"), f"{y}-H2": (f"{y}-Q3", f"{y}-Q4")}


@dataclass
class Record:
    """One published statement as recorded: its cells' values and statuses, and the threshold."""

    unit: str
    period: str
    threshold: int
    values: dict[str, float | None] = field(default_factory=dict)
    status: dict[str, Status] = field(default_factory=dict)


def recorded(con: duckdb.DuckDBPyConnection, year: int) -> dict[tuple[str, str], Record]:
    """The statements published for the standard periods of `year`, by (unit, period name)."""
    rows = con.execute(f"SELECT jednostka, okres, prog, klucz, wartosc, status FROM {TABLE} "
                       "WHERE year(okres_od) = $y ORDER BY jednostka, okres, klucz", {"y": year}).fetchall()
    out: dict[tuple[str, str], Record] = {}
    for unit, period, threshold, key, value, status in rows:
        rec = out.setdefault((unit, period), Record(unit, period, int(threshold)))
        rec.values[key] = value
        rec.status[key] = status
    return out


def record(con: duckdb.DuckDBPyConnection, unit: str, period: Period, threshold: int,
           values: dict[str, float | int | None], status: dict[str, Status]) -> None:
    """Replace the record of (unit, period) by what is published now (call inside the publication's transaction)."""
    con.execute(f"DELETE FROM {TABLE} WHERE jednostka = $u AND okres_od = $a AND okres_do = $b",
                {"u": unit, "a": period.start, "b": period.end})
    now = datetime.now().replace(microsecond=0)
    con.executemany(f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [[unit, period.name, period.start, period.end, k, None if v is None else float(v), status[k],
                      threshold, now] for k, v in values.items()])


def _same(a: dict[str, float | None], b: dict[str, float | int | None]) -> bool:
    return a.keys() == b.keys() and all((a[k] is None) == (b[k] is None) and (a[k] is None or abs(a[k] - b[k]) < 1e-6)
                                        for k in a)


@dataclass
class _Node:
    unit: str
    period: str
    values: dict[str, float | int | None]
    relations: list[Relation]
    counts: set[str]
    unknowns: set[str]  # the node's own never-shown quantities (the children beyond four)
    fixed: dict[str, Status] | None  # published: the recorded statuses; None: new or not published
    published: bool

    def cell(self, key: str) -> str:
        return f"{self.unit}|{self.period}|{key}"


# How a count of a period relates to the same count of its two parts A and B, as the definitions make it (INDICATORS.md):
# "sum": P = A + B (episodes, the children of projects: each counted in the part it ends in); "last": P = B (a stock on
# the last day, the same day); "union": A <= P, B <= P, P <= A + B (families or children counted once over the period:
# those of P are those of A and those of B, some in both); "grows": A <= P, B <= P (a court decision dated up to the
# last day: a family of P may be in neither part); "shrinks": P <= A + B (the rest beside a "grows" or a "Za życiem"
# count).  The families by number of children follow no rule (a child born in B moves a family up): no relation.
KINDS = {"episodes_closed": "sum", "episodes_closed_by_duration": "sum", "project_children": "sum",
         "families_at_end": "last", "children_at_end": "last", "episodes_ongoing_by_duration": "last",
         "families_supported": "union", "children_in_supported_families": "union", "families_za_zyciem": "union",
         "families_with_children_in_foster_care": "union", "families_closed": "union",
         "families_closed_goals_achieved": "union", "families_closed_by_reason": "union", "children_returned_home": "union",
         "families_with_children_returned_home": "union", "families_large": "union",
         "families_by_za_zyciem:„Za życiem”": "union", "max_caseload": "union",
         "families_court_obliged": "grows", "families_by_court_obligation:zobowiązane przez sąd": "grows",
         "families_by_za_zyciem:pozostałe": "shrinks", "families_by_court_obligation:bez zobowiązania": "shrinks"}


def kind(key: str) -> str | None:
    """The rule of `KINDS` for a cell key (a breakdown's cells by the breakdown's name), or None."""
    return KINDS.get(key, KINDS.get(key.split(":", 1)[0]))


def _cross_relations(parent: _Node, first: _Node, second: _Node) -> list[Relation]:
    """Between a period and its two parts, the relations of `KINDS` (each one the figures satisfy)."""
    out = []
    truth = {}
    for n in (parent, first, second):
        truth |= {n.cell(k): v for k, v in n.values.items()}
    for key in sorted(parent.counts & first.counts & second.counts):
        p, a, b = parent.cell(key), first.cell(key), second.cell(key)
        rule = kind(key)
        candidates = {"sum": [Relation(p, (a, b))], "last": [Relation(p, (b,))],
                      "union": [Relation(a, (p,), at_most=True), Relation(b, (p,), at_most=True),
                                Relation(p, (a, b), at_most=True)],
                      "grows": [Relation(a, (p,), at_most=True), Relation(b, (p,), at_most=True)],
                      "shrinks": [Relation(p, (a, b), at_most=True)]}.get(rule or "", [])
        out += [r for r in candidates if holds(r, truth)]
    # a family active on the last day of A is supported in B, unless its episode ended that day (then closed in A)
    carry = Relation(first.cell("families_at_end"), (second.cell("families_supported"), first.cell("families_closed")),
                     at_most=True)
    return out + ([carry] if holds(carry, truth) else [])


def _unit_relations(total: _Node, units: list[_Node]) -> list[Relation]:
    """Between the total of all units and the units (all of them): the total is their sum (the largest caseload: at
least each unit's, at most their sum)."""
    truth = {total.cell(k): v for k, v in total.values.items()}
    for n in units:
        truth |= {n.cell(k): v for k, v in n.values.items()}
    out = []
    for key in sorted(total.counts):  # every count adds up over units (the unit is part of every id) but the largest
        t, parts = total.cell(key), tuple(n.cell(key) for n in units if key in n.counts)
        candidates = ([Relation(t, parts, at_most=True), *(Relation(q, (t,), at_most=True) for q in parts)]
                      if key == "max_caseload" else [Relation(t, parts)])
        out += [r for r in candidates if holds(r, truth)]
    return out


Builder = Callable[[Period, str | None], Any]


def _needed(published: set[str], parts: dict[str, tuple[str, str]]) -> set[str]:
    """The periods of the nest a problem needs: the published ones, and between a published period and a published
    part of it, every period on the way and both parts of each (so each relation parent - parts is whole); a period
    with nothing published above or below it adds nothing a reader could subtract."""
    parent = {c: p for p, cs in parts.items() for c in cs}

    def ancestors(x: str) -> list[str]:
        out = []
        while x in parent:
            x = parent[x]
            out.append(x)
        return out

    needed = set(published)
    for x in published:
        up = ancestors(x)
        for i, a in enumerate(up):
            if a in published:
                for step in up[:i + 1]:
                    needed |= {step, *parts[step]}
    for p, (a, b) in parts.items():  # two published parts: the family at the end of one goes on into the other
        if a in needed and b in needed:
            needed.add(p)
    return needed


def standard_or_refused(period: Period) -> Period:
    """The standard period with these days; PublicationRefused (PUB-001) for any other range."""
    standard = standard_period(period)
    if standard is None:
        raise PublicationRefused(
            f"[PUB-001] okres {period.name} nie jest rokiem, półroczem ani kwartałem: do publikacji podaj okres "
            "standardowy (np. 2024, 2024-H1, 2024-Q3); zestawienie za dowolne dni można przygotować bez --publish (nie do "
            "publikacji), bo z okresów wyciętych z innych dałoby się odjąć ukryte liczby")
    return standard


def publish_in_nest(con: duckdb.DuckDBPyConnection, statement: Any, threshold: int, build: Builder,
                    write: Callable[[Any], T]) -> T:
    """Protect `statement` (its period a standard one) with what is published of its nest, then, in one transaction,
    record it and `write(statement)` (nothing recorded when writing fails)."""
    units = list(coverage.read(con).period(statement.period.start, statement.period.end).counted)
    status = protect_in_nest(con, statement, threshold, build, units)
    statement.protected = Protected(dict(statement.values), status, threshold,
                                    sorted(k for k in statement.keep if status[k] == "secondary"))
    statement.nested = True
    with transaction(con):
        record(con, statement.unit or ALL_UNITS, statement.period, threshold, statement.values, status)
        return write(statement)


def protect_in_nest(con: duckdb.DuckDBPyConnection, statement: Any, threshold: int, build: Builder,
                    units: list[str]) -> dict[str, Status]:
    """The statuses of the new statement's cells when it is protected with the nest of what is published (see the
    module); `build(period, unit)` computes a statement (unit None: all units), `units` every unit of the warehouse.
    PublicationRefused when the nest cannot take it."""
    period = standard_or_refused(statement.period)
    year = period.start.year
    single = units[0] if len(units) == 1 else None  # one unit: its total is the unit itself, one node

    def node_unit(unit: str | None) -> str:
        return single if single is not None and unit in (None, ALL_UNITS) else (unit or ALL_UNITS)

    new_unit = node_unit(statement.unit)
    records: dict[tuple[str, str], Record] = {}
    for (u, p), rec in recorded(con, year).items():
        key = (node_unit(u), p)
        if key in records:  # the unit and the total of one unit, both published: a reader has the shown cells of both
            seen = records[key]
            seen.status = {k: "shown" if "shown" in (v, rec.status.get(k)) else v for k, v in seen.status.items()}
        else:
            records[key] = rec
    other = sorted({r.threshold for (u, p), r in records.items() if (u, p) != (new_unit, period.name)} - {threshold})
    if other:
        raise PublicationRefused(
            f"[PUB-002] zestawienia za {year} opublikowano już z progiem {other[0]}: opublikuj z tym samym progiem "
            f"(--threshold {other[0]}), aby ukryte liczby zestawień nie dały się porównać")
    involved = {u for u, _ in records} | {new_unit}
    if ALL_UNITS in involved:
        involved |= set(units)
    periods, parts = year_nest(year)
    names = _needed({p for _, p in records} | {period.name}, parts)
    periods = [p for p in periods if p.name in names]
    parts = {k: v for k, v in parts.items() if k in names and set(v) <= names}
    nodes: dict[tuple[str, str], _Node] = {}
    for unit in sorted(involved):
        for p in periods:
            key = (unit, p.name)
            rec = records.get(key)
            s = statement if key == (new_unit, period.name) else build(p, None if unit == ALL_UNITS else unit)
            unknowns = {c for r in s.relations for c in (r.total, *r.parts) if c not in s.values}
            if key == (new_unit, period.name):
                fixed = None
                if rec is not None and rec.threshold == threshold:
                    if _same(rec.values, s.values):
                        fixed = dict(rec.status)  # the same figures published again: the same statement
                    else:  # a corrected export since: what was hidden stays hidden
                        fixed = {k: ("primary" if st == "primary" and 0 < (s.values[k] or 0) < threshold else "secondary")
                                 for k, st in rec.status.items() if st in ("primary", "secondary") and k in s.values}
                nodes[key] = _Node(unit, p.name, dict(s.values), list(s.relations), set(s.counts), unknowns, fixed, True)
            elif rec is not None:
                relations = s.relations if _same(rec.values, s.values) else [r for r in s.relations if holds(r, rec.values)]
                nodes[key] = _Node(unit, p.name, dict(rec.values), list(relations), set(s.counts), unknowns,
                                   dict(rec.status), True)
            else:
                nodes[key] = _Node(unit, p.name, dict(s.values), list(s.relations), set(s.counts), unknowns, None, False)
    relations: list[Relation] = []
    values: dict[str, float | int | None] = {}
    unknowns: set[str] = set()
    fixed: dict[str, Status] = {}
    watch: set[str] = set()
    counts: set[str] = set()
    dependents: dict[str, tuple[str, ...]] = {}
    keep: set[str] = set()
    for n in nodes.values():
        rename = {k: n.cell(k) for k in (*n.values, *n.unknowns)}
        relations += [Relation(rename[r.total], tuple(rename[c] for c in r.parts), r.weights, r.at_most)
                      for r in n.relations]
        unknowns |= {rename[k] for k in n.unknowns}
        if n.published:
            values |= {n.cell(k): v for k, v in n.values.items()}
            counts |= {n.cell(k) for k in n.counts}
            fixed |= {n.cell(k): s for k, s in (n.fixed or {}).items() if k in n.values}
        else:  # not published: counts a reader does not see, and whose small ones must not follow from what is shown
            unknowns |= {n.cell(k) for k in n.counts}
            watch |= {n.cell(k) for k in n.counts if 0 < (n.values[k] or 0) < threshold}
    for unit in sorted(involved):
        for parent, (a, b) in parts.items():
            relations += _cross_relations(nodes[(unit, parent)], nodes[(unit, a)], nodes[(unit, b)])
    if ALL_UNITS in involved:
        for p in periods:
            relations += _unit_relations(nodes[(ALL_UNITS, p.name)], [nodes[(u, p.name)] for u in sorted(units)])
    relations = [r for r in relations if all(c in values or c in unknowns for c in (r.total, *r.parts))]
    new = nodes[(new_unit, period.name)]
    dependents = {new.cell(k): tuple(new.cell(c) for c in v) for k, v in statement.dependents.items()}
    keep = {new.cell(k) for k in statement.keep}
    try:
        joint = protect(values, relations, threshold, dependents, keep=keep, counts=counts,
                        unknowns=unknowns - set(values), fixed=fixed, watch=watch)
    except Unprotectable:
        raise PublicationRefused(
            f"[PUB-003] zestawienia za {period.name} nie da się opublikować obok opublikowanych już zestawień {year} tak, "
            "aby żadnej ukrytej liczby nie dało się odtworzyć; opublikuj okres nadrzędny albo inny okres") from None
    return {k: joint.status[new.cell(k)] for k in statement.values}
