"""Faults: huge garbage, cut files, a full disk — a clear message, the right exit code, nothing lost."""

from __future__ import annotations

import copy
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from builders import activity, read_export, small_case, write
from conftest import snapshot

ROOT = Path(__file__).resolve().parents[1]


def test_200_mb_single_column_garbage_is_rejected_without_reading_it_into_memory(tmp_path):
    path = write(tmp_path / "export")
    garbage = path / "dzialania.csv"
    line = b"qwertyuiopasdfghjklzxcvbnm0123456789" * 3 + b"\n"
    with garbage.open("wb") as f:
        chunk = line * (1 << 14)
        for _ in range(200 * 2**20 // len(chunk) + 1):
            f.write(chunk)
    assert garbage.stat().st_size >= 200 * 2**20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = read_export(path)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert {p.code for p in result.problems} & {"STR-020", "STR-021"}
    assert grown_mb < 100, f"peak memory grew by {grown_mb:.0f} MB"


def test_csv_cut_mid_row_names_the_row(tmp_path):
    path = write(tmp_path / "export")
    text = (path / "asystentury.csv").read_text(encoding="utf-8")
    (path / "asystentury.csv").write_text(text[: text.rindex("\n", 0, len(text) - 1) + 12], encoding="utf-8")
    from pipeline.checks.gate import check_exports

    verdict = check_exports([read_export(path)])[0]
    assert not verdict.accepted
    last_row = text.count("\n") + 1 - 1  # header is row 1, the cut row is the last one
    assert any(last_row in p.rows for p in verdict.problems), [p.describe() for p in verdict.problems]


@pytest.fixture
def tiny_disk(tmp_path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root in a namespace that allows it)")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_a_clear_error_and_loses_nothing(tmp_path, tiny_disk):
    db = tiny_disk / "w.duckdb"
    first = write(tmp_path / "first")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(first), "--db", str(db), "--reports",
                           str(tmp_path / "rep")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    before = snapshot(db)
    # fill what is left of the disk, then try to load a bigger export
    free = shutil.disk_usage(tiny_disk).free
    (tiny_disk / "filler").write_bytes(b"\0" * max(free - 64 * 1024, 0))
    rows = copy.deepcopy(small_case())
    rows["dzialania"] = [activity(f"Z{i}", "E2", "A2", "2024-03-01", "porada", 1) for i in range(30_000)]
    second = write(tmp_path / "second", rows)
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(second), "--db", str(db), "--reports",
                           str(tmp_path / "rep")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "magazyn" in proc.stderr
    (tiny_disk / "filler").unlink()
    assert snapshot(db) == before
