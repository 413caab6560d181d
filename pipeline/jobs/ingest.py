"""Ingest exports: read, check, load, report — each export on its own and atomically.

Exports are processed in the order given, in chunks: the files of a chunk
are parsed one by one, then typed, checked (one GX run per table) and written
(one transaction) together, and the units they touched get their current
state rebuilt.  A rejected export leaves only a load-log line.
"""

from __future__ import annotations

import errno
import json
import signal
import sys
import threading
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
from pipeline.grammar import count, number
from pipeline.jobs.progress import Progress
from pipeline.jobs.status import status
from pipeline.read.containers import content_hash
from pipeline.read.export import ExportData, display_name, read_exports
from pipeline.read.limits import SHRINK_SHARE
from pipeline.sql import scalar
from pipeline.warehouse.connection import WarehouseError, open_for_writing
from pipeline.warehouse.load import Checked, LoadResult, already_loaded, write_batch
from pipeline.warehouse.recovery import refresh_stale_units
from pipeline.warehouse.shrink import shrink_problems

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
    on_stage: Callable[[str], None] | None = None  # told each stage as it starts (a progress bar shows it)
    chunk_label: str = ""  # "porcja 2/5" while a call has several chunks
    gx_import: threading.Thread | None = None  # Great Expectations being imported in the background

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        if self.on_stage is not None:
            self.on_stage(f"{self.chunk_label}: {STAGES.get(stage, stage)}" if self.chunk_label else STAGES.get(stage, stage))
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + time.perf_counter() - started


def _size(path: Path) -> int:
    """An export's size on disk (what the chunk budget counts); 0 for what cannot be read (the reader says why)."""
    try:
        if path.is_dir():
            return sum(f.stat().st_size for f in path.iterdir() if f.is_file())
        return path.stat().st_size
    except OSError:
        return 0


def _chunks(paths: list[Path], max_rows_hint: int) -> list[list[Path]]:
    """Group paths so that a chunk's files stay under a size budget (about 60 bytes a row)."""
    budget = max_rows_hint * 60
    chunks: list[list[Path]] = [[]]
    size = 0
    for p in paths:
        s = _size(p)
        if chunks[-1] and size + s > budget:
            chunks.append([])
            size = 0
        chunks[-1].append(p)
        size += s
    return [c for c in chunks if c]


class Interrupted(KeyboardInterrupt):
    """SIGTERM (or SIGINT) during `ingest`: raised where the process is, so that every transaction
    rolls back or commits whole and the spool folder is removed on the way out.  When it leaves
    `ingest`, `results` holds what happened to every export the call got to (all of it committed:
    the chunk in flight is rolled back, or, if it had committed, reported) and `total` how many
    exports the call had."""

    results: list[LoadResult]
    total: int


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


STAGES = {"hash": "sumy kontrolne", "read": "czytanie", "check": "sprawdzanie", "load": "zapis",
          "current state": "bieżący stan", "report": "raporty jakości"}  # how the progress bar names the stages


def ingest(paths: list[Path], options: IngestOptions,
           on_result: Callable[[LoadResult], None] | None = None) -> list[LoadResult]:
    """Ingest exports in order; return what happened to each.  Raises WarehouseError, and `Interrupted`
    (with what was loaded) on SIGINT/SIGTERM.

    Each chunk is written and its units' current state rebuilt before its results are reported,
    so a reader that fails (a closed pipe) never stops a load between write and rebuild."""
    results: list[LoadResult] = []
    try:
        with _signals_interrupt():
            con = open_for_writing(options.db)
            validator_box: list[GxValidator] = []  # the GX context: made once per call, only if something is validated
            try:
                _ingest_chunks(con, paths, options, validator_box, results, on_result)
            finally:
                con.close()
    except Interrupted as stop:
        stop.results, stop.total = results, len(paths)
        _finish_after_interruption(options.db)
        raise
    return results


