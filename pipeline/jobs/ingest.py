"""Ingest exports: read, check, load, report — each export on its own and atomically.

Exports are processed in the order given, in chunks: the files of a chunk
are parsed one by one, then typed, checked (one GX run per table) and written
(one transaction) together, and the units they touched get their current
state rebuilt.  A rejected export leaves only a load-log line.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipeline.config import DEFAULT_CASELOAD_LIMIT

if TYPE_CHECKING:
    from pipeline.checks.gate import Verdict
    from pipeline.checks.gx_runner import GxValidator
from pipeline.grammar import count
from pipeline.read.containers import content_hash
from pipeline.read.export import ExportData, display_name, read_exports
from pipeline.read.limits import SHRINK_SHARE
from pipeline.warehouse.connection import WarehouseError, open_for_writing
from pipeline.warehouse.load import Checked, LoadResult, already_loaded, write_batch
from pipeline.warehouse.recovery import refresh_stale_units
from pipeline.warehouse.shrink import shrink_problem

CHUNK_ROWS = 2_000_000


@dataclass
class IngestOptions:
    """Where and how to ingest."""

    db: Path
    reports: Path | None = None
    caseload_limit: int = DEFAULT_CASELOAD_LIMIT
    chunk_rows: int = CHUNK_ROWS
    allow_shrink: bool = False  # load a `pełny` export even if it removes much of its unit's records
    stage_seconds: dict[str, float] = field(default_factory=dict)  # filled in as the stages run

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + time.perf_counter() - started


def _chunks(paths: list[Path], max_rows_hint: int) -> list[list[Path]]:
    """Group paths so that a chunk's files stay under a size budget (about 60 bytes a row)."""
    budget = max_rows_hint * 60
    chunks: list[list[Path]] = [[]]
    size = 0
    for p in paths:
        s = sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.is_dir() else p.stat().st_size
        if chunks[-1] and size + s > budget:
            chunks.append([])
            size = 0
        chunks[-1].append(p)
        size += s
    return [c for c in chunks if c]


class Interrupted(KeyboardInterrupt):
    """SIGTERM (or SIGINT) during `ingest`: raised where the process is, so that every transaction
    rolls back or commits whole and the spool folder is removed on the way out."""


@contextmanager
def _signals_interrupt() -> Iterator[None]:
    """While ingesting, SIGTERM and SIGINT raise `Interrupted` (in the main thread only)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    before = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def ingest(paths: list[Path], options: IngestOptions,
           on_result: Callable[[LoadResult], None] | None = None) -> list[LoadResult]:
    """Ingest exports in order; return what happened to each.  Raises WarehouseError.

    Each chunk is written and its units' current state rebuilt before its results are reported,
    so a reader that fails (a closed pipe) never stops a load between write and rebuild."""
    results: list[LoadResult] = []
    with _signals_interrupt():
        con = open_for_writing(options.db)
        validator_box: list[GxValidator] = []  # the GX context: made once per call, only if something is validated
        try:
            position = 1
            for chunk in _chunks(paths, options.chunk_rows):
                chunk_results = _ingest_chunk(con, chunk, position, options, validator_box)
                position += len(chunk)
                results += chunk_results
                if on_result:
                    for result in chunk_results:
                        on_result(result)
        finally:
            con.close()
    return results


def _ingest_chunk(con: duckdb.DuckDBPyConnection, chunk: list[Path], position: int, options: IngestOptions,
                  validator_box: list[GxValidator]) -> list[LoadResult]:
    """Read, check, write one chunk and rebuild its units; return what happened to each export."""
    with options.timed("hash"):
        hashes = [content_hash(path) for path in chunk]
        known = already_loaded(con, hashes)
    fresh = [(n, path, h) for n, (path, h) in enumerate(zip(chunk, hashes, strict=True), start=position) if h not in known]
    with options.timed("read"):
        exports = read_exports([p for _, p, _ in fresh], [h for _, _, h in fresh], positions=[n for n, _, _ in fresh])
    verdicts = _check(exports, options, validator_box) if exports else []
    if not options.allow_shrink:
        for v in verdicts:
            if v.accepted and (problem := shrink_problem(con, v.export, SHRINK_SHARE)) is not None:
                v.problems.append(problem)
    with options.timed("load"):
        written = _write(con, [Checked(v.export, v.problems, v.findings) for v in verdicts])
    with options.timed("current state"):
        _refresh(con)
    if options.reports is not None:
        from pipeline.outputs.quality.report import write_quality_report

        with options.timed("report"):
            for verdict, result in zip(verdicts, written, strict=True):
                write_quality_report(options.reports, verdict, result)
    fresh_results = iter(written)
    return [LoadResult(display_name(path, n), "already loaded", known[h]) if h in known else next(fresh_results)
            for n, (path, h) in enumerate(zip(chunk, hashes, strict=True), start=position)]


def _check(pending: list[ExportData], options: IngestOptions, validator_box: list[GxValidator]) -> list[Verdict]:
    """The gate's verdicts for a chunk (GX is imported only when an export gets that far)."""
    from pipeline.checks.gate import check_exports

    with options.timed("check"):
        if not validator_box and any(not e.problems for e in pending):
            from pipeline.checks.gx_runner import GxValidator

            validator_box.append(GxValidator())
        return check_exports(pending, options.caseload_limit, validator_box[0] if validator_box else None)


