"""Paths as doors (issue 28, class 9): long export names, symlinks in the reports folder, `--out` under a file,
entries of a folder of exports that may not be read.  Each is a coded line or a usage error, never a traceback,
and the good export of the same call still loads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from builders import load_outcomes, meta, small_case, write


def test_a_long_export_name_gets_a_bounded_report_name_and_is_reported_loaded(tmp_path, cli):
    long = write(tmp_path / ("eksport_" + "a" * 242), small_case(), meta(unit="1261011"))
    good = write(tmp_path / "dobry_eksport")
    db, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    code, out, err = cli("ingest", str(long), str(good), "--db", str(db), "--reports", str(reports))
    assert code == 0, out + err
    assert "Traceback" not in err and "raportu jakości nie zapisano" not in out + err
    assert sum(line.startswith("wczytano ") for line in out.splitlines()) == 2 and "wczytano 2" in out
    names = sorted(p.name for p in (reports / "quality").iterdir())
    assert len(names) == 4 and all(len(n.encode()) <= 255 for n in names)
    assert max(len(n) for n in names) == len("00001_") + 120 + len(".gx.json")   # the bound, exactly
    assert any(n.startswith("00001_eksport_aaa") and n.endswith(".html") for n in names)
    assert set(load_outcomes(db).values()) == {"loaded"}


def test_two_long_names_that_share_their_start_get_two_report_names():
    from pipeline.outputs.quality.report import MAX_SLUG, _slug

    a, b = "x" * 300 + "1", "x" * 300 + "2"
    assert _slug("y" * MAX_SLUG) == "y" * MAX_SLUG                      # at the bound: kept whole
    assert len(_slug("y" * (MAX_SLUG + 1))) == MAX_SLUG                 # one over: cut, with a hash
    assert _slug(a) != _slug(b) and len(_slug(a)) == len(_slug(b)) == MAX_SLUG


def test_a_symlink_planted_in_the_reports_folder_is_replaced_never_written_through(tmp_path, cli):
    good = write(tmp_path / "dobry_eksport")
    db, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    quality = reports / "quality"
    quality.mkdir(parents=True)
    target = tmp_path / "cudzy_plik.txt"
    target.write_text("nie ruszać\n", encoding="utf-8")
    (quality / "00001_dobry_eksport.html").symlink_to(target)
    (quality / "00001_dobry_eksport.gx.json").symlink_to(tmp_path / "nie_ma_takiego")   # dangling
    code, out, err = cli("ingest", str(good), "--db", str(db), "--reports", str(reports))
    assert code == 0, out + err
    assert target.read_text(encoding="utf-8") == "nie ruszać\n"
    assert not (tmp_path / "nie_ma_takiego").exists()
    for name in ("00001_dobry_eksport.html", "00001_dobry_eksport.gx.json"):
        path = quality / name
        assert not path.is_symlink() and path.is_file() and path.stat().st_size > 100
    assert not list(quality.glob(".raport-*"))
    assert load_outcomes(db) == {"dobry_eksport": "loaded"}


@pytest.mark.parametrize(("args", "message"), [
    (("statement", "--period", "2024", "--out", "{f}/zestawienia"),
     "nie można utworzyć {f}/zestawienia (folder wyjściowy): {f} jest plikiem, nie folderem; podaj inną ścieżkę"),
    (("compare", "--unit", "1261011", "--year", "2024", "--out", "{f}/porownanie.xlsx"),
     "plik wyjściowy {f} nie jest folderem (to plik); podaj folder"),
])
def test_statement_and_compare_out_under_a_file_is_a_usage_error(tmp_path, cli, args, message):
    blocker = tmp_path / "plik"
    blocker.write_text("x")
    code, _out, err = cli(*(a.format(f=blocker) for a in args), "--db", str(tmp_path / "brak.duckdb"))
    assert code == 2
    assert "Traceback" not in err
    assert err.strip() == "błąd użycia: " + message.format(f=blocker)


def test_an_entry_it_may_not_read_is_one_coded_line_and_the_readable_exports_load(tmp_path, cli, monkeypatch):
    folder = tmp_path / "eksporty"
    write(folder / "dobry")
    blocked = write(folder / "zablokowany", small_case(), meta(unit="1261011"))
    if os.geteuid() == 0:  # root reads a folder of mode 000: simulate what every other user gets
        real_scandir, real_iterdir = os.scandir, Path.iterdir

        def scandir(path="."):
            if isinstance(path, (str, os.PathLike)) and Path(path) == blocked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        def iterdir(self):
            if self == blocked:
                raise PermissionError(13, "Permission denied", str(self))
            return real_iterdir(self)

        monkeypatch.setattr(os, "scandir", scandir)
        monkeypatch.setattr(Path, "iterdir", iterdir)
    else:
        blocked.chmod(0)
    db, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    try:
        code, out, err = cli("ingest", str(folder), "--db", str(db), "--reports", str(reports))
    finally:
        blocked.chmod(0o755)
    assert code == 1, out + err
    assert "Traceback" not in err
    assert ("[STR-004] plik zablokowany: nie można odczytać folderu eksportu (brak uprawnień do odczytu); nadaj "
            "uprawnienia do odczytu i wczytaj go ponownie") in out
    assert load_outcomes(db) == {"dobry": "loaded", "zablokowany": "rejected"}
