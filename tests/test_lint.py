"""The code base is ruff clean and its stages import one way (CI runs the tests, so this keeps both honest)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff not installed")
    proc = subprocess.run([ruff, "check", "pipeline", "tests", "benchmarks", "notebooks"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_stages_import_one_way_and_without_cycles():
    """The import-linter contracts of pyproject.toml: cli -> jobs -> outputs -> indicators -> warehouse -> checks -> read."""
    linter = Path(sys.executable).parent / "lint-imports"
    if not linter.exists():
        pytest.skip("import-linter not installed")
    proc = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "4 kept, 0 broken" in proc.stdout  # stages, deliverables independent, shared writers, no cycles


def test_nothing_but_the_shared_modules_at_the_top_of_the_package():
    top = sorted(p.name for p in (ROOT / "pipeline").iterdir() if p.suffix == ".py")
    assert top == ["__init__.py", "__main__.py", "config.py", "contract.py", "grammar.py", "problems.py"]


def test_outputs_are_laid_out_by_deliverable():
    """`ls pipeline/outputs`: the deliverables as sub-packages, at most 8 modules beside them; each sub-package says
    what it delivers and which command makes it, and is named in the independence contract."""
    outputs = ROOT / "pipeline" / "outputs"
    modules = [p.name for p in outputs.iterdir() if p.suffix == ".py" and p.name != "__init__.py"]
    assert len(modules) <= 8, modules
    packages = sorted(p.name for p in outputs.iterdir() if (p / "__init__.py").exists())
    assert {"annual", "notebooks", "publication", "comparison", "contract"} <= set(packages)
    contracts = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for name in packages:
        doc = (outputs / name / "__init__.py").read_text(encoding="utf-8")
        assert doc.startswith('"""') and ("python -m pipeline" in doc or "notebook" in doc), name
        assert f'"pipeline.outputs.{name}"' in contracts, name
