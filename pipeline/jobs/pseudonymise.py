"""Make the contract's pseudonymous export from an identified one, with a key kept at the centre.

The input has the contract's tables and columns, except that an id may hold identifying text (a
PESEL, a case number, a name), `dzieci` may have `data_urodzenia` instead of `miesiac_urodzenia`,
and plainly identifying columns (`imie`, `nazwisko`, `pesel`, `adres`, ...) may be present.  Every
id becomes a keyed pseudonym (HMAC-SHA256 of the table and the id, shortened, prefixed per table so
that ids of different tables never collide), references are rewritten the same way, a birth date
is cut to its month and identifying columns are dropped.  Any other unknown column stops it: what a
column holds is never guessed.  The same key gives the same pseudonyms every year, so the yearly
exports of one family merge into one history; another key gives others.

Nothing identifying is printed or written anywhere but the source: messages name files, tables,
columns and rows, never a value, and the result is written only after the personal-data scan of
the gate found nothing in it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline.checks.headers import hide_personal_headers, personal
from pipeline.checks.pii import scan_exports
from pipeline.contract import METADATA_TABLE, TABLES, fold
from pipeline.problems import ExportRejected, Problem, cut_list
from pipeline.read.coerce import date_expr
from pipeline.read.containers import check_xlsx_parts
from pipeline.read.export import read_exports
from pipeline.read.limits import DEFAULT_LIMITS
from pipeline.read.mapping import Mapping, apply_to_raw
from pipeline.read.personal import shown_name
from pipeline.read.raw import RawExport, RawTable, read_raw, write_raw, write_zip
from pipeline.read.user_files import KEY_FILE, read_key
from pipeline.read.user_files import label as key_label

KEY_BYTES = 32
_ALPHABET = "abcdefghjkmnpqrstuvwxyz"  # letters only: a pseudonym can never look like a PESEL or a phone number
_CODE_LENGTH = 14  # 23^14 ≈ 1.2e19 pseudonyms per table
IDENTIFYING = ("imie", "imiona", "nazwisko", "nazwiska", "pesel", "adres", "telefon", "email", "e-mail", "data_urodzenia")
BIRTH_DATE = "data_urodzenia"
KEY_MESSAGE = ("utworzono nowy klucz {path} (uprawnienia 600). Przechowuj go w ośrodku i nigdy go nie wysyłaj: "
               "kto ma klucz i dane, może odtworzyć pseudonimy. Używaj tego samego klucza co roku (te same pseudonimy, "
               "historia rodzin się łączy); zgubiony klucz zrywa ciągłość historii.")


class PseudonymiseError(Exception):
    """The input cannot be pseudonymised safely; `problems` say where (never what)."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class Outcome:
    """What was written and what the analyst should know."""

    path: Path
    messages: list[str] = field(default_factory=list)


class KeyFileError(PseudonymiseError):
    """The key file cannot be used (not a regular file, unreadable, too large, not a key): a usage error."""


def load_or_create_key(path: Path) -> tuple[bytes, str | None]:
    """The key in `path` (hex), created with permissions 600 if missing; the message to show when it was created.

    The file is read only when it is a regular file, at most a few kB (a pipe, a device or a dangling link is
    KeyFileError, never opened)."""
    try:
        key = read_key(path, KEY_BYTES)
    except ExportRejected as e:
        raise KeyFileError("plik klucza nie nadaje się do użycia", e.problems) from None
    if key is not None:
        if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            return key, f"uwaga: plik klucza {path.name} mogą czytać inni użytkownicy; ustaw uprawnienia 600 (chmod 600)"
        return key, None
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as e:
        why = "brak uprawnień" if isinstance(e, PermissionError) else type(e).__name__
        raise KeyFileError("plik klucza nie nadaje się do użycia", [KEY_FILE.problem(
            f"nie można utworzyć pliku klucza ({why}); podaj inną ścieżkę", file=key_label(path))]) from None
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex() + "\n")
    os.chmod(path, 0o600)
    return key, KEY_MESSAGE.format(path=path)


def prefix(table: str) -> str:
    """The pseudonyms' prefix of a table: its key column without `id_` (unique, since keys are)."""
    return TABLES[table].key.removeprefix("id_")


