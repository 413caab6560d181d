"""The reference pages in docs/ are what the code generates; the CLI's help lists every command."""

from pipeline.config import DOCS_DIR as DOCS
from pipeline.outputs.contract.docs import PAGES


def test_generated_pages_are_current():
    for name, make in PAGES.items():
        assert (DOCS / name).read_text(encoding="utf-8") == make(), f"run: python -m pipeline docs ({name})"


def test_indicators_command_does_not_import_great_expectations():
    import subprocess
    import sys

    code = ("import sys; from pipeline.cli.parser import build_parser; build_parser(); import pipeline.indicators.registry, "
            "pipeline.outputs.annual.report, pipeline.cli.load, pipeline.cli.figures, pipeline.cli.documents, "
            "pipeline.cli.tools; print('great_expectations' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
