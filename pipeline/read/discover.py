"""Find the exports a command was given: an export itself, or a folder that holds exports.

A centre keeps its exports in one folder (`eksporty/2012.zip`, `eksporty/2013.zip`, ...).  A path
given on the command line is

* an export: a `.zip` or `.xlsx` file, or a folder with table files (`*.csv`) in it;
* a folder of exports: a folder with no table file of its own, holding exports at any depth
  (`.zip`, `.xlsx`, folders with table files); they load in the order the merge rules need, by
  `data_eksportu` from each export's metadata (then by path), whatever their file names;
* neither (an empty folder, or one of other files only) or ambiguous (table files *and* exports
  side by side: is it one export with stray files, or a folder of exports?): a `DiscoveryError`
  that says why, before anything is read or loaded.

Nothing here opens a file that is not a regular file, and only the `metadane` table of each export
is read (its size capped): an export whose date cannot be read sorts last and the reader then says
what is wrong with it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from pipeline.contract import METADATA_TABLE
from pipeline.grammar import count, form, number
from pipeline.problems import ExportRejected
from pipeline.read.coerce import date_expr
from pipeline.read.containers import open_container
from pipeline.read.personal import shown_name
from pipeline.read.tables import inspect_csv_member, parse_csv_file, read_xlsx_member

EXPORT_FILES = (".zip", ".xlsx")  # an export that is one file
TABLE_FILE = ".csv"  # a table of an export that is a folder
_LAST = date.max


class DiscoveryError(Exception):
    """A path that is neither an export nor a folder of exports, or is both (a usage error: exit 2)."""


@dataclass
class Found:
    """The exports of a call, in loading order, and what the folders held besides."""

    paths: list[Path]
    folders: list[tuple[Path, int]] = field(default_factory=list)  # each folder of exports given, how many it held
    skipped: int = 0  # entries of folders of exports that are not exports (README.md, ...)

    def summary(self) -> str | None:
        """One Polish line on the folders of exports (None when every path given was an export)."""
        if not self.folders:
            return None
        held = sum(n for _, n in self.folders)
        where = ", ".join(shown_name(str(p), "folder", i) for i, (p, _) in enumerate(self.folders, start=1))
        line = f"znaleziono {count(held, 'eksport')} w {where}"
        if len(self.paths) > held:
            line += f" (razem z podanymi osobno: {count(len(self.paths), 'eksport')})"
        if self.skipped:
            n = self.skipped
            what = form(n, "plik, który nie jest eksportem", "pliki, które nie są eksportami", "plików, które nie są eksportami")
            line += f"; pominięto {number(n)} {what} (eksport to .zip, .xlsx albo folder z plikami tabel .csv)"
        return line


def _entries(folder: Path, shown: str) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as e:
        why = "brak uprawnień do odczytu" if isinstance(e, PermissionError) else type(e).__name__
        raise DiscoveryError(f"nie można odczytać folderu {shown} ({why}); nadaj uprawnienia do odczytu "
                             "albo podaj eksporty osobno") from None


def _kind(entry: os.DirEntry | Path) -> str:
    """"dir", "file" (a regular file) or "other" (a pipe, a device, a dangling link ...); follows links."""
    try:
        mode = os.stat(entry).st_mode
    except OSError:
        return "other"
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"


@dataclass
class _Walk:
    exports: list[Path] = field(default_factory=list)
    skipped: int = 0
    seen: set[tuple[int, int]] = field(default_factory=set)  # (device, inode) of folders walked: links never loop


def _table_files(entries: list[os.DirEntry]) -> list[os.DirEntry]:
    return [e for e in entries if e.name.lower().endswith(TABLE_FILE) and _kind(e) != "dir"]


def _walk(folder: Path, shown: str, walk: _Walk) -> None:
    """Collect the exports a folder with no table file of its own holds, at any depth."""
    try:
        st = os.stat(folder)
    except OSError:
        return
    if (st.st_dev, st.st_ino) in walk.seen:
        return
    walk.seen.add((st.st_dev, st.st_ino))
    for position, entry in enumerate(_entries(folder, shown), start=1):
        if entry.name.startswith("."):  # .DS_Store, .git, editors' files: never an export
            continue
        path = Path(entry.path)
        kind = _kind(entry)
        name = f"{shown}/{shown_name(entry.name, 'folder', position)}"
        if kind == "dir":
            try:
                inner = _entries(path, name)
            except DiscoveryError:  # a subfolder it may not read: the reader rejects it (a coded line), the rest loads
                walk.exports.append(path)
                continue
            if _table_files(inner):
                _refuse_if_ambiguous(path, name, inner)
                walk.exports.append(path)
            else:
                _walk(path, name, walk)
        elif entry.name.lower().endswith(EXPORT_FILES):
            walk.exports.append(path)
        else:
            walk.skipped += 1


def _refuse_if_ambiguous(folder: Path, shown: str, entries: list[os.DirEntry]) -> None:
    """A folder with table files is one export; exports beside them make it ambiguous."""
    exports = [e for e in entries if not e.name.startswith(".")
               and (e.name.lower().endswith(EXPORT_FILES) or (_kind(e) == "dir" and _table_files(_entries(Path(e.path), shown))))]
    if exports:
        raise DiscoveryError(
            f"folder {shown} zawiera jednocześnie pliki tabel .csv ({len(_table_files(entries))}) i eksporty "
            f"({len(exports)}: archiwa .zip, skoroszyty .xlsx albo foldery z plikami tabel); nie wiadomo, czy to jeden "
            "eksport, czy folder eksportów: przenieś pliki tabel do osobnego folderu albo eksporty poza ten folder")


def discover(paths: list[Path]) -> Found:
    """The exports of the paths given, in loading order (see the module's docstring); raise DiscoveryError."""
    found = Found([])
    for position, path in enumerate(paths, start=1):
        shown = shown_name(path.name or str(path), "ścieżka", position)
        if _kind(path) != "dir":
            found.paths.append(path)  # a file (or anything else): the reader says whether it is an export
            continue
        entries = _entries(path, shown)
        if _table_files(entries):
            _refuse_if_ambiguous(path, shown, entries)
            found.paths.append(path)
            continue
        walk = _Walk()
        _walk(path, shown, walk)
        if not walk.exports:
            raise DiscoveryError(
                f"{shown} nie jest eksportem i nie zawiera eksportów: eksport to folder z plikami tabel .csv, archiwum "
                ".zip albo skoroszyt .xlsx (folder eksportów może je mieć także w podfolderach)")
        found.paths += sorted(walk.exports, key=lambda p: (export_date(p) or _LAST, str(p)))
        found.folders.append((path, len(walk.exports)))
        found.skipped += walk.skipped
    return found


def export_date(path: Path) -> date | None:
    """An export's `data_eksportu`, read from its `metadane` table alone; None if it cannot be read."""
    try:
        container = open_container(path, known_hash="not hashed: only its date is read")
        member = container.members.get(METADATA_TABLE)
        if member is None:
            return None
        frame = read_xlsx_member(container, member) if container.kind == "xlsx" else parse_csv_file(inspect_csv_member(member))
        keys = frame.select(pl.col("klucz").cast(pl.String).str.strip_chars().str.to_lowercase().alias("k"),
                            pl.col("wartosc").cast(pl.String).str.strip_chars().alias("v"))
        values = keys.filter(pl.col("k") == "data_eksportu")["v"].to_list()
    except (ExportRejected, OSError, pl.exceptions.PolarsError, KeyError, ValueError):
        return None
    if len(values) != 1 or values[0] is None:
        return None
    parsed = pl.DataFrame({"t": values}).select(date_expr(pl.col("t"), container.kind == "xlsx")).to_series()[0]
    return parsed
