"""A notebook's HTML printed on A4 portrait: a wide table wraps to the page instead of being cut at the right edge.

Real parts: the runner's HTML export of a notebook whose output is a table rendered by `setup.table`, printed
to PDF by headless Chromium, read back with pdftotext.  Skipped where Chromium or pdftotext is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import polars as pl
import pytest

from pipeline.outputs.notebooks.runner import PRINT_CSS, to_html
from pipeline.outputs.notebooks.setup import NUMBER_CLASS, table
from pipeline.outputs.spreadsheets import Column

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# as wide as the widest notebook table (03's cohorts of one unit): 14 columns, numbers and "nieobserwowalne"
COLUMNS = [Column("year", "rok rozpoczęcia", "year"), Column("n", "w kohorcie", "count")] + [
    Column(f"{what}{months}", f"{label} {months} m.", kind)
    for months in (12, 24, 36)
    for what, label, kind in (("goal", "cele", "percent"), ("other", "inne", "percent"), ("risk", "w ryzyku", "text"))
] + [Column("last", "ostatnia kolumna", "count")]


def _wide_notebook() -> nbformat.NotebookNode:
    frame = pl.DataFrame({"year": [2023, 2024], "n": [22, 19],
                          **{f"{w}{m}": [0.25, 0.5] for m in (12, 24, 36) for w in ("goal", "other")},
                          **{f"risk{m}": ["17", "nieobserwowalne"] for m in (12, 24, 36)}, "last": [4321, 8765]})
    html = table(frame, COLUMNS, "Szeroka tabela", right=[f"risk{m}" for m in (12, 24, 36)]).to_html()
    cell = nbformat.v4.new_code_cell("table(frame, COLUMNS)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": ""})]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Wydruk"), cell])


def _printed_text(html: Path, tmp_path: Path) -> str:
    pdf = tmp_path / "printed.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    html.as_uri()], capture_output=True, timeout=180, check=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.replace("\xa0", " ")


def test_the_export_carries_an_a4_portrait_print_stylesheet(tmp_path):
    page = to_html(_wide_notebook(), tmp_path / "wide.html").read_text(encoding="utf-8")
    head = page[:page.index("</head>")]
    assert PRINT_CSS in head and "size: A4 portrait" in PRINT_CSS and "@media print" in PRINT_CSS
    # every number cell (year, counts, percentages, the columns named `right`) has the class, no text cell has it
    assert len(re.findall(rf'<td[^>]*class="[^"]*\b{NUMBER_CLASS}\b', page)) == 2 * 12


@pytest.mark.skipif(CHROMIUM is None or shutil.which("pdftotext") is None, reason="needs chromium and pdftotext")
def test_a_wide_table_printed_on_a4_keeps_its_last_column(tmp_path):
    html = to_html(_wide_notebook(), tmp_path / "wide.html")
    text = _printed_text(html, tmp_path)
    assert "8 765" in text and "ostatnia" in text  # the right edge is on the paper
    assert text.count("25,0%") == 6 and text.count("50,0%") == 6  # and no number broke across lines
    # and without the print stylesheet the same page loses it (so the check above can fail)
    bare = tmp_path / "bare.html"
    bare.write_text(html.read_text(encoding="utf-8").replace(PRINT_CSS, ""), encoding="utf-8")
    assert "8 765" not in _printed_text(bare, tmp_path)