def pseudonym(key: bytes, table: str, value: str) -> str:
    """The keyed pseudonym of one id of `table`."""
    digest = hmac.new(key, f"{table}\x1f{value}".encode(), hashlib.sha256).digest()
    n = int.from_bytes(digest[:12], "big")
    code = []
    for _ in range(_CODE_LENGTH):
        n, r = divmod(n, len(_ALPHABET))
        code.append(_ALPHABET[r])
    return f"{prefix(table)}-{''.join(code)}"


def _id_text(s: pl.Expr) -> pl.Expr:
    """An id cell as compared: trimmed, empty = missing, a whole number Excel stored as `123.0` without `.0`."""
    s = s.str.strip_chars().replace("", None)
    return pl.when(s.str.contains(r"^\d+\.0$")).then(s.str.replace(r"\.0$", "")).otherwise(s)


def _pseudonymise_column(frame: pl.DataFrame, column: str, table: str, key: bytes) -> pl.DataFrame:
    ids = frame.select(_id_text(pl.col(column)).alias(column))[column]
    distinct = [v for v in ids.unique().to_list() if v is not None]
    mapping = {v: pseudonym(key, table, v) for v in distinct}
    if len(set(mapping.values())) != len(mapping):
        raise PseudonymiseError(f"dwa różne identyfikatory tabeli {table} dostały ten sam pseudonim; użyj innego klucza")
    return frame.with_columns(ids.replace_strict(mapping, default=None, return_dtype=pl.String).alias(column))


def _is_identifying(header: str) -> bool:
    name = fold(header).replace(" ", "_").replace("-", "_")
    return name in {n.replace("-", "_") for n in IDENTIFYING}


def _unknown_column(table: str, label: str, position: int, header: str) -> Problem:
    from pipeline.read.tables import UNKNOWN_COLUMN

    return UNKNOWN_COLUMN.problem(
        f"nieznana kolumna nr {position}: nie wiadomo, co zawiera, więc pseudonimizacja jej nie przepuści; usuń ją, "
        "nazwij jak kolumnę kontraktu albo dodaj do [pomin] w mapowaniu", file=label, table=table, column=header.strip())


def _birth_month(frame: pl.DataFrame, label: str, excel: bool) -> pl.DataFrame:
    """`data_urodzenia` cut to `miesiac_urodzenia` (RRRR-MM); a cell that is not a date stops it (never copied)."""
    text = pl.col(BIRTH_DATE).str.strip_chars().replace("", None)
    parsed = frame.select(date_expr(text, excel).alias("d"), text.alias("t"), pl.int_range(2, frame.height + 2).alias("row"))
    bad = parsed.filter(pl.col("t").is_not_null() & pl.col("d").is_null())["row"].to_list()
    if bad:
        raise PseudonymiseError("data urodzenia, której nie da się odczytać jako daty, nie zostanie przepisana",
                                [Problem("TYP-001", "niepoprawna data urodzenia: oczekiwano RRRR-MM-DD albo DD.MM.RRRR",
                                         file=label, table="dzieci", column=BIRTH_DATE, rows=bad[:10], count=len(bad))])
    return frame.drop(BIRTH_DATE).with_columns(parsed["d"].dt.strftime("%Y-%m").alias("miesiac_urodzenia"))


def _transform(raw: RawExport, key: bytes) -> tuple[RawExport, list[str], int]:
    """The pseudonymous tables; the identifying columns dropped (named by table) and the ids replaced."""
    problems: list[Problem] = []
    dropped: list[str] = []
    replaced = 0
    tables: list[RawTable] = []
    for t in raw.tables:
        name = t.name.strip().lower()
        if name not in TABLES and name != METADATA_TABLE:
            continue  # a file the contract does not know is never copied (it may hold anything): see left_out
        if name == METADATA_TABLE:
            tables.append(RawTable(name, t.label, t.frame, t.bom))  # the contract reader judges the metadata
            continue
        spec = TABLES[name]
        frame = t.frame.rename({c: c.strip().lower() for c in t.frame.columns})
        keep = []
        for position, (header, column) in enumerate(zip(t.frame.columns, frame.columns, strict=True), start=1):
            birth_date = name == "dzieci" and fold(column) == BIRTH_DATE and "miesiac_urodzenia" not in frame.columns
            if column in spec.column_names or birth_date:
                keep.append(column)
            elif _is_identifying(column):
                dropped.append(f"{column} ({name})")
            else:
                problems.append(_unknown_column(name, t.label, position, header))
        if problems:
            continue
        frame = frame.select(keep)
        if BIRTH_DATE in frame.columns:
            frame = _birth_month(frame, t.label, raw.kind == "xlsx")
        for c in spec.columns:
            if c.type == "id" and c.name in frame.columns:
                frame = _pseudonymise_column(frame, c.name, c.references or name, key)
                replaced += frame[c.name].drop_nulls().len()
        tables.append(RawTable(name, t.label, frame, t.bom))  # the input's BOM kept
    if problems:
        raise PseudonymiseError("eksport ma kolumny, których pseudonimizacja nie przepuszcza", hide_personal_headers(problems))
    return RawExport(raw.path, raw.kind, tables, {}), dropped, replaced


