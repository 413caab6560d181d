"""Render the annual information for a year: HTML (self-contained, A4) and DOCX (editable).

The wording lives in templates/informacja_tekst.j2 (an analyst edits it without
touching Python; `report --init-templates DIR` copies the shipped templates to DIR and
`report --templates DIR` uses them, e.g. with the centre's own sections 1, 2 and 4 in
informacja_wstep.j2 and informacja_podsumowanie.j2); every number comes from the
indicator registry, computed by the caller once (`run` passes the values it has
already computed for every year).  The page (templates/informacja.html.j2) is the one source of
both files: the DOCX is the rendered HTML read element by element (docx_from_html), so a title or a
section the centre changes in its template changes the DOCX too.  A new section is a text template
(REPORT_TEMPLATES, so that --init-templates copies it) and one `{{ blocks(section("name.j2")) }}`
line in the page.  One-letter words are bound to the next word with a non-breaking space in both
files (Polish typography).
"""

from __future__ import annotations

import base64
import re
import shutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import polars as pl
from jinja2.sandbox import SandboxedEnvironment

from pipeline import grammar
from pipeline.config import DEFAULT_CASELOAD_LIMIT
from pipeline.indicators import registry
from pipeline.indicators.breakdowns import completed_projects, compute_stock_and_breakdowns, duration_buckets
from pipeline.outputs import formats, templating
from pipeline.outputs.annual import facts, phrases
from pipeline.outputs.wording import CATEGORY_LABELS, duration_label, indicator_rows, needs_paragraphs, problem_rows
from pipeline.warehouse import coverage
from pipeline.warehouse.coverage import unit_name, unit_names

SHIPPED_TEMPLATES = Path(__file__).parent / "templates"
# the templates an analyst may keep outside the package (report --templates DIR)
REPORT_TEMPLATES = ("informacja_tekst.j2", "informacja_wstep.j2", "informacja_podsumowanie.j2", "informacja.html.j2")
HELPERS = {name: getattr(grammar, name) for name in
           ("count", "number", "form", "in_cases", "among_them", "assistants_employed", "with_families", "noun_after",
            "group_meetings", "children_took_part", "from_families", "joined")}
HELPERS["money"] = formats.money
HELPERS["returns_home"] = phrases.returns_home
LEADING_PROBLEMS = 3  # the problems named in the text (more when tied with the last); the appendix lists all
REPORT_FIGURES = {
    "rodziny_i_dzieci": "Rodziny objęte wsparciem asystenta i dzieci w tych rodzinach",
    "zakonczenia_wg_przyczyny": "Rodziny, z którymi zakończono współpracę, według przyczyny",
    "osiagniecie_celow": "Udział zakończeń z osiągnięciem celów (95% przedział ufności Wilsona)",
}


class _Values(dict):
    """Indicator values with attribute access for templates (v.families_supported)."""

    __getattr__ = dict.__getitem__


@dataclass
class ReportData:
    year: int
    unit_name: str
    values: dict
    previous: dict | None
    limit: int
    projects: list[dict] = field(default_factory=list)  # the projects that ended in the year, by end date
    units: int = 1  # how many units the figures add up (the verbs agree with it: "2 ośrodki ... zatrudniały")
    employment: str = ""  # " na podstawie umowy o pracę w systemie zadaniowego czasu pracy"
    grant: facts.Grant | None = None  # the programme's money for the year
    previous_note: str | None = None  # why the previous year's column is empty
    as_of: str = formats.MISSING  # the latest export's date: the data's "stan na"
    templates: Path | None = None
    breakdowns: dict | None = None  # compute_stock_and_breakdowns for the year: the appendix by category
    needs: list[str] = field(default_factory=list)  # "Potrzeby na rok Y+1": sentences (indicators/needs, wording)
    coverage_note: str | None = None  # the days or units the loaded exports leave out of the year and the charts


