"""The main job on the shipped demo exports reproduces the seed report's 2024 figures, key by key."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import snapshot

from pipeline.synth.demo import SEED_2024

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def run_once(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    db = out / "warehouse.duckdb"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", "--db", str(db), "--out", str(out / "reports")],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    return proc, db, out / "reports"


def test_main_job_succeeds_and_says_where_everything_is(run_once):
    proc, _, out = run_once
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    assert proc.stdout.count("\nwczytano ") + proc.stdout.startswith("wczytano") >= 15
    assert "Podsumowanie" in proc.stdout and str(out) in proc.stdout


def test_the_main_jobs_report_names_what_it_wrote(run_once):
    proc, _, out = run_once
    lines = proc.stdout.splitlines()
    at = lines.index("== Wskaźniki za lata 2012-2025")
    assert lines[at + 1:at + 4] == [f"zapisano 14 plików JSON: {out / 'wskazniki_2012.json'} … wskazniki_2025.json",
                                    f"zapisano {out / 'wskazniki_lata.csv'}", f"zapisano {out / 'wskazniki_lata.xlsx'}"]
    evaluation = out / "notebooks" / "ewaluacja_programu_2025.xlsx"
    assert evaluation.exists() and f"zapisano {evaluation} (koszty programu „Asystent rodziny”, notatnik 04)" in lines
    assert "ewaluacja_programu.xlsx" not in proc.stdout                       # the file's real name only
    assert "(albo run)" not in proc.stdout and "pipeline run" not in proc.stdout   # not told to run what runs
    assert (f"wyniki: {out} (quality/, wskazniki_RRRR.json, wskazniki_lata.csv/.xlsx, figures/, "
            "informacja_2025.html/.docx, notebooks/)") in lines


def test_the_loading_line_agrees_with_the_number():
    from pipeline.jobs.run import json_line, loading_line

    db = Path("w.duckdb")
    assert [loading_line(n, db) for n in (1, 2, 4, 5, 12, 22)] == [
        f"Wczytywanie {n} {noun} do w.duckdb" for n, noun in
        ((1, "eksportu"), (2, "eksportów"), (4, "eksportów"), (5, "eksportów"), (12, "eksportów"), (22, "eksportów"))]
    assert json_line(Path("o"), [2025]) == f"zapisano {Path('o') / 'wskazniki_2025.json'}"
    assert json_line(Path("o"), [2024, 2025]).startswith("zapisano 2 pliki JSON: ")
    assert json_line(Path("o"), list(range(2001, 2006))).startswith("zapisano 5 plików JSON: ")


def test_2024_figures_equal_the_seed_report(run_once):
    _, _, out = run_once
    figures = json.loads((out / "wskazniki_2024.json").read_text(encoding="utf-8"))
    assert figures["year"] == 2024 and figures["unit"] is None
    for key, expected in SEED_2024.items():
        assert figures["indicators"][key] == expected, key


def test_every_output_is_written(run_once):
    _, _, out = run_once
    for name in ("wskazniki_lata.csv", "wskazniki_lata.xlsx", "informacja_2025.html", "informacja_2025.docx"):
        assert (out / name).stat().st_size > 0, name
    # not only there: the annual information of the demo's latest complete year, in the page and in the DOCX
    from docx import Document

    page = (out / "informacja_2025.html").read_text(encoding="utf-8").replace("\xa0", " ")
    assert "<h1>Informacja o działaniach asystentów rodziny<br>MOPS Kędzierzyn-Koźle<br>w roku 2025</h1>" in page
    assert page.count('<img src="data:image/png;base64,') == 3
    heading = " ".join(p.text for p in Document(str(out / "informacja_2025.docx")).paragraphs[:3]).replace("\xa0", " ")
    assert "INFORMACJA O DZIAŁANIACH ASYSTENTÓW RODZINY" in heading.upper() and "2025" in heading
    assert len(list((out / "figures").glob("*.png"))) >= 6 and len(list((out / "figures").glob("*.svg"))) >= 6
    assert len(list((out / "notebooks").glob("*.html"))) == 5
    assert len(list((out / "quality").glob("*.html"))) == 16
    trend = (out / "wskazniki_lata.csv").read_text(encoding="utf-8-sig").splitlines()
    assert trend[0].startswith("rok;liczba asystentów rodziny;") and len(trend) == 1 + 14   # 2012-2025, Polish Excel's CSV
    from openpyxl import load_workbook

    assert load_workbook(out / "wskazniki_lata.xlsx").sheetnames == ["wskaźniki", "definicje"]


def test_running_again_changes_nothing(run_once):
    _, db, out = run_once
    before = snapshot(db)
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", "--db", str(db), "--out", str(out), "--no-notebooks"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.count("już wczytany") == 16
    # without notebooks (and nothing loaded, so no quality report) the summary lists only what this run wrote
    assert f"wyniki: {out} (wskazniki_RRRR.json, wskazniki_lata.csv/.xlsx, figures/, informacja_2025.html/.docx)" in \
        proc.stdout.splitlines()
    assert (f"notatniki pominięte (--no-notebooks): python -m pipeline notebooks --db {db} --out {out / 'notebooks'} je "
            "wykona, z ewaluacją programu (ewaluacja_programu_2025.xlsx)") in proc.stdout
    after = snapshot(db)
    assert {k: v for k, v in after.items() if k != "raw.funding"} == {k: v for k, v in before.items() if k != "raw.funding"}
    assert after["raw.funding"] == before["raw.funding"]


def test_demo_exports_regenerate_byte_identical(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "synth", "--preset", "demo", "--out", str(tmp_path / "demo")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    comparison = filecmp.dircmp(ROOT / "data" / "demo", tmp_path / "demo")
    assert not comparison.left_only and not comparison.right_only
    for name in comparison.common:
        left, right = ROOT / "data" / "demo" / name, tmp_path / "demo" / name
        if left.is_dir():
            for f in left.iterdir():
                assert f.read_bytes() == (right / f.name).read_bytes(), f
        else:
            assert left.read_bytes() == right.read_bytes(), name
    assert (ROOT / "data/reference/finansowanie.csv").read_bytes() == (tmp_path / "reference/finansowanie.csv").read_bytes()
