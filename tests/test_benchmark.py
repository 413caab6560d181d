"""The national benchmark runs end to end (so that it cannot rot unseen again): two units of the preset."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_national_benchmark_prints_its_table(tmp_path: Path) -> None:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "national.py"), "--units", "2", "--work", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    for line in ("generate", "exports", "(a) floor", "(b) ingest", "(c) year", "(d) trend", "peak RSS"):
        assert re.search(rf"^{re.escape(line)}\s", out, re.MULTILINE), (line, out)
    ingested = re.search(r"^\(b\) ingest .* (\d+)/(\d+) loaded .*ratio \(b\)/\(a\) = [0-9.]+$", out, re.MULTILINE)
    assert ingested and ingested.group(1) == ingested.group(2) != "0", out  # every export of the preset loads
    for stage in ("read", "check", "load", "current state", "hash"):
        assert re.search(rf"^\s+{stage}\s+[0-9.]+ s$", out, re.MULTILINE), (stage, out)
    trend = out[out.index("year  families"):].splitlines()[1:15]
    assert [int(r.split()[0]) for r in trend] == list(range(2012, 2026)), out
    assert "| 2 units |" in out  # the row for benchmarks/README.md
    # a second run reuses the exports (the generator's fingerprint matches) and says so by not generating
    again = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "national.py"), "--units", "2", "--work", str(tmp_path)],
                           capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    assert not re.search(r"^generate\s", again.stdout, re.MULTILINE), again.stdout
