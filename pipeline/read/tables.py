"""Read one table (a CSV file or an xlsx sheet) into a frame of trimmed strings.

The frame has the contract's column names and `_row`, the spreadsheet-style
number of the row in its file (the header is row 1), kept for messages.
Encoding is detected per file: UTF-8 if it decodes, otherwise Windows-1250.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import polars as pl

from pipeline.contract import METADATA_COLUMNS, METADATA_TABLE, TABLES, UNDEFINED_CP1250_BYTES
from pipeline.grammar import number
from pipeline.problems import MAX_ITEMS_SHOWN, MAX_ROWS_SHOWN, ExportRejected, Problem, issue
from pipeline.read.batch import EXPORT, ROW, first_rows_by_export
from pipeline.read.containers import TOO_BIG, UNREADABLE_CONTAINER, Container, Member
from pipeline.read.limits import MIB, Budget
from pipeline.read.names import safe_name

BAD_BOM = issue("STR-010", "plik ze znacznikiem UTF-8 (BOM) nie jest poprawnym UTF-8")
BAD_ENCODING = issue("STR-011", "plik nie jest ani w UTF-8, ani w Windows-1250")
EMPTY_FILE = issue("STR-012", "plik albo arkusz jest pusty: brak wiersza nagłówka")
HEADER_TOO_LONG = issue("STR-013", "pierwszy wiersz pliku jest za długi: to nie jest nagłówek tabeli")
BROKEN_CSV = issue("STR-014", "plik CSV jest uszkodzony (nagłówek, cudzysłów albo urwany wiersz)")
EXTRA_FIELDS = issue("STR-015", "wiersz ma więcej pól niż nagłówek")
UNKNOWN_COLUMN = issue("STR-020", "nieznana kolumna (dodatkowe kolumny mogą zawierać dane osobowe)")
MISSING_COLUMN = issue("STR-021", "brak wymaganej kolumny")
DUPLICATE_COLUMN = issue("STR-022", "kolumna występuje dwa razy")
MOSTLY_BLANK = issue("STR-016", "plik składa się głównie z pustych wierszy")
NOT_A_HEADER = issue("STR-023", "pierwszy wiersz pliku nie jest nagłówkiem tabeli (żadna nazwa nie jest kolumną kontraktu)")
HEADER_LIMIT = 64 * 1024
_EXTRA = "__extra__"


def decode(data: bytes, label: str) -> tuple[str, str]:
    """Decode a CSV file; return (text, encoding) or raise ExportRejected."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as e:
        offset = e.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        if data.startswith(b"\xef\xbb\xbf"):
            raise ExportRejected(
                [BAD_BOM.problem(f"plik zaczyna się znacznikiem UTF-8 (BOM), ale nie jest poprawnym UTF-8: "
                         f"pierwszy błędny bajt na pozycji {offset} (licząc od 0)", file=label)]
            ) from None
        undefined = [data.find(bytes([b])) for b in UNDEFINED_CP1250_BYTES]
        if any(pos >= 0 for pos in undefined):
            raise ExportRejected(
                [BAD_ENCODING.problem("plik nie jest ani w UTF-8, ani w Windows-1250: pierwszy bajt "
                         f"niepoprawny w UTF-8 na pozycji {offset} (licząc od 0)", file=label)]
            ) from None
        return data.decode("cp1250"), "windows-1250"


HIDDEN_HEADER = "nazwa kolumny ukryta, bo sama może być danymi osobowymi (PESEL, e-mail, telefon, imię i nazwisko)"


