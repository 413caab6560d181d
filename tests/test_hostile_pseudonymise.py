"""`pseudonymise` as a door (issue 28, class 3): it copies only the tables it knows, and its key file is read only
when it is a regular file of a few bytes (a device, a pipe or a dangling link is one coded usage error, no hang)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from builders import write

from pipeline.cli import main
from pipeline.read.export import read_export

PESEL = "44051401359"  # a valid check digit


@pytest.fixture
def no_hang():
    """Fail (instead of hanging the suite) when a call blocks for more than 60 s, e.g. on opening a pipe."""
    def stop(*_):
        raise TimeoutError("the call blocked")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_files_outside_the_contract_are_listed_by_safe_name_and_never_copied(tmp_path, capsys):
    source = write(tmp_path / "zrodlo" / "1603011_2024")
    (source / "notatki.csv").write_text(f"kto;pesel\nKowalska;{PESEL}\n", encoding="utf-8")
    (source / "uwagi.txt").write_text(f"PESEL {PESEL}\n", encoding="utf-8")
    (source / f"{PESEL}.txt").write_text("x\n", encoding="utf-8")
    out_dir = tmp_path / "wynik"
    code, out, err = _run(capsys, "pseudonymise", str(source), "--key", str(tmp_path / "klucz.hex"), "--out", str(out_dir))
    assert code == 0, out + err
    result = out_dir / "1603011_2024"
    assert sorted(p.name for p in result.iterdir()) == sorted(p.name for p in source.iterdir()
                                                              if p.name.endswith(".csv") and p.name != "notatki.csv")
    assert "nie skopiowano plików spoza kontraktu (3): notatki.csv, plik nr 2, uwagi.txt" in out
    assert PESEL not in out + err
    assert not any(PESEL.encode() in f.read_bytes() or PESEL in f.name for f in out_dir.rglob("*") if f.is_file())
    assert not read_export(result).problems            # the result is a valid export


def _key_case(tmp_path: Path, kind: str) -> Path:
    key = tmp_path / "klucz.hex"
    if kind == "device":
        key.symlink_to("/dev/zero")
    elif kind == "pipe":
        os.mkfifo(key)
    elif kind == "dangling":
        key.symlink_to(tmp_path / "nie_ma")
    elif kind == "large":
        key.write_text("0" * 64 + "\n" + " " * 5000)
    else:
        key.write_text("to nie jest klucz\n")
    return key


@pytest.mark.parametrize(("kind", "message"), [
    ("device", "[KLU-001] plik klucz.hex: plik klucza nie jest zwykłym plikiem (urządzenie); podaj zwykły plik"),
    ("pipe", "[KLU-001] plik klucz.hex: plik klucza nie jest zwykłym plikiem (potok nazwany); podaj zwykły plik"),
    ("dangling", "[KLU-001] plik klucz.hex: plik klucza nie jest zwykłym plikiem (zerwane albo zapętlone dowiązanie); "
                 "podaj zwykły plik"),
    ("large", "[KLU-001] plik klucz.hex: plik klucza przekracza 4096 bajtów"),
    ("not a key", "[KLU-002] plik klucz.hex: plik klucza nie jest kluczem pseudonimizacji (32 bajtów zapisanych "
                  "szesnastkowo); podaj plik klucza ośrodka albo nową ścieżkę (klucz zostanie utworzony)"),
])
def test_a_key_file_that_is_not_a_small_regular_file_is_one_coded_usage_error(tmp_path, capsys, no_hang, kind, message):
    source = write(tmp_path / "1603011_2024")
    key = _key_case(tmp_path, kind)
    out_dir = tmp_path / "wynik"
    code, out, err = _run(capsys, "pseudonymise", str(source), "--key", str(key), "--out", str(out_dir))
    assert code == 2
    assert out == "" and err == f"błąd użycia: {message}\n"
    assert not (out_dir / source.name).exists()
    if kind == "dangling":
        assert not (tmp_path / "nie_ma").exists()     # never created through the link


def test_a_workbook_with_a_cell_at_the_last_cell_is_refused_before_it_is_read(tmp_path, capsys):
    import openpyxl

    from pipeline.synth.writer import Dialect

    source = write(tmp_path / "1603011_2024", dialect=Dialect(container="xlsx"))
    wb = openpyxl.load_workbook(source)
    wb["dzieci"]["XFD1048576"] = "x"
    wb.save(source)
    code, _out, err = _run(capsys, "pseudonymise", str(source), "--key", str(tmp_path / "klucz.hex"), "--out",
                          str(tmp_path / "wynik"))
    assert code == 1
    assert "eksportu nie da się odczytać" in err and "[STR-005]" in err and "arkusz dzieci sięga od komórki A1 do XFD1048576" in err
    assert not (tmp_path / "wynik" / source.name).exists()