@cache
def _environments(templates: Path | None) -> tuple[SandboxedEnvironment, SandboxedEnvironment]:
    """The text and the HTML environments (sandboxed, strict): templates from `templates` first, the shipped ones
    for the rest."""
    package = "pipeline.outputs.annual"
    return (templating.environment(package, templates, autoescape=False, trim_blocks=False, lstrip_blocks=False),
            templating.environment(package, templates, autoescape=True))


def init_templates(folder: Path) -> list[tuple[Path, bool]]:
    """Copy the shipped report templates into `folder` (an existing file is kept); return (path, copied)."""
    folder.mkdir(parents=True, exist_ok=True)
    done = []
    for name in REPORT_TEMPLATES:
        target = folder / name
        existed = target.exists()
        if not existed:
            shutil.copyfile(SHIPPED_TEMPLATES / name, target)
        done.append((target, not existed))
    return done


def _previous_note(con: duckdb.DuckDBPyConnection, year: int, unit: str | None) -> str | None:
    if facts.covers_year(con, year - 1, unit):
        return None
    whose = "jednostki" if unit or len(unit_names(con, unit)) == 1 else "wszystkich jednostek"
    return (f"Kolumna {year - 1}: „—”, bo wczytane eksporty {whose} nie obejmują roku {year - 1}; "
            "porównanie z poprzednim rokiem pominięto.")


def report_data(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, limit: int,
                values_by_year: dict[int, dict], templates: Path | None = None) -> ReportData:
    """The report's figures, from values already computed for the year and the year before.

    The previous year is compared only where the loaded exports cover it (else "—" and a note)."""
    note = _previous_note(con, year, unit)
    previous = values_by_year.get(year - 1) if note is None else None
    covered = coverage.read(con)
    counted = covered.year(year, unit).counted
    bases = facts.employment_bases(con, year, unit, limit)
    return ReportData(year, unit_name(con, unit, counted), values_by_year[year], previous, limit,
                      units=max(len(counted), 1), employment=facts.employment_phrase(bases),
                      grant=facts.programme_grant(con, year, unit), previous_note=note,
                      as_of=formats.day(covered.observed_until(unit)),
                      coverage_note=coverage_note(covered, year, unit, [y for y in covered.years(unit) if y <= year]),
                      templates=templates, projects=completed_projects(con, year, unit),
                      breakdowns=compute_stock_and_breakdowns(con, year, unit)["breakdowns"],
                      needs=needs_section(con, year, unit, limit))


def coverage_note(covered: coverage.Coverage, year: int, unit: str | None, chart_years: list[int]) -> str | None:
    """What the loaded exports leave out of the year and of the charts' years, in one note (None: nothing)."""
    parts = []
    if note := covered.year(year, unit).note():
        parts.append(f"Rok {year}: {note}.")
    earlier = covered.notes([y for y in chart_years if y != year], unit)
    if earlier:
        parts.append("Na wykresach " + "; ".join(f"rok {y}: {n}" for y, n in earlier.items()) + ".")
    return " ".join(parts) or None


def needs_section(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, limit: int) -> list[str]:
    """The section "Potrzeby na rok Y+1" from the records up to 31.12.Y (a sentence saying why when it cannot be)."""
    from pipeline.indicators import needs

    if (coverage.read(con).last_complete_year(unit) or 0) < year:
        return [grammar.bind_short_words(f"Potrzeb na rok {year + 1} nie prognozujemy: wczytane eksporty nie obejmują "
                                         f"całego roku {year} (do 31 grudnia).")]
    return [grammar.bind_short_words(p) for p in needs_paragraphs(needs.needs(con, year + 1, unit, limit))]


def leading_problems(values: dict) -> list[dict]:
    """The problems the text names: the LEADING_PROBLEMS most frequent (and any tied with the last), 'inny' left out."""
    rows = [r for r in problem_rows(values) if r["problem"] != "inny"]
    if len(rows) <= LEADING_PROBLEMS:
        return rows
    cutoff = rows[LEADING_PROBLEMS - 1]["families"]
    return [r for r in rows if r["families"] >= cutoff]


