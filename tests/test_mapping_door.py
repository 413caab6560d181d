"""The mapping file is no door around the gate (issue 28, class 2), and with it messages name the user's own
files and columns (issue 24).

`--mapping` changes names and values only: a wrong mapping is one coded line and exit 2; every container and size
check runs on the original export first, so nothing invalid without the mapping becomes valid with it; the mapping
file itself is a regular file read with a size cap; SIGTERM leaves no decoded copy behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest
from builders import write

from pipeline.read.mapping import MAX_MAPPING_BYTES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "examples"
MAPPING = EXAMPLE / "mapowanie_systemu_x.toml"
DATES = '[daty]\nformat = "%d/%m/%Y"\n'  # a mapping that renames nothing


@pytest.fixture
def system_x(tmp_path: Path) -> Path:
    """The documented example export of "system X" (its own file and column names), a copy to break."""
    return Path(shutil.copytree(EXAMPLE / "eksport_systemu_x", tmp_path / "system_x"))


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapowanie.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _replace_cell(path: Path, old: str, new: str, line: int) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


# --- messages name the user's own files and columns ----------------------------------------------------------


def test_the_example_is_valid_with_its_mapping(cli, system_x: Path):
    code, out, _ = cli("validate", str(system_x), "--mapping", str(MAPPING))
    assert code == 0, out


def test_a_type_error_names_the_users_file_and_column(cli, system_x: Path):
    _replace_cell(system_x / "Sprawy.csv", "10/01/2023", "2023/99/99", line=3)
    code, out, _ = cli("validate", str(system_x), "--mapping", str(MAPPING))
    assert code == 1
    assert ("[TYP-001] plik Sprawy.csv [asystentury.csv], tabela asystentury, kolumna Początek [data_rozpoczecia], "
            "wiersz 3:") in out


def test_a_rule_names_every_column_the_users_way(cli, system_x: Path):
    """EPI-012 (end before start) reads two columns: both are named as the export names them."""
    _replace_cell(system_x / "Sprawy.csv", "30/06/2024", "28/02/2022", line=2)
    code, out, _ = cli("validate", str(system_x), "--mapping", str(MAPPING))
    assert code == 1
    assert ("[EPI-012] plik Sprawy.csv [asystentury.csv], tabela asystentury, kolumna Początek [data_rozpoczecia], "
            "Koniec [data_zakonczenia], wiersz 2:") in out, out


def test_a_zipped_export_is_named_with_its_archive(cli, tmp_path: Path, system_x: Path):
    _replace_cell(system_x / "Sprawy.csv", "10/01/2023", "2023/99/99", line=3)
    archive = tmp_path / "system_x.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(system_x.iterdir()):
            zf.write(f, f.name)
    code, out, _ = cli("validate", str(archive), "--mapping", str(MAPPING))
    assert code == 1 and "plik system_x.zip/Sprawy.csv [asystentury.csv]" in out


def test_ingest_names_the_users_file_in_its_output_and_load_log(cli, tmp_path: Path, system_x: Path):
    _replace_cell(system_x / "Sprawy.csv", "10/01/2023", "2023/99/99", line=3)
    db = tmp_path / "w.duckdb"
    code, out, err = cli("ingest", str(system_x), "--mapping", str(MAPPING), "--db", str(db))
    assert code == 1 and "plik Sprawy.csv [asystentury.csv]" in out + err
    con = duckdb.connect(str(db), read_only=True)
    try:
        (problems,) = con.execute("SELECT reasons::VARCHAR FROM raw.loads").fetchone()
    finally:
        con.close()
    assert "Sprawy.csv [asystentury.csv]" in problems and "Początek [data_rozpoczecia]" in problems


# --- a wrong mapping: one coded line, exit 2 ------------------------------------------------------------------


@pytest.mark.parametrize(("text", "code", "words"), [
    ('tabele = "x"\n', "MAP-002", "[tabele]: oczekiwano tabeli TOML"),
    ("pomin = 5\n", "MAP-002", "[pomin]: oczekiwano tabeli TOML"),
    ("daty = 1\n", "MAP-002", "[daty]: oczekiwano tabeli TOML"),
    ('[pomin]\nasystenci = "Uwagi"\n', "MAP-002", "[pomin] asystenci: oczekiwano listy"),
    ("[tabele]\nSprawy = 3\n", "MAP-002", "[tabele] Sprawy: oczekiwano tekstu"),
    ("[wartosci.asystenci]\nforma_zatrudnienia = 3\n", "MAP-002", "oczekiwano tabeli TOML"),
    ('[kolumny.asystenci]\n"Nr pracownika" = "id_asystenta"\n"Nr osoby" = "id_asystenta"\n', "MAP-003",
     "kolumny Nr pracownika, Nr osoby mapują się na jedną nazwę id_asystenta"),
    ('[kolumny.asystenci]\n"Etat" = "wymiar_etatu"\n" etat" = "data_zatrudnienia"\n', "MAP-003", "podano dwa razy"),
    ('[tabele]\nSprawy = "asystentury"\nEpizody = "asystentury"\n', "MAP-003", "na jedną nazwę asystentury"),
    ("[tabele\n", "MAP-001", "to nie jest poprawny plik TOML"),
])
def test_a_wrong_mapping_is_one_coded_line_and_exit_2(cli, tmp_path: Path, system_x: Path, text: str, code: str,
                                                      words: str):
    exit_code, out, err = cli("validate", str(system_x), "--mapping", str(_toml(tmp_path, text)))
    assert exit_code == 2 and not out
    assert err.count("\n") == 1 and err.startswith(f"błąd użycia: [{code}] mapowanie mapowanie.toml: "), err
    assert words in err and "Traceback" not in err


def test_a_header_renamed_onto_one_the_export_has_rejects_the_export_and_the_good_one_loads(cli, tmp_path: Path,
                                                                                             system_x: Path):
    """Pracownicy.csv has both "Nr pracownika" (renamed to id_asystenta) and a column id_asystenta: the table would
    have two columns of one name, so the export is rejected (coded, exit 1); a good export of the call loads."""
    f = system_x / "Pracownicy.csv"
    lines = f.read_text(encoding="utf-8").split("\n")
    f.write_text("\n".join(line + (";id_asystenta" if n == 0 else ";X" if line else "") for n, line in enumerate(lines)),
                 encoding="utf-8")
    good = Path(shutil.copytree(EXAMPLE / "eksport_systemu_x", tmp_path / "dobry"))
    db = tmp_path / "w.duckdb"
    code, out, err = cli("ingest", str(system_x), str(good), "--mapping", str(MAPPING), "--db", str(db))
    assert code == 1 and "[MAP-003]" in out and "dwie kolumny id_asystenta" in out, out + err
    assert "Traceback" not in err
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert dict(con.execute("SELECT file_name, outcome FROM raw.loads").fetchall()) == {
            "system_x": "rejected", "dobry": "loaded"}
    finally:
        con.close()


# --- the mapping file: a regular file, read with a size cap -----------------------------------------------------


def _run(*argv: str, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *argv], capture_output=True, text=True, cwd=ROOT,
                          env=os.environ | {"PYTHONPATH": str(ROOT)}, timeout=timeout, **kw)


def test_a_mapping_path_that_is_a_device_or_a_pipe_is_refused_without_hanging(tmp_path: Path, system_x: Path):
    fifo = tmp_path / "mapowanie.toml"
    os.mkfifo(fifo)
    for path, kind in (("/dev/zero", "urządzenie"), (str(fifo), "potok nazwany")):
        proc = _run("validate", str(system_x), "--mapping", path, timeout=60)
        assert proc.returncode == 2 and "[MAP-001]" in proc.stderr and f"({kind})" in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr


def test_a_huge_mapping_file_is_refused_unread(cli, tmp_path: Path, system_x: Path):
    big = _toml(tmp_path, "# " + "x" * MAX_MAPPING_BYTES + "\n")
    code, _, err = cli("validate", str(system_x), "--mapping", str(big))
    assert code == 2 and "[MAP-001]" in err and "przekracza 1024 KiB" in err
    text = MAPPING.read_text(encoding="utf-8")
    padding = MAX_MAPPING_BYTES - len(text.encode("utf-8")) - 1
    at_cap = _toml(tmp_path, text + "#" * padding + "\n")  # exactly the cap: read
    assert at_cap.stat().st_size == MAX_MAPPING_BYTES
    code, _, err = cli("validate", str(system_x), "--mapping", str(at_cap))
    assert code == 0, err


# --- nothing invalid without the mapping becomes valid with it --------------------------------------------------


def _both(cli, tmp_path: Path, export: Path) -> tuple[tuple[int, str], tuple[int, str]]:
    without = cli("validate", str(export))
    with_it = cli("validate", str(export), "--mapping", str(_toml(tmp_path, DATES)))
    return without[:2], with_it[:2]


def test_a_zip_holding_a_table_twice(cli, tmp_path: Path):
    folder = write(tmp_path / "e")
    archive = tmp_path / "dwa_razy.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f.name)
        zf.write(folder / "oceny.csv", "OCENY.csv")
    (code, out), (mapped_code, mapped_out) = _both(cli, tmp_path, archive)
    assert code == 1 and "[STR-003]" in out
    assert mapped_code == 1 and "[STR-003]" in mapped_out


def test_two_files_that_are_one_table_once_mapped(cli, tmp_path: Path, system_x: Path):
    shutil.copy(system_x / "Oceny.csv", system_x / "oceny.csv")
    code, out, _ = cli("validate", str(system_x), "--mapping", str(_toml(tmp_path, '[tabele]\nOceny = "oceny"\n'
                                                                          + MAPPING.read_text(encoding="utf-8")
                                                                          .split("[tabele]", 1)[1].split("\n", 1)[1])))
    assert code == 1 and "[STR-003]" in out and "tabela oceny występuje w eksporcie 2 razy" in out


def test_a_pipe_named_like_a_table(cli, tmp_path: Path):
    export = write(tmp_path / "e")
    (export / "oceny.csv").unlink()
    os.mkfifo(export / "oceny.csv")  # an optional table: leaving it out would be valid
    (code, out), (mapped_code, mapped_out) = _both(cli, tmp_path, export)
    assert code == 1 and "[STR-006]" in out
    assert mapped_code == 1 and "[STR-006]" in mapped_out and "potok nazwany" in mapped_out


def test_a_subfolder(cli, tmp_path: Path):
    export = write(tmp_path / "e")
    (export / "stare").mkdir()  # a subfolder with table files would make the path a folder of exports (exit 2)
    (export / "stare" / "notatki.txt").write_text("notatki", encoding="utf-8")
    (code, out), (mapped_code, mapped_out) = _both(cli, tmp_path, export)
    assert code == 1 and "[STR-002]" in out
    assert mapped_code == 1 and "[STR-002]" in mapped_out and "folder" in mapped_out


_CAPPED = """
import resource, sys
cap = 4 << 30
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from pipeline.cli import main
code = main(sys.argv[1:])
print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def test_size_and_ratio_limits_hold_with_a_mapping_within_a_capped_address_space(tmp_path: Path):
    """A 1 MB zip whose oceny.csv is 1 GiB of newlines (over the member limit and the 200:1 ratio) is rejected
    unread under a 4 GiB address-space limit, with the mapping as without it; the good export of the call loads."""
    good = write(tmp_path / "dobry")
    bomb = tmp_path / "bomba.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(good.iterdir()):
            if f.name == "oceny.csv":
                with zf.open(f.name, "w", force_zip64=True) as m:
                    m.write(f.read_bytes().split(b"\n", 1)[0] + b"\n")
                    block = b"\n" * (1 << 24)
                    for _ in range(64):
                        m.write(block)
            else:
                zf.write(f, f.name)
    assert bomb.stat().st_size < 2 << 20
    db = tmp_path / "w.duckdb"
    proc = subprocess.run([sys.executable, "-c", _CAPPED, "ingest", str(bomb), str(good), "--db", str(db), "--mapping",
                           str(_toml(tmp_path, DATES))], capture_output=True, text=True, cwd=ROOT,
                          env=os.environ | {"PYTHONPATH": str(ROOT)}, timeout=300)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    assert "[STR-005]" in proc.stdout and "po rozpakowaniu przekracza 512 MiB" in proc.stdout
    peak_kib = int(proc.stderr.split("peak", 1)[1].split()[0])
    print(f"peak RSS with a 1 GiB bomb and --mapping: {peak_kib // 1024} MiB")
    assert peak_kib < 1 << 20  # well under 1 GiB: the member was never inflated
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert dict(con.execute("SELECT file_name, outcome FROM raw.loads").fetchall()) == {
            "bomba.zip": "rejected", "dobry": "loaded"}
    finally:
        con.close()


# --- SIGTERM leaves no decoded copy -------------------------------------------------------------------------------


def test_sigterm_during_validate_with_a_mapping_leaves_no_copy(tmp_path: Path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    export = write(tmp_path / "e")
    rows = (export / "dzialania.csv").read_text(encoding="utf-8").split("\n")
    body = [line for line in rows[1:] if line]
    (export / "dzialania.csv").write_text("\n".join([rows[0], *(body * 150_000)]) + "\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "validate", str(export), "--mapping",
                             str(_toml(tmp_path, DATES))], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT), "TMPDIR": str(temp)})
    deadline = time.monotonic() + 120
    while not any(temp.glob("pipeline-read-*/*/e/*.csv")):  # the mapped copy is being written
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "przerwano" in err
    assert not list(temp.iterdir())