def _refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the current state of the units loaded in this chunk (once per unit, not per export)."""
    try:
        refresh_stale_units(con)
    except duckdb.Error as e:
        raise WarehouseError(
            f"eksporty wczytano, ale odświeżenie bieżącego stanu nie powiodło się ({type(e).__name__}); "
            "zostanie dokończone przy następnym wczytywaniu"
        ) from None


def _write(con: duckdb.DuckDBPyConnection, batch: list[Checked]) -> list[LoadResult]:
    """Write a chunk's checked exports (one transaction), turning a database failure into a clear error."""
    try:
        return write_batch(con, batch)
    except duckdb.Error as e:
        raise WarehouseError(
            f"zapis eksportów do magazynu nie powiódł się ({type(e).__name__}); magazyn pozostał bez zmian"
        ) from None


def describe(result: LoadResult) -> str:
    """The line(s) the `ingest` command prints for one export."""
    if result.outcome == "already loaded":
        return f"already loaded  {result.name} (wczytany wcześniej, load {result.load_id}); nic nie zmieniono"
    if result.outcome == "rejected":
        lines = [f"rejected        {result.name}: eksport odrzucony, magazyn bez zmian ({count(len(result.problems or []), 'problem')})"]
        lines += [f"    - {p.describe()}" for p in result.problems or []]
        return "\n".join(lines)
    rows = sum((result.row_counts or {}).values())
    findings = result.findings or []
    line = f"loaded          {result.name}: load {result.load_id}, {count(rows, 'wiersz')}"
    if findings:
        line += f", {count(sum(f.count for f in findings), 'ustalenie')} do przejrzenia"
        line += "".join(f"\n    ! {f.describe()}" for f in findings)
    return line


def progress_printer(total: int) -> Callable[[LoadResult], None]:
    """Print each result; on a terminal with several exports, show a counter too.  When the reader
    goes away (`ingest ... | head -1`), printing stops and the work goes on."""
    done = 0
    tty = sys.stdout.isatty() and total > 1
    closed = False

    def show(result: LoadResult) -> None:
        nonlocal done, closed
        done += 1
        if closed:
            return
        prefix = f"[{done}/{total}] " if tty else ""
        try:
            print(prefix + describe(result), flush=True)
        except BrokenPipeError:
            closed = True
            devnull = os.open(os.devnull, os.O_WRONLY)  # so that the final flush at exit does not fail either
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)

    return show
