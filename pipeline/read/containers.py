"""Open an export container (folder, .zip, .xlsx) and find its tables.

Nothing is parsed here: a container lists its members (one per table) and
says which files or sheets are missing, duplicated or not allowed.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from pipeline.contract import ALL_TABLE_NAMES, TABLES
from pipeline.problems import ExportRejected, Problem, issue
from pipeline.read.instruction_sheet import unchanged_instruction_sheets

MISSING_TABLE = issue("STR-001", "brak wymaganej tabeli")
NOT_ALLOWED = issue("STR-002", "niedozwolony plik, arkusz albo folder w eksporcie")
DUPLICATE_TABLE = issue("STR-003", "tabela występuje w eksporcie dwa razy")
UNREADABLE_CONTAINER = issue("STR-004", "eksportu nie da się otworzyć (uszkodzony, pusty albo nieznanego rodzaju)")

ContainerKind = Literal["folder", "zip", "xlsx"]
_CHUNK = 1 << 20


@dataclass
class Member:
    """One table's source inside a container: a CSV stream or an xlsx sheet."""

    table: str
    label: str  # how messages name it, e.g. "dzieci.csv" or "arkusz dzieci"
    open_csv: Callable[[], BinaryIO] | None = None
    sheet: str | None = None
    path: Path | None = None  # the CSV file itself, when it lies in a folder


@dataclass
class Container:
    """An export on disk, its content hash and its members by table name."""

    path: Path
    kind: ContainerKind
    content_hash: str
    members: dict[str, Member] = field(default_factory=dict)
    xlsx_bytes: bytes | None = None
    problems: list[Problem] = field(default_factory=list)  # files or sheets not allowed, or missing: its tables are still read

    @property
    def name(self) -> str:
        return self.path.name


def _hash_stream(h: hashlib._Hash, stream: BinaryIO) -> None:
    while chunk := stream.read(_CHUNK):
        h.update(chunk)


def _classify(names: list[tuple[str, str]], ext: str, where: str) -> tuple[dict[str, str], list[Problem]]:
    """Match member names (original, stem) to tables; report unknown and duplicate ones."""
    found: dict[str, str] = {}
    problems: list[Problem] = []
    for original, stem in names:
        table = stem.strip().lower()
        if table not in ALL_TABLE_NAMES:
            problems.append(NOT_ALLOWED.problem(
                f"niedozwolony {where} {original!s}: eksport może zawierać tylko tabele "
                f"{', '.join(ALL_TABLE_NAMES)} (inne pliki mogą zawierać dane osobowe)"))
        elif table in found:
            problems.append(DUPLICATE_TABLE.problem(f"tabela {table} występuje w eksporcie dwa razy"))
        else:
            found[table] = original
    for table in ALL_TABLE_NAMES:
        if table not in found and not (table in TABLES and TABLES[table].optional):
            problems.append(MISSING_TABLE.problem(f"brak wymaganej tabeli {table} ({where} {table}{ext})", table=table))
    return found, problems


def _open_folder(path: Path, known_hash: str | None) -> Container:
    names = []
    problems: list[Problem] = []
    for f in sorted(path.iterdir()):  # hidden files too: the contract allows nothing but the tables
        if f.is_dir() or f.suffix.lower() != ".csv":
            problems.append(NOT_ALLOWED.problem(f"niedozwolony plik {f.name}: w folderze eksportu mogą być tylko pliki tabel .csv"))
            continue
        names.append((f.name, f.stem))
    found, more = _classify(names, ".csv", "plik")
    problems += more
    container = Container(path, "folder", known_hash or content_hash(path), problems=problems)
    for table, original in found.items():
        p = path / original
        container.members[table] = Member(table, original, open_csv=lambda p=p: p.open("rb"), path=p)
    return container


