"""The temporary folder where members are copied as UTF-8 to be parsed (`pipeline-read-<pid>-*`).

The copies may hold the very personal data that rejects an export, so the folder is removed on
every way out: a return, an exception, and SIGTERM/SIGINT (turned into an exception by the
ingest job, see `pipeline.jobs.ingest`, and elsewhere, e.g. `validate`, by `spool_folder` itself).
Only `kill -9` or a power cut can leave one behind: the folders of processes that no longer run are removed when the next one starts.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = "pipeline-read-"
_OURS = re.compile(rf"^{PREFIX}(\d+)-")
LEGACY_AGE_SECONDS = 24 * 3600  # a folder of an older version (no process id in its name) is removed after a day


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale_spools(root: Path | None = None) -> list[Path]:
    """Remove the spool folders left by processes that no longer run; return them."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    try:
        entries = list(root.glob(PREFIX + "*"))
    except OSError:
        return removed
    for entry in entries:
        if not entry.is_dir() or entry.is_symlink():
            continue
        match = _OURS.match(entry.name)
        try:
            stale = (not _alive(int(match.group(1)))) if match else time.time() - entry.stat().st_mtime > LEGACY_AGE_SECONDS
        except OSError:
            continue
        if stale:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # the command line says "przerwano" and exits 130; the `with` blocks clean up first


@contextmanager
def _term_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt while the folder exists, unless someone (the ingest job) already handles it."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def spool_folder() -> Iterator[Path]:
    """A fresh spool folder for one read, removed on the way out (stale ones of dead processes first)."""
    remove_stale_spools()
    with _term_as_interrupt(), tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-") as spool:
        yield Path(spool)
