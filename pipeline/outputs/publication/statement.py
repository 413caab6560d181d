"""The period statement (`python -m pipeline statement --period 2024-H2`): an XLSX and a printable HTML.

It gathers, for one period, the figures a centre copies into the statutory half-year report and the
programme's questions: the flows over the period (every figure of the registry), the stock on its
last day ("stan na"), and the breakdowns, each with its definition.  It is a statement prepared
from the warehouse, not the official form.  With `publish`, disclosure control
(`pipeline/indicators/disclosure.py`) is applied to the whole statement at once and said so: to the
counts of families, children and episodes (and `max_caseload`, one assistant's number of families).
Staff figures (the number of assistants, by form of employment and working-time system, and their
FTE) are always shown: the assistants are not the persons the protection is for (the annual
information itself names "czterech asystentów"), and nothing about families follows from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl

from pipeline.config import DEFAULT_CASELOAD_LIMIT
from pipeline.contract import TABLES
from pipeline.indicators import breakdowns as bd
from pipeline.indicators import registry
from pipeline.indicators.disclosure import DEFAULT_THRESHOLD, SECONDARY_MARK, Protected, Relation, holds, protect
from pipeline.indicators.periods import Period
from pipeline.outputs import formats, templating
from pipeline.outputs.publication import nest
from pipeline.outputs.spreadsheets import Column, Sheet, write_workbook
from pipeline.outputs.wording import CATEGORY_LABELS, duration_label
from pipeline.warehouse import coverage

TITLE = "Zestawienie z magazynu danych o pracy asystentów rodziny"
NOT_THE_FORM = ("Zestawienie przygotowane z magazynu danych (anonimizowanych eksportów systemu ośrodka) jako pomoc przy "
                "wypełnianiu sprawozdania półrocznego i odpowiedzi dla programu „Asystent rodziny”. Nie jest to urzędowy "
                "formularz sprawozdania; liczby liczone są według definicji podanych przy każdej pozycji.")
PERSON_UNITS = ("rodziny", "dzieci")  # the counts disclosure control applies to (staff figures are always shown)
STAFF_NOTE = ("Liczby asystentów (także według formy zatrudnienia i systemu czasu pracy) i ich etaty pokazano w pełnej "
              "wysokości: kontrola ujawniania chroni rodziny i dzieci, nie kadrę.")
NEST_NOTE = ("Zestawienie chroniono razem z zestawieniami tego samego roku opublikowanymi wcześniej (rok, półrocza, "
             "kwartały; jednostki i ich suma): ukrytej liczby nie da się odtworzyć także przez odjęcie jednego zestawienia "
             "od drugiego. Dlatego niektóre liczby mogą być ukryte, choć w zestawieniu za ten okres z osobna byłyby "
             "pokazane.")
FORMS = TABLES["asystenci"].column("forma_zatrudnienia").values
SYSTEMS = TABLES["asystenci"].column("system_czasu_pracy").values
T = TypeVar("T")

@dataclass
class Line:
    """One line of a table: the cell's key, its Polish label, kind, indent (a part of the line above)."""

    key: str
    label: str
    kind: str = "count"  # count | decimal
    indent: bool = False


@dataclass
class Table:
    """One table of the statement: title, lines, the definition under it."""

    title: str
    lines: list[Line]
    definitions: list[tuple[str, str]]

    @property
    def definition(self) -> str:
        return " ".join(f"{label}: {text}." for label, text in self.definitions)


@dataclass
class Grid:
    """A two-way table (employment form x working-time system) with margins, counts and FTE."""

    title: str
    prefix: str  # cell keys: f"{prefix}:{form}|{system}", margins with "*"
    grand: str
    fte_grand: str
    definition: str


@dataclass
class Statement:
    """Everything the statement shows, by cell key, and how it is laid out."""

    period: Period
    unit: str | None
    unit_name: str
    values: dict[str, Any]
    tables: list[Table]
    grids: list[Grid]
    relations: list[Relation]
    dependents: dict[str, tuple[str, ...]]
    counts: set[str]
    keep: set[str] = field(default_factory=set)
    protected: Protected | None = None
    nested: bool = False  # protected with the statements of its year already published (`nest`)
    coverage_note: str | None = None  # the days or units the loaded exports leave out of the period (coverage)

    def shown(self, key: str) -> Any:
        return self.protected.shown(key) if self.protected else self.values[key]


