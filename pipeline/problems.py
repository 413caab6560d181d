"""Problems found in an export: what every stage reports, in one shape.

A problem never carries a cell's value, only where it is (file, table, rows,
column) and which rule it breaks, so that no personal data can leak into a
terminal, a log or a report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["critical", "warning"]
MAX_ROWS_SHOWN = 10


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
            parts.append(f"plik {self.file}")
        if self.table:
            parts.append(f"tabela {self.table}")
        if self.column:
            parts.append(f"kolumna {self.column}")
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:MAX_ROWS_SHOWN])
            more = f" i {self.count - MAX_ROWS_SHOWN} więcej" if self.count > MAX_ROWS_SHOWN else ""
            parts.append(f"wiersz {shown}{more}" if self.count == 1 else f"wiersze {shown}{more}")
        return ", ".join(parts)

    def describe(self) -> str:
        """One line for the terminal and the load log."""
        where = self.where()
        return f"[{self.code}] {where + ': ' if where else ''}{self.message}"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["rows"] = d["rows"][:MAX_ROWS_SHOWN]
        return d


class ExportRejected(Exception):
    """Raised when an export cannot be read at all (the problems say why)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.describe() for p in problems))
        self.problems = problems

