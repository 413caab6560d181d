"""Open an export container (folder, .zip, .xlsx) and find its tables.

Nothing is parsed here: a container lists its members (one per table) and
says which files or sheets are missing, duplicated or not allowed; only
regular files are ever opened, and a zip's declared sizes are checked first.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from pipeline.contract import ALL_TABLE_NAMES, TABLES
from pipeline.grammar import number
from pipeline.problems import ExportRejected, Problem, cut_list, issue
from pipeline.read.instruction_sheet import unchanged_instruction_sheets
from pipeline.read.limits import DEFAULT_LIMITS, MIB, ReadLimits
from pipeline.read.personal import NAME_WITH_PERSONAL_DATA, personal_kinds, shown_name

MISSING_TABLE = issue("STR-001", "brak wymaganej tabeli")
NOT_ALLOWED = issue("STR-002", "niedozwolony plik, arkusz albo folder w eksporcie")
DUPLICATE_TABLE = issue("STR-003", "tabela występuje w eksporcie dwa razy")
UNREADABLE_CONTAINER = issue("STR-004", "eksportu nie da się otworzyć (uszkodzony, pusty albo nieznanego rodzaju)")
TOO_BIG = issue("STR-005", "eksport albo jego plik przekracza limit rozmiaru albo stopnia kompresji")
NOT_A_FILE = issue("STR-006", "plik tabeli nie jest zwykłym plikiem (potok, urządzenie albo zerwane dowiązanie)")
ENCRYPTED = issue("STR-007", "archiwum zip jest zaszyfrowane albo używa nieobsługiwanej metody kompresji")

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
    compressed: int | None = None  # a zip member's compressed size (for the ratio limit)


@dataclass
class Container:
    """An export on disk, its content hash and its members by table name."""

    path: Path
    kind: ContainerKind
    content_hash: str
    members: dict[str, Member] = field(default_factory=dict)
    xlsx_bytes: bytes | None = None
    problems: list[Problem] = field(default_factory=list)  # files or sheets not allowed, missing or doubled

    @property
    def name(self) -> str:
        return self.path.name


def _hash_stream(h: hashlib._Hash, stream: BinaryIO) -> None:
    while chunk := stream.read(_CHUNK):
        h.update(chunk)


def _not_allowed(shown: list[str], what: str, rule: str) -> list[Problem]:
    """One problem for every file, member or sheet that is not allowed (the list cut after ten)."""
    if not shown:
        return []
    what = what if len(shown) == 1 else _PLURAL.get(what, what)
    return [NOT_ALLOWED.problem(f"niedozwolon{'y' if len(shown) == 1 else 'e'} {what} ({len(shown)}): {cut_list(shown)}; {rule}")]


_PLURAL = {"plik": "pliki", "arkusz": "arkusze", "plik w archiwum": "pliki w archiwum", "człon archiwum": "człony archiwum"}


def _classify(names: list[tuple[str, str]], ext: str, where: str) -> tuple[dict[str, str], list[Problem]]:
    """Match member names (original, stem) to tables; report unknown and duplicate ones."""
    found: dict[str, str] = {}
    problems: list[Problem] = []
    unknown: list[str] = []
    for position, (original, stem) in enumerate(names, start=1):
        table = stem.strip().lower()
        if table not in ALL_TABLE_NAMES:
            unknown.append(shown_name(original, where, position))
        elif table in found:
            problems.append(DUPLICATE_TABLE.problem(f"tabela {table} występuje w eksporcie dwa razy"))
        else:
            found[table] = original
    problems += _not_allowed(unknown, where, f"eksport może zawierać tylko tabele {', '.join(ALL_TABLE_NAMES)} "
                             "(inne pliki mogą zawierać dane osobowe)")
    for table in ALL_TABLE_NAMES:
        if table not in found and not (table in TABLES and TABLES[table].optional):
            problems.append(MISSING_TABLE.problem(f"brak wymaganej tabeli {table} ({where} {table}{ext})", table=table))
    return found, problems


_KINDS = ((stat.S_ISFIFO, "potok nazwany"), (stat.S_ISCHR, "urządzenie"), (stat.S_ISBLK, "urządzenie"),
          (stat.S_ISSOCK, "gniazdo"), (stat.S_ISDIR, "folder"))


def file_kind(path: Path) -> str | None:
    """None for a regular file (a link to one counts), else what it is, in words; never opens it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # a dangling or looping link, or no permission
        return "zerwane albo zapętlone dowiązanie" if os.path.islink(path) else "plik niedostępny"
    if stat.S_ISREG(mode):
        return None
    return next((word for test, word in _KINDS if test(mode)), "plik specjalny")