def _ingest_chunks(con: duckdb.DuckDBPyConnection, paths: list[Path], options: IngestOptions,
                   validator_box: list[GxValidator], results: list[LoadResult],
                   on_result: Callable[[LoadResult], None] | None) -> None:
    """Ingest chunk after chunk, adding each chunk's results to `results` once it has committed."""
    chunks = _chunks(paths, options.chunk_rows)
    position = 1
    for number_, chunk in enumerate(chunks, start=1):
        options.chunk_label = f"porcja {number_}/{len(chunks)}" if len(chunks) > 1 else ""
        before = scalar(con, "SELECT coalesce(max(load_id), 0) FROM raw.loads")
        stopped: Interrupted | None = None
        try:
            chunk_results = _ingest_chunk(con, chunk, position, options, validator_box)
        except Interrupted as stop:  # the chunk in flight rolled back, unless it had committed just before
            stopped = stop
            chunk_results = committed_results(con, chunk, position, before)
        position += len(chunk)
        results += chunk_results
        if on_result:
            for result in chunk_results:
                on_result(result)
        if stopped is not None:
            raise stopped


def committed_results(con: duckdb.DuckDBPyConnection, chunk: list[Path], position: int, before: int) -> list[LoadResult]:
    """What of a chunk an interruption found committed (the load log after load id `before`), in order;
    the exports after the last committed one are left out (they were not loaded)."""
    rows = con.execute("SELECT load_id, file_name, outcome, row_counts FROM raw.loads WHERE load_id > $before ORDER BY load_id",
                       {"before": before}).fetchall()
    by_name = {name: (load_id, outcome, counts) for load_id, name, outcome, counts in rows}
    out: list[LoadResult] = []
    for n, path in enumerate(chunk, start=position):
        name = display_name(path, n)
        if name not in by_name:
            continue
        load_id, outcome, counts = by_name[name]
        out.append(LoadResult(name, outcome, load_id, [], [], json.loads(counts) if counts else None))
    return out


def _finish_after_interruption(db: Path) -> None:
    """Rebuild the current state of the units a committed chunk left stale, if the interruption came before
    that (a second Ctrl-C stops it too: then the next writer rebuilds, and readers wait for it)."""
    try:
        con = open_for_writing(db)
    except (WarehouseError, duckdb.Error, KeyboardInterrupt):
        return
    try:
        refresh_stale_units(con)
    except (duckdb.Error, KeyboardInterrupt):
        pass
    finally:
        con.close()


def _ingest_chunk(con: duckdb.DuckDBPyConnection, chunk: list[Path], position: int, options: IngestOptions,
                  validator_box: list[GxValidator]) -> list[LoadResult]:
    """Read, check, write one chunk and rebuild its units; return what happened to each export."""
    kept: dict[Path, bytes] = {}  # the small files' bytes, read once for their hash and their reading
    with options.timed("hash"):
        hashes = [content_hash(path, kept) for path in chunk]
        known = already_loaded(con, hashes)
    fresh = [(n, path, h) for n, (path, h) in enumerate(zip(chunk, hashes, strict=True), start=position) if h not in known]
    if fresh and not validator_box and options.gx_import is None and "great_expectations" not in sys.modules:
        from pipeline.checks.gx_runner import import_gx_in_background

        options.gx_import = import_gx_in_background()  # overlaps the reading; the check waits for it if it needs GX
    with options.timed("read"):
        exports = read_exports([p for _, p, _ in fresh], [h for _, _, h in fresh], positions=[n for n, _, _ in fresh],
                               kept=kept)
    kept.clear()
    verdicts = _check(exports, options, validator_box) if exports else []
    if not options.allow_shrink:
        for problem_of, v in zip(shrink_problems(con, [v.export for v in verdicts if v.accepted], SHRINK_SHARE),
                                 [v for v in verdicts if v.accepted], strict=True):
            if problem_of is not None:
                v.problems.append(problem_of)
    with options.timed("load"):
        written = _write(con, [Checked(v.export, v.problems, v.findings) for v in verdicts])
    with options.timed("current state"):
        _refresh(con)
    if options.reports is not None:
        with options.timed("report"):
            for verdict, result in zip(verdicts, written, strict=True):
                _report(options.reports, verdict, result)
    fresh_results = iter(written)
    return [LoadResult(display_name(path, n), "already loaded", known[h]) if h in known else next(fresh_results)
            for n, (path, h) in enumerate(zip(chunk, hashes, strict=True), start=position)]


