"""Files a user names on the command line beside the exports: the centre's templates (`report --templates DIR`)
and the pseudonymisation key (`pseudonymise --key FILE`).

Each is opened only when it is a regular file (never a pipe, a device or a dangling link: those would hang or
exhaust memory) and read with a size cap.  Their codes are issued here, beside that check; the renderer
(`pipeline.outputs.templating`) reports every template problem with the SZB codes.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.problems import Code, ExportRejected, issue
from pipeline.read.containers import file_kind
from pipeline.read.names import safe_name

TEMPLATE_FILE = issue("SZB-001", "plik szablonu nie jest zwykłym plikiem, jest niedostępny albo przekracza limit rozmiaru")
TEMPLATE_SYNTAX = issue("SZB-002", "błąd składni szablonu")
TEMPLATE_UNDEFINED = issue("SZB-003", "szablon używa nazwy, której nie ma w danych raportu")
TEMPLATE_FORBIDDEN = issue("SZB-004", "szablon sięga poza dane raportu (niedozwolone: szablon nie może uruchamiać kodu)")
TEMPLATE_OTHER = issue("SZB-005", "szablonu nie da się wypełnić")
KEY_FILE = issue("KLU-001", "plik klucza pseudonimizacji nie jest zwykłym plikiem, jest niedostępny albo przekracza "
                            "limit rozmiaru")
KEY_INVALID = issue("KLU-002", "plik klucza nie zawiera klucza pseudonimizacji")

MAX_TEMPLATE_BYTES = 1 << 20  # the shipped templates are a few kB; a megabyte of wording is no report
MAX_KEY_BYTES = 4096  # a key is 64 hexadecimal digits and a newline


def label(path: Path) -> str:
    """How messages name a file a user gave: its file name, made safe to print."""
    return safe_name(path.name) or "(nazwa ukryta)"


template_label = label


def read_capped(path: Path, cap: int, code: Code, what: str) -> bytes | None:
    """The bytes of `path`, None when nothing is there; ExportRejected with `code` when it is not a regular file
    (a dangling link included), cannot be read or holds more than `cap` bytes.  `what` names it ("szablon")."""
    if not path.exists() and not path.is_symlink():
        return None
    shown = label(path)
    kind = file_kind(path)
    if kind is not None:
        raise ExportRejected([code.problem(f"{what} nie jest zwykłym plikiem ({kind}); podaj zwykły plik", file=shown)])
    try:
        with path.open("rb") as f:
            data = f.read(cap + 1)
    except OSError as e:
        why = "brak uprawnień do odczytu" if isinstance(e, PermissionError) else type(e).__name__
        raise ExportRejected([code.problem(f"{what}: nie można odczytać pliku ({why})", file=shown)]) from None
    if len(data) > cap:
        limit = f"{cap >> 20} MiB" if cap >= 1 << 20 else f"{cap} bajtów"
        raise ExportRejected([code.problem(f"{what} przekracza {limit}", file=shown)])
    return data


def read_template(path: Path) -> str | None:
    """The text of the template file `path` (UTF-8), None when there is no such file (the shipped one is used);
    ExportRejected with SZB-001 when it is not a regular file, too large or not UTF-8."""
    data = read_capped(path, MAX_TEMPLATE_BYTES, TEMPLATE_FILE, "szablon")
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ExportRejected([TEMPLATE_FILE.problem("szablon nie jest zapisany w UTF-8; zapisz go jako UTF-8",
                                                    file=label(path))]) from None


def read_key(path: Path, length: int) -> bytes | None:
    """The key of `length` bytes written in hex in `path`, None when there is no such file (a new one is made);
    ExportRejected with KLU-001 (not a regular file, unreadable, too large) or KLU-002 (not such a key)."""
    data = read_capped(path, MAX_KEY_BYTES, KEY_FILE, "plik klucza")
    if data is None:
        return None
    try:
        key = bytes.fromhex(data.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != length:
        raise ExportRejected([KEY_INVALID.problem(
            f"plik klucza nie jest kluczem pseudonimizacji ({length} bajtów zapisanych szesnastkowo); podaj plik "
            "klucza ośrodka albo nową ścieżkę (klucz zostanie utworzony)", file=label(path))])
    return key
