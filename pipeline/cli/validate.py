"""Checks of command-line values before any work starts (argparse `type=` functions and output paths).

A wrong value ends the command with exit 2 and a plain Polish message: a year outside
2000-2100, a unit that is not seven ASCII digits (it becomes part of file names), an output
path that cannot be written (checked before anything is read or committed).
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from pipeline.cli.errors import UsageError
from pipeline.cli.guards import ordered_range

YEAR_MIN, YEAR_MAX = 2000, 2100
_UNIT = re.compile(r"[0-9]{6,7}", re.ASCII)  # 6: Excel dropped the leading zero (guards restore it)


def year(text: str) -> int:
    """A year between 2000 and 2100."""
    try:
        value = int(text.strip(), 10) if text.strip().isascii() else None
    except ValueError:
        value = None
    if value is None or not YEAR_MIN <= value <= YEAR_MAX:
        raise argparse.ArgumentTypeError(f"oczekiwano roku od {YEAR_MIN} do {YEAR_MAX}")
    return value


def years(text: str) -> list[int]:
    """A year or a range of years FROM-TO, both between 2000 and 2100."""
    first, sep, last = text.partition("-")
    try:
        a = year(first)
        b = year(last) if sep else a
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"oczekiwano roku albo zakresu lat od {YEAR_MIN} do {YEAR_MAX}, np. 2012-2025") from None
    try:
        return ordered_range(a, b)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


CASELOAD_MIN, CASELOAD_MAX = 1, 100


def caseload_limit(text: str) -> int:
    """The legal limit of families per assistant: a whole number from 1 to 100 (the law says 15)."""
    value = int(text.strip(), 10) if text.strip().isascii() and text.strip().lstrip("+-").isdigit() else None
    if value is None or not CASELOAD_MIN <= value <= CASELOAD_MAX:
        raise argparse.ArgumentTypeError(f"oczekiwano liczby rodzin na asystenta od {CASELOAD_MIN} do {CASELOAD_MAX} "
                                         "(ustawowy limit to 15)")
    return value


def unit(text: str) -> str:
    """A unit's TERYT code: seven ASCII digits (it becomes part of output file names); six are accepted here, for a
    code whose leading zero Excel dropped, and restored against the loaded units by `guards.resolve_unit`."""
    if not _UNIT.fullmatch(text):
        raise argparse.ArgumentTypeError("oczekiwano kodu TERYT jednostki: 7 cyfr, np. 1603011")
    return text


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return Path(".")


def writable_folder(path: Path, what: str) -> None:
    """Raise UsageError unless `path` is a folder that exists and can be written, or can be created."""
    path = Path(path)
    existing = _nearest_existing(path.absolute())
    if existing == path.absolute():
        if not existing.is_dir():
            raise UsageError(f"{what} {path} nie jest folderem (to plik); podaj folder")
    elif not existing.is_dir():
        raise UsageError(f"nie można utworzyć {path} ({what}): {existing} jest plikiem, nie folderem; podaj inną ścieżkę")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"brak uprawnień do zapisu w {existing} ({what} {path})")


def writable_file(path: Path, what: str) -> None:
    """Raise UsageError unless the file `path` can be written (its folder writable or creatable)."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{what} {path} jest folderem; podaj ścieżkę pliku")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"brak uprawnień do zapisu pliku {path} ({what})")
    writable_folder(path.parent, what)


def csv_safe(frame):
    """The frame with every text cell that a spreadsheet would run as a formula (starting with =, +, -,
    @, a tab or a carriage return) written as text: prefixed with '."""
    import polars as pl

    formula = r"^[=+\-@\t\r]"
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(formula)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c, dtype in frame.schema.items() if dtype == pl.String
    )
