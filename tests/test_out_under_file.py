"""--out under an existing file is one usage error (exit 2), never a traceback (issue 28, class 9)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_template_fill_never_echoes_an_export_named_with_a_pesel(tmp_path, capsys) -> None:
    """Issue 28 class 1: `template --fill` named the export in its verdict, a PESEL in the folder's name included."""
    import shutil

    from pipeline.cli import main

    pesel = "44051401359"
    source = tmp_path / pesel
    shutil.copytree(Path(__file__).parents[1] / "data" / "demo" / "1603011_2024", source)
    assert main(["template", "--out", str(tmp_path / "t.xlsx"), "--fill", str(source)]) == 1
    out, err = capsys.readouterr()
    assert pesel not in out + err
    assert "nazwy nie pokazujemy" in err and not (tmp_path / "t.xlsx").exists()
    good = tmp_path / "eksport_2024"
    source.rename(good)
    assert main(["template", "--out", str(tmp_path / "t.xlsx"), "--fill", str(good)]) == 0
    assert "(dane z eksportu eksport_2024)" in capsys.readouterr().out
