"""Disclosure control for published tables: small counts hidden, and nothing hidden can be worked back.

Every cell of one output has a key; the output's linear relations (a total is the sum of its parts,
a difference column is one value minus another) are stated with it.  `protect`:

1. *primary*: a count from 1 to k-1 is hidden (shown as `<k`); a true zero stays;
2. *secondary*: while some hidden cell can be worked out exactly from the shown cells through the
   relations (its unit vector lies in the row space of the relations restricted to the hidden
   cells), one more cell of a relation that holds it is hidden (shown as `x`): the smallest
   non-zero one, then a zero, and a cell marked `keep` (published as is elsewhere) only when
   nothing else is left;
3. *dependent* cells (a rate, an FTE beside its count) are hidden when any cell they come from is.

The whole output is protected at once, so a figure that appears in two tables is hidden in both or
in neither.  What is published (the period statement) holds no table per assistant: its cells are
totals over the unit, and nothing here lays out one row per person.

Chosen over `acro` (SACRO: threshold checks on pandas crosstabs, no secondary suppression across
margins; pulls in statsmodels, rdflib, matplotlib and pins pandas <= 2.3.3) and `pytauargus`
(a 5 MB native Tau-Argus engine with HiGHS, beta, microdata and hierarchy files in): the tables here
have a few dozen cells, and the exact check above is a few lines of linear algebra.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np

DEFAULT_THRESHOLD = 5
Status = Literal["shown", "primary", "secondary", "dependent"]
SECONDARY_MARK = "x"


@dataclass(frozen=True)
class Relation:
    """`total = sum(parts)` between cells of one output (a difference a - b = d is `a = b + d`)."""

    total: str
    parts: tuple[str, ...]


@dataclass
class Protected:
    """What is shown: each cell's status, and how it reads."""

    values: dict[str, float | int | None]
    status: dict[str, Status]
    threshold: int
    keep_hidden: list[str] = field(default_factory=list)  # `keep` cells hidden to protect another (not small themselves)

    def hidden(self, key: str) -> bool:
        return self.status[key] != "shown"

    def shown(self, key: str) -> float | int | str | None:
        """The value, or `<k` for a small count, or `x` for a cell hidden to protect another."""
        s = self.status[key]
        if s == "shown":
            return self.values[key]
        return f"<{self.threshold}" if s == "primary" else SECONDARY_MARK

    def note(self) -> str:
        """The sentence every published output carries."""
        return (f"Zastosowano kontrolę ujawniania: liczby od 1 do {self.threshold - 1} pokazano jako „<{self.threshold}”, "
                f"a „{SECONDARY_MARK}” oznacza liczbę ukrytą, aby nie dało się odtworzyć innej ukrytej liczby z sum i różnic "
                "tabeli; wskaźniki i etaty liczone z ukrytej liczby też ukryto; zera pokazano.")


def _matrix(relations: Sequence[Relation], columns: Sequence[str]) -> np.ndarray:
    import numpy as np

    index = {c: j for j, c in enumerate(columns)}
    m = np.zeros((len(relations), len(columns)))
    for i, r in enumerate(relations):
        if r.total in index:
            m[i, index[r.total]] += 1
        for p in r.parts:
            if p in index:
                m[i, index[p]] -= 1
    return m


def derivable(hidden: Iterable[str], relations: Sequence[Relation]) -> list[str]:
    """The hidden cells whose value follows exactly from the shown ones through the relations."""
    import numpy as np

    cols = sorted(set(hidden))
    if not cols or not relations:
        return []
    a = _matrix(relations, cols)
    rank = np.linalg.matrix_rank(a)
    out = []
    for j, c in enumerate(cols):
        unit = np.zeros((1, len(cols)))
        unit[0, j] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            out.append(c)
    return out


def protect(values: Mapping[str, float | int | None], relations: Sequence[Relation], threshold: int = DEFAULT_THRESHOLD,
            dependents: Mapping[str, Sequence[str]] | None = None, keep: Iterable[str] = (),
            counts: Iterable[str] | None = None) -> Protected:
    """Primary and secondary suppression of one output's cells (see the module's docstring).

    `values`: every cell; `counts`: the cells the threshold applies to (default: every cell not in
    `dependents`); `dependents`: cell -> the cells it is computed from; `keep`: cells to hide last."""
    if threshold < 2:
        raise ValueError("próg musi wynosić co najmniej 2")
    dependents = dict(dependents or {})
    count_keys = set(values) - set(dependents) if counts is None else set(counts)
    for r in relations:
        for c in (r.total, *r.parts):
            if c not in values:
                raise KeyError(c)
    status: dict[str, Status] = {k: "shown" for k in values}
    for k in count_keys:
        v = values[k]
        if v is not None and 0 < v < threshold:
            status[k] = "primary"
    keep = set(keep)
    totals = {r.total for r in relations}
    while True:
        hidden = [k for k, s in status.items() if s != "shown"]
        leaks = derivable(hidden, relations)
        if not leaks:
            break
        leaked = set(leaks)
        candidates = {c for r in relations if leaked & {r.total, *r.parts} for c in (r.total, *r.parts)
                      if status[c] == "shown"}
        if not candidates:  # the leak runs through relations hidden whole: widen to every relation
            candidates = {c for r in relations for c in (r.total, *r.parts) if status[c] == "shown"}
        if not candidates:
            raise RuntimeError("nie da się ukryć tabeli tak, by nic nie wynikało z sum")
        pick = min(candidates, key=lambda c: (c in keep, c in totals, (values[c] or 0) == 0, abs(values[c] or 0), c))
        status[pick] = "secondary"
    for key, sources in dependents.items():
        if status[key] == "shown" and any(status[s] != "shown" for s in sources):
            status[key] = "dependent"
    kept_hidden = sorted(k for k in keep if status[k] == "secondary")
    return Protected(dict(values), status, threshold, kept_hidden)


def one_way(total: str, parts: Sequence[str]) -> list[Relation]:
    """A breakdown adding up to its total."""
    return [Relation(total, tuple(parts))]


def two_way(cell: Mapping[tuple[str, str], str], rows: Mapping[str, str], columns: Mapping[str, str],
            grand: str) -> list[Relation]:
    """A table with margins: each row and column adds up to its margin, and the margins to the grand total."""
    out = [Relation(rows[r], tuple(cell[(r, c)] for c in columns)) for r in rows]
    out += [Relation(columns[c], tuple(cell[(r, c)] for r in rows)) for c in columns]
    out.append(Relation(grand, tuple(rows.values())))
    out.append(Relation(grand, tuple(columns.values())))
    return out