def _personal_names(names: list[str], what: str) -> list[Problem]:
    """A problem naming by position every name that holds personal data."""
    hits = [f"{what} nr {i}" for i, name in enumerate(names, start=1) if personal_kinds(name)]
    if not hits:
        return []
    return [NAME_WITH_PERSONAL_DATA.problem(
        f"nazwa zawiera dane osobowe ({len(hits)}): {cut_list(hits)}; nazwy nie pokazujemy")]


def _opener(p: Path, kept: dict[Path, bytes] | None) -> Callable[[], BinaryIO]:
    """How a folder's file is opened: first from the bytes its hashing kept (taken once, then from disk)."""

    def open_csv() -> BinaryIO:
        data = kept.pop(p, None) if kept is not None else None
        return io.BytesIO(data) if data is not None else p.open("rb")

    return open_csv


def _open_folder(path: Path, known_hash: str | None, kept: dict[Path, bytes] | None = None) -> Container:
    names = []
    problems: list[Problem] = []
    try:
        entries = sorted(path.iterdir())  # hidden files too: the contract allows nothing but the tables
    except OSError as e:
        why = "brak uprawnień do odczytu" if isinstance(e, PermissionError) else type(e).__name__
        raise ExportRejected([UNREADABLE_CONTAINER.problem(
            f"nie można odczytać folderu eksportu ({why}); nadaj uprawnienia do odczytu i wczytaj go ponownie")]) from None
    problems += _personal_names([f.name for f in entries], "plik")
    wrong, special = [], []
    for position, f in enumerate(entries, start=1):
        kind = file_kind(f)
        if kind == "folder" or f.suffix.lower() != ".csv":
            wrong.append(shown_name(f.name, "plik", position))
        elif kind is not None:
            special.append(f"{shown_name(f.name, 'plik', position)} ({kind})")
        else:
            names.append((f.name, f.stem))
    problems += _not_allowed(wrong, "plik", "w folderze eksportu mogą być tylko pliki tabel .csv")
    if special:
        problems.append(NOT_A_FILE.problem(f"plik tabeli nie jest zwykłym plikiem ({len(special)}): {cut_list(special)}"))
    found, more = _classify(names, ".csv", "plik")
    problems += more
    container = Container(path, "folder", known_hash or content_hash(path), problems=problems)
    for table, original in found.items():
        p = path / original
        container.members[table] = Member(table, original, open_csv=_opener(p, kept), path=p)
    return container


_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


