"""Ingest exports: read, check, load, report — each export on its own and atomically.

Exports are processed in the order given, in chunks: the files of a chunk
are parsed one by one, then typed, checked (one GX run per table) and written
(one transaction) together, and the units they touched get their current
state rebuilt.  A rejected export leaves only a load-log line.
"""

from __future__ import annotations

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
from pipeline.read.export import ExportData, read_exports
from pipeline.warehouse.connection import WarehouseError, open_for_writing
from pipeline.warehouse.load import Checked, LoadResult, already_loaded, write_batch
from pipeline.warehouse.recovery import refresh_stale_units

CHUNK_ROWS = 2_000_000


@dataclass
class IngestOptions:
    """Where and how to ingest."""

    db: Path
    reports: Path | None = None
    caseload_limit: int = DEFAULT_CASELOAD_LIMIT
    chunk_rows: int = CHUNK_ROWS
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


def ingest(paths: list[Path], options: IngestOptions,
           on_result: Callable[[LoadResult], None] | None = None) -> list[LoadResult]:
    """Ingest exports in order; return what happened to each.  Raises WarehouseError."""
    results: list[LoadResult] = []
    con = open_for_writing(options.db)
    validator_box: list[GxValidator] = []  # the GX context: made once per call, only if something is validated
    try:
        for chunk in _chunks(paths, options.chunk_rows):
            with options.timed("hash"):
                hashes = [content_hash(path) for path in chunk]
                known = already_loaded(con, hashes)
            fresh = [(path, h) for path, h in zip(chunk, hashes, strict=True) if h not in known]
            with options.timed("read"):
                exports = read_exports([path for path, _ in fresh], [h for _, h in fresh])
            verdicts = _check(exports, options, validator_box) if exports else []
            with options.timed("load"):
                written = _write(con, [Checked(v.export, v.problems, v.findings) for v in verdicts])
            if options.reports is not None:
                from pipeline.outputs.quality_report import write_quality_report

                with options.timed("report"):
                    for verdict, result in zip(verdicts, written, strict=True):
                        write_quality_report(options.reports, verdict, result)
            fresh_results = iter(written)
            for path, h in zip(chunk, hashes, strict=True):
                result = LoadResult(path.name, "already loaded", known[h]) if h in known else next(fresh_results)
                results.append(result)
                if on_result:
                    on_result(result)
            with options.timed("current state"):
                _refresh(con)
    finally:
        con.close()
    return results


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
    """Print each result; on a terminal with several exports, show a counter too."""
    done = 0
    tty = sys.stdout.isatty() and total > 1

    def show(result: LoadResult) -> None:
        nonlocal done
        done += 1
        prefix = f"[{done}/{total}] " if tty else ""
        print(prefix + describe(result), flush=True)

    return show
