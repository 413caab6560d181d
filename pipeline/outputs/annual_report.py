"""Render the annual information for a year: HTML (self-contained, A4) and DOCX (editable).

The wording lives in templates/informacja_tekst.j2 (an analyst edits it without
touching Python); every number comes from the indicator registry, computed by
the caller once (`run` passes the values it has already computed for every year).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
from jinja2 import Environment, PackageLoader, StrictUndefined

from pipeline import grammar
from pipeline.config import DEFAULT_CASELOAD_LIMIT
from pipeline.indicators import coverage, registry
from pipeline.sql import query

_ENV = Environment(loader=PackageLoader("pipeline.outputs", "templates"), undefined=StrictUndefined,
                   autoescape=False, trim_blocks=False, lstrip_blocks=False)
_HTML_ENV = Environment(loader=PackageLoader("pipeline.outputs", "templates"), autoescape=True)
HELPERS = {name: getattr(grammar, name) for name in
           ("count", "number", "form", "in_cases", "among_them", "assistants_employed", "with_families", "noun_after",
            "group_meetings", "children_took_part", "from_families", "joined")}
LEADING_PROBLEMS = 3  # the problems named in the text (more when tied with the last); the appendix lists all
REPORT_FIGURES = {
    "rodziny_i_dzieci": "Rodziny objęte wsparciem asystenta i dzieci w tych rodzinach",
    "zakonczenia_wg_przyczyny": "Rodziny, z którymi zakończono współpracę, według przyczyny",
    "osiagniecie_celow": "Udział zakończeń z osiągnięciem celów (z 95% przedziałem ufności)",
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


def unit_name(con: duckdb.DuckDBPyConnection, unit: str | None) -> str:
    """The unit's name from its latest export (or a phrase for several units)."""
    names = query(con, """SELECT jednostka, arg_max(nazwa_jednostki, data_eksportu) AS name FROM raw.loads
                          WHERE outcome = 'loaded' AND (CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit)
                          GROUP BY jednostka ORDER BY jednostka""", {"unit": unit})
    if names.height == 1:
        return names["name"][0]
    return f"łącznie {names.height} ośrodków pomocy społecznej"


def report_data(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, limit: int,
                values_by_year: dict[int, dict]) -> ReportData:
    """The report's figures, from values already computed for the year and the year before."""
    previous = values_by_year.get(year - 1)
    return ReportData(year, unit_name(con, unit), values_by_year[year],
                      previous if previous and previous["families_supported"] else None, limit,
                      projects=completed_projects(con, year, unit))


def completed_projects(con: duckdb.DuckDBPyConnection, year: int, unit: str | None) -> list[dict]:
    """The projects behind projects_completed (title, kind, children, families), in the order they ended."""
    rows = registry.explain(con, "projects_completed", year, unit)
    return rows.sort("data_do", "data_od", "jednostka", "id_projektu").to_dicts()


def problem_rows(values: dict) -> list[dict]:
    """families_by_problem, most families first (ties in the contract's order), with the share of families supported."""
    supported = values["families_supported"]
    by_problem = values[registry.FAMILIES_BY_PROBLEM.key]
    ordered = sorted(by_problem.items(), key=lambda kv: -kv[1])  # stable: ties keep the contract's order
    return [{"problem": p, "families": n, "share": n / supported * 100 if supported else None} for p, n in ordered]


def leading_problems(values: dict) -> list[dict]:
    """The problems the text names: the LEADING_PROBLEMS most frequent (and any tied with the last), 'inny' left out."""
    rows = [r for r in problem_rows(values) if r["problem"] != "inny"]
    if len(rows) <= LEADING_PROBLEMS:
        return rows
    cutoff = rows[LEADING_PROBLEMS - 1]["families"]
    return [r for r in rows if r["families"] >= cutoff]


def paragraphs(data: ReportData) -> list[str]:
    """The statistical section as paragraphs (blank lines in the template separate them)."""
    text = _ENV.get_template("informacja_tekst.j2").render(
        v=_Values(data.values), prev=_Values(data.previous) if data.previous else None, year=data.year,
        unit_name=data.unit_name, limit=data.limit, projects=data.projects, problems=leading_problems(data.values),
        **HELPERS,
    )
    # collapse ordinary whitespace only: the non-breaking space inside "3 572" must stay
    return [re.sub(r"[ \t\r\n]+", " ", p).strip() for p in text.split("\n\n") if p.strip()]


def indicator_rows(values: dict, previous: dict | None) -> list[dict]:
    """One row per indicator: key, label, last year, this year (both as raw values), change, definition."""
    return [{"key": i.key, "label": i.label, "current": values[i.key], "previous": previous[i.key] if previous else None,
             "decimals": i.decimals, "change": grammar.change(values[i.key], previous[i.key] if previous else None),
             "definition": i.definicja} for i in registry.INDICATORS]


def summary_table(data: ReportData) -> list[dict]:
    """Rows of the summary table, numbers formatted the Polish way."""
    return [row | {"current": grammar.number(row["current"], row["decimals"]),
                   "previous": grammar.number(row["previous"], row["decimals"])}
            for row in indicator_rows(data.values, data.previous)]