def _grid_cells(prefix: str, counts: dict[str, dict[str, int]], fte: dict[str, dict[str, float]], fte_grand: str,
                values: dict[str, Any]) -> None:
    """The cells of one staff grid (counts and FTE with margins): staff figures, so no relation, no count to protect."""
    for f in FORMS:
        for s in SYSTEMS:
            values[f"{prefix}:{f}|{s}"] = counts.get(f, {}).get(s, 0)
            values[f"fte_{prefix}:{f}|{s}"] = fte.get(f, {}).get(s, 0.0)
        values[f"{prefix}:{f}|*"] = sum(counts.get(f, {}).values())
        values[f"fte_{prefix}:{f}|*"] = sum(fte.get(f, {}).values())
    for s in SYSTEMS:
        values[f"{prefix}:*|{s}"] = sum(counts.get(f, {}).get(s, 0) for f in FORMS)
        values[f"fte_{prefix}:*|{s}"] = sum(fte.get(f, {}).get(s, 0.0) for f in FORMS)
    values[fte_grand] = round(sum(sum(d.values()) for d in fte.values()), 4)


BEYOND_FOUR = "children_beyond_four_in_4plus_families"  # an unknown: never shown, in the children relation
MOST_CHILDREN = 100  # a bound on the children beyond four per family: only its being finite matters (none without such a family)


def _children_relations(values: dict[str, Any]) -> list[Relation]:
    """children = n1 + 2 n2 + 3 n3 + 4 n4 + e, e >= 0 (and 0 without a 4+ family): a reader could solve the breakdown by
    children with it, so the disclosure check is given it (when the figures satisfy it, as they do when every child
    counted belongs to one family)."""
    n = [values[f"families_by_children:{c}"] for c in ("1", "2", "3", "4+")]
    beyond = values["children_in_supported_families"] - (n[0] + 2 * n[1] + 3 * n[2] + 4 * n[3])
    if beyond < 0 or beyond > MOST_CHILDREN * n[3]:
        return []
    keys = tuple(f"families_by_children:{c}" for c in ("1", "2", "3", "4+"))
    return [Relation("children_in_supported_families", (*keys, BEYOND_FOUR), (1, 2, 3, 4, 1)),
            Relation(BEYOND_FOUR, ("families_by_children:4+",), (MOST_CHILDREN,), at_most=True)]


def _flow_stock_relations(values: dict[str, Any]) -> list[Relation]:
    """What the definitions make true between the flows over the period and the stock on its last day (each relation
    checked on the figures, `holds`).

    Every family supported in the period either has an episode active on the last day or had every episode of the
    period end in it, so supported <= at the end + closed; at the end <= supported and closed <= supported.  It is no
    equality: a family can be in both (an episode that ends on the last day counts in both, and so does a family closed
    in the period with another episode still active), and a family that starts and closes in the period is supported
    and closed, not at the end, so it keeps the sum whole.  (The statement shows no stock on the first day and no new
    families, so "supported = at the start + new" is not a relation between its cells.)  The children at the end are
    among the children counted over the period; a closed family closed an episode; a family a child returned to had
    that child's placement active, so it is among the families with a child in foster care, and it counts at most once
    per returned child."""
    rel = [Relation("families_supported", ("families_at_end", "families_closed"), at_most=True),
           Relation("families_at_end", ("families_supported",), at_most=True),
           Relation("families_closed", ("families_supported",), at_most=True),
           Relation("children_at_end", ("children_in_supported_families",), at_most=True),
           Relation("families_closed", ("episodes_closed",), at_most=True),
           Relation("families_with_children_in_foster_care", ("families_supported",), at_most=True),
           Relation("families_with_children_returned_home", ("children_returned_home",), at_most=True),
           Relation("families_with_children_returned_home", ("families_with_children_in_foster_care",), at_most=True)]
    return [r for r in rel if holds(r, values)]


