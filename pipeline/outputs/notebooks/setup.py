"""The opening every notebook shares: parameters -> connection -> theme, and what a notebook shows.

A notebook's `parameters` cell takes its defaults from `pipeline.config` (the warehouse from
`ASYSTENCI_DB` or the project, the caseload limit), so it runs wherever its kernel starts;
`open_notebook` resolves the year and sets the display; its `con` is a `CellConnection`
(`reading.py`): the warehouse is open only while a cell reads it, so an idle notebook never
blocks a load, and each cell sees what is loaded when it runs.
`table` renders a frame for people (pandas' Styler with the shared `formats`), `findings`
prints the notebook's conclusions as text, and `record_summary` leaves the notebook's figures
for the runner and the tests without showing a JSON dump to the reader.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.config import DB_ENV, default_db
from pipeline.outputs.formats import MISSING, cell
from pipeline.outputs.notebooks.reading import CellConnection, NotebookError
from pipeline.outputs.spreadsheets import Column
from pipeline.warehouse import coverage

SUMMARY_MIME = "application/x.asystenci-summary+json"
TABLE_CSS = [
    {"selector": "", "props": "border-collapse: collapse; font-size: 13px; margin: 0.5em 0 1em 0;"},
    {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold; padding: 4px 0;"},
    {"selector": "th", "props": "background: #eeeeee; text-align: left; padding: 4px 8px; border: 1px solid #cccccc;"},
    {"selector": "td", "props": "padding: 4px 8px; border: 1px solid #dddddd; vertical-align: top;"},
]
NUMERIC_KINDS = ("count", "decimal", "percent", "change", "money", "year")
NUMBER_CLASS = "liczba"  # the class of a table's number cells


@dataclass
class Notebook:
    """What a notebook works with after its opening."""

    con: CellConnection  # opened by a cell that reads, closed when the cell ends
    db: Path
    year: int
    unit: str | None
    caseload_limit: int
    figures_dir: str | None
    years: list[int]  # the years with data, up to and including `year`
    notes: dict[int, str] | None = None  # the years of `years` not wholly covered, each with its note (coverage)

    def header(self) -> Any:
        """The parameters as a line a reader understands."""
        from IPython.display import Markdown

        unit = f"jednostka {self.unit}" if self.unit else "wszystkie jednostki w magazynie razem"
        span = f"; lata z danymi: {coverage.year_span(self.years).replace('-', '–')}" if len(self.years) > 1 else ""
        notes = "".join(f" Rok {y}: {n}." for y, n in (self.notes or {}).items())
        return Markdown(f"*Rok: {self.year}; {unit}; limit rodzin na asystenta: {self.caseload_limit}{span}.{notes}*")


def missing_warehouse_message(path: Path) -> str:
    """What to tell a person whose warehouse file is not where it was looked for."""
    return (f"Nie znaleziono magazynu danych: {path}. Wczytaj eksporty (python -m pipeline run albo "
            f"python -m pipeline ingest ŚCIEŻKA) albo wskaż istniejący magazyn zmienną środowiskową {DB_ENV}, "
            f"np. export {DB_ENV}=/ścieżka/do/warehouse.duckdb przed uruchomieniem JupyterLab, "
            f"albo wpisz ścieżkę w komórce parametrów (db = \"...\").")


def open_notebook(db: str | Path | None, year: int | None, unit: str | None, caseload_limit: int,
                  figures_dir: str | None = None) -> Notebook:
    """Pick the year (default: the latest complete one), the years with data, and set the display.

    The warehouse is read here and let go at once; `Notebook.con` opens it again in each cell that reads."""
    path = Path(db).expanduser() if db else default_db()
    if not path.exists():
        raise NotebookError(missing_warehouse_message(path))
    con = CellConnection(path)
    with con:
        covered = coverage.read(con)  # type: ignore[arg-type]
    if not covered.of():
        raise NotebookError(f"Magazyn danych {path} nie zawiera żadnego wczytanego eksportu: najpierw wczytaj eksporty.")
    if unit is not None and not covered.of(unit):
        raise NotebookError(f"W magazynie {path} nie ma jednostki {unit}; wczytane: "
                            f"{', '.join(u.code for u in covered.of())}. Popraw unit w komórce parametrów.")
    chosen = year if year is not None else covered.last_complete_year(unit)
    if chosen is None or covered.year(chosen, unit).empty:
        raise NotebookError(f"Eksporty {'jednostki ' + unit if unit else 'w magazynie'} obejmują "
                            f"{covered.summary(unit)} ({coverage.years_phrase(covered.years(unit))})"
                            + (f"; rok {chosen} jest poza nimi" if chosen is not None
                               else ", ale nie obejmują żadnego całego roku (do 31 grudnia)")
                            + ". Wybierz rok z tego zakresu w komórce parametrów (year = ...).")
    years = [y for y in covered.years(unit) if y <= chosen]
    apply_theme()
    return Notebook(con, path, int(chosen), unit, int(caseload_limit), figures_dir, years, covered.notes(years, unit))


def apply_theme() -> None:
    """Charts drawn in a notebook get the project's theme (the shared charts configure themselves)."""
    import altair as alt

    from pipeline.outputs.charts import theme_config

    @alt.theme.register("asystenci", enable=True)
    def _theme() -> alt.theme.ThemeConfig:
        return {"config": theme_config()}  # type: ignore[return-value]


def formatted(frame: pl.DataFrame, columns: Sequence[Column]) -> pl.DataFrame:
    """The frame's columns as text of their kinds (Polish labels as headers)."""
    data = {c.label: [cell(v, c.kind) for v in frame[c.key].to_list()] for c in columns}
    return pl.DataFrame(data, schema={c.label: pl.String for c in columns})


def table(frame: pl.DataFrame, columns: Sequence[Column], caption: str | None = None, empty: str = "Brak danych.",
          right: Sequence[str] = ()) -> Any:
    """A table a person reads: Polish headers, numbers formatted by kind, no index, no dtype row, every row.

    Returns a pandas Styler (it renders as an HTML table in JupyterLab and in the exported HTML);
    an empty frame gives the sentence `empty` instead.  Numbers are right-aligned, and so are the
    columns named in `right` (numbers already formatted as text)."""
    from IPython.display import Markdown

    if frame.height == 0:
        return Markdown(empty)
    text = formatted(frame, columns).to_pandas()
    styler = text.style.hide(axis="index").set_table_styles(TABLE_CSS)
    numeric = [c.label for c in columns if c.kind in NUMERIC_KINDS or c.key in right]
    text_columns = [c.label for c in columns if c.label not in numeric]
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right", "white-space": "nowrap"})
        classes = text.copy()
        for label in text.columns:
            classes[label] = NUMBER_CLASS if label in numeric else ""
        styler = styler.set_td_classes(classes)  # printed, a number never breaks (runner.PRINT_CSS)
    if text_columns:  # JupyterLab's stylesheet right-aligns every cell; words read from the left
        styler = styler.set_properties(subset=text_columns, **{"text-align": "left"})
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler


def findings(sentences: Sequence[str]) -> Any:
    """The notebook's conclusions as a bulleted list (Markdown)."""
    from IPython.display import Markdown

    return Markdown("\n".join(f"- {s}" for s in sentences) if sentences else MISSING)


def record_summary(values: dict) -> None:
    """Leave the notebook's figures in its output for the runner and the tests; a reader sees nothing."""
    from IPython.display import display

    display({SUMMARY_MIME: values, "text/plain": ""}, raw=True)
