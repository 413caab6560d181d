"""--out under an existing file is one usage error (exit 2), never a traceback (issue 28, class 9)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.grammar import count


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True)


@pytest.mark.parametrize("args", [
    ("template", "--out", "{f}/szablon.xlsx"),
    ("report", "--init-templates", "{f}/szablony"),
])
def test_out_under_a_file_is_a_usage_error(tmp_path, args):
    blocker = tmp_path / "plik"
    blocker.write_text("x")
    result = _run(*(a.format(f=blocker) for a in args))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert line.startswith("błąd użycia:") and "\n" not in line
    assert f"{blocker} jest plikiem, nie folderem" in line or f"{blocker} nie jest folderem (to plik)" in line


def test_synth_rows_read_the_polish_way():
    assert count(139918, "wiersz") == "139\u00a0918 wierszy"
    assert count(2, "wiersz") == "2 wiersze"