def _render_text(data: ReportData, name: str) -> str:
    return _environments(data.templates)[0].get_template(name).render(
        v=_Values(data.values), prev=_Values(data.previous) if data.previous else None, year=data.year,
        unit_name=data.unit_name, limit=data.limit, units=data.units, employment=data.employment, grant=data.grant,
        projects=data.projects, problems=leading_problems(data.values), **HELPERS,
    )


def _split(text: str) -> list[str]:
    # collapse ordinary whitespace only: the non-breaking space inside "3 572" must stay
    return [grammar.bind_short_words(re.sub(r"[ \t\r\n]+", " ", p).strip()) for p in text.split("\n\n") if p.strip()]


def paragraphs(data: ReportData) -> list[str]:
    """The statistical section as paragraphs (blank lines in the template separate them)."""
    return _split(_render_text(data, "informacja_tekst.j2"))


def own_section(data: ReportData, name: str) -> list[dict]:
    """A section in the centre's own words (informacja_wstep.j2, informacja_podsumowanie.j2) as blocks:
    a paragraph starting with "## " is a heading, every other one a paragraph of text."""
    blocks = []
    for text in _split(_render_text(data, name)):
        heading = text.startswith("##")
        blocks.append({"kind": "heading" if heading else "paragraph", "text": text.lstrip("#").strip() if heading else text})
    return blocks


def source_line(data: ReportData) -> str:
    """Where the figures come from and as of when (the seed's "Źródło: ..., stan na ...")."""
    return grammar.bind_short_words(
        f"Źródło: magazyn danych z eksportów anonimizowanych systemu ośrodka, stan na {data.as_of} (data ostatniego "
        "wczytanego eksportu). Liczby rodzin i dzieci to liczby różnych rodzin i dzieci w roku.")


def definitions(table: list[dict]) -> list[tuple[str, str]]:
    """Each indicator's label and Polish definition, as the summary table's note prints them."""
    return [(grammar.bind_short_words(row["label"]), grammar.bind_short_words(row["definition"])) for row in table]


def summary_table(data: ReportData) -> list[dict]:
    """Rows of the summary table, numbers formatted the Polish way."""
    return [row | {"current": grammar.number(row["current"], row["decimals"]),
                   "previous": grammar.number(row["previous"], row["decimals"])}
            for row in indicator_rows(data.values, data.previous)]


PROBLEMS_TITLE_TEXT = "Rodziny objęte wsparciem według zdiagnozowanych problemów"
PROBLEMS_TITLE = grammar.bind_short_words("Załącznik. " + PROBLEMS_TITLE_TEXT)
PROBLEMS_NOTE = grammar.bind_short_words(
    "Rodzina, u której zdiagnozowano kilka problemów, liczy się przy każdym z nich, więc liczby nie sumują się "
    "do liczby rodzin objętych wsparciem.")


def problem_table(data: ReportData) -> list[dict]:
    """The appendix rows (every problem with a family), numbers formatted the Polish way."""
    return [{"problem": grammar.bind_short_words(r["problem"]), "families": formats.count(r["families"]),
             "share": formats.percent(None if r["share"] is None else r["share"] / 100)} for r in problem_rows(data.values)]


BREAKDOWNS_TITLE = "Rodziny, asystentury i asystenci według kategorii sprawozdawczych"


def appendix_titles(data: ReportData) -> tuple[str, str]:
    """`Załącznik 1.` (the categories) and `Załącznik 2.` (the problems), or `Załącznik.` when only one is there."""
    both = bool(data.breakdowns) and bool(problem_rows(data.values))
    first, second = ("Załącznik 1. ", "Załącznik 2. ") if both else ("Załącznik. ", "Załącznik. ")
    return grammar.bind_short_words(first + BREAKDOWNS_TITLE), grammar.bind_short_words(second + PROBLEMS_TITLE_TEXT)


