"""The centre's own template files (`report --templates DIR`): read like every file a user names.

A template is opened only when it is a regular file (never a pipe or a device) and read with a size
cap; the codes of a template that cannot be used are issued here, beside that check, so that the
renderer (`pipeline.outputs.templating`) reports every template problem with a code that never moves.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.problems import ExportRejected, issue
from pipeline.read.containers import file_kind
from pipeline.read.names import safe_name

TEMPLATE_FILE = issue("SZB-001", "plik szablonu nie jest zwykłym plikiem, jest niedostępny albo przekracza limit rozmiaru")
TEMPLATE_SYNTAX = issue("SZB-002", "błąd składni szablonu")
TEMPLATE_UNDEFINED = issue("SZB-003", "szablon używa nazwy, której nie ma w danych raportu")
TEMPLATE_FORBIDDEN = issue("SZB-004", "szablon sięga poza dane raportu (niedozwolone: szablon nie może uruchamiać kodu)")
TEMPLATE_OTHER = issue("SZB-005", "szablonu nie da się wypełnić")

MAX_TEMPLATE_BYTES = 1 << 20  # the shipped templates are a few kB; a megabyte of wording is no report


def template_label(path: Path) -> str:
    """How messages name a template: its file name, made safe to print."""
    return safe_name(path.name) or "(nazwa ukryta)"


def read_template(path: Path) -> str | None:
    """The text of the template file `path` (UTF-8), None when there is no such file (the shipped one is used).

    A path that is not a regular file, cannot be read, is larger than MAX_TEMPLATE_BYTES or is not UTF-8 raises
    ExportRejected with SZB-001."""
    if not path.exists() and not path.is_symlink():
        return None
    label = template_label(path)
    kind = file_kind(path)
    if kind is not None:
        raise ExportRejected([TEMPLATE_FILE.problem(f"szablon nie jest zwykłym plikiem ({kind}); podaj plik tekstowy",
                                                    file=label)])
    try:
        with path.open("rb") as f:
            data = f.read(MAX_TEMPLATE_BYTES + 1)
    except OSError:
        raise ExportRejected([TEMPLATE_FILE.problem("szablonu nie da się odczytać (brak uprawnień?)", file=label)]) from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ExportRejected([TEMPLATE_FILE.problem(f"szablon przekracza {MAX_TEMPLATE_BYTES >> 20} MiB", file=label)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ExportRejected([TEMPLATE_FILE.problem("szablon nie jest zapisany w UTF-8; zapisz go jako UTF-8",
                                                    file=label)]) from None