def _zip_limits(infos: list[zipfile.ZipInfo], limits: ReadLimits) -> list[Problem]:
    """Encryption, compression method and the sizes the archive declares (checked again while reading)."""
    problems: list[Problem] = []
    names = {id(i): shown_name(i.filename, "człon archiwum", n) for n, i in enumerate(infos, start=1)}

    def listed(test: Callable[[zipfile.ZipInfo], bool]) -> list[str]:
        return [names[id(i)] for i in infos if test(i)]

    if encrypted := listed(lambda i: bool(i.flag_bits & 0x1)):
        problems.append(ENCRYPTED.problem(f"archiwum zip jest zaszyfrowane (hasło): {cut_list(encrypted)}; "
                                          "prosimy o eksport bez hasła"))
    if unsupported := listed(lambda i: i.compress_type not in _COMPRESSIONS):
        problems.append(ENCRYPTED.problem(f"nieobsługiwana metoda kompresji: {cut_list(unsupported)}; "
                                          "obsługiwane: bez kompresji, Deflate, BZIP2, LZMA"))
    if big := listed(lambda i: i.file_size > limits.member_bytes):
        problems.append(TOO_BIG.problem(f"po rozpakowaniu przekracza {limits.member_bytes // MIB} MiB: {cut_list(big)}"))
    if packed := listed(lambda i: i.file_size > limits.ratio_floor and i.file_size > limits.ratio * max(i.compress_size, 1)):
        problems.append(TOO_BIG.problem(f"skompresowany ponad {limits.ratio}:1 (archiwum podejrzane: tak wygląda m.in. "
                                        f"plik z samych pustych wierszy): {cut_list(packed)}"))
    if sum(i.file_size for i in infos) > limits.export_bytes:
        problems.append(TOO_BIG.problem(f"archiwum po rozpakowaniu przekracza {limits.export_bytes // MIB} MiB"))
    return problems


def _open_zip(path: Path, known_hash: str | None, limits: ReadLimits) -> Container:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
    except PermissionError:
        raise ExportRejected([UNREADABLE_CONTAINER.problem(
            "nie można odczytać archiwum (brak uprawnień do odczytu); nadaj uprawnienia i wczytaj je ponownie")]) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise ExportRejected(
            [UNREADABLE_CONTAINER.problem(f"archiwum zip jest uszkodzone lub niekompletne ({type(e).__name__})")]
        ) from None
    unsafe = _zip_limits(infos, limits)  # reading such a member is not safe: the export is not read at all
    if unsafe:
        raise ExportRejected(_personal_names([i.filename for i in infos], "człon archiwum") + unsafe)
    problems = _personal_names([i.filename for i in infos], "człon archiwum")
    folders = {Path(i.filename).parent.as_posix() for i in infos}
    if len(folders) > 1:
        problems.append(NOT_ALLOWED.problem("pliki tabel muszą leżeć w korzeniu archiwum albo w jednym folderze"))
    names, wrong = [], []
    for position, i in enumerate(infos, start=1):
        p = Path(i.filename)
        if p.suffix.lower() != ".csv":
            wrong.append(shown_name(p.name, "człon archiwum", position))
            continue
        names.append((i.filename, p.stem))
    problems += _not_allowed(wrong, "plik w archiwum", "dozwolone są tylko pliki tabel .csv")
    found, more = _classify(names, ".csv", "plik")
    problems += more
    container = Container(path, "zip", known_hash or _file_hash(path), problems=problems)
    sizes = {i.filename: i.compress_size for i in infos}
    for table, original in found.items():
        container.members[table] = Member(
            # the label names the file, never the folder it lies in (a folder may be named after a person)
            table, f"{path.name}/{Path(original).name}", open_csv=lambda o=original: _zip_member(path, o), compressed=sizes[original]
        )
    return container


@contextmanager
def _zip_member(path: Path, name: str) -> Iterator[BinaryIO]:
    """Open one file inside a zip, closing the archive with it."""
    with zipfile.ZipFile(path) as zf, zf.open(name) as member:
        yield member


def _open_xlsx(path: Path, limits: ReadLimits) -> Container:
    import fastexcel

    if path.stat().st_size > limits.export_bytes:
        raise ExportRejected([TOO_BIG.problem(f"skoroszyt przekracza {limits.export_bytes // MIB} MiB")])
    check_xlsx_parts(path, limits)
    try:
        data = path.read_bytes()
        reader = fastexcel.read_excel(data)
        sheets = list(reader.sheet_names)
    except Exception as e:  # fastexcel raises its own error types for broken workbooks
        raise ExportRejected(
            [UNREADABLE_CONTAINER.problem(f"skoroszyt .xlsx jest uszkodzony lub nieczytelny ({type(e).__name__})")]
        ) from None
    help_sheets = unchanged_instruction_sheets(reader, sheets)  # the template's own help, unchanged
    problems = _personal_names(sheets, "arkusz")
    sheets = [s for s in sheets if s not in help_sheets]
    found, more = _classify([(s, s) for s in sheets], "", "arkusz")
    container = Container(path, "xlsx", hashlib.sha256(data).hexdigest(), xlsx_bytes=data, problems=problems + more)
    for table, sheet in found.items():
        container.members[table] = Member(table, f"{path.name}[{sheet}]", sheet=sheet)
    return container