def build_statement(con: duckdb.DuckDBPyConnection, period: Period, unit: str | None, unit_name: str,
                    limit: int = DEFAULT_CASELOAD_LIMIT, edges: tuple[int, ...] = bd.DURATION_EDGES) -> Statement:
    """Compute the period's figures and lay them out (nothing hidden yet)."""
    flows = registry.compute(con, period, unit, limit)
    extra = bd.compute_stock_and_breakdowns(con, period, unit, edges)
    stock, parts = extra["stock"], extra["breakdowns"]
    values: dict[str, Any] = {i.key: flows[i.key] for i in registry.INDICATORS}
    relations: list[Relation] = []
    dependents: dict[str, tuple[str, ...]] = {}
    counts = {i.key for i in registry.INDICATORS if i.unit_of_measure in PERSON_UNITS}
    keep = {i.key for i in registry.INDICATORS} | {bd.EPISODES_CLOSED.key} | {f.key for f in bd.STOCK}
    dependents["median_closed_episode_days"] = ("episodes_closed",)

    flow_lines = [Line(i.key, i.label, "decimal" if i.decimals else "count") for i in registry.INDICATORS]
    reasons = flows[registry.CLOSED_BY_REASON]
    reason_keys = []
    for reason in registry.CLOSURE_REASONS:
        key = f"{registry.CLOSED_BY_REASON}:{reason}"
        values[key] = reasons.get(reason, 0)
        counts.add(key)
        reason_keys.append(key)
    at = next(j for j, line in enumerate(flow_lines) if line.key == "families_closed_goals_achieved")
    flow_lines[at + 1:at + 1] = [Line(k, f"zakończono z przyczyny: {k.split(':', 1)[1]}", indent=True) for k in reason_keys]
    relations.append(Relation("families_closed_goals_achieved", (f"{registry.CLOSED_BY_REASON}:osiągnięcie celów",)))
    if sum(values[k] for k in reason_keys) == values["families_closed"]:  # then a reader may take it as a sum
        relations.append(Relation("families_closed", tuple(reason_keys)))
    elif sum(values[k] for k in reason_keys) > values["families_closed"]:  # a family closed for two reasons counts twice:
        relations.append(Relation("families_closed", tuple(reason_keys), at_most=True))  # closed <= sum of the reasons
    relations.extend(Relation(k, ("families_closed",), at_most=True) for k in reason_keys  # and each reason <= closed
                     if values[k] <= values["families_closed"])
    flow_lines[at].indent = True
    tables = [Table(f"Przepływy w okresie: {period.polish()}", flow_lines,
                    [(i.label, i.definicja) for i in registry.INDICATORS]
                    + [(registry.CLOSED_BY_REASON_LABEL, "rodzina zakończona w okresie z dwóch przyczyn liczy się przy każdej")])]

    stock_lines = []
    for f in bd.STOCK:
        values[f.key] = stock[f.key]
        stock_lines.append(Line(f.key, f.label, "decimal" if "fte" in f.key else "count"))
        if not f.key.startswith("assistants"):  # the staff on the last day and their FTE: always shown
            counts.add(f.key)
    tables.append(Table(f"Stan na {formats.day(period.end)}", stock_lines, [(f.label, f.definicja) for f in bd.STOCK]))

    def one_way(fig: bd.Figure, total: str, total_label: str, categories: dict[str, int], labels: dict[str, str]) -> None:
        keys = []
        for cat, n in categories.items():
            key = f"{fig.key}:{cat}"
            values[key] = n
            counts.add(key)
            keys.append(key)
        relations.append(Relation(total, tuple(keys)))
        lines = [Line(total, total_label)] + [Line(k, labels.get(k.split(":", 1)[1], k.split(":", 1)[1]), indent=True) for k in keys]
        tables.append(Table(fig.label[0].upper() + fig.label[1:], lines, [(fig.label, fig.definicja)]))

    by_key = {f.key: f for f in bd.BREAKDOWNS}
    supported = registry.BY_KEY["families_supported"].label
    one_way(by_key["families_by_children"], "families_supported", supported, parts["families_by_children"], CATEGORY_LABELS)
    one_way(by_key["families_large"], "families_supported", supported, parts["families_large"], {})
    one_way(by_key["families_by_court_obligation"], "families_supported", supported, parts["families_by_court_obligation"], {})
    relations.extend(_children_relations(values))
    relations.append(Relation("families_court_obliged", ("families_by_court_obligation:zobowiązane przez sąd",)))
    one_way(by_key["families_by_za_zyciem"], "families_supported", supported, parts["families_by_za_zyciem"], {})
    relations.append(Relation("families_za_zyciem", ("families_by_za_zyciem:„Za życiem”",)))
    values["episodes_closed"] = parts["episodes_closed"]
    counts.add("episodes_closed")
    durations = {b: duration_label(b) for b in bd.duration_buckets(edges)}
    one_way(by_key["episodes_closed_by_duration"], "episodes_closed", bd.EPISODES_CLOSED.label,
            parts["episodes_closed_by_duration"], durations)
    one_way(by_key["episodes_ongoing_by_duration"], "families_at_end", "trwające asystentury (tyle, ile rodzin)",
            parts["episodes_ongoing_by_duration"], durations)
    relations.extend(_flow_stock_relations(values))

    grids = [
        Grid(by_key["assistants_by_employment"].label, "emp", "assistants", "fte_emp:*|*",
             by_key["assistants_by_employment"].definicja + "."),
        Grid(by_key["assistants_by_employment_at_end"].label, "emp_end", "assistants_at_end", "fte_emp_end:*|*",
             by_key["assistants_by_employment_at_end"].definicja + "."),
    ]
    _grid_cells("emp", parts["assistants_by_employment"], parts["assistants_fte_by_employment"], "fte_emp:*|*", values)
    _grid_cells("emp_end", parts["assistants_by_employment_at_end"], parts["assistants_fte_by_employment_at_end"],
                "fte_emp_end:*|*", values)
    return Statement(period, unit, unit_name, values, tables, grids, relations, dependents, counts, keep,
                     coverage_note=coverage.read(con).period(period.start, period.end, unit).note())


