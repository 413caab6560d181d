"""Execute the analysts' notebooks with parameters and export them as self-contained HTML.

Notebooks are jupytext percent files (notebooks/*.py, paired with .ipynb in
JupyterLab).  A cell tagged `parameters` holds the defaults; the runner adds
an `injected-parameters` cell after it, executes the notebook with nbclient
and writes HTML with embedded images (charts are shown as PNG as well as
interactive Vega-Lite, so the HTML needs no network).
"""

from __future__ import annotations

import json
from pathlib import Path

from nbformat import NotebookNode

from pipeline.config import NOTEBOOK_DIR, PROJECT_ROOT

SUMMARY_TAG = "summary"


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.py"))


def execute(path: Path, parameters: dict, timeout: int = 600) -> NotebookNode:
    """Execute one notebook with `parameters`; return the executed nbformat notebook."""
    import jupytext
    import nbformat
    from jupyter_client import KernelManager
    from nbclient import NotebookClient

    nb = jupytext.read(path)
    index = next((i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])), -1)
    source = "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
    injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(index + 1, injected)
    km = KernelManager(kernel_name="python3", transport="ipc")  # a local socket file, not TCP
    NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(PROJECT_ROOT)}}).execute()
    return nb


def summary(nb: NotebookNode) -> dict:
    """The JSON printed by the notebook's cell tagged `summary` (what the notebook found)."""
    for cell in nb.cells:
        if SUMMARY_TAG in cell.get("metadata", {}).get("tags", []):
            text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
            return json.loads(text)
    raise ValueError("notebook has no summary cell")


def to_html(nb: NotebookNode, path: Path) -> Path:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    path.write_text(body, encoding="utf-8")
    return path


def run_notebooks(db: Path, year: int, unit: str | None, out: Path, only: list[str] | None = None) -> list[Path]:
    """Execute every notebook (or those named) and write out/<name>.html; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebook_paths():
        if only and path.stem not in only:
            continue
        nb = execute(path, {"db": str(db), "year": year, "unit": unit, "figures_dir": str(out / "figures")})
        written.append(to_html(nb, out / f"{path.stem}.html"))
    return written
