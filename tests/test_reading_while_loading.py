"""Readers never hold the warehouse: an idle notebook kernel never blocks a load, readers and a load interleave.

Real parts: a DuckDB file on disk, `python -m pipeline ingest` through the whole gate in a subprocess,
a real IPython kernel (jupyter_client) running a notebook's opening cells, `indicators` subprocesses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from builders import episode, family, meta, write

from pipeline.config import DB_ENV, NOTEBOOK_DIR
from pipeline.warehouse.connection import (
    READER_GAVE_UP,
    WRITER_GAVE_UP,
    WarehouseError,
    connect,
    describe_holder,
    holder_kind,
    open_for_writing,
)

ROOT = Path(__file__).resolve().parents[1]


def export(tmp_path: Path, name: str, episodes: tuple[str, ...], exported: str = "2025-01-15") -> Path:
    """An export of one family per episode, each supported through 2024 (so every one counts in 2024)."""
    rows = {
        "rodziny": [family(f"R{e}") for e in episodes],
        "asystentury": [episode(e, f"R{e}", "2023-01-01", "2024-06-30", "inna", monitoring="2024-09-30") for e in episodes],
    }
    return write(tmp_path / name, rows, meta(exported=exported))


def _cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _families(db: Path) -> int:
    con = connect(db, read_only=True)
    try:
        return con.execute("SELECT count(DISTINCT id_rodziny) FROM core.rodziny").fetchone()[0]
    finally:
        con.close()


# --- what holds the file, told from its command line -------------------------------------------------

@pytest.mark.parametrize(("args", "kind"), [
    (["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "/run/kernel-1.json"], "kernel"),
    (["python", "-m", "pipeline", "ingest", "data/x.zip"], "load"),
    (["python", "-m", "pipeline", "run"], "load"),
    (["python", "-m", "pipeline", "demo"], "load"),
    (["python", "-m", "pipeline", "indicators", "--year", "2024"], "reader"),
    (["python", "-m", "pipeline", "report", "--year", "2024"], "reader"),
    (["python", "-m", "pipeline"], "reader"),
    (["duckdb", "warehouse.duckdb"], "other"),
    ([], "other"),
])
def test_holder_kind_from_the_command_line(args, kind):
    assert holder_kind(args) == kind


def test_a_lock_error_without_a_pid_names_every_possible_holder():
    holder, todo = describe_holder(Exception("Could not set lock on file: Conflicting lock is held"))
    assert "wczytywanie" in holder and "notatnika" in holder and "odczyt" in holder
    assert "spróbuj ponownie" in todo


def test_a_writer_that_gives_up_on_another_program_says_so_in_one_coded_line(tmp_path):
    db = tmp_path / "w.duckdb"
    open_for_writing(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}, read_only=True); "
                               "print('held', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseError) as e:
            connect(db, wait=0.5)
    finally:
        holder.kill()
        holder.wait()
    message = str(e.value)
    assert message.startswith(f"{WRITER_GAVE_UP}: ") and "\n" not in message
    assert f"PID {holder.pid}" in message and "magazyn pozostał bez zmian" in message and "con.close()" in message


def test_a_reader_that_meets_a_writer_waits_then_gives_up_with_its_code(tmp_path, capfd):
    db = tmp_path / "r.duckdb"
    open_for_writing(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); "
                               "time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(WarehouseError, match=f"^{READER_GAVE_UP}: .*odczyt czekał 2 s"):
            connect(db, read_only=True, wait=2.0)
        assert time.monotonic() - started >= 2.0
    finally:
        holder.kill()
        holder.wait()
    assert "czekam na magazyn danych" in capfd.readouterr().err  # it said once that it waits
    connect(db, read_only=True).close()


def test_a_reader_waits_for_a_load_that_ends_within_its_wait(tmp_path):
    db = tmp_path / "r.duckdb"
    open_for_writing(db).close()
    release = tmp_path / "release"
    holder = subprocess.Popen(  # lets go of the warehouse once `release` exists (not after a sleep: no race)
        [sys.executable, "-c", f"import duckdb, os, time; c = duckdb.connect({str(db)!r}); print('held', flush=True)\n"
                               f"while not os.path.exists({str(release)!r}): time.sleep(0.05)\n"
                               "c.close(); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        timer = threading.Timer(1.0, release.touch)  # the writer lets go 1 s after the reader starts waiting
        timer.start()
        connect(db, read_only=True, wait=30).close()  # the reader opens then
        timer.join()
        assert time.monotonic() - started >= 1.0
    finally:
        holder.kill()
        holder.wait()


# --- a notebook kernel left idle ----------------------------------------------------------------------

def _code_cells(name: str, count: int) -> list[str]:
    import jupytext

    nb = jupytext.read(NOTEBOOK_DIR / f"{name}.py")
    return [c.source for c in nb.cells if c.cell_type == "code"][:count]


class Kernel:
    """A real IPython kernel in notebooks/ (as JupyterLab starts it); `run` executes a cell and returns its stdout."""

    def __init__(self, env: dict[str, str]) -> None:
        from jupyter_client import KernelManager

        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(cwd=str(NOTEBOOK_DIR), env=env)
        self.client = self.km.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(self, code: str, timeout: float = 120) -> str:
        out: list[str] = []
        errors: list[str] = []

        def keep(msg: dict) -> None:
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

        reply = self.client.execute_interactive(code, timeout=timeout, output_hook=keep)
        assert reply["content"]["status"] == "ok", errors
        return "".join(out)

    def start(self, code: str) -> None:
        self.client.execute(code)

    def stop(self) -> None:
        self.client.stop_channels()
        self.km.shutdown_kernel(now=True)


@pytest.fixture
def kernel(tmp_path, ingest_paths, db):
    ingest_paths(export(tmp_path, "first", ("E1",)))
    env = {**os.environ, DB_ENV: str(db), "PYTHONPATH": str(ROOT)}
    k = Kernel(env)
    yield k
    k.stop()


def test_an_idle_kernel_never_blocks_a_load_and_its_next_cell_sees_the_new_data(tmp_path, db, kernel):
    for source in _code_cells("02_informacja_roczna", 3):  # parameters, the opening (open_notebook), the imports
        kernel.run(source)
    assert kernel.run("print(year, con.is_open)").split() == ["2024", "False"]  # between cells the file is free
    before = kernel.run("print(registry.compute(con, year)['families_supported'])")
    assert before.strip() == "1"

    load = _cli("ingest", str(export(tmp_path, "second", ("E2", "E3"), exported="2025-02-01")), "--db", str(db),
                "--reports", str(tmp_path / "reports"))
    _, err = load.communicate(timeout=300)
    assert load.returncode == 0, err
    assert "czekam na magazyn danych" not in err  # nothing held the file: the load did not even wait

    after = kernel.run("print(registry.compute(con, year)['families_supported'], len(notebook_tables.loads(con)))")
    assert after.split() == ["3", "2"]


def test_a_kernel_in_the_middle_of_a_cell_is_named_when_a_load_gives_up(db, kernel):
    for source in _code_cells("02_informacja_roczna", 2):
        kernel.run(source)
    kernel.start("import time\ncon.execute('SELECT 1').fetchall()\nprint('reading', flush=True)\ntime.sleep(20)")
    deadline = time.monotonic() + 30
    while True:  # until the cell holds the file
        try:
            connect(db, wait=0).close()
        except WarehouseError as e:
            message = str(e)
            break
        assert time.monotonic() < deadline, "the cell never opened the warehouse"
        time.sleep(0.2)
    assert message.startswith(f"{WRITER_GAVE_UP}: ") and "jądro notatnika JupyterLab" in message
    assert "Kernel → Interrupt Kernel" in message
    kernel.km.interrupt_kernel()


# --- readers and one writer interleaved ---------------------------------------------------------------

def test_readers_and_a_load_interleaved_no_reader_fails_none_sees_half_a_load(tmp_path, db, ingest_paths):
    ingest_paths(export(tmp_path, "first", ("E1",)))
    assert _families(db) == 1
    # one call, three exports, two chunks' worth of families: readers must see 1 or 6 families, never 3 or 5
    exports = [export(tmp_path, "b", ("E2", "E3"), "2025-02-01"), export(tmp_path, "c", ("E4",), "2025-02-02"),
               export(tmp_path, "d", ("E5", "E6"), "2025-02-03")]
    load = _cli("ingest", *map(str, exports), "--db", str(db), "--reports", str(tmp_path / "reports"))
    seen: list[int] = []
    after_load = 0
    while after_load < 2:  # readers until the load has ended, and two more after it
        if load.poll() is not None:
            after_load += 1
        reader = _cli("indicators", "--year", "2024", "--format", "json", "--db", str(db))
        out, err = reader.communicate(timeout=400)
        assert reader.returncode == 0 and "Traceback" not in err, err
        seen.append(json.loads(out)["indicators"]["families_supported"])
    _, load_err = load.communicate(timeout=300)
    assert load.returncode == 0, load_err
    assert set(seen) <= {1, 6} and seen[-1] == 6, seen
    assert seen == sorted(seen)  # once a reader saw the load, no later one sees the state before it
    assert len(seen) >= 3, seen  # at least one reader ran while the load did (each one either waited or went first)