def publish(statement: Statement, threshold: int = DEFAULT_THRESHOLD) -> Statement:
    """Apply disclosure control to the whole statement."""
    unknowns = {c for r in statement.relations for c in (r.total, *r.parts) if c not in statement.values}
    statement.protected = protect(statement.values, statement.relations, threshold, statement.dependents,
                                  keep=statement.keep, counts=statement.counts, unknowns=unknowns)
    return statement


def _text(statement: Statement, key: str, kind: str) -> str:
    v = statement.shown(key)
    if isinstance(v, str):
        return v
    return formats.count(v) if kind == "count" else formats.decimal(v, 1 if key == "median_closed_episode_days" else 2)


def _notes(statement: Statement, generated: str) -> list[str]:
    notes = [NOT_THE_FORM, f"Okres: {statement.period.polish()}; stan na {formats.day(statement.period.end)}; "
             f"jednostka: {statement.unit_name}; przygotowano {generated}."]
    if statement.coverage_note:
        notes.append(f"Zakres danych: {statement.coverage_note}.")
    if statement.protected:
        notes.append(_disclosure_note(statement.protected.threshold) + (f" {NEST_NOTE}" if statement.nested else ""))
    else:
        notes.append("Bez kontroli ujawniania: zestawienie zawiera małe liczby i nie jest przeznaczone do publikacji "
                     "(do publikacji: --publish).")
    return notes


def _disclosure_note(k: int) -> str:
    """What the published statement protects (families and children) and what it shows in full (the staff)."""
    return (f"Zastosowano kontrolę ujawniania do liczb rodzin, dzieci i asystentur (także do największej liczby rodzin "
            f"u jednego asystenta): liczby od 1 do {k - 1} pokazano jako „<{k}”, a „{SECONDARY_MARK}” oznacza liczbę ukrytą, "
            f"aby żadnej ukrytej liczby nie dało się odtworzyć z sum i różnic tabeli ani z tego, że „<{k}” to od 1 do {k - 1}; "
            "mediana czasu trwania zakończonej współpracy jest ukryta, gdy ukryta jest liczba zakończonych asystentur; "
            f"zera pokazano. {STAFF_NOTE}")


def _grid_definition(statement: Statement, grid: Grid) -> str:
    return grid.definition + (f" {STAFF_NOTE}" if statement.protected else "")


def _grid_rows(statement: Statement, grid: Grid, kind: str) -> list[dict[str, Any]]:
    prefix = grid.prefix if kind == "count" else f"fte_{grid.prefix}"
    rows = []
    for f in (*FORMS, "*"):
        row: dict[str, Any] = {"label": "razem" if f == "*" else f}
        for s in (*SYSTEMS, "*"):
            key = (grid.grand if kind == "count" else grid.fte_grand) if f == "*" and s == "*" else f"{prefix}:{f}|{s}"
            row["total" if s == "*" else s] = statement.shown(key)
        rows.append(row)
    return rows


def _value_frame(rows: list[dict[str, Any]], keys: list[str]) -> pl.DataFrame:
    return pl.DataFrame({k: pl.Series(k, [r[k] for r in rows], dtype=pl.Object) if k != "label"
                         else [r[k] for r in rows] for k in keys})


