"""Personal data: recognised in any cell, rejected, and never echoed anywhere."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from builders import pesel_valid, read_export, scan_export, small_case, write

from pipeline.checks.pii import EMAIL, PHONE, _pesel_expr
from pipeline.synth.writer import Dialect

ROOT = Path(__file__).resolve().parents[1]
# 4405140145 weighted 1,3,7,9,...: 4+12+0+45+1+12+0+9+4+15 = 102 -> check digit (10 - 2) % 10 = 8
VALID_PESEL = "44051401458"
# 0227080362: 0+6+14+63+0+24+0+27+6+6 = 146 -> check digit 4; Excel stores it as the number 2270803624
PESEL_WITH_LEADING_ZERO = "02270803624"


def test_pesel_check_digit():
    assert pesel_valid(VALID_PESEL) and pesel_valid(PESEL_WITH_LEADING_ZERO)
    assert not pesel_valid("44051401459") and not pesel_valid("4405140145")


@pytest.mark.parametrize(("text", "hit"), [
    (VALID_PESEL, True), (f"R{VALID_PESEL}", True), (f"x {VALID_PESEL} y", True),
    ("44051401459", False),            # wrong check digit
    (f"9{VALID_PESEL}", False),        # part of a longer run of digits
    ("1234", False),
])
def test_pesel_in_text(text, hit):
    assert pl.select(_pesel_expr(pl.lit(text), excel=False)).item() is hit


@pytest.mark.parametrize(("text", "hit"), [
    ("600123456", True), ("600 123 456", True), ("600-123-456", True), ("+48 600123456", True),
    ("0048600123456", True), ("60 012 34 56", True), ("tel. 600 123 456.", True), ("+48600-123-456", True),
    ("1600123456", False),             # ten digits
    ("AB600123456", False),            # a run of letters and digits (an id)
    ("R00012", False), ("2024-01-05", False), ("05.01.2024", False), ("12 345", False),
])
def test_phone_numbers(text, hit):
    assert pl.select(pl.lit(text).str.contains(PHONE)).item() is hit


@pytest.mark.parametrize(("text", "hit"), [
    ("jan.kowalski@example.pl", True), ("kontakt: a_b+c@mops.gov.pl", True), ("@handle", False), ("a@b", False),
])
def test_email(text, hit):
    assert pl.select(pl.lit(text).str.contains(EMAIL)).item() is hit


def test_excel_number_with_its_leading_zero_restored(tmp_path):
    rows = copy.deepcopy(small_case())
    rows["dzialania"][0]["liczba"] = int(PESEL_WITH_LEADING_ZERO)   # Excel keeps 2270803624
    path = write(tmp_path / "x", rows, dialect=Dialect("xlsx"))
    codes = {(p.code, p.table, p.column) for p in scan_export(read_export(path))}
    assert ("PII-001", "dzialania", "liczba") in codes


@pytest.mark.parametrize("dialect", [Dialect("folder"), Dialect("xlsx")])
def test_project_title_is_free_text_and_scanned(tmp_path, dialect):
    rows = copy.deepcopy(small_case())
    rows["projekty"][0]["nazwa"] = "Mikołaj w Krainie Lodu, zapisy: tel. 600 123 456"
    rows["projekty"][1]["nazwa"] = f"Wakacje {VALID_PESEL}"
    problems = scan_export(read_export(write(tmp_path / "x", rows, dialect=dialect)))
    found = {(p.code, p.table, p.column, tuple(p.rows)) for p in problems}
    assert found == {("PII-003", "projekty", "nazwa", (2,)), ("PII-001", "projekty", "nazwa", (3,))}
    assert not any("600" in p.describe() or VALID_PESEL in p.describe() for p in problems)


def test_typed_dates_and_dictionary_values_are_not_scanned(tmp_path):
    path = write(tmp_path / "x")
    assert scan_export(read_export(path)) == []


def _planted(tmp_path: Path) -> Path:
    rows = copy.deepcopy(small_case())
    rows["rodziny"][1]["id_rodziny"] = f"R{VALID_PESEL}"
    for table in ("asystentury", "dzieci"):
        for r in rows[table]:
            if r["id_rodziny"] == "R2":
                r["id_rodziny"] = f"R{VALID_PESEL}"
    rows["dzialania"][1]["id_dzialania"] = "600 123 456"
    path = write(tmp_path / "planted", rows)
    meta = (path / "metadane.csv").read_text(encoding="utf-8")
    (path / "metadane.csv").write_text(meta.replace("MOPS Kędzierzyn-Koźle", "MOPS, kontakt jan.kowalski@example.pl"),
                                       encoding="utf-8")
    return path


def test_planted_personal_data_is_rejected_and_never_shown(tmp_path):
    path = _planted(tmp_path)
    db, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(path), "--db", str(db), "--reports", str(reports)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    out = proc.stdout + proc.stderr
    assert "PII-001" in out and "PII-002" in out and "PII-003" in out
    assert "tabela rodziny, kolumna id_rodziny, wiersz 3" in out
    secrets = [VALID_PESEL, "jan.kowalski", "example.pl", "600 123 456", "123 456"]
    stored = [out]
    stored += [f.read_text(encoding="utf-8", errors="replace") for f in reports.rglob("*") if f.is_file()]
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    for (table,) in con.execute("SELECT table_schema || '.' || table_name FROM information_schema.tables").fetchall():
        stored.append(repr(con.execute(f"SELECT * FROM {table}").fetchall()))
    con.close()
    for text in stored:
        for secret in secrets:
            assert secret not in text


def test_validate_command_checks_without_loading(tmp_path):
    path = _planted(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "pipeline", "validate", str(path), str(write(tmp_path / "ok"))],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith("niepoprawny") and "PII-001" in proc.stdout
    assert any(line.startswith("poprawny    ok") for line in proc.stdout.splitlines())
    assert VALID_PESEL not in proc.stdout