def left_out(raw: RawExport) -> list[str]:
    """The files or sheets of the source that are not tables of the contract (never copied), by safe name."""
    names = [f"{t.name}.csv" if raw.kind != "xlsx" else t.name for t in raw.tables
             if t.name.strip().lower() not in TABLES and t.name.strip().lower() != METADATA_TABLE]
    names += list(raw.other)
    what = "arkusz" if raw.kind == "xlsx" else "plik"
    return [shown_name(n, what, i) for i, n in enumerate(names, start=1)]


def _check_output(path: Path) -> list[Problem]:
    """The result's reading and personal-data problems (the gate's scan), headers hidden if need be."""
    (data,) = read_exports([path])
    return hide_personal_headers(list(data.problems)) + scan_exports([data])[0]


def pseudonymise(source: Path, key_file: Path, out_dir: Path, mapping: Mapping | None = None) -> Outcome:
    """Write the pseudonymous export of `source` into `out_dir` (same name and container kind)."""
    if personal([source.name])[0]:
        raise PseudonymiseError("nazwa eksportu wygląda na dane osobowe: zmień ją przed pseudonimizacją")
    target = out_dir / source.name
    if target.exists():
        raise PseudonymiseError(f"{target} już istnieje: wskaż inny folder wyjściowy albo usuń poprzedni wynik")
    key, key_message = load_or_create_key(key_file)
    try:
        if source.suffix.lower() == ".xlsx" and source.is_file():
            check_xlsx_parts(source, DEFAULT_LIMITS)  # sizes and each sheet's used range, before the reader allocates it
        raw = read_raw(source)
    except ExportRejected as e:
        raise PseudonymiseError("eksportu nie da się odczytać", e.problems) from None
    if mapping is not None:
        try:
            raw = apply_to_raw(raw, mapping)
        except ExportRejected as e:  # two columns of one name once mapped (MAP-003)
            raise PseudonymiseError("mapowanie nie pasuje do eksportu", e.problems) from None
    result, dropped, replaced = _transform(raw, key)
    skipped = left_out(raw)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".pseudonimizacja-", dir=out_dir) as tmp:
        staged = Path(tmp) / source.name
        if result.kind == "zip":
            folder = write_raw(result, Path(tmp) / "folder")
            write_zip(folder, staged)
        else:
            write_raw(result, staged)
        problems = _check_output(staged)
        pii = [p for p in problems if p.code.startswith("PII-")]
        if pii:
            raise PseudonymiseError("dane osobowe poza identyfikatorami: wynik nie został zapisany; usuń je w źródle", pii)
        shutil.move(str(staged), target)
    messages = [m for m in (key_message,) if m]
    messages.append(f"zapisano {target}: zastąpiono {replaced} identyfikatorów pseudonimami"
                    + (f", usunięto kolumny identyfikujące: {', '.join(dropped)}" if dropped else ""))
    if skipped:
        messages.append(f"nie skopiowano plików spoza kontraktu ({len(skipped)}): {cut_list(skipped)}; "
                        "pseudonimizacja przepisuje tylko tabele kontraktu i metadane")
    if problems:
        messages.append("wynik ma problemy, które pokaże też validate (popraw je w źródle):")
        messages += [f"    - {p.describe()}" for p in problems]
    return Outcome(target, messages)