def breakdown_table(data: ReportData) -> list[dict]:
    """The categories appendix: a heading row per breakdown (its total), then its categories; counts formatted."""

    b = data.breakdowns
    if not b:
        return []
    rows: list[dict] = []

    def group(title: str, parts: dict[str, int | float], labels: dict[str, str] | None = None) -> None:
        rows.append({"label": title, "count": formats.count(sum(parts.values())), "head": True})
        rows.extend({"label": grammar.bind_short_words((labels or {}).get(k, k)), "count": formats.count(v), "head": False}
                    for k, v in parts.items())

    def margin(grid: dict[str, dict[str, int]], by_form: bool) -> dict[str, int]:
        if by_form:
            return {f: sum(d.values()) for f, d in grid.items()}
        systems = dict.fromkeys(k for d in grid.values() for k in d)
        return {f"system {s}": sum(d.get(s, 0) for d in grid.values()) for s in systems}

    group(f"Asystenci zatrudnieni w roku {data.year} według formy zatrudnienia", margin(b["assistants_by_employment"], True))
    group(f"Asystenci zatrudnieni w roku {data.year} według systemu czasu pracy", margin(b["assistants_by_employment"], False))
    group(f"Asystenci zatrudnieni 31.12.{data.year} według formy zatrudnienia",
          margin(b["assistants_by_employment_at_end"], True))
    group("Rodziny objęte wsparciem według liczby dzieci niepełnoletnich", b["families_by_children"], CATEGORY_LABELS)
    group(LARGE_TITLE, b["families_large"])
    group("Rodziny objęte wsparciem: zobowiązanie przez sąd", b["families_by_court_obligation"])
    group("Rodziny objęte wsparciem: ustawa „Za życiem”", b["families_by_za_zyciem"])
    labels = {k: duration_label(k) for k in duration_buckets()}
    group(f"Asystentury zakończone w roku {data.year} według czasu trwania", b["episodes_closed_by_duration"], labels)
    group(f"Asystentury trwające 31.12.{data.year} według czasu od rozpoczęcia", b["episodes_ongoing_by_duration"], labels)
    return rows


BREAKDOWNS_NOTE = grammar.bind_short_words(
    "Rodziny objęte wsparciem: z asystenturą trwającą choć jeden dzień roku; dzieci niepełnoletnie liczone w dniach roku "
    "z trwającą asystenturą; czas trwania asystentury w pełnych latach współpracy; forma zatrudnienia i system czasu pracy "
    "według ostatniego eksportu.")
LARGE_TITLE = "Rodziny objęte wsparciem: wielodzietne według oznaczenia w systemie ośrodka"


def large_families_note(breakdowns: dict) -> str:
    """What "wielodzietne" counts (the export's flag, not the children counted above) and, where the two differ, both
    figures side by side, so that the page explains its own numbers."""
    by_children = breakdowns["families_by_children"]
    three_or_more = by_children.get("3", 0) + by_children.get("4+", 0)
    flagged = breakdowns["families_large"].get("wielodzietne", 0)
    text = ("Wielodzietne: rodziny oznaczone jako wielodzietne w systemie ośrodka (pole „wielodzietna” ostatniego "
            "eksportu), a nie policzone z liczby dzieci niepełnoletnich powyżej")
    if flagged != three_or_more:
        text += (f"; dlatego rodzin z trojgiem i więcej dzieci niepełnoletnich (3 dzieci oraz 4 i więcej dzieci) jest "
                 f"{formats.count(three_or_more)}, a oznaczonych jako wielodzietne {formats.count(flagged)}")
    return text + "."


