"""Run the command line with a pause inside a write transaction, for the tests that kill it there.

    python tests/fault_hook.py load|refresh MARKER COMMAND...
    python tests/fault_hook.py interrupt-before-write:N|interrupt-after-write:N MARKER COMMAND...

`load`: after the raw rows and findings of a batch are inserted, before the transaction commits;
`refresh`: after the current state is rebuilt, before its transaction clears the stale marks.
The hook writes MARKER when it is there, then sleeps, so the test can send SIGKILL.
`interrupt-before-write:N` / `interrupt-after-write:N`: the process sends itself SIGINT (Ctrl-C) when the ingest
job is about to write its Nth chunk (the chunk in flight must roll back) or has just committed it (before its
current state is rebuilt and its results reported); MARKER is written first.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pipeline.jobs.ingest as ingest
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
elif where.startswith(("interrupt-before-write:", "interrupt-after-write:")):
    when, nth = where.rsplit(":", 1)
    real_write = ingest._write
    calls = [0]

    def interrupt() -> None:
        marker.write_text(f"{when} of chunk {nth}", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)  # the handler raises at once; never reached

    def write_then_interrupt(con, batch):
        calls[0] += 1
        if calls[0] == int(nth) and when == "interrupt-before-write":
            interrupt()
        written = real_write(con, batch)
        if calls[0] == int(nth) and when == "interrupt-after-write":
            interrupt()
        return written

    ingest._write = write_then_interrupt
else:
    raise SystemExit(f"unknown hook point {where}")

sys.exit(main(argv))