def _open_zip(path: Path, known_hash: str | None) -> Container:
    try:
        zf = zipfile.ZipFile(path)
        infos = [i for i in zf.infolist() if not i.is_dir()]
        bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise ExportRejected(
            [UNREADABLE_CONTAINER.problem(f"archiwum zip jest uszkodzone lub niekompletne ({type(e).__name__})")]
        ) from None
    if bad is not None:
        raise ExportRejected([UNREADABLE_CONTAINER.problem(f"archiwum zip jest uszkodzone (plik {bad})")])
    folders = {Path(i.filename).parent.as_posix() for i in infos}
    problems: list[Problem] = []
    if len(folders) > 1:
        problems.append(NOT_ALLOWED.problem("pliki tabel muszą leżeć w korzeniu archiwum albo w jednym folderze"))
    names = []
    for i in infos:
        p = Path(i.filename)
        if p.suffix.lower() != ".csv":
            problems.append(NOT_ALLOWED.problem(f"niedozwolony plik {p.name} w archiwum: dozwolone są tylko pliki tabel .csv"))
            continue
        names.append((i.filename, p.stem))
    found, more = _classify(names, ".csv", "plik")
    problems += more
    container = Container(path, "zip", known_hash or _file_hash(path), problems=problems)
    for table, original in found.items():
        container.members[table] = Member(
            table, f"{path.name}/{original}", open_csv=lambda o=original: _zip_member(path, o)
        )
    return container


@contextmanager
def _zip_member(path: Path, name: str) -> Iterator[BinaryIO]:
    """Open one file inside a zip, closing the archive with it."""
    with zipfile.ZipFile(path) as zf, zf.open(name) as member:
        yield member


def _open_xlsx(path: Path) -> Container:
    import fastexcel

    data = path.read_bytes()
    try:
        reader = fastexcel.read_excel(data)
        sheets = list(reader.sheet_names)
    except Exception as e:  # fastexcel raises its own error types for broken workbooks
        raise ExportRejected(
            [UNREADABLE_CONTAINER.problem(f"skoroszyt .xlsx jest uszkodzony lub nieczytelny ({type(e).__name__})")]
        ) from None
    help_sheets = unchanged_instruction_sheets(reader, sheets)  # the template's own help, unchanged
    sheets = [s for s in sheets if s not in help_sheets]
    found, problems = _classify([(s, s) for s in sheets], "", "arkusz")
    container = Container(path, "xlsx", hashlib.sha256(data).hexdigest(), xlsx_bytes=data, problems=problems)
    for table, sheet in found.items():
        container.members[table] = Member(table, f"{path.name}[{sheet}]", sheet=sheet)
    return container


def _file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as s:
        _hash_stream(h, s)
    return h.hexdigest()


def content_hash(path: Path) -> str:
    """The hash that identifies an export's content (folder: names and bytes of its files)."""
    if path.is_dir():
        h = hashlib.sha256()
        for f in sorted(p for p in path.iterdir() if p.is_file()):
            h.update(f.name.lower().encode() + b"\0")
            with f.open("rb") as s:
                _hash_stream(h, s)
        return h.hexdigest()
    return _file_hash(path)


def open_container(path: Path, known_hash: str | None = None) -> Container:
    """Open an export (its `content_hash` may be given if already computed); raise ExportRejected when
    it cannot be opened.  Files or sheets that are not allowed, missing or doubled are the container's
    `problems`: the export is rejected, but its tables are still read, so that one run reports everything."""
    if path.is_dir():
        return _open_folder(path, known_hash)
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise ExportRejected([UNREADABLE_CONTAINER.problem("plik eksportu jest pusty (0 bajtów)")])
    if suffix == ".zip":
        return _open_zip(path, known_hash)
    if suffix == ".xlsx":
        return _open_xlsx(path)
    raise ExportRejected(
        [UNREADABLE_CONTAINER.problem("nieznany rodzaj eksportu: oczekiwano folderu z plikami .csv, archiwum .zip albo skoroszytu .xlsx")]
    )