def check_xlsx_parts(path: Path, limits: ReadLimits) -> None:
    """A workbook is a zip too: its parts must keep the size and ratio limits before it is opened, and each sheet's
    used range the range limits (the xlsx reader allocates the whole range: one cell at XFD1048576 would abort the
    process)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            problems = [p for p in _zip_limits(infos, limits) if p.code != ENCRYPTED.code]
            if problems:
                raise ExportRejected(problems)
            problems = _sheet_ranges(zf, limits)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        return  # fastexcel says what is wrong with it
    if problems:
        raise ExportRejected(problems)


# a cell's position attribute, wherever it stands (its tag may be split across slices, its attributes in any order;
# anything else that looks like one only makes the range larger, never smaller)
_CELL_REF = re.compile(rb"\sr=\"([A-Z]{1,3})([0-9]{1,7})\"")
_OVERLAP = 32  # longer than the longest reference ' r="XFD1048576"': one cut by a slice is whole in the next
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\sname=\"([^\"]*)\"[^>]*?\s(?:\w+:)?id=\"([^\"]*)\"")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*?\sId=\"([^\"]*)\"[^>]*?\sTarget=\"([^\"]*)\"|"
                  rb"<(?:\w+:)?Relationship\b[^>]*?\sTarget=\"([^\"]*)\"[^>]*?\sId=\"([^\"]*)\"")


def column_number(letters: bytes) -> int:
    """A column's number from its letters: A = 1, Z = 26, AA = 27, XFD = 16 384."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def column_letters(n: int) -> str:
    """A column's letters from its number: 1 = A, 27 = AA, 16 384 = XFD."""
    letters = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _used_range(stream: BinaryIO) -> tuple[int, int, int, int] | None:
    """(first row, last row, first column, last column) of the cells a sheet's XML names, read in slices."""
    rows: list[int] = []
    columns: set[bytes] = set()
    tail = b""
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        found = _CELL_REF.findall(data)
        if found:
            columns.update(c for c, _ in found)
            numbers = [int(r) for r in {r for _, r in found}]
            rows += [min(numbers), max(numbers)]
        tail = data[-_OVERLAP:]
    if not rows:
        return None
    numbers = [column_number(c) for c in columns]
    return min(rows), max(rows), min(numbers), max(numbers)


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """The workbook's sheet parts (xl/worksheets/....xml) by sheet name, as far as workbook.xml and its rels say."""
    try:
        workbook = zf.read("xl/workbook.xml")[:4 * MIB]
        rels = zf.read("xl/_rels/workbook.xml.rels")[:4 * MIB]
    except KeyError:
        return {}
    targets = {}
    for m in _REL.finditer(rels):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        target = target.decode("utf-8", "replace").lstrip("/")
        targets[rid.decode("utf-8", "replace")] = target if target.startswith("xl/") else f"xl/{target}"
    return {targets[rid.decode("utf-8", "replace")]: name.decode("utf-8", "replace")
            for name, rid in _SHEET.findall(workbook) if rid.decode("utf-8", "replace") in targets}