def _unknown_problems(names: list[str], unknown: list[int], expected: list[str], table: str, label: str) -> list[Problem]:
    """The unknown columns of a header: one problem each (named only when the header may be shown, see
    `pipeline.read.names`), or, past `MAX_ITEMS_SHOWN`, one problem that counts them and names the first."""
    allowed = f"dozwolone są tylko kolumny {', '.join(expected)} (dodatkowe kolumny mogą zawierać dane osobowe)"
    if len(unknown) > MAX_ITEMS_SHOWN:
        shown = []
        for i in unknown[:MAX_ITEMS_SHOWN]:
            name = safe_name(names[i])
            shown.append(f"nr {i + 1} „{name}”" if name else f"nr {i + 1} (nazwa ukryta)")
        listed = f"{', '.join(shown)} i {number(len(unknown) - MAX_ITEMS_SHOWN)} więcej"
        return [UNKNOWN_COLUMN.problem(f"nieznane kolumny ({number(len(unknown))}): {listed}; {allowed}",
                                       file=label, table=table)]
    problems = []
    for i in unknown:
        name = safe_name(names[i])
        message = f"nieznana kolumna nr {i + 1}: {allowed}" + ("" if name else f"; {HIDDEN_HEADER}")
        problems.append(UNKNOWN_COLUMN.problem(message, file=label, table=table, column=name))
    return problems


def _map_header(names: list[str], table: str, label: str) -> list[str]:
    """Map raw header names to contract names (case and spaces ignored); reject others.  A header's names are
    shown in messages only when they cannot be personal data (`pipeline.read.names`)."""
    expected = list(METADATA_COLUMNS) if table == METADATA_TABLE else TABLES[table].column_names
    mapped = [n.strip().lower() for n in names]
    unknown = [i for i, n in enumerate(mapped) if n not in expected]
    if len(names) > 1 and len(unknown) == len(names):
        raise ExportRejected([NOT_A_HEADER.problem(
            f"pierwszy wiersz nie jest nagłówkiem tabeli: żadna z jego {number(len(names))} nazw nie jest kolumną "
            f"tabeli {table} (oczekiwano: {', '.join(expected)}); nazw nie pokazujemy, bo mogą to być dane "
            "(np. pierwszy wiersz danych bez nagłówka)", file=label, table=table)])
    problems = _unknown_problems(names, unknown, expected, table, label)
    seen: set[str] = set()
    for n in mapped:
        if n in seen and n in expected:
            problems.append(DUPLICATE_COLUMN.problem("kolumna występuje dwa razy", file=label, table=table, column=n))
        seen.add(n)
    for n in expected:
        if n not in mapped:
            problems.append(MISSING_COLUMN.problem("brak wymaganej kolumny", file=label, table=table, column=n))
    if problems:
        raise ExportRejected(problems)
    return mapped


