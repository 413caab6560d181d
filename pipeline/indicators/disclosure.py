"""Disclosure control for published tables: small counts hidden, and nothing hidden can be worked back.

Every cell of one output has a key; the output's linear relations (a total is the sum of its parts,
possibly weighted; a difference column is one value minus another) are stated with it.  `protect`:

1. *primary*: a count from 1 to k-1 is hidden (shown as `<k`); a true zero stays;
2. *secondary*: while some hidden cell is *disclosed*, one more cell of a relation that holds it is
   hidden (shown as `x`): the smallest non-zero one, then a zero, and a cell marked `keep`
   (published as is elsewhere) only when nothing else is left; when every cell is hidden and small
   counts still pin each other (2 = <3 + <3), a `<k` cell, a total first, is shown as `x` instead;
3. *dependent* cells (a rate, an FTE beside its count) are hidden when any cell they come from is.

A hidden cell is disclosed when the integers it can take, given the shown cells, the relations and
what a reader knows of every cell, are a single value.  A reader knows that a `<k` cell lies in
1 .. k-1, that every count (an `x` cell, an unpublished unknown such as the children of the
families with four and more) is at least 0, and so that a part is at most its shown total.  Each
hidden cell's least and greatest value are found by integer programming (`scipy.optimize.milp`,
HiGHS): a cell whose least and greatest value are equal is disclosed.  (The equations alone are not
enough: 18 = a + b + 10 with a and b shown as `<5` gives a = b = 4.)

The whole output is protected at once, so a figure that appears in two tables is hidden in both or
in neither.  Several outputs that a reader can set side by side (the statements of one unit for a year,
its halves and quarters, and of the units beside their total) are protected as one output: their
cells and the relations between them in one problem, where the cells already published are `fixed`
(their status cannot change: secondary suppression picks only among the new cells).  A relation is
stated only when the values satisfy it (`holds`): stating one a reader cannot know only hides more,
and one the values break cannot be known.  What is published (the period statement) holds no table per assistant: its cells are
totals over the unit, and nothing here lays out one row per person.

Chosen over `acro` (SACRO: threshold checks on pandas crosstabs, no secondary suppression across
margins; pulls in statsmodels, rdflib, matplotlib and pins pandas <= 2.3.3) and `pytauargus`
(a 5 MB native Tau-Argus engine with HiGHS, beta, microdata and hierarchy files in): the tables here
have a few dozen cells, and the exact check above is a few integer programs over scipy's HiGHS,
already a dependency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

DEFAULT_THRESHOLD = 5
Status = Literal["shown", "primary", "secondary", "dependent"]
SECONDARY_MARK = "x"


class Unprotectable(ValueError):
    """No choice of the new cells hides what the fixed (already published) cells would give away."""


@dataclass(frozen=True)
class Relation:
    """`total = sum(weight * part)` between cells of one output (weights 1 unless given; a difference
    a - b = d is `a = b + d`), or `total <= ...` with `at_most`.  A cell may be an unknown that is never
    shown (see `protect`)."""

    total: str
    parts: tuple[str, ...]
    weights: tuple[int, ...] | None = None
    at_most: bool = False  # `total <= sum(weight * part)` instead of `=`

    def terms(self) -> list[tuple[str, int]]:
        """(cell, coefficient) with the relation read as `total - sum(weight * part) = 0`."""
        weights = self.weights or (1,) * len(self.parts)
        if len(weights) != len(self.parts):
            raise ValueError("tyle wag, ile składników")
        return [(self.total, 1)] + [(p, -w) for p, w in zip(self.parts, weights, strict=True)]


def holds(relation: Relation, values: Mapping[str, float | int | None]) -> bool:
    """Whether the values satisfy the relation (every cell of it known)."""
    if any(values.get(c) is None for c, _ in relation.terms()):
        return False
    left = sum(coef * float(values[c] or 0) for c, coef in relation.terms())  # total - sum(weight * part)
    return left <= 1e-9 if relation.at_most else abs(left) <= 1e-9


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
                f"a „{SECONDARY_MARK}” oznacza liczbę ukrytą, aby żadnej ukrytej liczby nie dało się odtworzyć z sum i różnic "
                f"tabeli ani z tego, że „<{self.threshold}” to od 1 do {self.threshold - 1}; wskaźniki i etaty liczone z ukrytej "
                "liczby też ukryto; zera pokazano.")


Bounds = dict[str, tuple[float | None, float | None]]
WITNESS_ROUNDS = 6  # solutions with random objectives tried before each cell's own least and greatest value


def _bounds(status: Mapping[str, Status], threshold: int, signed: Iterable[str], unknowns: Iterable[str]) -> Bounds:
    """What a reader knows of each hidden cell and unknown: `<k` is 1 .. k-1, a count is >= 0, a signed cell anything."""
    signed = set(signed)
    out: Bounds = {}
    for k, s in status.items():
        if s == "primary":
            out[k] = (1, threshold - 1)
        elif s != "shown":
            out[k] = (None, None) if k in signed else (0, None)
    for u in unknowns:
        out[u] = (0, None)
    return out


def ranges(values: Mapping[str, float | int | None], relations: Sequence[Relation], bounds: Bounds,
           cells: Iterable[str] | None = None, witness: bool = False) -> dict[str, tuple[float, float]]:
    """The least and greatest integer value of each hidden cell (`cells`, default every key of `bounds` in `values`)
    given the cells not in `bounds` as shown, the relations, and the bounds; +-inf where unbounded.  With `witness`,
    a cell already seen with two values in the solutions found gets those two, not its extremes (enough to tell
    one value from many, and far fewer programs)."""
    import numpy as np
    from scipy.optimize import Bounds as LpBounds
    from scipy.optimize import LinearConstraint, milp

    cols = sorted(bounds)
    index = {c: j for j, c in enumerate(cols)}
    rows, rhs, ineq = [], [], []
    for r in relations:
        row, const = np.zeros(len(cols)), 0.0
        for cell, coef in r.terms():
            if cell in index:
                row[index[cell]] += coef
            else:
                const += coef * float(values[cell] or 0)
        if row.any():
            rows.append(row)
            rhs.append(-const)
            ineq.append(r.at_most)
        elif const > 1e-9 or (abs(const) > 1e-9 and not r.at_most):
            raise ValueError(f"relacja {r.total} nie zgadza się z wartościami")
    targets = [c for c in cols if c in values] if cells is None else [c for c in cells if c in index]
    if not cols:
        return {}
    lo = np.array([-np.inf if bounds[c][0] is None else bounds[c][0] for c in cols], dtype=float)
    hi = np.array([np.inf if bounds[c][1] is None else bounds[c][1] for c in cols], dtype=float)
    lower = [-np.inf if i else b for b, i in zip(rhs, ineq, strict=True)]
    constraints = [LinearConstraint(np.array(rows), lower, rhs)] if rows else []
    linked = {j for row in rows for j in np.flatnonzero(row)}
    integer = np.ones(len(cols))
    out: dict[str, tuple[float, float]] = {}
    seen: dict[int, set[int]] = {}  # witness: the values each cell took in the solutions found so far

    def solve(cost: np.ndarray, box: tuple[np.ndarray, np.ndarray] = (lo, hi)):
        res = milp(cost, integrality=integer, bounds=LpBounds(*box), constraints=constraints)
        if res.status == 0:
            for i, x in enumerate(res.x):
                seen.setdefault(i, set()).add(round(float(x)))
        return res

    first = solve(np.zeros(len(cols)))
    if first.status != 0:
        raise ValueError("wartości nie spełniają relacji tabeli")
    if witness and len(targets) > 2:  # a few solutions pushed every way at once tell most cells apart in a few programs
        rng = np.random.default_rng(0)
        cap = 2 * max([abs(float(v or 0)) for v in values.values()] + [1.0]) + 10  # boxed: every solution is one of the
        box = (np.maximum(lo, -cap), np.minimum(hi, cap))                           # problem's, none unbounded
        linked_targets = [index[c] for c in targets if index[c] in linked]
        for _ in range(WITNESS_ROUNDS):
            open_ = [j for j in linked_targets if len(seen[j]) < 2]
            if len(open_) < 3:
                break
            cost = np.zeros(len(cols))
            cost[open_] = rng.choice([-1.0, 1.0], size=len(open_))
            solve(cost, box)
    for c in targets:
        j = index[c]
        if j not in linked:  # in no relation with anything hidden: only its bounds
            out[c] = (lo[j], hi[j])
            continue
        if witness and len(seen[j]) > 1:  # two solutions already differ here: not one value
            out[c] = (min(seen[j]), max(seen[j]))
            continue
        found = []
        for sign in (1, -1):
            cost = np.zeros(len(cols))
            cost[j] = sign
            res = solve(cost)
            # not optimal: the problem is feasible (checked above), so unbounded in this direction
            found.append(round(float(res.x[j])) if res.status == 0 else (-np.inf if sign == 1 else np.inf))
            if witness and len(seen[j]) > 1:
                break
        out[c] = (min(seen[j]), max(seen[j])) if witness and len(seen[j]) > 1 else (found[0], found[-1])
    return out


def disclosed(values: Mapping[str, float | int | None], relations: Sequence[Relation], status: Mapping[str, Status],
              threshold: int, signed: Iterable[str] = (), unknowns: Iterable[str] = (),
              cells: Iterable[str] | None = None) -> list[str]:
    """The hidden cells (of `cells`, default all) whose value is the only integer left by what is shown, the
    relations and the bounds."""
    bounds = _bounds(status, threshold, signed, unknowns)
    hidden = [k for k, s in status.items() if s != "shown" and (cells is None or k in cells)]
    hidden += [u for u in unknowns if cells is not None and u in cells and u not in status]  # unknowns asked about
    spans = ranges(values, relations, bounds, hidden, witness=True)
    return sorted(c for c, (lo, hi) in spans.items() if lo == hi)


def protect(values: Mapping[str, float | int | None], relations: Sequence[Relation], threshold: int = DEFAULT_THRESHOLD,
            dependents: Mapping[str, Sequence[str]] | None = None, keep: Iterable[str] = (),
            counts: Iterable[str] | None = None, signed: Iterable[str] = (), unknowns: Iterable[str] = (),
            fixed: Mapping[str, Status] | None = None, watch: Iterable[str] = ()) -> Protected:
    """Primary and secondary suppression of one output's cells (see the module's docstring).

    `values`: every cell; `counts`: the cells the threshold applies to (default: every cell not in
    `dependents`); `dependents`: cell -> the cells it is computed from; `keep`: cells to hide last;
    `signed`: cells that may be negative (a difference); `unknowns`: quantities in a relation that are
    never shown (counts, so >= 0); `fixed`: cells already published, with the status they were published with
    (never changed; `Unprotectable` when only changing them would stop a leak); `watch`: unknowns that must not be
    disclosed either (the small counts of a statement not published).  A new cell whose value the fixed cells already
    give (and is not small) is shown: hiding it would hide nothing."""
    if threshold < 3:
        raise ValueError("próg musi wynosić co najmniej 3 (przy progu 2 „<2” znaczy 1)")
    dependents = dict(dependents or {})
    unknowns = set(unknowns)
    count_keys = set(values) - set(dependents) if counts is None else set(counts)
    for r in relations:
        for c in (r.total, *r.parts):
            if c not in values and c not in unknowns:
                raise KeyError(c)
    fixed = dict(fixed or {})
    status: dict[str, Status] = {k: "shown" for k in values}
    for k in count_keys - set(fixed):
        v = values[k]
        if v is not None and 0 < v < threshold:
            status[k] = "primary"
    status.update({k: s for k, s in fixed.items() if k in status})
    keep = set(keep)
    totals = {r.total for r in relations}
    safe: set[str] = set()  # hiding more only widens what a reader can infer: a cell once safe stays safe
    watch = set(watch) & unknowns
    forced: set[str] = set()  # new cells the fixed ones give away whatever else is hidden: shown
    if fixed:  # what the published cells give whatever the new ones show: shown (hiding it hides nothing), or refused
        new = {k for k in status if k not in fixed}
        blind: dict[str, Status] = {k: s if k in fixed else "secondary" for k, s in status.items()}
        asked = new | watch | {k for k, s in fixed.items() if s != "shown"}
        given = set(disclosed(values, relations, blind, threshold, signed, unknowns, asked))
        if given - new or any(0 < (values[c] or 0) < threshold for c in given):
            raise Unprotectable(", ".join(sorted(given)))
        for c in given:
            status[c] = "shown"
        forced |= given
    while True:
        todo = ({k for k, s in status.items() if s != "shown"} | watch) - safe
        leaked = set(disclosed(values, relations, status, threshold, signed, unknowns, todo))
        safe |= todo - leaked
        if not leaked:
            break
        candidates = {c for r in relations if leaked & {r.total, *r.parts} for c in (r.total, *r.parts)
                      if c in status and status[c] == "shown" and c not in fixed and c not in forced}
        if not candidates and fixed:  # around the leak only published cells: its small count becomes `x` first
            candidates_small = sorted(c for c in leaked if status.get(c) == "primary" and c not in fixed)
            if candidates_small:
                status[candidates_small[0]] = "secondary"
                continue
        if not candidates:  # the leak runs through relations hidden whole: widen to every relation
            candidates = {c for r in relations for c in (r.total, *r.parts)
                          if c in status and status[c] == "shown" and c not in fixed and c not in forced}
        if candidates:
            pick = min(candidates, key=lambda c: (c in keep, c in totals, (values[c] or 0) == 0, abs(values[c] or 0), c))
        else:  # everything around is hidden and the small counts still pin each other: a `<k` becomes `x` (no bounds)
            small = [c for c in status if status[c] == "primary" and c not in fixed]
            if not small:
                given = {c for c in leaked if c in status and c not in fixed and status[c] == "secondary"
                         and not 0 < (values[c] or 0) < threshold}
                if given != leaked:  # a fixed cell, a watched unknown or a small count: only the published could help
                    raise Unprotectable(", ".join(sorted(leaked)))
                for c in given:
                    status[c] = "shown"
                forced |= given
                continue
            pick = min(small, key=lambda c: (c not in totals, c not in leaked, c))
        status[pick] = "secondary"
    if fixed:  # beside published statements the greedy choice hides more than it must: show back what can be shown
        _show_back(values, relations, status, threshold, signed, unknowns, watch, set(fixed) | forced, keep)
    for key, sources in dependents.items():
        if key in fixed:
            continue
        if status[key] == "shown" and any(status[s] != "shown" for s in sources):
            status[key] = "dependent"
    kept_hidden = sorted(k for k in keep if status[k] == "secondary")
    return Protected(dict(values), status, threshold, kept_hidden)


def _show_back(values: Mapping[str, float | int | None], relations: Sequence[Relation], status: dict[str, Status],
               threshold: int, signed: Iterable[str], unknowns: set[str], watch: set[str], frozen: set[str],
               keep: set[str]) -> None:
    """Each cell hidden to protect another (`keep` cells first, then the largest) shown again when, with it shown,
    still nothing hidden and nothing watched is disclosed."""
    for c in sorted((c for c, s in status.items() if s == "secondary" and c not in frozen
                     and not 0 < (values[c] or 0) < threshold), key=lambda c: (c not in keep, -abs(values[c] or 0), c)):
        status[c] = "shown"
        asked = {k for k, s in status.items() if s != "shown"} | watch
        if disclosed(values, relations, status, threshold, signed, unknowns, asked):
            status[c] = "secondary"


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
