"""Hostile and clumsy inputs (issue 18): each is a coded rejection or a plain exit 2, never a traceback,
never an echo of the value that was scanned, and the good export of the same call still loads."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest
from builders import load_outcomes, meta, small_case, write

from pipeline.grammar import number
from pipeline.synth.writer import Dialect

ROOT = Path(__file__).resolve().parents[1]
GOOD_ROWS = sum(len(v) for v in small_case().values()) + 1  # the tables and the metadata row of okres_do


def _header(path: Path, table: str) -> bytes:
    return (path / f"{table}.csv").read_bytes().split(b"\n", 1)[0] + b"\n"


def _outputs(db: Path, reports: Path, *texts: str) -> str:
    """Everything the call left for a person to read: terminal, load log, quality reports."""
    parts = list(texts)
    if db.exists():
        con = duckdb.connect(str(db), read_only=True)
        try:
            parts += [repr(r) for r in con.execute("SELECT * FROM raw.loads").fetchall()]
        finally:
            con.close()
    parts += [p.name for p in reports.rglob("*")]
    parts += [p.read_text(encoding="utf-8", errors="replace") for p in reports.rglob("*") if p.is_file()]
    return "\n".join(parts)


def _without_hashes_and_times(text: str) -> str:
    """The text with hex content hashes and the load log's timestamps blanked (a hash or a microsecond count holds
    any four digits now and then: they are not an echo of personal data)."""
    text = re.sub(r"[0-9a-f]{32,}", "<skrót>", text)
    return re.sub(r"datetime\.datetime\([0-9, ]+\)", "<czas>", text)


@pytest.fixture
def good(tmp_path) -> Path:
    return write(tmp_path / "dobry_eksport")


def _ingest(cli, tmp_path: Path, *paths: Path, extra: tuple[str, ...] = ()) -> tuple[int, str, str, Path, Path]:
    db, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    code, out, err = cli("ingest", *map(str, paths), "--db", str(db), "--reports", str(reports), *extra)
    return code, out, err, db, reports


# --- resources ---------------------------------------------------------------------------------------

_CAPPED = """
import resource, sys
cap = 4 << 30
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from pipeline.cli import main
from pipeline.grammar import number
from pipeline.synth.writer import Dialect
sys.exit(main(sys.argv[1:]))
"""


def test_blank_lines_and_a_zip_bomb_are_rejected_within_a_capped_address_space(tmp_path, good):
    """A folder CSV of 20 MiB of blank lines (13 GB before) and a zip whose member is 64 MiB of newlines
    (a bomb by its ratio) are rejected under a 4 GiB address-space limit; the good export loads."""
    blank = write(tmp_path / "puste_wiersze")
    (blank / "oceny.csv").write_bytes(_header(blank, "oceny") + b"\n" * (20 << 20))
    bomb = tmp_path / "bomba.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(good.iterdir()):
            if f.name == "oceny.csv":
                with zf.open(f.name, "w") as m:
                    m.write(_header(good, "oceny"))
                    for _ in range(64):
                        m.write(b"\n" * (1 << 20))
            else:
                zf.write(f, f.name)
    db, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", _CAPPED, "ingest", str(blank), str(bomb), str(good), "--db", str(db),
                             "--reports", str(reports)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env=os.environ | {"PYTHONPATH": str(ROOT)})
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1, stderr[-2000:]
    assert "Traceback" not in stderr
    assert "[STR-016]" in stdout and f"głównie z pustych wierszy ({number(20 << 20)} pustych, 0 z danymi)" in stdout
    assert "[STR-005]" in stdout and "skompresowany ponad 200:1" in stdout
    assert load_outcomes(db) == {"puste_wiersze": "rejected", "bomba.zip": "rejected", "dobry_eksport": "loaded"}
    assert time.monotonic() - started < 240
    assert not list(Path("/tmp").glob(f"pipeline-read-{proc.pid}-*"))


def test_a_million_junk_rows_are_rejected_before_the_rules_within_a_capped_address_space(tmp_path, good):
    """1 000 000 lines holding only a first cell (2 MB; 2.1 GB and ~1 min in the rules before) are rejected as
    too broken to check rule by rule (STR-017, with the exact count), under a 4 GiB address-space limit and in
    well under 1 GB of memory."""
    junk = write(tmp_path / "smieci")
    (junk / "dzialania.csv").write_bytes(_header(junk, "dzialania") + b"x\n" * 1_000_000)
    db, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    measured = _CAPPED.replace("sys.exit(main(sys.argv[1:]))", "code = main(sys.argv[1:])\n"
                               "print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
                               "sys.exit(code)")
    proc = subprocess.run([sys.executable, "-c", measured, "ingest", str(junk), str(good), "--db", str(db), "--reports",
                           str(reports)], capture_output=True, text=True, cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)},
                          timeout=300)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "[STR-017]" in proc.stdout and f"{number(1_000_000)} wierszy bez wymaganej wartości" in proc.stdout
    assert "wiersze 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 i 999" in proc.stdout   # the first ten rows, the count exact
    assert load_outcomes(db) == {"smieci": "rejected", "dobry_eksport": "loaded"}
    peak_kb = int(proc.stderr.rsplit("peak ", 1)[1].split()[0])
    assert peak_kb < 1_000_000, f"peak RSS {peak_kb / 1024:.0f} MB"


def test_a_table_just_at_the_broken_rows_limit_is_still_checked_rule_by_rule(tmp_path):
    from builders import read_export

    from pipeline.checks.broken_rows import too_broken

    path = write(tmp_path / "na_granicy")
    (path / "dzialania.csv").write_bytes(_header(path, "dzialania") + b"x\n" * 12)
    data = read_export(path)
    assert too_broken(data, limit=12) == []                       # 12 broken rows, limit 12: still checked
    assert [p.count for p in too_broken(data, limit=11)] == [12]  # one more than the limit: rejected with the count


def test_a_trailing_blank_line_and_separator_only_lines_are_not_rows(tmp_path, cli, good):
    path = write(tmp_path / "z_pustym_wierszem")
    csv = path / "oceny.csv"
    csv.write_bytes(csv.read_bytes() + b"\n;;\n  \n")
    code, out, _err, _db, _ = _ingest(cli, tmp_path, path)
    assert code == 0, out
    assert "wczytano        z_pustym_wierszem" in out and "brak wymaganej" not in out


def test_a_member_larger_than_its_limit_stops_being_read_at_the_limit(tmp_path):
    from pipeline.read.export import read_export
    from pipeline.read.limits import MIB, ReadLimits

    path = write(tmp_path / "duzy")
    csv = path / "dzialania.csv"
    csv.write_bytes(csv.read_bytes() + b"Zx;E1;A1;2024-01-05;porada;1\n" * (3 * MIB // 30))
    data = read_export(path, ReadLimits(member_bytes=2 * MIB))
    assert [p.code for p in data.problems] == ["STR-005"]
    assert "przekracza 2 MiB" in data.problems[0].message


def test_a_fifo_and_broken_links_named_like_tables_are_rejected_by_their_kind(tmp_path, cli, good):
    fifo = write(tmp_path / "z_potokiem")
    (fifo / "oceny.csv").unlink()
    os.mkfifo(fifo / "oceny.csv")
    dangling = write(tmp_path / "z_zerwanym")
    (dangling / "oceny.csv").unlink()
    (dangling / "oceny.csv").symlink_to(tmp_path / "nie_ma")
    looping = write(tmp_path / "z_petla")
    (looping / "oceny.csv").unlink()
    (looping / "oceny.csv").symlink_to(looping / "oceny.csv")
    code, out, _err, db, _ = _ingest(cli, tmp_path, fifo, dangling, looping, good)
    assert code == 1
    assert out.count("[STR-006]") == 3
    assert "potok nazwany" in out and "zerwane albo zapętlone dowiązanie" in out
    assert load_outcomes(db)["dobry_eksport"] == "loaded"


def _patched_zip(tmp_path: Path, good: Path, name: str, flag: int = 0, method: int | None = None) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for f in sorted(good.iterdir()):
            zf.write(f, f.name)
    data = bytearray(path.read_bytes())
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = data.find(signature)
        while at >= 0:
            data[at + flag_at] |= flag
            if method is not None:
                data[at + method_at:at + method_at + 2] = method.to_bytes(2, "little")
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


def test_password_protected_and_unsupported_compression_zips_are_coded_rejections(tmp_path, cli, good):
    encrypted = _patched_zip(tmp_path, good, "haslo.zip", flag=0x1)
    odd = _patched_zip(tmp_path, good, "metoda.zip", method=99)
    code, out, err, db, _ = _ingest(cli, tmp_path, encrypted, odd, good)
    assert code == 1 and "Traceback" not in err
    assert "zaszyfrowane (hasło)" in out and "nieobsługiwana metoda kompresji" in out
    assert out.count("[STR-007]") == 2
    assert load_outcomes(db) == {"haslo.zip": "rejected", "metoda.zip": "rejected", "dobry_eksport": "loaded"}


def test_stale_spool_folders_of_dead_processes_are_removed(tmp_path):
    from pipeline.read.spool import remove_stale_spools

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"pipeline-read-{dead.stdout.strip()}-abc"
    alive = tmp_path / f"pipeline-read-{os.getpid()}-abc"
    for folder in (stale, alive):
        folder.mkdir()
        (folder / "0_oceny.csv").write_text("dane", encoding="utf-8")
    assert remove_stale_spools(tmp_path) == [stale]
    assert not stale.exists() and alive.exists()


# --- personal data -----------------------------------------------------------------------------------

PESEL = "44051401458"


@pytest.mark.parametrize(("written", "code"), [
    ("4405 1401 458", "PII-001"),
    ("4405-1401-458", "PII-001"),
    ("4405\u00a01401\u200b458", "PII-001"),
    ('4405"1401458', "PII-001"),
    ("\uff14\uff14\uff10\uff15\uff11\uff14\uff10\uff11\uff14\uff15\uff18", "PII-001"),  # full-width
    ("\u0664\u0664\u0660\u0665\u0661\u0664\u0660\u0661\u0664\u0665\u0668", "PII-001"),  # Arabic-Indic
    ("jan.kowalski@żółw.pl", "PII-002"),
    ("kontakt 601.234.567", "PII-003"),
])
def test_personal_data_in_any_writing_is_found_and_never_echoed(tmp_path, cli, good, written, code):
    rows = small_case()
    rows["problemy"][0]["problem"] = "ubóstwo"
    rows["rodziny"][0]["id_rodziny"] = "R1"
    rows["asystenci"][1]["id_asystenta"] = written  # an id column: scanned as free text
    for r in rows["przydzialy"]:
        if r["id_asystenta"] == "A2":
            r["id_asystenta"] = written
    bad = write(tmp_path / "z_danymi", rows)
    code_, out, err, db, reports = _ingest(cli, tmp_path, bad, good)
    assert code_ == 1 and "Traceback" not in err
    assert f"[{code}]" in out
    assert load_outcomes(db) == {"z_danymi": "rejected", "dobry_eksport": "loaded"}
    everything = _outputs(db, reports, out, err)
    for piece in (written.lower(), PESEL, "601234567", "kowalski", "żółw"):
        assert piece not in everything.lower(), piece


def test_a_name_with_a_pesel_is_rejected_and_never_shown(tmp_path, cli, good):
    folder = write(tmp_path / f"Kowalski Jan {PESEL}")
    inner = write(tmp_path / "z_plikiem")
    (inner / f"Kowalski Jan {PESEL}.csv").write_text("a;b\n", encoding="utf-8")
    member = tmp_path / "czlon.zip"
    with zipfile.ZipFile(member, "w") as zf:
        for f in sorted(good.iterdir()):
            zf.write(f, f"Nowak {PESEL}/{f.name}")
    code, out, err, db, reports = _ingest(cli, tmp_path, folder, inner, member, good)
    assert code == 1
    assert out.count("[PII-004]") == 3
    assert "eksport nr 1" in out and "plik nr 1" in out and "człon archiwum nr 1" in out
    everything = _outputs(db, reports, out, err)
    for piece in (PESEL, "Kowalski", "Nowak"):
        assert piece not in everything, piece
    # not even the PESEL's first digits, outside the content hashes and load times that may hold them by chance
    assert "4405" not in _without_hashes_and_times(everything)
    assert load_outcomes(db)["dobry_eksport"] == "loaded"


# --- plausibility ------------------------------------------------------------------------------------

def test_implausible_metadata_is_a_coded_rejection(tmp_path, cli, good):
    future = write(tmp_path / "przyszly", m=meta(exported="2205-01-15"))
    wide = write(tmp_path / "szeroki", m=meta(unit="\uff11\uff16\uff10\uff13\uff10\uff11\uff11"))
    control = write(tmp_path / "sterujace")
    text = (control / "metadane.csv").read_text(encoding="utf-8").replace("MOPS Kędzierzyn-Koźle", "MOPS\x0bKoźle")
    (control / "metadane.csv").write_text(text, encoding="utf-8")
    old = small_case()
    old["asystenci"][0]["data_zatrudnienia"] = date(1020, 4, 1)
    ancient = write(tmp_path / "sprzed_1900", old)
    code, out, err, db, _ = _ingest(cli, tmp_path, future, wide, control, ancient, good)
    assert code == 1 and "Traceback" not in err
    assert "[STR-034]" in out and "[STR-033]" in out and "[STR-035]" in out
    assert "nie wcześniejszej niż 01.01.1900" in out
    assert load_outcomes(db) == {"przyszly": "rejected", "szeroki": "rejected", "sterujace": "rejected",
                           "sprzed_1900": "rejected", "dobry_eksport": "loaded"}


def test_a_full_export_with_only_headers_needs_allow_shrink(tmp_path, cli, good):
    code, out, _, _, _ = _ingest(cli, tmp_path, good)
    assert code == 0
    empty = write(tmp_path / "pusty_pelny", {}, meta(exported="2025-02-01", zakres="pełny"))
    code, out, _, _, _ = _ingest(cli, tmp_path, empty)
    assert code == 1
    from pipeline.contract import TABLES

    # the records of the tables it replaces: the optional ones it leaves out (oceny, problemy, projekty) stay as they were
    total = sum(len(rows) for t, rows in small_case().items() if not TABLES[t].optional)
    assert "[STR-040]" in out and f"usunąłby z bieżącego stanu jednostki {total} z {total} rekordów" in out
    code, out, _err, _db, _ = _ingest(cli, tmp_path, empty, extra=("--allow-shrink",))
    assert code == 0 and "wczytano        pusty_pelny" in out


# --- the command line --------------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ("indicators", "--year", "99999"), ("indicators", "--year", "0"), ("indicators", "--year", "-1"),
    ("indicators", "--years", "1-1000000"), ("indicators", "--year", "2024", "--unit", "/../../escaped"),
    ("report", "--unit", "16030"), ("report", "--unit", "16030111"), ("report", "--year", "２０２４"),
])
def test_out_of_range_years_and_units_are_usage_errors(cli, argv):
    with pytest.raises(SystemExit) as e:
        cli(*argv)
    assert e.value.code == 2


def test_outputs_that_cannot_be_written_are_refused_before_any_work(tmp_path, cli, good):
    a_file = tmp_path / "plik"
    a_file.write_text("x", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    code, _, err = cli("ingest", str(good), "--db", str(db), "--reports", str(a_file))
    assert code == 2 and "jest plikiem" in err and not db.exists()
    code, _, err = cli("report", "--db", str(db), "--out", str(a_file / "pod"))
    assert code == 2 and "jest plikiem" in err
    code, _, err = cli("funding", str(tmp_path), "--db", str(db))
    assert code == 2 and "nie jest plikiem" in err
    locked = tmp_path / "tylko_do_odczytu"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who may write anywhere")
        code, _out, err = cli("ingest", str(good), "--db", str(db), "--reports", str(locked))
        assert code == 2 and "brak uprawnień" in err and not db.exists()
    finally:
        locked.chmod(0o700)


def test_explain_cells_that_a_spreadsheet_would_run_are_written_as_text():
    import polars as pl

    from pipeline.cli.validate import csv_safe

    frame = pl.DataFrame({"id": ["=1+1", "+48", "-2", "@A", "\tX", "\rY", "R1", None], "n": list(range(8))})
    assert csv_safe(frame)["id"].to_list() == ["'=1+1", "'+48", "'-2", "'@A", "'\tX", "'\rY", "R1", None]
    assert csv_safe(frame)["n"].to_list() == list(range(8))


# --- pipes and signals -------------------------------------------------------------------------------

def _pipeline(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


def test_a_closed_stdout_does_not_stop_a_load_between_write_and_rebuild(tmp_path, good):
    second = write(tmp_path / "drugi", m=meta(exported="2025-02-01"))
    db = tmp_path / "w.duckdb"
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    ingest = subprocess.Popen(_pipeline("ingest", str(good), str(second), "--db", str(db), "--reports", str(tmp_path / "r")),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    assert ingest.stdout is not None
    ingest.stdout.close()  # the reader is gone before the first line
    _, err = ingest.communicate(timeout=300)
    assert b"Traceback" not in err
    from pipeline.warehouse.connection import connect

    con = connect(db, read_only=True)  # not stale: the rebuild ran
    try:
        assert con.execute("SELECT count(*) FROM raw.loads WHERE outcome = 'loaded'").fetchall() == [(2,)]
    finally:
        con.close()


def test_sigterm_inside_the_write_rolls_back_and_leaves_no_spool(tmp_path, good):
    db, marker = tmp_path / "w.duckdb", tmp_path / "marker"
    zipped = write(tmp_path / "spakowany", m=meta(exported="2025-02-01"), dialect=Dialect("zip"))
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("fault_hook.py")), "load", str(marker), "ingest",
                             str(good), str(zipped), "--db", str(db), "--reports", str(tmp_path / "r")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 240
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err and b"przerwano" in err
    assert not list(Path("/tmp").glob(f"pipeline-read-{proc.pid}-*"))
    from pipeline.warehouse.connection import connect

    con = connect(db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM raw.loads").fetchall() == [(0,)]
    finally:
        con.close()


# --- the warehouse knows itself ------------------------------------------------------------------------

def test_a_foreign_database_is_refused_and_left_unchanged(tmp_path, cli, good):
    db = tmp_path / "obcy.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE klienci (id INTEGER)")
    con.close()
    code, _out, err = cli("ingest", str(good), "--db", str(db), "--reports", str(tmp_path / "r"))
    assert code == 1 and "nie jest magazynem danych tego programu" in err
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT table_name FROM information_schema.tables").fetchall() == [("klienci",)]
    finally:
        con.close()


def test_an_older_warehouse_is_refused_until_migrated(tmp_path, cli, good):
    db = tmp_path / "w.duckdb"
    assert cli("ingest", str(good), "--db", str(db), "--reports", str(tmp_path / "r"))[0] == 0
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE raw.warehouse_info")  # as made before the version was written
    con.close()
    code, out, err = cli("indicators", "--year", "2024", "--db", str(db))
    assert code == 1 and f"python -m pipeline migrate --db {db}" in err
    code, out, err = cli("migrate", "--db", str(db))
    from pipeline.warehouse.schema import SCHEMA_VERSION
    assert code == 0 and f"wersja schematu 0 -> {SCHEMA_VERSION}" in out
    code, out, err = cli("indicators", "--year", "2024", "--db", str(db), "--format", "json")
    assert code == 0 and json.loads(out)["indicators"]


def test_a_version_1_warehouse_gets_the_projects_table_by_migrate(tmp_path, cli, good):
    db = tmp_path / "w.duckdb"
    assert cli("ingest", str(good), "--db", str(db), "--reports", str(tmp_path / "r"))[0] == 0
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE raw.projekty")
    con.execute("DROP TABLE core.projekty")  # as version 1 was, before the optional table `projekty`
    con.execute("UPDATE raw.warehouse_info SET value = '1' WHERE key = 'schema_version'")
    con.close()
    code, out, err = cli("indicators", "--year", "2024", "--db", str(db))
    assert code == 1 and f"python -m pipeline migrate --db {db}" in err and "Traceback" not in err
    code, out, err = cli("migrate", "--db", str(db))
    from pipeline.warehouse.schema import SCHEMA_VERSION
    assert code == 0 and f"wersja schematu 1 -> {SCHEMA_VERSION}" in out
    code, out, err = cli("indicators", "--year", "2024", "--db", str(db), "--format", "json")
    assert code == 0 and json.loads(out)["indicators"]["projects_completed"] == 0


def test_a_newer_warehouse_is_refused(tmp_path, cli, good):
    db = tmp_path / "w.duckdb"
    assert cli("ingest", str(good), "--db", str(db), "--reports", str(tmp_path / "r"))[0] == 0
    con = duckdb.connect(str(db))
    con.execute("UPDATE raw.warehouse_info SET value = '99' WHERE key = 'schema_version'")
    con.close()
    code, _out, err = cli("ingest", str(good), "--db", str(db), "--reports", str(tmp_path / "r"))
    assert code == 1 and "nowszą wersję schematu (99)" in err


# --- long lists and names ------------------------------------------------------------------------------

def test_many_extra_files_make_one_cut_line_and_control_characters_are_escaped(tmp_path, cli, good):
    crowded = write(tmp_path / "zatloczony")
    for i in range(300):
        (crowded / f"extra_{i:03d}.txt").write_text("x", encoding="utf-8")
    (crowded / "a\n[STR-999] wiersz.txt").write_text("x", encoding="utf-8")
    code, out, _err, db, _ = _ingest(cli, tmp_path, crowded, good)
    assert code == 1
    lines = [line for line in out.splitlines() if "STR-002" in line]
    assert len(lines) == 1 and "i 291 więcej" in lines[0]
    assert not any(line.startswith("[STR-999]") for line in out.splitlines()) and "a\\x0a[STR-999]" in out
    assert load_outcomes(db)["dobry_eksport"] == "loaded"


def test_failing_rows_are_kept_up_to_the_limit_and_counted_exactly():
    import polars as pl

    from pipeline.read.batch import EXPORT, ROW, first_rows_by_export

    frame = pl.DataFrame({EXPORT: [0] * 12 + [1] * 10 + [2], ROW: list(range(2, 14)) + list(range(2, 12)) + [2],
                          "bad": [True] * 11 + [False] + [True] * 10 + [False]})
    found = first_rows_by_export(frame, pl.col("bad"), 10)
    assert found == {0: (list(range(2, 12)), 11), 1: (list(range(2, 12)), 10)}


def test_a_funding_file_with_a_full_width_unit_is_rejected(tmp_path):
    from pipeline.problems import ExportRejected
    from pipeline.read.funding import read_funding

    path = tmp_path / "finansowanie.csv"
    path.write_text("jednostka;rok;zrodlo;kwota;liczba_asystentow\n1603011;2024;inne;10,5;1\n"
                    "\uff11\uff16\uff10\uff13\uff10\uff11\uff11;2024;inne;10,5;1\n", encoding="utf-8")
    with pytest.raises(ExportRejected) as e:
        read_funding(path)
    assert [(p.code, p.column, p.rows) for p in e.value.problems] == [("REF-003", "jednostka", [3])]