PROBLEMS_TITLE = "Załącznik. Rodziny objęte wsparciem według zdiagnozowanych problemów"
PROBLEMS_NOTE = ("Rodzina, u której zdiagnozowano kilka problemów, liczy się przy każdym z nich, więc liczby nie sumują się "
                 "do liczby rodzin objętych wsparciem.")


def problem_table(data: ReportData) -> list[dict]:
    """The appendix rows (every problem with a family), numbers formatted the Polish way."""
    return [{"problem": r["problem"], "families": grammar.number(r["families"]),
             "share": "—" if r["share"] is None else f"{grammar.number(r['share'], 1)}%"} for r in problem_rows(data.values)]


def _docx_problems(doc, rows: list[dict]) -> None:
    """The appendix table of families by problem (left out when no problem was recorded)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    if not rows:
        return
    doc.add_heading(PROBLEMS_TITLE, level=2)
    grid = doc.add_table(rows=1, cols=3)
    grid.style = "Table Grid"
    grid.autofit = False
    widths = (Cm(10.0), Cm(2.5), Cm(4.5))
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    lines = [("Problem", "Rodziny", "% rodzin objętych wsparciem")]
    lines += [(r["problem"], r["families"], r["share"]) for r in rows]
    for i, values in enumerate(lines):
        cells = grid.rows[0].cells if i == 0 else grid.add_row().cells
        for j, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.width = widths[j]
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(text)
            run.font.size = Pt(10)
            run.bold = i == 0
            if j > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(PROBLEMS_NOTE).runs[0].font.size = Pt(9)


def _figures(trend: pl.DataFrame, year: int, out: Path) -> list[dict]:
    from pipeline.outputs import charts

    result = []
    for name, caption in REPORT_FIGURES.items():
        png = charts.save(charts.TREND_CHARTS[name](trend), out / "figures" / f"informacja_{year}_{name}", ("png",))[0]
        result.append({"name": name, "caption": caption, "path": png, "png": base64.b64encode(png.read_bytes()).decode()})
    return result


def write_html(path: Path, data: ReportData, paras: list[str], table: list[dict], figs: list[dict]) -> Path:
    html = _HTML_ENV.get_template("informacja.html.j2").render(
        year=data.year, unit_name=data.unit_name, paragraphs=paras, table=table, figures=figs,
        generated=datetime.now().strftime("%d.%m.%Y"),
        problems=problem_table(data), problems_title=PROBLEMS_TITLE, problems_note=PROBLEMS_NOTE,
    )
    path.write_text(html, encoding="utf-8")
    return path


def write_docx(path: Path, data: ReportData, paras: list[str], table: list[dict], figs: list[dict]) -> Path:
    """An editable Word document with the same text, table and figures."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(12)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"INFORMACJA O DZIAŁANIACH ASYSTENTÓW RODZINY\n{data.unit_name}\nW ROKU {data.year}")
    run.bold = True
    doc.add_heading(f"3. Działania na rzecz rodziny i dziecka w roku {data.year}", level=2)
    for text in paras:
        p = doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Cm(1.25)
    doc.add_heading("Zestawienie wskaźników", level=2)
    grid = doc.add_table(rows=1, cols=4)
    grid.style = "Table Grid"
    grid.autofit = False
    widths = (Cm(9.5), Cm(2.0), Cm(2.0), Cm(3.5))
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width  # LibreOffice reads the column widths, Word the cell widths: set both
    rows = [("Wskaźnik", str(data.year - 1), str(data.year), "Zmiana")]
    rows += [(row["label"], row["previous"], row["current"], row["change"]) for row in table]
    for i, values in enumerate(rows):
        cells = grid.rows[0].cells if i == 0 else grid.add_row().cells
        for j, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.width = widths[j]
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(text)
            run.font.size = Pt(10)
            run.bold = i == 0
            if j > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for fig in figs:
        doc.add_picture(str(fig["path"]), width=Cm(16))
        caption = doc.add_paragraph(fig["caption"])
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_problems(doc, problem_table(data))
    doc.core_properties.title = f"Informacja o działaniach asystentów rodziny w roku {data.year}"
    doc.save(str(path))
    return path


def write_report(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, out: Path,
                 limit: int = DEFAULT_CASELOAD_LIMIT, values_by_year: dict[int, dict] | None = None) -> list[Path]:
    """Write informacja_{year}.html and .docx into `out`; return both paths.

    `values_by_year`: the indicators already computed for every year up to `year` (else computed here, once)."""
    years = [y for y in coverage.data_years(con, unit) if y <= year]
    if values_by_year is None:
        values_by_year = registry.compute_years(con, sorted({*years, year - 1, year}), unit, limit)
    out.mkdir(parents=True, exist_ok=True)
    data = report_data(con, year, unit, limit, values_by_year)
    figs = _figures(registry.trend_frame({y: values_by_year[y] for y in years}), year, out) if years else []
    paras, table = paragraphs(data), summary_table(data)
    suffix = f"_{unit}" if unit else ""
    return [
        write_html(out / f"informacja_{year}{suffix}.html", data, paras, table, figs),
        write_docx(out / f"informacja_{year}{suffix}.docx", data, paras, table, figs),
    ]
