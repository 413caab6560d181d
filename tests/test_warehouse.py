"""Merge rules, atomic loads, concurrent writers and the ingest command's contract."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import episode, family, meta, write
from conftest import snapshot

from pipeline.warehouse.connection import WarehouseError, connect

ROOT = Path(__file__).resolve().parents[1]


def current(db: Path, table: str = "asystentury", column: str = "przyczyna_zakonczenia") -> dict:
    con = connect(db, read_only=True)
    try:
        key = {"asystentury": "id_asystentury", "rodziny": "id_rodziny"}[table]
        return {(u, k): v for u, k, v in con.execute(f"SELECT jednostka, {key}, {column} FROM core.{table}").fetchall()}
    finally:
        con.close()


def export(tmp_path: Path, name: str, reason: str, exported: str, zakres: str = "okresowy", episodes=("E1",),
           unit: str = "1603011") -> Path:
    rows = {
        "rodziny": [family(f"R{e}") for e in episodes],
        "asystentury": [episode(e, f"R{e}", "2023-01-01", "2024-06-30", reason, monitoring="2024-09-30") for e in episodes],
    }
    return write(tmp_path / name, rows, meta(exported=exported, zakres=zakres, unit=unit))


def test_latest_export_date_wins_whatever_the_load_order(tmp_path, db, ingest_paths):
    newer = export(tmp_path, "newer", "osiągnięcie celów", "2025-03-01")
    older = export(tmp_path, "older", "inna", "2025-01-15")
    ingest_paths(newer, older)
    assert current(db) == {("1603011", "E1"): "osiągnięcie celów"}


def test_same_export_date_later_load_wins(tmp_path, db, ingest_paths):
    first = export(tmp_path, "first", "inna", "2025-01-15")
    second = export(tmp_path, "second", "brak efektów", "2025-01-15")
    ingest_paths(first)
    ingest_paths(second)
    assert current(db) == {("1603011", "E1"): "brak efektów"}


def test_full_export_removes_what_it_does_not_hold_and_older_cannot_bring_it_back(tmp_path, db, ingest_paths):
    early = export(tmp_path, "early", "inna", "2025-01-15", episodes=("E1", "E2"))
    full = export(tmp_path, "full", "inna", "2025-02-01", zakres="pełny", episodes=("E1",))
    old_again = export(tmp_path, "old_again", "brak efektów", "2025-01-20", episodes=("E1", "E2"))
    later = export(tmp_path, "later", "osiągnięcie celów", "2025-03-01", episodes=("E3",))
    ingest_paths(early, full, allow_shrink=True)  # the full export removes half of the call's records: meant here
    assert set(current(db)) == {("1603011", "E1")}
    ingest_paths(old_again)                    # older than the full export: neither E2 nor its version of E1 count
    assert current(db) == {("1603011", "E1"): "inna"}
    ingest_paths(later)                        # later than the full export: E3 counts
    assert set(current(db)) == {("1603011", "E1"), ("1603011", "E3")}
    assert set(current(db, "rodziny", "typ_rodziny")) == {("1603011", "RE1"), ("1603011", "RE3")}


def test_full_export_of_one_unit_leaves_other_units_alone(tmp_path, db, ingest_paths):
    other = export(tmp_path, "other", "inna", "2025-01-15", episodes=("E9",), unit="0201011")
    mine = export(tmp_path, "mine", "inna", "2025-01-15", episodes=("E1",))
    full = export(tmp_path, "full", "inna", "2025-02-01", zakres="pełny", episodes=("E2",))
    ingest_paths(other, mine, full, allow_shrink=True)  # the full export replaces all the call brought: meant here
    assert set(current(db)) == {("0201011", "E9"), ("1603011", "E2")}
    later = export(tmp_path, "later", "brak efektów", "2025-03-01", episodes=("E2",))
    ingest_paths(later)                        # only this unit is rebuilt; the other keeps its state
    assert current(db) == {("0201011", "E9"): "inna", ("1603011", "E2"): "brak efektów"}


def test_same_ids_in_two_units_live_side_by_side(tmp_path, db, ingest_paths):
    a = export(tmp_path, "a", "inna", "2025-01-15", unit="1603011")
    b = export(tmp_path, "b", "brak efektów", "2025-01-15", unit="0201011")
    ingest_paths(a, b)
    assert current(db) == {("1603011", "E1"): "inna", ("0201011", "E1"): "brak efektów"}


def test_loading_the_same_file_again_changes_nothing_and_says_so(tmp_path, db, ingest_paths):
    path = export(tmp_path, "x", "inna", "2025-01-15")
    assert [r.outcome for r in ingest_paths(path)] == ["loaded"]
    before = snapshot(db)
    assert [r.outcome for r in ingest_paths(path, path)] == ["already loaded", "already loaded"]
    assert snapshot(db) == before


def test_rejected_export_leaves_only_a_log_line(tmp_path, db, ingest_paths):
    good = export(tmp_path, "good", "inna", "2025-01-15")
    ingest_paths(good)
    before = snapshot(db)
    bad = export(tmp_path, "bad", "inna", "2025-01-15", episodes=("E2",))
    (bad / "asystentury.csv").write_text((bad / "asystentury.csv").read_text().replace("2023-01-01", "2026-01-01"))
    results = ingest_paths(bad)
    assert results[0].outcome == "rejected"
    after = snapshot(db)
    assert {t: v for t, v in after.items() if t != "raw.loads"} == {t: v for t, v in before.items() if t != "raw.loads"}
    assert len(after["raw.loads"]) == len(before["raw.loads"]) + 1 and "'rejected'" in after["raw.loads"][-1]


def test_failure_midway_rolls_the_load_back(tmp_path, db, ingest_paths, monkeypatch):
    ingest_paths(export(tmp_path, "first", "inna", "2025-01-15"))
    before = snapshot(db)
    import pipeline.warehouse.load as load

    def boom(*args):
        raise KeyboardInterrupt  # Ctrl-C after the raw rows of the export were inserted

    monkeypatch.setattr(load, "_insert_findings", boom)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(export(tmp_path, "second", "brak efektów", "2025-02-01", episodes=("E1", "E2")))
    assert snapshot(db) == before


def test_interrupted_current_state_rebuild_is_refused_by_readers_and_finished_by_the_next_writer(
        tmp_path, db, ingest_paths, monkeypatch):
    ingest_paths(export(tmp_path, "first", "inna", "2025-01-15"))
    import pipeline.warehouse.recovery as recovery

    real = recovery.refresh_current_state

    def boom(*args):
        raise KeyboardInterrupt  # Ctrl-C while the current state is being rebuilt

    monkeypatch.setattr(recovery, "refresh_current_state", boom)
    second = export(tmp_path, "second", "brak efektów", "2025-02-01", episodes=("E1", "E2"))
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(second)
    with pytest.raises(WarehouseError, match="nie został odświeżony"):
        connect(db, read_only=True)
    monkeypatch.setattr(recovery, "refresh_current_state", real)
    assert [r.outcome for r in ingest_paths(second)] == ["already loaded"]   # the export itself was loaded whole
    assert current(db) == {("1603011", "E1"): "brak efektów", ("1603011", "E2"): "brak efektów"}


def _cli(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _hooked(where: str, marker: Path, *args: str) -> subprocess.Popen:
    """The command line with a pause inside a write transaction (see tests/fault_hook.py)."""
    return subprocess.Popen([sys.executable, str(Path(__file__).with_name("fault_hook.py")), where, str(marker), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_killed_in_the_middle_of_a_load_then_the_next_load_works(tmp_path, db):
    first = export(tmp_path, "first", "inna", "2025-01-15")
    assert _cli("ingest", str(first), "--db", str(db)).wait(timeout=120) == 0
    before = snapshot(db)
    second = export(tmp_path, "second", "brak efektów", "2025-02-01", episodes=("E1", "E2"))
    marker = tmp_path / "inside-load"
    proc = _hooked("load", marker, "ingest", str(second), "--db", str(db))
    deadline = time.monotonic() + 90
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists(), proc.stderr.read() if proc.poll() is not None else "load never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert snapshot(db) == before
    assert _cli("ingest", str(second), "--db", str(db)).wait(timeout=120) == 0
    assert set(current(db)) == {("1603011", "E1"), ("1603011", "E2")}


def test_killed_while_rebuilding_the_current_state(tmp_path, db):
    first = export(tmp_path, "first", "inna", "2025-01-15")
    second = export(tmp_path, "second", "brak efektów", "2025-02-01", episodes=("E1", "E2"))
    marker = tmp_path / "inside-refresh"
    proc = _hooked("refresh", marker, "ingest", str(first), str(second), "--db", str(db))
    deadline = time.monotonic() + 90
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    out = _cli("indicators", "--year", "2024", "--db", str(db))
    _, err = out.communicate(timeout=60)
    assert out.returncode == 1 and "nie został odświeżony" in err and "Traceback" not in err
    assert _cli("ingest", str(second), "--db", str(db)).wait(timeout=120) == 0   # already loaded; repairs the state
    assert current(db) == {("1603011", "E1"): "brak efektów", ("1603011", "E2"): "brak efektów"}


def test_a_second_writer_waits_then_fails_clearly(db):
    connect(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(WarehouseError, match="używany przez inny proces"):
            connect(db, wait=1.0)
        assert time.monotonic() - started >= 1.0
    finally:
        holder.kill()
        holder.wait()
    connect(db).close()  # and once the other process is gone, it opens


def test_two_ingests_at_once_both_end_well(tmp_path, db):
    a = export(tmp_path, "a", "inna", "2025-01-15", episodes=("E1",))
    b = export(tmp_path, "b", "inna", "2025-01-15", episodes=("E2",), unit="0201011")
    procs = [_cli("ingest", str(p), "--db", str(db)) for p in (a, b)]
    codes = [p.wait(timeout=180) for p in procs]
    errors = [p.stderr.read() for p in procs]
    # each either loaded, or waited and then failed with the clear message; the warehouse is consistent
    for code, err in zip(codes, errors, strict=True):
        assert code == 0 or (code == 1 and "używany przez inny proces" in err), err
        assert "Traceback" not in err
    loaded = set(current(db))
    assert loaded == {k for k, c in zip([("1603011", "E1"), ("0201011", "E2")], codes, strict=True) if c == 0}


def test_ingest_exit_codes_and_lines(tmp_path, db):
    good = export(tmp_path, "good", "inna", "2025-01-15")
    bad = export(tmp_path, "bad", "inna", "2025-01-15", episodes=("E2",))
    (bad / "rodziny.csv").write_text("id_rodziny;typ_rodziny;liczba_osob;wielodzietna;pesel\n")
    proc = _cli("ingest", str(good), str(bad), "--db", str(db), "--reports", str(tmp_path / "rep"))
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 1, err
    lines = [line for line in out.splitlines() if not line.startswith(" ")]  # findings and reasons are indented
    assert lines[0].startswith("wczytano") and "good" in lines[0]
    assert lines[1].startswith("odrzucono") and "bad" in lines[1]
    assert "[STR-020] plik rodziny.csv, tabela rodziny" in out
    proc = _cli("ingest", str(good), "--db", str(db))
    out, _ = proc.communicate(timeout=180)
    assert proc.returncode == 0 and out.startswith("już wczytany")
    proc = _cli("ingest", str(tmp_path / "no-such-export"), "--db", str(db))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "nie ma takiej ścieżki" in err
    proc = _cli("ingest", str(good), "--no-such-flag")
    assert proc.wait(timeout=60) == 2


def test_unwritable_warehouse_folder_is_a_clear_error(tmp_path):
    if os.geteuid() == 0:
        target = Path("/proc/no-such-dir/warehouse.duckdb")  # root can write anywhere else
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        target = locked / "sub" / "warehouse.duckdb"
    with pytest.raises(WarehouseError, match="nie można"):
        connect(target)


def test_indicators_on_a_missing_warehouse_is_a_clear_error(tmp_path):
    proc = _cli("indicators", "--year", "2024", "--db", str(tmp_path / "none.duckdb"))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and "nie istnieje" in err and "Traceback" not in err


def test_lines_come_in_the_order_given(tmp_path, db, ingest_paths):
    a = export(tmp_path, "a", "inna", "2025-01-15", episodes=("E1",))
    b = export(tmp_path, "b", "inna", "2025-01-16", episodes=("E2",))
    ingest_paths(b)
    assert [(r.name, r.outcome) for r in ingest_paths(a, b)] == [("a", "loaded"), ("b", "already loaded")]


def test_one_call_with_a_copy_a_rejected_and_two_good_exports(tmp_path, db, ingest_paths):
    import shutil

    a = export(tmp_path, "a", "inna", "2025-01-15", episodes=("E1",))
    copy = tmp_path / "a_kopia"
    shutil.copytree(a, copy)  # same content under another name
    bad = export(tmp_path, "bad", "inna", "2025-01-15", episodes=("E3",))
    (bad / "asystentury.csv").write_text((bad / "asystentury.csv").read_text().replace("2023-01-01", "2026-01-01"))
    b = export(tmp_path, "b", "brak efektów", "2025-01-16", episodes=("E2",))
    results = ingest_paths(a, copy, bad, b)
    assert [(r.name, r.outcome, r.load_id) for r in results] == [
        ("a", "loaded", 1), ("a_kopia", "already loaded", 1), ("bad", "rejected", 2), ("b", "loaded", 3)]
    assert current(db) == {("1603011", "E1"): "inna", ("1603011", "E2"): "brak efektów"}


def test_a_failure_while_writing_a_batch_leaves_none_of_it(tmp_path, db, ingest_paths, monkeypatch):
    ingest_paths(export(tmp_path, "first", "inna", "2025-01-15"))
    before = snapshot(db)
    import pipeline.warehouse.load as load

    def boom(*args):
        raise KeyboardInterrupt  # Ctrl-C after the raw rows of both exports were inserted

    monkeypatch.setattr(load, "_insert_findings", boom)
    later = [export(tmp_path, name, "brak efektów", day, episodes=("E1", "E2")) for name, day in
             (("second", "2025-02-01"), ("third", "2025-03-01"))]
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(*later)
    assert snapshot(db) == before
    monkeypatch.undo()
    assert [r.outcome for r in ingest_paths(*later)] == ["loaded", "loaded"]
