"""The centre's templates are data, not code (issue 28, class 12): every environment is sandboxed and strict,
and a template error is one coded line naming the template file, the line and what is wrong (exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from builders import small_case

from pipeline.outputs import templating

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def warehouse(load_rows, db) -> Path:
    load_rows(small_case())
    return db


def _report(db: Path, folder: Path, out: Path, process: bool = False) -> subprocess.CompletedProcess:
    """`report --templates folder`, in this process (capsys) or, with `process`, as its own process."""
    args = ["report", "--year", "2024", "--db", str(db), "--out", str(out), "--templates", str(folder)]
    if process:
        return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=ROOT,
                              env=os.environ | {"PYTHONPATH": str(ROOT)}, timeout=300)
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from pipeline.cli import main

    out_text, err_text = io.StringIO(), io.StringIO()
    with redirect_stdout(out_text), redirect_stderr(err_text):
        code = main(args)
    return subprocess.CompletedProcess(args, code, out_text.getvalue(), err_text.getvalue())


def _one_usage_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "jinja2.exceptions" not in result.stderr
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("błąd użycia: [SZB-")
    return line


def test_a_template_that_reaches_the_shell_is_refused_and_runs_nothing(warehouse, tmp_path):
    folder, out = tmp_path / "szablony", tmp_path / "out"
    folder.mkdir()
    marker = tmp_path / "uruchomiono"
    (folder / "informacja_wstep.j2").write_text(
        "## 1. Wprowadzenie\n\nTekst ośrodka.\n{{ cycler.__init__.__globals__.os.popen('id').read() }}\n"
        f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\n", encoding="utf-8")
    result = _report(warehouse, folder, out, process=True)
    line = _one_usage_line(result)
    assert line == ("błąd użycia: [SZB-004] plik informacja_wstep.j2, wiersz 4: szablon sięga poza dane raportu "
                    "(atrybut „__init__”): szablony nie mogą uruchamiać kodu ani czytać wnętrza Pythona; usuń to "
                    "wyrażenie; informacji nie zapisano")
    assert "uid=" not in result.stdout + result.stderr
    assert not marker.exists()
    assert not list(out.glob("informacja_2024*"))


def test_an_undefined_name_and_a_syntax_error_name_the_file_and_the_line(warehouse, tmp_path):
    folder, out = tmp_path / "szablony", tmp_path / "out"
    folder.mkdir()
    (folder / "informacja_podsumowanie.j2").write_text("## 4. Podsumowanie\n\n\nW roku {{ yaer }} ...\n", encoding="utf-8")
    line = _one_usage_line(_report(warehouse, folder, out))
    assert "[SZB-003] plik informacja_podsumowanie.j2, wiersz 4: nieznana nazwa „yaer”" in line
    (folder / "informacja_podsumowanie.j2").write_text("## 4. Podsumowanie\n\nW roku {{ year }.\n", encoding="utf-8")
    line = _one_usage_line(_report(warehouse, folder, out))
    assert "[SZB-002] plik informacja_podsumowanie.j2, wiersz 3: błąd składni szablonu" in line
    (folder / "informacja_podsumowanie.j2").write_text("## 4. Podsumowanie\n\nW roku {{ year }}.\n", encoding="utf-8")
    ok = _report(warehouse, folder, out)
    assert ok.returncode == 0, ok.stderr
    assert "W\u00a0roku 2024." in (out / "informacja_2024.html").read_text(encoding="utf-8")


def test_a_template_that_is_a_pipe_is_refused_unopened(warehouse, tmp_path):
    folder, out = tmp_path / "szablony", tmp_path / "out"
    folder.mkdir()
    os.mkfifo(folder / "informacja_wstep.j2")
    line = _one_usage_line(_report(warehouse, folder, out))
    assert "[SZB-001] plik informacja_wstep.j2: szablon nie jest zwykłym plikiem (potok nazwany)" in line


def test_every_environment_is_sandboxed_and_strict():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from pipeline.outputs.annual.report import _environments

    envs = [*_environments(None), templating.environment("pipeline.outputs.quality")]
    assert all(isinstance(e, SandboxedEnvironment) and e.undefined is StrictUndefined for e in envs)
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "pipeline").rglob("*.py")
                       if p.name != "templating.py")
    assert "Environment(" not in source   # environments are made in one place: pipeline/outputs/templating.py


def test_document_text_keeps_a_macros_html_as_html() -> None:
    """finalize runs on every printed value: a macro's Markup must stay Markup (else autoescape writes &lt;h2&gt;)."""
    from markupsafe import Markup

    from pipeline.outputs.templating import document_text

    cleaned = document_text(Markup("<h2>1. Wprowadzenie\x1b</h2>"))
    assert isinstance(cleaned, Markup) and cleaned == "<h2>1. Wprowadzenie</h2>"
    plain = document_text("tytuł\x0bprojektu\x00")
    assert plain == "tytuł projektu" and not isinstance(plain, Markup)
