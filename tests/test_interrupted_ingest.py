"""An interrupted multi-chunk ingest keeps what it reported loaded, nothing else, and the re-run loads the rest
(issue 24).  The command line runs through `tests/fault_hook.py`, which sends SIGINT (Ctrl-C) to the process at
a chosen chunk: just before the chunk is written (it must roll back) or just after it committed (before its
current state is rebuilt and its results are printed: it must be kept and reported)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from builders import meta, write

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = 5


@pytest.fixture
def exports(tmp_path: Path) -> list[Path]:
    """Five exports of one unit, each its own chunk with --chunk-rows 1."""
    return [write(tmp_path / f"eksport_{n}", m=meta(exported=f"2025-01-{10 + n:02d}")) for n in range(1, EXPORTS + 1)]


def _ingest(db: Path, paths: list[Path], hook: str | None = None, marker: Path | None = None) -> subprocess.CompletedProcess:
    command = [str(ROOT / "tests" / "fault_hook.py"), hook, str(marker)] if hook else ["-m", "pipeline"]
    return subprocess.run([sys.executable, *command, "ingest", *map(str, paths), "--db", str(db), "--chunk-rows", "1"],
                          capture_output=True, text=True, cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)},
                          timeout=600)


def _reported(stdout: str, outcome: str) -> list[str]:
    return re.findall(rf"^{re.escape(outcome)}\s+(\S+?):? ", stdout, flags=re.MULTILINE)


def _in_warehouse(db: Path) -> tuple[list[str], set[str], int]:
    """The exports of the load log, the stale marks left, and the episodes of the current state."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        loads = [n for (n,) in con.execute("SELECT file_name FROM raw.loads WHERE outcome = 'loaded' ORDER BY load_id").fetchall()]
        stale = {u for (u,) in con.execute("SELECT * FROM raw.stale_units").fetchall()}
        episodes = con.execute("SELECT count(*) FROM core.asystentury").fetchone()[0]
    finally:
        con.close()
    return loads, stale, episodes


@pytest.mark.parametrize(("hook", "kept"), [("interrupt-before-write:3", 2), ("interrupt-after-write:3", 3)])
def test_an_interrupted_ingest_keeps_what_it_reported_and_the_rerun_loads_the_rest(tmp_path: Path, exports: list[Path],
                                                                                   hook: str, kept: int):
    db, marker = tmp_path / "w.duckdb", tmp_path / "marker"
    stopped = _ingest(db, exports, hook, marker)
    assert marker.exists(), stopped.stderr[-2000:]
    assert stopped.returncode == 130, stopped.stderr[-2000:]
    assert "Traceback" not in stopped.stderr
    names = [p.name for p in exports]
    reported = _reported(stopped.stdout, "wczytano")
    assert reported == names[:kept], stopped.stdout
    loads, stale, episodes = _in_warehouse(db)
    assert loads == reported  # every export reported loaded is in the warehouse, and no other
    assert not stale and episodes == 3  # the committed chunk's current state was rebuilt after the interruption
    assert (f"przerwano: wczytano {kept} eksporty (zapisane w magazynie danych), nie wczytano {EXPORTS - kept} "
            "eksport") in stopped.stderr
    assert "uruchom to samo polecenie ponownie" in stopped.stderr

    again = _ingest(db, exports)
    assert again.returncode == 0, again.stderr[-2000:]
    assert _reported(again.stdout, "już wczytany") == names[:kept]
    assert _reported(again.stdout, "wczytano") == names[kept:]
    assert _in_warehouse(db)[0] == names
