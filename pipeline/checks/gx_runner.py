"""Run the committed Great Expectations suites over staged frames.

GX is imported here only, lazily: commands that do not validate never pay
its import time.  Results are sanitised before anything keeps them: only
counts and (export, row) positions survive, never a cell's value.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import threading
import types
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.checks.deferred_imports import deferred
from pipeline.checks.rules import CASELOAD_LIMIT_PARAMETER, SUITE_TABLES
from pipeline.config import EXPECTATIONS_DIR, InstallationError
from pipeline.read.batch import EXPORT, ROW

_KEPT_RESULT_KEYS = ("element_count", "unexpected_count", "unexpected_percent", "missing_count")


@dataclass
class RuleOutcome:
    """One expectation's verdict over the staged frames of a call."""

    code: str
    table: str
    columns: list[str]
    message: str
    severity: str
    success: bool
    rows_by_export: dict[int, list[int]] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)


def load_suites(directory: Path | None = None) -> dict[str, dict]:
    """The suites as JSON (expectations/ unless told), by table name: one for every table of the contract, or an
    InstallationError (a table without its suite would be loaded unchecked)."""
    directory = EXPECTATIONS_DIR if directory is None else directory
    missing = [t for t in SUITE_TABLES if not (directory / f"{t}.json").is_file()]
    damaged = []
    suites = {}
    for table in (t for t in SUITE_TABLES if t not in missing):
        try:
            suites[table] = json.loads((directory / f"{table}.json").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            damaged.append(table)
    if missing or damaged:
        what = "; ".join(part for part in (
            missing and "brak plików " + ", ".join(f"{t}.json" for t in missing),
            damaged and "nieczytelne pliki " + ", ".join(f"{t}.json" for t in damaged)) if part)
        raise InstallationError(
            f"nie można sprawdzić eksportów: w folderze reguł Great Expectations {directory} {what}. Bez nich tabele "
            "zostałyby wczytane niesprawdzone, więc nic nie wczytano. Przywróć folder expectations/ z repozytorium "
            "(git checkout -- expectations) albo odtwórz reguły z kodu: python -m pipeline suites --write")
    return suites


def _sanitise(result: dict[str, Any]) -> dict[str, Any]:
    clean = {k: result[k] for k in _KEPT_RESULT_KEYS if k in result}
    clean["unexpected_index_list"] = [
        {EXPORT: int(i[EXPORT]), ROW: int(i[ROW])} for i in result.get("unexpected_index_list") or [] if isinstance(i, dict)
    ]
    return clean


_IMPORT_LOCK = threading.Lock()


def import_great_expectations() -> types.ModuleType:
    """Import GX (once; thread-safe), without the modules only unused expectations need (`deferred_imports`)."""
    with _IMPORT_LOCK:
        if "great_expectations" not in sys.modules:
            with deferred():
                import great_expectations  # noqa: F401
        return sys.modules["great_expectations"]


def _no_batch_fingerprint() -> None:
    """GX's pandas engine hashes every row of a batch for a fingerprint kept only as the batch's marker (which
    nothing here reads): 2-3 s per 2 M rows.  Its module-level threshold (frames of at most 1e9 bytes are hashed)
    is set to 0, so no batch is hashed; the validation itself is the same."""
    from great_expectations.execution_engine import pandas_execution_engine

    if hasattr(pandas_execution_engine, "HASH_THRESHOLD"):
        pandas_execution_engine.HASH_THRESHOLD = 0


def import_gx_in_background() -> threading.Thread:
    """Start importing Great Expectations (5-8 s of Python) in a thread of its own, so that it overlaps the reading
    of the exports (mostly polars and file reads, which let the thread run); `GxValidator()` then finds it imported.
    A failure is left for `GxValidator()` to raise in the caller's thread."""

    def load() -> None:
        warnings.filterwarnings("ignore", module="great_expectations")
        with contextlib.suppress(Exception):  # raised again, where it is reported, by GxValidator()
            import_great_expectations()

    thread = threading.Thread(target=load, name="import-great-expectations", daemon=True)
    thread.start()
    return thread


class GxValidator:
    """An ephemeral GX context with one pandas dataframe asset, reused for every table."""

    def __init__(self) -> None:
        warnings.filterwarnings("ignore", module="great_expectations")
        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        gx = import_great_expectations()
        from great_expectations.data_context.types.base import ProgressBarsConfig

        _no_batch_fingerprint()
        self._gx = gx
        self._context = gx.get_context(mode="ephemeral")
        self._context.variables.progress_bars = ProgressBarsConfig(globally=False)
        asset = self._context.data_sources.add_pandas("staged").add_dataframe_asset("table")
        self._batch = asset.add_batch_definition_whole_dataframe("whole")

    def validate(self, suite: dict, frame: pl.DataFrame, caseload_limit: int) -> list[RuleOutcome]:
        """Validate one table's staged frame with its suite."""
        gx_suite = self._gx.ExpectationSuite(**{k: v for k, v in suite.items() if k != "meta"})
        batch = self._batch.get_batch(batch_parameters={"dataframe": frame.to_pandas()})
        result_format = {
            "result_format": "COMPLETE",
            "unexpected_index_column_names": [EXPORT, ROW],
            "partial_unexpected_count": 0,
            "return_unexpected_index_query": False,
        }
        validation = batch.validate(
            gx_suite, expectation_parameters={CASELOAD_LIMIT_PARAMETER: caseload_limit}, result_format=result_format
        )
        outcomes = []
        for r in validation.results:
            meta = r.expectation_config.meta or {}
            raised = bool(r.exception_info and r.exception_info.get("raised_exception"))
            clean = _sanitise(r.result or {})
            rows: dict[int, list[int]] = {}
            for i in clean["unexpected_index_list"]:
                rows.setdefault(i[EXPORT], []).append(i[ROW])
            outcomes.append(
                RuleOutcome(
                    code=meta["code"], table=meta["table"], columns=meta["columns"],
                    message=meta["message"] if not raised else f"nie udało się sprawdzić reguły: {meta['message']}",
                    severity=str(getattr(r.expectation_config.severity, "value", r.expectation_config.severity)),
                    success=bool(r.success) and not raised, rows_by_export=rows,
                    result=clean | {"raised_exception": raised},
                )
            )
        return outcomes