def _trimmed(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().replace("", None).alias(column)


def _trim(df: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    return df.with_columns(_trimmed(c) for c in columns)


def _header_columns(head: bytes, member: Member) -> list[str]:
    """Check the header line at the start of a file, so a huge wrong file fails before it is read."""
    if not head.strip():
        raise ExportRejected([EMPTY_FILE.problem("plik jest pusty: brak wiersza nagłówka", file=member.label, table=member.table)])
    end = head.find(b"\n")
    if end < 0 and len(head) == HEADER_LIMIT:
        raise ExportRejected(
            [HEADER_TOO_LONG.problem(file=member.label, table=member.table)]
        )
    line = head[: end if end >= 0 else len(head)]
    if line.count(b'"') % 2:  # an unclosed quote: the parser would read every following line as one field
        raise ExportRejected([BROKEN_CSV.problem(
            "wiersz nagłówka ma niedomknięty cudzysłów (\"): dalsze wiersze zostałyby wczytane jako jedno pole; "
            "usuń cudzysłów z nagłówka i zapisz plik ponownie", file=member.label, table=member.table, rows=[1])])
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = line.decode("cp1250", errors="replace")
    try:
        names = next(csv.reader([text.rstrip("\r")], delimiter=";", quotechar='"'), [])
    except csv.Error:  # e.g. a stray carriage return inside the header line
        raise ExportRejected(
            [BROKEN_CSV.problem("wiersz nagłówka jest uszkodzony", file=member.label, table=member.table)]
        ) from None
    return _map_header(names, member.table, member.label)


@dataclass
class CsvFile:
    """A CSV table whose header and encoding were checked, ready to parse.

    Its content, as UTF-8 without a BOM, is either on disk in `source` (the folder's own file, or a
    copy spooled from a zip or another encoding), so that it can be parsed together with others,
    or, when it could not be put there, in memory in `payload`.
    """

    member: Member
    columns: list[str]
    encoding: str
    payload: bytes | None
    source: Path | None = None
    content: bytes | None = None  # the file whole, when it is `source` itself and came in its first read (small)


_BOM = b"\xef\xbb\xbf"
_READ = 1 << 20  # bytes read at a time: a member is never held whole in memory


class _Lines:
    """Counts the lines of a stream, and those that hold nothing but spaces and separators."""

    def __init__(self) -> None:
        self.lines = self.blank = 0
        self._ended_line = False  # the header line is not blank; counting starts after it

    def add(self, chunk: bytes) -> None:
        squeezed = np.frombuffer(chunk.translate(None, b" \t\r;"), dtype=np.uint8)
        if not squeezed.size:
            return
        newline = squeezed == 10
        self.lines += int(newline.sum())
        self.blank += int((newline[1:] & newline[:-1]).sum()) + int(self._ended_line and newline[0])
        self._ended_line = bool(newline[-1])


def _opened(member: Member) -> BinaryIO:
    """Open a member's bytes; a member that cannot be opened or read is a rejection of its export."""
    assert member.open_csv is not None
    try:
        return member.open_csv()
    except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, ValueError) as e:
        raise ExportRejected([UNREADABLE_CONTAINER.problem(f"nie można otworzyć pliku ({type(e).__name__})",
                                                           file=member.label, table=member.table)]) from None


def _open_spool(path: Path) -> BinaryIO:
    """The spool file a member is copied to (a function of its own so that a test can fill the disk)."""
    return path.open("wb")


class _Sink:
    """Where a member's UTF-8 copy goes: the spool file, or memory if the spool has no room."""

    def __init__(self, spool_as: Path | None) -> None:
        self.path = spool_as
        self.file: BinaryIO | None = None
        self.memory: list[bytes] | None = [] if spool_as is None else None
        if spool_as is not None:
            try:
                self.file = _open_spool(spool_as)
            except OSError:
                self.memory = []

    def write(self, data: bytes) -> None:
        if self.file is not None:
            try:
                self.file.write(data)
                return
            except OSError:  # no room for the copy: keep it in memory (it is within the size limit)
                self.file.close()
                self.file = None
                assert self.path is not None
                with self.path.open("rb") as written:
                    self.memory = [written.read()]
        assert self.memory is not None
        self.memory.append(data)

    def close(self) -> tuple[bytes | None, Path | None]:
        """Finish the copy (again: the same answer); return (content in memory, or the spool file)."""
        if self.file is not None:
            try:
                self.file.close()
                self.memory = None
                return None, self.path
            except OSError:
                self.file = None
                assert self.path is not None
                with self.path.open("rb") as written:
                    self.memory = [written.read()]
        if self.memory is None:  # closed before, on disk
            return None, self.path
        return b"".join(self.memory), None


def _too_big(member: Member, read: int, budget: Budget) -> Problem | None:
    limits = budget.limits
    if read > limits.member_bytes:
        return TOO_BIG.problem(f"plik po rozpakowaniu przekracza {limits.member_bytes // MIB} MiB",
                               file=member.label, table=member.table)
    if budget.used + read > limits.export_bytes:
        return TOO_BIG.problem(f"eksport po rozpakowaniu przekracza {limits.export_bytes // MIB} MiB",
                               file=member.label, table=member.table)
    if member.compressed is not None and read > limits.ratio_floor and read > limits.ratio * max(member.compressed, 1):
        return TOO_BIG.problem(f"plik jest skompresowany ponad {limits.ratio}:1 (archiwum podejrzane)",
                               file=member.label, table=member.table)
    return None


def _stream(member: Member, budget: Budget, sink: _Sink | None, bad_offset: int | None = None,
            whole: bytes | None = None) -> tuple[_Lines, int | None]:
    """Read a member once, in slices: check its limits, count its lines and copy it to `sink` as UTF-8.
    Read as UTF-8 unless `bad_offset` (where a UTF-8 pass failed) is given, then as Windows-1250.
    Return the line counts and, reading as UTF-8, the offset of the first byte that is not UTF-8
    (None if every byte is).  `whole`: the member's bytes, when they were all read already (not opened again)."""
    encoding = "utf-8" if bad_offset is None else "windows-1250"
    lines = _Lines()
    decoder = codecs.getincrementaldecoder("utf-8")()
    read = 0
    with io.BytesIO(whole) if whole is not None else _opened(member) as s:
        while True:
            try:
                chunk = s.read(_READ)
            except (OSError, zipfile.BadZipFile, EOFError, zlib.error, ValueError) as e:
                raise ExportRejected([UNREADABLE_CONTAINER.problem(f"plik jest uszkodzony albo urwany ({type(e).__name__})",
                                                                   file=member.label, table=member.table)]) from None
            if not chunk:
                break
            start = read
            read += len(chunk)
            if (too_big := _too_big(member, read, budget)) is not None:
                raise ExportRejected([too_big])
            lines.add(chunk)
            if start == 0 and chunk.startswith(_BOM):
                chunk = chunk[3:]
                start = 3
            if encoding == "utf-8":
                pending = len(decoder.getstate()[0])
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as e:
                    return lines, start - pending + e.start
                if sink is not None:
                    sink.write(chunk)
            else:
                if any(bytes([b]) in chunk for b in UNDEFINED_CP1250_BYTES):
                    raise ExportRejected([BAD_ENCODING.problem(
                        "plik nie jest ani w UTF-8, ani w Windows-1250: pierwszy bajt "
                        f"niepoprawny w UTF-8 na pozycji {bad_offset} (licząc od 0)", file=member.label)])
                assert sink is not None
                sink.write(chunk.decode("cp1250").encode("utf-8"))
        if encoding == "utf-8":
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return lines, read - len(decoder.getstate()[0])
    budget.used += read
    return lines, None


def inspect_csv_member(member: Member, spool_as: Path | None = None, budget: Budget | None = None) -> CsvFile:
    """Check a CSV table's header (from its first 64 KiB), encoding, limits and blank lines, reading it
    once in slices; raise ExportRejected if wrong.

    Content that is not already plain UTF-8 on disk is written, as UTF-8, to `spool_as` (if given, else
    kept in memory)."""
    budget = budget or Budget()
    with _opened(member) as s:
        try:
            head = s.read(HEADER_LIMIT)
            whole = head if len(head) < HEADER_LIMIT and not s.read(1) else None  # a small file: read once, here
        except (OSError, zipfile.BadZipFile, EOFError, zlib.error, ValueError) as e:
            raise ExportRejected([UNREADABLE_CONTAINER.problem(f"plik jest uszkodzony albo urwany ({type(e).__name__})",
                                                               file=member.label, table=member.table)]) from None
    columns = _header_columns(head, member)
    bom = head.startswith(_BOM)
    in_place = member.path is not None and not bom
    used = budget.used
    sink = None if in_place else _Sink(spool_as)
    try:
        lines, bad_offset = _stream(member, budget, sink, whole=whole)
    finally:
        if sink is not None:
            sink.close()
    encoding = "utf-8"
    if bad_offset is not None:
        if bom:
            raise ExportRejected(
                [BAD_BOM.problem(f"plik zaczyna się znacznikiem UTF-8 (BOM), ale nie jest poprawnym UTF-8: "
                         f"pierwszy błędny bajt na pozycji {bad_offset} (licząc od 0)", file=member.label)])
        budget.used = used
        sink = _Sink(spool_as)
        try:
            lines, _ = _stream(member, budget, sink, bad_offset, whole)
        finally:
            sink.close()
        encoding = "windows-1250"
    payload, source = sink.close() if sink is not None else (None, member.path)
    content = whole if sink is None and encoding == "utf-8" else None
    if lines.blank > budget.limits.blank_lines and lines.blank > lines.lines - lines.blank:
        raise ExportRejected([MOSTLY_BLANK.problem(
            f"plik składa się głównie z pustych wierszy ({number(lines.blank)} pustych, "
            f"{number(max(lines.lines - lines.blank - 1, 0))} z danymi)", file=member.label, table=member.table)])
    return CsvFile(member, columns, encoding, payload, source, content)


def _csv_options(columns: list[str]) -> dict:
    schema = {name: pl.String for name in columns} | {_EXTRA: pl.String}
    return dict(separator=";", quote_char='"', has_header=False, skip_rows=1, schema=schema,
                truncate_ragged_lines=True, missing_columns="insert")


def parse_csv_file(file: CsvFile) -> pl.DataFrame:
    """Parse one CSV table into untrimmed strings with `_row` (and `__extra__` for surplus fields);
    `finish_text` trims them and checks the surplus fields for a whole batch at once."""
    source = io.BytesIO(file.payload) if file.payload is not None else file.source
    try:
        return pl.read_csv(source, **_csv_options(file.columns), row_index_name=ROW, row_index_offset=2)
    except pl.exceptions.PolarsError:
        raise ExportRejected(
            [BROKEN_CSV.problem("plik CSV jest uszkodzony (np. niedomknięty cudzysłów albo urwany wiersz)",
                     file=file.member.label, table=file.member.table)]
        ) from None


# A line of its own after each file's rows when files are parsed as one text (`_parse_in_memory`); a file that
# holds it is never parsed that way.  No quote, no separator: it is one field of its own line.
_BOUNDARY = "\x1e\x1fkoniec pliku\x1f\x1e"


def _parse_in_memory(files: list[tuple[int, CsvFile]]) -> pl.DataFrame | None:
    """Parse the rows of many small files (their `content` in memory) as one text, each followed by a boundary
    line; tagged and numbered as `scan_csv_files` does.  A file's rows parse the same in it as alone: the parser
    carries nothing from one line to the next but an open quote, and an open quote would swallow a boundary
    line, which is counted.  None when the boundaries do not come out one per file, in place (the caller
    then scans the files from disk)."""
    boundary = _BOUNDARY.encode()
    parts: list[bytes] = []
    for _, file in files:
        content = file.content
        assert content is not None
        if boundary in content:
            return None
        end = content.find(b"\n")
        body = content[end + 1:] if end >= 0 else b""
        parts.append(body)
        if body and not body.endswith(b"\n"):
            parts.append(b"\n")
        parts.append(boundary + b"\n")
    columns = files[0][1].columns
    try:
        frame = pl.read_csv(io.BytesIO(b"".join(parts)), **(_csv_options(columns) | {"skip_rows": 0}), row_index_name="_index")
    except pl.exceptions.PolarsError:
        return None
    others = [c for c in frame.columns if c not in (columns[0], "_index")]
    is_boundary = ((pl.col(columns[0]) == _BOUNDARY) & pl.all_horizontal(pl.col(c).is_null() for c in others)).fill_null(False)
    marked = frame.with_columns(is_boundary.alias("_boundary"))
    if int(marked["_boundary"].sum()) != len(files) or not marked["_boundary"][-1]:
        return None
    rows = marked.with_columns((pl.col("_boundary").cum_sum() - pl.col("_boundary")).cast(pl.Int64).alias("_file"))
    rows = rows.filter(~pl.col("_boundary"))
    exports = pl.Series(EXPORT, [i for i, _ in files], dtype=pl.Int64).gather(rows["_file"])
    return rows.select(
        (pl.col("_index") - pl.col("_index").min().over("_file") + 2).cast(pl.Int64).alias(ROW),
        pl.exclude("_index", "_file", "_boundary"),
        exports,
    )


def scan_csv_files(files: list[tuple[int, CsvFile]]) -> pl.DataFrame | None:
    """Parse many files of one table with the same header in one go, tagged `_export` (the file-by-file cost
    of polars is paid once): from memory when every one came whole in its first read (`_parse_in_memory`),
    else in one multi-file scan from disk.  None if any of them cannot be parsed: the caller then parses
    them one by one to find which."""
    if all(f.content is not None for _, f in files):
        frame = _parse_in_memory(files)
        if frame is not None:
            return frame
    sources = [str(f.source) for _, f in files]
    assert len(set(sources)) == len(sources), "each file once per scan"
    try:
        scanned = pl.scan_csv(sources, **_csv_options(files[0][1].columns), include_file_paths="_file", row_index_name="_index")
        return scanned.select(
            (pl.col("_index") - pl.col("_index").min().over("_file") + 2).cast(pl.Int64).alias(ROW),
            pl.exclude("_index", "_file"),
            pl.col("_file").replace_strict(sources, [i for i, _ in files], return_dtype=pl.Int64).alias(EXPORT),
        ).collect()
    except pl.exceptions.PolarsError:
        return None


def finish_text(stacked: pl.DataFrame, columns: list[str]) -> tuple[pl.DataFrame, dict[int, tuple[list[int], int]]]:
    """Trim a stacked table of many files, without its blank lines; return it and, per export, the rows
    with more fields than the header."""
    has_extra = pl.col(_EXTRA).str.strip_chars().str.len_chars() > 0
    extra = first_rows_by_export(stacked, has_extra, MAX_ROWS_SHOWN) if _EXTRA in stacked.columns else {}
    trimmed = stacked.select(pl.col(ROW).cast(pl.Int64), *(_trimmed(c) for c in columns), EXPORT,
                             has_extra.fill_null(False).alias(_EXTRA) if _EXTRA in stacked.columns else pl.lit(False).alias(_EXTRA))
    # a line with no value at all (a blank line, or separators only) carries no data: it is not a row
    blank = pl.all_horizontal(pl.col(c).is_null() for c in columns) & ~pl.col(_EXTRA)
    return trimmed.filter(~blank).drop(_EXTRA), extra


def extra_fields_problem(label: str, table: str, columns: int, rows: tuple[list[int], int]) -> Problem:
    """The problem of rows with more fields than the header (the first rows, and how many)."""
    first, count = rows
    return EXTRA_FIELDS.problem(f"wiersz ma więcej pól niż nagłówek ({columns})", file=label, table=table,
                   rows=first, count=count)


def read_xlsx_member(container: Container, member: Member) -> pl.DataFrame:
    """Read one sheet with every cell as text (Excel dates come as 'YYYY-MM-DD HH:MM:SS')."""
    import fastexcel

    reader = fastexcel.read_excel(container.xlsx_bytes)
    try:
        sheet = reader.load_sheet(member.sheet, dtypes="string")
        df = sheet.to_polars()
    except Exception as e:  # fastexcel's own error types
        raise ExportRejected(
            [UNREADABLE_CONTAINER.problem(f"nie można odczytać arkusza ({type(e).__name__})", file=member.label, table=member.table)]
        ) from None
    if df.width == 0:
        raise ExportRejected([EMPTY_FILE.problem("arkusz jest pusty: brak wiersza nagłówka", file=member.label, table=member.table)])
    columns = _map_header([str(c) for c in df.columns], member.table, member.label)
    df = df.rename(dict(zip(df.columns, columns, strict=True)))
    df = df.with_columns(pl.col(c).cast(pl.String) for c in columns)
    df = df.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    df = _trim(df, columns)
    # Rows with no value at all (formatting left by Excel) carry no data.
    return df.filter(~pl.all_horizontal(pl.col(c).is_null() for c in columns)).select([ROW, *columns])