def _report(directory: Path, verdict: Verdict, result: LoadResult) -> None:
    """Write an export's quality report; a failure (a full disk, a name the file system refuses) is noted on its
    result, never raised: the export is loaded (or rejected) already, and later chunks go on."""
    from pipeline.outputs.quality.report import write_quality_report

    try:
        write_quality_report(directory, verdict, result)
    except OSError as e:
        why = "brak miejsca na dysku" if e.errno == errno.ENOSPC else (
            "brak uprawnień" if isinstance(e, PermissionError) else type(e).__name__)
        result.report_error = f"raportu jakości nie zapisano w {directory} ({why})"


def _check(pending: list[ExportData], options: IngestOptions, validator_box: list[GxValidator]) -> list[Verdict]:
    """The gate's verdicts for a chunk (GX is imported only when an export gets that far)."""
    from pipeline.checks.gate import check_exports

    with options.timed("check"):
        if not validator_box and any(not e.problems for e in pending):
            if options.gx_import is not None:  # imported in the background while the chunk was read
                options.gx_import.join()
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
        return f"{status(result.outcome)}{result.name} (wczytany wcześniej, load {result.load_id}); nic nie zmieniono"
    if result.outcome == "rejected":
        problems = count(len(result.problems or []), "problem")
        lines = [f"{status(result.outcome)}{result.name}: eksport odrzucony, magazyn bez zmian ({problems})"]
        lines += [f"    - {p.describe()}" for p in result.problems or []]
        return "\n".join(lines)
    rows = sum((result.row_counts or {}).values())
    findings = result.findings or []
    line = f"{status(result.outcome)}{result.name}: load {result.load_id}, {count(rows, 'wiersz')}"
    if findings:
        line += f", {count(sum(f.count for f in findings), 'ustalenie')} do przejrzenia"
        line += "".join(f"\n    ! {f.describe()}" for f in findings)
    if result.report_error:
        line += f"\n    ! {result.report_error}"
    return line


def summary(results: list[LoadResult], total: int) -> str:
    """The closing line of a call: how many exports were loaded, already loaded before, rejected."""
    by = {o: sum(r.outcome == o for r in results) for o in ("loaded", "already loaded", "rejected")}
    line = (f"razem {count(total, 'eksport')}: wczytano {number(by['loaded'])}, wczytanych wcześniej "
            f"{number(by['already loaded'])}, odrzuconych {number(by['rejected'])}")
    if len(results) < total:
        line += f", nieprzetworzonych {number(total - len(results))}"
    return line


def interrupted_message(stop: Interrupted) -> str:
    """What an interrupted call says: what it loaded (all of it kept), what not, and how to load the rest."""
    loaded = sum(r.outcome == "loaded" for r in stop.results)
    before = sum(r.outcome == "already loaded" for r in stop.results)
    rejected = sum(r.outcome == "rejected" for r in stop.results)
    left = stop.total - len(stop.results)
    text = (f"przerwano: wczytano {count(loaded, 'eksport')} (zapisane w magazynie danych), "
            f"nie wczytano {count(left, 'eksport')} (porcję w toku wycofano)")
    if before or rejected:
        text += f"; wczytanych wcześniej {number(before)}, odrzuconych {number(rejected)}"
    if left:
        text += ("; uruchom to samo polecenie ponownie: wczytane eksporty zostaną rozpoznane "
                 "(„już wczytany”) i wczytane zostaną tylko pozostałe")
    return text


class IngestProgress:
    """Prints each export's line as its chunk commits; on a terminal, a progress bar (`pipeline.jobs.progress`)
    of exports done, rows, time elapsed and left.  Use as `on_result` (and `stage` as `on_stage`)."""

    def __init__(self, total: int, bar: bool | None = None) -> None:
        self.progress = Progress(total, "eksportów", bar=bar)

    def __call__(self, result: LoadResult) -> None:
        self.progress.line(describe(result))
        self.progress.advance(1, sum((result.row_counts or {}).values()) if result.outcome == "loaded" else 0)

    def stage(self, text: str) -> None:
        self.progress.stage(text)

    def line(self, text: str) -> None:
        self.progress.line(text)

    def close(self) -> None:
        self.progress.close()

    def __enter__(self) -> IngestProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
