"""Execute the analysts' notebooks with parameters and export them as HTML a person can hand on.

Notebooks are jupytext percent files (notebooks/*.py, paired with .ipynb in JupyterLab).  A cell
tagged `parameters` holds the defaults (from `pipeline.config`); the runner adds an
`injected-parameters` cell after it only for the values it is given, and executes the notebook
with nbclient in `notebooks/`, as JupyterLab would.  The kernel's connection file and sockets live
in a temporary folder that is removed after the run.  The HTML has no code cells (the .py files
are where the code is read), no prompts, and no summary cell; charts are embedded as PNG, so it
needs no network; printed on A4 portrait, wide tables wrap and shrink to the page (PRINT_CSS).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from pipeline.config import DEFAULT_CASELOAD_LIMIT, NOTEBOOK_DIR
from pipeline.outputs.notebooks.setup import SUMMARY_MIME

SUMMARY_TAG = "summary"
# Printed (A4 portrait), a wide table wraps its headers and text at spaces and shrinks its type instead of being
# cut at the right edge: JupyterLab's output area scrolls wide outputs sideways, which paper cannot.
# Number cells (class `liczba`, set by setup.table) never break.
PRINT_CSS = """<style id="asystenci-print">
@page { size: A4 portrait; margin: 14mm 12mm; }
@media print {
  body, .jp-Notebook, .jp-Cell, .jp-OutputArea, .jp-OutputArea-child, .jp-OutputArea-output {
    width: auto !important; max-width: 100% !important; overflow: visible !important; }
  .jp-Notebook { padding: 0 !important; }
  .jp-OutputArea-output table { width: 100% !important; max-width: 100% !important; table-layout: auto !important;
    font-size: 7.5pt !important; }
  .jp-OutputArea-output th, .jp-OutputArea-output td { white-space: normal !important; overflow-wrap: break-word;
    padding: 2px 3px !important; }
  .jp-OutputArea-output td.liczba { white-space: nowrap !important; overflow-wrap: normal; }
  .jp-OutputArea-output tr { break-inside: avoid; }
  .jp-OutputArea-output thead { display: table-header-group; }
  .jp-OutputArea-output img, .jp-OutputArea-output svg { max-width: 100% !important; height: auto !important; }
  h1, h2, h3 { break-after: avoid; }
}
</style>
"""


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.py"))


class NotebookFailed(Exception):
    """A notebook stopped on an error: which notebook, and the error's type and first line (no traceback)."""

    def __init__(self, name: str, error: str, message: str) -> None:
        first = (message or "").strip().splitlines()[0] if (message or "").strip() else ""
        super().__init__(f"notatnik {name} zatrzymał się na błędzie {error}" + (f": {first}" if first else ""))


def execute(path: Path, parameters: dict[str, Any] | None = None, timeout: int = 600, cwd: Path = NOTEBOOK_DIR) -> NotebookNode:
    """Execute one notebook (with `parameters` injected when given) in `cwd`; return the executed notebook."""
    import jupytext
    import nbformat
    from jupyter_client import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = jupytext.read(path)
    if parameters:
        index = next((i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])), -1)
        source = "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
        nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]}))
    with tempfile.TemporaryDirectory(prefix="asystenci-kernel-") as runtime:
        # a local socket (not TCP) and the connection file, both in the temporary folder, never in `cwd`
        km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(runtime) / "kernel-ipc"),
                           connection_file=str(Path(runtime) / "kernel.json"))
        try:
            NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(cwd)}}).execute()
        except CellExecutionError as e:
            raise NotebookFailed(path.stem, e.ename, e.evalue) from None
        finally:
            if km.has_kernel:
                km.shutdown_kernel(now=True)
            km.cleanup_resources()
    return nb


def summary(nb: NotebookNode) -> dict:
    """The figures the notebook's cell tagged `summary` recorded (what the notebook found)."""
    for cell in nb.cells:
        if SUMMARY_TAG in cell.get("metadata", {}).get("tags", []):
            for output in cell.get("outputs", []):
                if SUMMARY_MIME in output.get("data", {}):
                    return dict(output["data"][SUMMARY_MIME])
    raise ValueError("notebook has no summary cell")


def to_html(nb: NotebookNode, path: Path) -> Path:
    """Write the executed notebook as HTML without code, prompts or the summary cell."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = {SUMMARY_TAG, "parameters", "injected-parameters"}
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=config, template_name="lab")
    exporter.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    path.write_text(body.replace("</head>", PRINT_CSS + "</head>", 1), encoding="utf-8")
    return path


def run_notebooks(db: Path, year: int, unit: str | None, out: Path, only: list[str] | None = None,
                  caseload_limit: int = DEFAULT_CASELOAD_LIMIT) -> list[Path]:
    """Execute every notebook (or those named) and write out/<name>.html; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebook_paths():
        if only and path.stem not in only:
            continue
        nb = execute(path, {"db": str(db), "year": year, "unit": unit, "caseload_limit": caseload_limit,
                            "figures_dir": str(out / "figures")})
        written.append(to_html(nb, out / f"{path.stem}.html"))
    return written