def breakdowns_note(data: ReportData) -> str:
    """The note under the categories appendix: how its figures are counted."""
    if not data.breakdowns:
        return BREAKDOWNS_NOTE
    return grammar.bind_short_words(BREAKDOWNS_NOTE + " " + large_families_note(data.breakdowns))


def _figures(trend: pl.DataFrame, year: int, out: Path) -> list[dict]:
    from pipeline.outputs import charts

    result = []
    for name, caption in REPORT_FIGURES.items():
        png = charts.save(charts.TREND_CHARTS[name](trend), out / "figures" / f"informacja_{year}_{name}", ("png",),
                          titled=False)[0]  # the caption names it
        result.append({"name": name, "caption": caption, "path": png, "png": base64.b64encode(png.read_bytes()).decode()})
    return result


_TEXT_NODE = re.compile(r">([^<]+)<")
_STYLE = re.compile(r"(<style.*?</style>)", re.S)


def bind_html(html: str) -> str:
    """Bind one-letter words to the next word in the page's text (not in tags, not in the style sheet)."""
    parts = _STYLE.split(html)
    return "".join(part if part.startswith("<style") else
                   _TEXT_NODE.sub(lambda m: ">" + grammar.bind_short_words(m.group(1)) + "<", part) for part in parts)


def render_html(data: ReportData, paras: list[str], table: list[dict], figs: list[dict]) -> str:
    """The page of the annual information from informacja.html.j2: the one source of the HTML and of the DOCX.

    Besides the figures the template gets `section(name)`: a text template of the centre (informacja_wstep.j2, ...)
    rendered as blocks ({kind: heading|paragraph, text}) — a new section is one `{{ blocks(section("...j2")) }}` line."""
    template = _environments(data.templates)[1].get_template("informacja.html.j2")
    html = template.render(
        year=data.year, unit_name=data.unit_name, paragraphs=paras, table=table, figures=figs,
        section=lambda name: own_section(data, name),
        intro=own_section(data, "informacja_wstep.j2"), summary=own_section(data, "informacja_podsumowanie.j2"),
        definitions=definitions(table), previous_note=data.previous_note, coverage_note=data.coverage_note,
        source=source_line(data),
        problems=problem_table(data), problems_title=appendix_titles(data)[1], problems_note=PROBLEMS_NOTE,
        breakdowns=breakdown_table(data), breakdowns_title=appendix_titles(data)[0], breakdowns_note=breakdowns_note(data),
        needs=data.needs,
    )
    return bind_html(html)


def write_html(path: Path, page: str) -> Path:
    path.write_text(page, encoding="utf-8")
    return path


def write_docx(path: Path, page: str) -> Path:
    """An editable Word document of the same page: every heading, sentence, table and figure of the HTML."""
    from pipeline.outputs.annual.docx_from_html import write_docx_from_html

    return write_docx_from_html(path, page)


def write_report(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, out: Path,
                 limit: int = DEFAULT_CASELOAD_LIMIT, values_by_year: dict[int, dict] | None = None,
                 templates: Path | None = None) -> list[Path]:
    """Write informacja_{year}.html and .docx into `out`; return both paths.

    `values_by_year`: the indicators already computed for every year up to `year` (else computed here, once);
    `templates`: a folder whose templates replace the shipped ones of the same name."""
    years = [y for y in coverage.read(con).years(unit) if y <= year]
    if values_by_year is None:
        values_by_year = registry.compute_years(con, sorted({*years, year - 1, year}), unit, limit)
    out.mkdir(parents=True, exist_ok=True)
    data = report_data(con, year, unit, limit, values_by_year, templates)
    figs = _figures(registry.trend_frame({y: values_by_year[y] for y in years}), year, out) if years else []
    page = render_html(data, paragraphs(data), summary_table(data), figs)
    suffix = f"_{unit}" if unit else ""
    return [write_html(out / f"informacja_{year}{suffix}.html", page), write_docx(out / f"informacja_{year}{suffix}.docx", page)]
