"""Problems found in an export: what every stage reports, in one shape.

A problem never carries a cell's value, only where it is (file, table, rows,
column) and which rule it breaks, so that no personal data can leak into a
terminal, a log or a report.

Every code is issued once, with its meaning, by the module that checks it
(`MISSING_TABLE = issue("STR-001", ...)` beside the check), and never moves:
codes are stored in `raw.findings` and `raw.loads` and printed in old quality
reports. `pipeline/checks/rules/issued_codes.tsv` lists every code ever issued;
a test fails if one disappears or changes its meaning.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["critical", "warning"]
MAX_ROWS_SHOWN = 10
MAX_ITEMS_SHOWN = 10


def escape_controls(text: str) -> str:
    """A name as it may be printed: control, format and line-separator characters escaped as \\xNN or \\uNNNN,
    so that a name cannot fake output lines or break a document."""
    out = []
    for ch in text:
        if ch != " " and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def cut_list(items: Sequence[object], shown: int = MAX_ITEMS_SHOWN) -> str:
    """Items joined with commas, at most `shown` of them, then "i N więcej"."""
    text = ", ".join(str(i) for i in items[:shown])
    return f"{text} i {len(items) - shown} więcej" if len(items) > shown else text


@dataclass
class Problem:
    """One broken rule in one place; `rows` are spreadsheet-style row numbers (header = 1)."""

    code: str
    message: str
    severity: Severity = "critical"
    file: str | None = None
    table: str | None = None
    column: str | None = None
    rows: list[int] = field(default_factory=list)
    count: int = 0
    ids: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.count:
            self.count = max(len(self.rows), 1)

    def where(self) -> str:
        """Where the problem is, in words."""
        parts = []
        if self.file:
            parts.append(f"plik {escape_controls(self.file)}")
        if self.table:
            parts.append(f"tabela {escape_controls(self.table)}")
        if self.column:
            parts.append(f"kolumna {escape_controls(self.column)}")
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:MAX_ROWS_SHOWN])
            more = f" i {self.count - MAX_ROWS_SHOWN} więcej" if self.count > MAX_ROWS_SHOWN else ""
            parts.append(f"wiersz {shown}{more}" if self.count == 1 else f"wiersze {shown}{more}")
        return ", ".join(parts)

    def describe(self) -> str:
        """One line for the terminal and the load log."""
        where = self.where()
        return f"[{self.code}] {where + ': ' if where else ''}{escape_controls(self.message)}"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["rows"] = d["rows"][:MAX_ROWS_SHOWN]
        return d


@dataclass(frozen=True)
class Code:
    """A problem code and what it means (one line, Polish); `problem()` makes a Problem with it."""

    code: str
    meaning: str
    severity: Severity = "critical"

    def problem(self, message: str | None = None, **where) -> Problem:
        """A Problem with this code; `message` defaults to the code's meaning."""
        return Problem(self.code, message or self.meaning, self.severity, **where)


ISSUED: dict[str, Code] = {}  # every code defined by a module imported so far


def issue(code: str, meaning: str, severity: Severity = "critical") -> Code:
    """Define a problem code (once per code: a second definition with another meaning is a bug)."""
    made = Code(code, meaning, severity)
    if ISSUED.setdefault(code, made) != made:
        raise ValueError(f"problem code {code} defined twice with different meanings")
    return made


class ExportRejected(Exception):
    """Raised when an export cannot be read at all (the problems say why)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.describe() for p in problems))
        self.problems = problems