def write_xlsx(path: Path, statement: Statement, generated: str) -> Path:
    """The statement as a workbook: one sheet of every line, one per breakdown grid, and the definitions."""
    notes = _notes(statement, generated)
    rows = []
    for t in statement.tables:
        for line in t.lines:
            v = statement.shown(line.key)
            rows.append({"section": t.title, "label": ("   " if line.indent else "") + line.label,
                         "count": v if line.kind == "count" else None, "decimal": v if line.kind == "decimal" else None})
    frame = pl.DataFrame({"section": [r["section"] for r in rows], "label": [r["label"] for r in rows],
                          "count": pl.Series([r["count"] for r in rows], dtype=pl.Object),
                          "decimal": pl.Series([r["decimal"] for r in rows], dtype=pl.Object)})
    sheets = [Sheet("zestawienie", frame, [Column("section", "Tabela", width=48), Column("label", "Pozycja", width=70),
                                          Column("count", "Liczba", "count", 10), Column("decimal", "Etaty / dni", "decimal", 12)],
                    notes)]
    for grid in statement.grids:
        for kind, suffix in (("count", "liczba"), ("decimal", "etaty")):
            keys = ["label", *SYSTEMS, "total"]
            columns = [Column("label", "Forma zatrudnienia", width=24)] + [
                Column(s, "razem" if s == "total" else s, kind, 12) for s in keys[1:]]
            name = f"{'koniec' if grid.prefix.endswith('end') else 'okres'} {suffix}"
            sheets.append(Sheet(f"asystenci {name}", _value_frame(_grid_rows(statement, grid, kind), keys), columns,
                                [grid.title + (" — etaty" if kind == "decimal" else ""), _grid_definition(statement, grid),
                                 *notes[-1:]]))
    definitions = [pair for t in statement.tables for pair in t.definitions] + [(g.title, g.definition) for g in statement.grids]
    sheets.append(Sheet("definicje", pl.DataFrame({"title": [d[0] for d in definitions], "text": [d[1] for d in definitions]}),
                        [Column("title", "Pozycja", width=48), Column("text", "Definicja", width=120)], notes))
    return write_workbook(path, sheets)


def write_html(path: Path, statement: Statement, generated: str) -> Path:
    """The statement as a printable A4 page."""
    env = templating.environment("pipeline.outputs.publication")
    tables = [{"title": t.title, "definitions": t.definitions,
               "lines": [{"label": line.label, "indent": line.indent, "value": _text(statement, line.key, line.kind),
                          "hidden": statement.protected is not None and statement.protected.hidden(line.key)}
                         for line in t.lines]} for t in statement.tables]
    grids = []
    for g in statement.grids:
        counts, ftes = _grid_rows(statement, g, "count"), _grid_rows(statement, g, "decimal")
        grids.append({"title": g.title[0].upper() + g.title[1:], "definition": _grid_definition(statement, g),
                      "columns": [*SYSTEMS, "razem"],
                      "rows": [{"label": c["label"],
                                "cells": [_cell_text(c[s], f[s]) for s in (*SYSTEMS, "total")]}
                               for c, f in zip(counts, ftes, strict=True)]})
    html = env.get_template("zestawienie.html.j2").render(
        title=TITLE, not_the_form=NOT_THE_FORM, period=statement.period.polish(), on=formats.day(statement.period.end),
        unit_name=statement.unit_name, tables=tables, grids=grids, notes=_notes(statement, generated))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def _cell_text(count: Any, fte: Any) -> str:
    c = count if isinstance(count, str) else formats.count(count)
    f = fte if isinstance(fte, str) else formats.decimal(fte, 2)
    return c if isinstance(count, str) or count == 0 else f"{c} ({f} et.)"


def publish_recorded(con: duckdb.DuckDBPyConnection, period: Period, unit: str | None, unit_name: str, threshold: int,
                     write: Callable[[Statement], T], limit: int = DEFAULT_CASELOAD_LIMIT) -> T:
    """The statement of a standard period protected with everything published of its nest (`nest`), recorded in the
    warehouse with `write(statement)` in one transaction; `con` writable.  `nest.PublicationRefused` (coded, Polish)
    for a range of days that is not a year, a half-year or a quarter, or another threshold than the nest's."""
    period = nest.standard_or_refused(period)
    statement = build_statement(con, period, unit, unit_name, limit)
    return nest.publish_in_nest(con, statement, threshold,
                                lambda p, u: build_statement(con, p, u, unit_name, limit), write)


def write_statement(con: duckdb.DuckDBPyConnection, period: Period, unit: str | None, unit_name: str, out: Path,
                    publish_threshold: int | None = None, limit: int = DEFAULT_CASELOAD_LIMIT) -> list[Path]:
    """Compute and write `zestawienie_<period>[_publikacja].xlsx` and `.html` into `out`; with `publish_threshold`,
    protected with the nest and recorded (`publish_recorded`: `con` writable)."""
    def write(statement: Statement) -> list[Path]:
        generated = formats.day(datetime.now())
        stem = f"zestawienie_{statement.period.name.replace('..', '_')}{'_' + statement.unit if statement.unit else ''}"
        stem += "_publikacja" if publish_threshold is not None else ""
        return [write_xlsx(out / f"{stem}.xlsx", statement, generated),
                write_html(out / f"{stem}.html", statement, generated)]

    if publish_threshold is not None:
        return publish_recorded(con, period, unit, unit_name, publish_threshold, write, limit)
    return write(build_statement(con, period, unit, unit_name, limit))