def _sheet_ranges(zf: zipfile.ZipFile, limits: ReadLimits) -> list[Problem]:
    """A problem for every sheet whose used range is wider than `sheet_columns` or larger than `sheet_cells`."""
    names = _sheet_names(zf)
    problems = []
    for info in zf.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        with zf.open(info) as stream:
            used = _used_range(stream)
        if used is None:
            continue
        first_row, last_row, first_column, last_column = used
        width, height = last_column - first_column + 1, last_row - first_row + 1
        if width <= limits.sheet_columns and width * height <= limits.sheet_cells:
            continue
        sheet = names.get(info.filename)
        shown = f"arkusz {shown_name(sheet, 'arkusz', 1)}" if sheet is not None else "jeden z arkuszy"
        problems.append(TOO_BIG.problem(
            f"{shown} sięga od komórki {column_letters(first_column)}{first_row} do {column_letters(last_column)}"
            f"{last_row} ({number(width * height)} komórek; limit: {limits.sheet_columns} kolumn i "
            f"{number(limits.sheet_cells)} komórek): usuń z arkusza komórki poza tabelą (np. wpis w ostatniej "
            "komórce arkusza) i zapisz go ponownie"))
    return problems


def _file_hash(path: Path) -> str:
    h = hashlib.sha256()
    _hash_file(h, path, None)
    return h.hexdigest()


KEPT_FILE_BYTES = 64 * 1024  # a folder's file this small is kept from its hashing for its reading (one read, not two)


def _hash_file(h: hashlib._Hash, f: Path, kept: dict[Path, bytes] | None) -> None:
    with f.open("rb") as s:
        if kept is None:
            _hash_stream(h, s)
            return
        start = s.read(KEPT_FILE_BYTES + 1)
        h.update(start)
        if len(start) <= KEPT_FILE_BYTES:
            kept[f] = start
        else:
            _hash_stream(h, s)


def content_hash(path: Path, kept: dict[Path, bytes] | None = None) -> str:
    """The hash that identifies an export's content (folder: names and bytes of its files).  `kept`, if given,
    gets the bytes of a folder's small files (see `open_container`), so that reading them opens none again."""
    kind = file_kind(path)
    h = hashlib.sha256()
    if kind == "folder":
        try:
            files = sorted(p for p in path.iterdir() if file_kind(p) is None)  # never opens a pipe or a device
        except OSError:  # a folder it may not read: the reader rejects it
            return "unreadable:" + hashlib.sha256(str(path).encode(errors="surrogateescape")).hexdigest()
        for f in files:
            h.update(f.name.lower().encode() + b"\0")
            try:
                _hash_file(h, f, kept)
            except OSError:  # unreadable: the reader rejects it
                h.update(b"\0unreadable")
        return h.hexdigest()
    if kind is not None:  # not a file: the reader rejects it; its hash is never that of content
        return "not-a-file:" + hashlib.sha256(str(path).encode(errors="surrogateescape")).hexdigest()
    try:
        return _file_hash(path)
    except OSError:
        return "unreadable:" + hashlib.sha256(str(path).encode(errors="surrogateescape")).hexdigest()


def open_container(path: Path, known_hash: str | None = None, limits: ReadLimits = DEFAULT_LIMITS,
                   kept: dict[Path, bytes] | None = None) -> Container:
    """Open an export (its `content_hash` may be given if already computed); raise ExportRejected when
    it cannot be opened or reading it would not be safe (size, compression, encryption).  Files or sheets
    that are not allowed, missing or doubled, and names holding personal data, are the container's
    `problems`: the export is rejected, but its tables are still read, so that one run reports everything.
    `kept`: the bytes of a folder's small files, as `content_hash` kept them (each is read from them once)."""
    kind = file_kind(path)
    if kind == "folder":
        return _open_folder(path, known_hash, kept)
    if kind is not None:
        raise ExportRejected([NOT_A_FILE.problem(f"eksport nie jest zwykłym plikiem ani folderem ({kind})")])
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise ExportRejected([UNREADABLE_CONTAINER.problem("plik eksportu jest pusty (0 bajtów)")])
    if suffix == ".zip":
        return _open_zip(path, known_hash, limits)
    if suffix == ".xlsx":
        return _open_xlsx(path, limits)
    raise ExportRejected(
        [UNREADABLE_CONTAINER.problem("nieznany rodzaj eksportu: oczekiwano folderu z plikami .csv, archiwum .zip albo skoroszytu .xlsx")]
    )
