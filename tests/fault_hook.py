"""Run the command line with a pause inside a write transaction, for the tests that kill it there.

    python tests/fault_hook.py load|refresh MARKER COMMAND...

`load`: after the raw rows and findings of a batch are inserted, before the transaction commits;
`refresh`: after the current state is rebuilt, before its transaction clears the stale marks.
The hook writes MARKER when it is there, then sleeps, so the test can send SIGKILL.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pipeline.warehouse.load as load
import pipeline.warehouse.recovery as recovery
from pipeline.cli import main

where, marker, argv = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]


def pause() -> None:
    marker.write_text("inside a write transaction", encoding="utf-8")
    time.sleep(30)


if where == "load":
    real_insert = load._insert_findings

    def insert_then_pause(con, rows):
        real_insert(con, rows)
        pause()

    load._insert_findings = insert_then_pause
elif where == "refresh":
    real_clear = recovery.clear_stale_marks

    def pause_then_clear(con):
        pause()
        real_clear(con)

    recovery.clear_stale_marks = pause_then_clear
else:
    raise SystemExit(f"unknown hook point {where}")

sys.exit(main(argv))
