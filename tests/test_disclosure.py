"""Disclosure control: hand-worked tables, and properties: nothing hidden follows from what is shown and what a reader
knows of it (a `<k` cell is 1 .. k-1, a count is >= 0), checked by this file's own solvers."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.indicators.disclosure import Relation, disclosed, one_way, protect, two_way


def test_one_way_table_hides_the_small_count_and_the_next_smallest():
    values = {"total": 20, "a": 3, "b": 9, "c": 8, "d": 0}
    p = protect(values, one_way("total", ["a", "b", "c", "d"]))
    assert [p.shown(k) for k in values] == [20, "<5", 9, "x", 0]   # 20 - 9 - 0 = a + c: two unknowns
    assert p.status["a"] == "primary" and p.status["c"] == "secondary"
    assert "od 1 do 4" in p.note() and "<5" in p.note()


def test_primary_suppression_alone_would_leak():
    values = {"total": 10, "a": 4, "b": 6}
    only_primary = {"total": "shown", "a": "primary", "b": "shown"}
    assert disclosed(values, one_way("total", ["a", "b"]), only_primary, 5) == ["a"]   # 10 - 6 = 4
    p = protect(values, one_way("total", ["a", "b"]))
    assert p.shown("a") == "<5" and p.shown("b") == "x" and p.shown("total") == 10


def test_two_way_table_with_margins_hides_a_rectangle_of_inner_cells():
    # rows r1 = 2 + 10 = 12, r2 = 7 + 6 = 13; columns c1 = 9, c2 = 16; grand 25
    v = {"11": 2, "12": 10, "21": 7, "22": 6, "r1": 12, "r2": 13, "c1": 9, "c2": 16, "all": 25}
    cells = {("r1", "c1"): "11", ("r1", "c2"): "12", ("r2", "c1"): "21", ("r2", "c2"): "22"}
    relations = two_way(cells, {"r1": "r1", "r2": "r2"}, {"c1": "c1", "c2": "c2"}, "all")
    p = protect(v, relations)
    hidden = sorted(k for k in v if p.hidden(k))
    assert hidden == ["11", "12", "21", "22"]        # margins shown; x11 + x12 = 12, x11 + x21 = 9, ...: one free unknown
    assert p.shown("11") == "<5" and p.shown("22") == "x" and lp_disclosed(v, relations, p) == set()


def test_a_breakdown_whose_total_is_published_keeps_the_total():
    # families_supported 68 is a headline figure; the court breakdown 3 + 65; the court cell is also a figure of its own
    v = {"families_supported": 68, "court:yes": 3, "court:no": 65, "families_court_obliged": 3}
    relations = [*one_way("families_supported", ["court:yes", "court:no"]), Relation("families_court_obliged", ("court:yes",))]
    p = protect(v, relations, keep={"families_supported", "families_court_obliged"})
    assert p.shown("families_supported") == 68
    assert p.shown("court:yes") == "<5" and p.shown("families_court_obliged") == "<5" and p.shown("court:no") == "x"
    assert p.keep_hidden == []


def test_a_difference_column_is_a_relation_too():
    # 2023: 12, 2024: 3, change -9: 2024 = 12 + (-9) would give 2024 back
    v = {"y2023": 12, "y2024": 3, "change": -9}
    p = protect(v, [Relation("y2024", ("y2023", "change"))], signed={"change"})
    assert p.shown("y2024") == "<5" and p.shown("change") == "x" and p.shown("y2023") == 12


def test_rates_and_fte_are_hidden_with_what_they_come_from():
    v = {"closed": 12, "goals": 4, "rate": 4 / 12, "assistants": 3, "fte": 2.5}
    p = protect(v, [], dependents={"rate": ("goals", "closed"), "fte": ("assistants",)})
    assert p.shown("rate") == "x" and p.status["rate"] == "dependent" and p.shown("fte") == "x"
    assert p.shown("closed") == 12


def test_true_zeros_stay_and_the_threshold_is_a_parameter():
    v = {"t": 7, "a": 0, "b": 7, "c": 0}
    assert [protect(v, one_way("t", ["a", "b", "c"])).shown(k) for k in v] == [7, 0, 7, 0]
    p = protect(v, one_way("t", ["a", "b", "c"]), threshold=10)
    assert p.shown("b") == "<10" and p.shown("t") == "<10" and p.shown("a") == 0
    with pytest.raises(ValueError):
        protect(v, [], threshold=2)      # "<2" with zeros shown would mean 1


def lp_disclosed(values: dict, relations: list[Relation], p, unknowns: frozenset = frozenset()) -> set[str]:
    """This file's own check: a continuous LP (scipy.optimize.linprog, not the module's integer programs) over the
    hidden cells and the unknowns with the reader's bounds; a cell is disclosed when no two integers fit in its range.
    Exact for one-way and two-way tables with margins, whose vertices are integer; weaker elsewhere."""
    import numpy as np
    from scipy.optimize import linprog

    hidden = sorted(c for c in values if p.hidden(c)) + sorted(unknowns)
    if not hidden:
        return set()
    eq, ub = ([], []), ([], [])
    for r in relations:
        row, rhs = [0.0] * len(hidden), 0.0
        for coef, cell in [(1, r.total)] + [(-w, q) for q, w in zip(r.parts, r.weights or (1,) * len(r.parts), strict=True)]:
            if cell in hidden:
                row[hidden.index(cell)] += coef
            else:
                rhs -= coef * values[cell]
        if any(row):
            target = ub if r.at_most else eq
            target[0].append(row)
            target[1].append(rhs)
    bounds = [(1, p.threshold - 1) if c in p.status and p.status[c] == "primary" else (0, None) for c in hidden]
    out = set()
    for j, c in enumerate(hidden[:len(hidden) - len(unknowns)]):
        ends = []
        for sign in (1, -1):
            cost = np.zeros(len(hidden))
            cost[j] = sign
            res = linprog(cost, A_eq=np.array(eq[0]) if eq[0] else None, b_eq=eq[1] or None,
                          A_ub=np.array(ub[0]) if ub[0] else None, b_ub=ub[1] or None, bounds=bounds)
            ends.append(math.inf * -sign if res.status == 3 else res.x[j])
        if math.isfinite(ends[0]) and math.isfinite(ends[1]) and math.floor(ends[1] + 1e-7) <= math.ceil(ends[0] - 1e-7):
            out.add(c)
    return out


def _enumerated(values: dict, relations: list[Relation], p, cap: int, unknowns: dict | None = None) -> dict[str, set]:
    """Every integer value each hidden cell can take, by trying every assignment in 0..cap (a `<k` cell in 1..k-1);
    `unknowns`: name -> a function of the assignment giving its value (None: not a possible assignment)."""
    hidden = sorted(c for c in values if p.hidden(c))
    domains = [range(1, p.threshold) if p.status[c] == "primary" else range(cap + 1) for c in hidden]
    seen: dict[str, set] = {c: set() for c in hidden}
    for combo in itertools.product(*domains):
        cell = dict(values) | dict(zip(hidden, combo, strict=True))
        for name, rule in (unknowns or {}).items():
            cell[name] = rule(cell)
        if any(v is None for v in cell.values()):
            continue
        if all((cell[r.total] <= s) if r.at_most else (cell[r.total] == s) for r in relations
               for s in [sum(w * cell[q] for q, w in zip(r.parts, r.weights or (1,) * len(r.parts), strict=True))]):
            for c, v in zip(hidden, combo, strict=True):
                seen[c].add(v)
    return seen


@pytest.mark.parametrize(("values", "forced"), [
    ({"T": 18, "a": 4, "b": 4, "c": 10}, 4),     # a + b = 8, each at most 4
    ({"T": 12, "a": 1, "b": 1, "c": 10}, 1),     # a + b = 2, each at least 1
])
def test_the_bounds_of_a_small_count_are_known_to_the_reader(values, forced):
    relations = one_way("T", ["a", "b", "c"])
    primary_only = {"T": "shown", "a": "primary", "b": "primary", "c": "shown"}
    assert disclosed(values, relations, primary_only, 5) == ["a", "b"]         # equations alone would not see it
    p = protect(values, relations)
    assert [p.shown(k) for k in values] == [values["T"], "<5", "<5", "x"]
    assert lp_disclosed(values, relations, p) == set()
    seen = _enumerated(values, relations, p, cap=values["T"])
    assert all(len(v) > 1 for v in seen.values()) and forced in seen["a"]


def test_the_children_total_beside_the_breakdown_by_children():
    # 13 families: 0 without a minor, 6 with one, 5 with two, 2 with three, 0 with four or more; 22 children.
    # With "2 children" hidden only by the families' sum: n2 + n3 = 7 and 2 n2 + 3 n3 = 16 give n3 = 2.
    v = {"S": 13, "C": 22, "n0": 0, "n1": 6, "n2": 5, "n3": 2, "n4": 0}
    relations = [Relation("S", ("n0", "n1", "n2", "n3", "n4")),
                 Relation("C", ("n1", "n2", "n3", "n4", "e"), (1, 2, 3, 4, 1)),   # e: children beyond 4 in the 4+ families
                 Relation("e", ("n4",), (100,), at_most=True)]                   # none of them when there is no such family
    two_hidden = {k: "shown" for k in v} | {"n2": "secondary", "n3": "primary"}
    assert disclosed(v, relations, two_hidden, 5, unknowns={"e"}) == ["n2", "n3"]
    assert disclosed(v, relations[:1], two_hidden, 5) == []                  # the families' sum alone sees nothing
    p = protect(v, relations, keep={"S", "C"}, unknowns={"e"})
    assert p.shown("n3") == "<5" and p.shown("S") == 13 and p.shown("C") == 22
    assert sorted(k for k in v if p.hidden(k)) == ["n1", "n2", "n3"]
    seen = _enumerated(v, relations[:2], p, cap=13,
                       unknowns={"e": lambda c: None if c["C"] - c["n1"] - 2 * c["n2"] - 3 * c["n3"] - 4 * c["n4"] < 0
                                 or (c["n4"] == 0 and c["C"] != c["n1"] + 2 * c["n2"] + 3 * c["n3"])
                                 else c["C"] - c["n1"] - 2 * c["n2"] - 3 * c["n3"] - 4 * c["n4"]})
    assert seen["n3"] == {1, 2, 3, 4} and seen["n2"] == {7, 5, 3, 1}


@st.composite
def children_tables(draw):
    n = [draw(st.integers(0, 5)) for _ in range(5)]
    extra = draw(st.integers(0, 3)) if n[4] else 0
    v = {"S": sum(n), "C": n[1] + 2 * n[2] + 3 * n[3] + 4 * n[4] + extra} | {f"n{i}": x for i, x in enumerate(n)}
    return v


@settings(max_examples=60, deadline=None)
@given(children_tables(), st.integers(3, 5))
def test_no_bucket_of_families_by_children_follows_from_the_children_total(v, k):
    relations = [Relation("S", ("n0", "n1", "n2", "n3", "n4")),
                 Relation("C", ("n1", "n2", "n3", "n4", "e"), (1, 2, 3, 4, 1)), Relation("e", ("n4",), (100,), at_most=True)]
    p = protect(v, relations, threshold=k, unknowns={"e"})

    def rest(c):
        e = c["C"] - c["n1"] - 2 * c["n2"] - 3 * c["n3"] - 4 * c["n4"]
        return None if e < 0 or (c["n4"] == 0 and e) else e

    hidden = [c for c in v if p.hidden(c)]
    if len(hidden) > 4:
        return
    seen = _enumerated(v, relations[:2], p, cap=max(v["S"], v["C"]) + 2, unknowns={"e": rest})
    assert all(len(s) > 1 for s in seen.values()), (v, p.status)


def test_small_counts_that_pin_each_other_are_shown_as_x():
    # 2 = a + b with a, b, and the total all below 3: "<3" everywhere would still say a = b = 1
    p = protect({"t": 2, "a": 1, "b": 1}, one_way("t", ["a", "b"]), threshold=3)
    assert [p.shown(k) for k in ("t", "a", "b")] == ["x", "<3", "<3"]


@st.composite
def tables(draw):
    cell = st.integers(0, 14)
    if draw(st.booleans()):
        parts = draw(st.lists(cell, min_size=1, max_size=6))
        values = {f"p{i}": v for i, v in enumerate(parts)} | {"total": sum(parts)}
        return values, one_way("total", [f"p{i}" for i in range(len(parts))])
    n_rows, n_cols = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    grid = {(r, c): draw(cell) for r in range(n_rows) for c in range(n_cols)}
    values = {f"x{r}{c}": v for (r, c), v in grid.items()}
    values |= {f"r{r}": sum(grid[(r, c)] for c in range(n_cols)) for r in range(n_rows)}
    values |= {f"c{c}": sum(grid[(r, c)] for r in range(n_rows)) for c in range(n_cols)}
    values["all"] = sum(grid.values())
    relations = two_way({(f"r{r}", f"c{c}"): f"x{r}{c}" for r in range(n_rows) for c in range(n_cols)},
                        {f"r{r}": f"r{r}" for r in range(n_rows)}, {f"c{c}": f"c{c}" for c in range(n_cols)}, "all")
    return values, relations


@settings(max_examples=150, deadline=None)
@given(tables(), st.integers(3, 6))
def test_no_hidden_value_follows_from_what_is_shown(table, k):
    values, relations = table
    p = protect(values, relations, threshold=k)
    assert lp_disclosed(values, relations, p) == set()
    for c, v in values.items():
        if 0 < v < k:
            assert p.shown(c) in (f"<{k}", "x")
        elif not p.hidden(c):
            assert p.shown(c) == v
        else:
            assert p.status[c] == "secondary" and p.shown(c) == "x"


def test_the_independent_checks_can_fail():
    # primary suppression alone, and the reviewer's 18 = <5 + <5 + 10: both checks find the leak
    class Shown:
        def __init__(self, status, threshold=5):
            self.status, self.threshold = status, threshold

        def hidden(self, c):
            return self.status[c] != "shown"

    v = {"T": 18, "a": 4, "b": 4, "c": 10}
    leaky = Shown({"T": "shown", "a": "primary", "b": "primary", "c": "shown"})
    assert lp_disclosed(v, one_way("T", ["a", "b", "c"]), leaky) == {"a", "b"}
    assert _enumerated(v, one_way("T", ["a", "b", "c"]), leaky, cap=18) == {"a": {4}, "b": {4}}
    assert lp_disclosed({"t": 10, "a": 4, "b": 6}, one_way("t", ["a", "b"]),
                         Shown({"t": "shown", "a": "primary", "b": "shown"})) == {"a"}


def test_ranges_are_the_least_and_greatest_integers():
    from pipeline.indicators.disclosure import ranges

    v = {"T": 18, "a": 4, "b": 4, "c": 10}
    relations = one_way("T", ["a", "b", "c"])
    assert ranges(v, relations, {"a": (1, 4), "b": (1, 4)}) == {"a": (4, 4), "b": (4, 4)}
    assert ranges(v, relations, {"a": (1, 4), "c": (0, None)}) == {"a": (1, 4), "c": (10, 13)}
    assert ranges(v, relations, {"a": (1, 4), "c": (0, None), "T": (0, None)}) == {
        "a": (1, 4), "c": (0, math.inf), "T": (5, math.inf)}
    # 2 n2 + 3 n3 = 16 with n2 + n3 = 7: integers only, n3 = 2
    w = {"S": 7, "C": 16, "n2": 5, "n3": 2}
    rel = [Relation("S", ("n2", "n3")), Relation("C", ("n2", "n3"), (2, 3))]
    assert ranges(w, rel, {"n2": (0, None), "n3": (1, 4)}) == {"n2": (5, 5), "n3": (2, 2)}
    with pytest.raises(ValueError):
        ranges(v | {"T": 30}, relations, {"a": (1, 4), "b": (1, 4)})        # 30 = a + b + 10 has no answer in bounds


def test_inequalities_a_reader_knows_count_too():
    # families closed, by reason (a family may have two): each reason <= closed, and closed <= the sum of the reasons.
    # Closed 5, reasons 4 and 2, both "<5": 5 <= a + b leaves (1, 4), (2, 3), ... open; closed 8: a + b >= 8, so 4 and 4.
    relations = [Relation("closed", ("r1", "r2"), at_most=True), Relation("r1", ("closed",), at_most=True),
                 Relation("r2", ("closed",), at_most=True)]
    five = protect({"closed": 5, "r1": 4, "r2": 2}, relations)
    assert [five.shown(k) for k in ("closed", "r1", "r2")] == [5, "<5", "<5"]
    p = protect({"closed": 8, "r1": 4, "r2": 4}, relations)
    assert disclosed({"closed": 8, "r1": 4, "r2": 4}, relations, {"closed": "shown", "r1": "primary", "r2": "primary"},
                     5) == ["r1", "r2"]
    assert p.shown("closed") == "x" and p.shown("r1") == "<5" and p.shown("r2") == "<5"


def test_a_stock_and_a_flow_of_one_statement_pin_a_small_count():
    # every family supported is still supported on the last day or closed in the period: 58 <= 54 + closed gives 4
    from pipeline.outputs.publication.statement import _flow_stock_relations

    v = {"families_supported": 58, "families_at_end": 54, "families_closed": 4, "episodes_closed": 6,
         "children_at_end": 90, "children_in_supported_families": 97, "families_with_children_in_foster_care": 6,
         "families_with_children_returned_home": 0, "children_returned_home": 0}
    relations = _flow_stock_relations(v)
    assert Relation("families_supported", ("families_at_end", "families_closed"), at_most=True) in relations
    leaky = {k: "shown" for k in v} | {"families_closed": "primary"}
    assert disclosed(v, relations, leaky, 5) == ["families_closed"]               # closed >= 58 - 54 = 4, and < 5
    assert _enumerated(v, relations, Shown(leaky), cap=60)["families_closed"] == {4}
    assert disclosed(v, [r for r in relations if r.parts != ("families_at_end", "families_closed")], leaky, 5) == []
    p = protect(v, relations, keep={"families_supported"})
    assert p.shown("families_closed") == "<5" and p.shown("families_at_end") == "x" and p.shown("families_supported") == 58
    seen = _enumerated(v, relations, p, cap=60)
    assert all(len(s) > 1 for s in seen.values()) and seen["families_closed"] == {1, 2, 3, 4}


def test_the_flow_stock_relations_are_what_the_definitions_make_true():
    # a family closed on the last day is at the end and closed: 58 supported, 54 at the end, 5 closed (58 <= 59); a family
    # that starts and closes in the period is supported and closed: 56 = 54 + 2.  No equality is stated either way.
    from pipeline.outputs.publication.statement import _flow_stock_relations

    v = {"families_supported": 58, "families_at_end": 54, "families_closed": 5, "episodes_closed": 5,
         "children_at_end": 90, "children_in_supported_families": 97, "families_with_children_in_foster_care": 6,
         "families_with_children_returned_home": 0, "children_returned_home": 0}
    for w in (v, v | {"families_supported": 56, "families_closed": 2, "episodes_closed": 2}):
        relations = _flow_stock_relations(w)
        assert all(r.at_most for r in relations)
        assert {(r.total, r.parts) for r in relations} == {
            ("families_supported", ("families_at_end", "families_closed")), ("families_at_end", ("families_supported",)),
            ("families_closed", ("families_supported",)), ("children_at_end", ("children_in_supported_families",)),
            ("families_closed", ("episodes_closed",)), ("families_with_children_in_foster_care", ("families_supported",)),
            ("families_with_children_returned_home", ("children_returned_home",)),
            ("families_with_children_returned_home", ("families_with_children_in_foster_care",))}


class Shown:
    """A status table as `protect` returns it, for the checks below (a leaky one, written by hand)."""

    def __init__(self, status, threshold=5):
        self.status, self.threshold = status, threshold

    def hidden(self, c):
        return self.status[c] != "shown"


def _reader_sees(published: dict[str, tuple[int, str]], relations: list[tuple], unknown: list[str], cap: int,
                 k: int = 5) -> dict[str, set]:
    """This file's own reading of several published statements at once: every assignment of the hidden cells (`<k`:
    1..k-1, `x`: 0..cap) and of the figures of statements not published (0..cap) that satisfies what a reader knows
    (`(total, parts)`: total = sum of parts; `(total, parts, "<=")`: total <= sum of parts), and the values each hidden
    cell and unknown takes in them."""
    hidden = sorted(c for c, (_, s) in published.items() if s != "shown") + sorted(unknown)
    domains = [range(1, k) if c in published and published[c][1] == "primary" else range(cap + 1) for c in hidden]
    seen: dict[str, set] = {c: set() for c in hidden}
    for combo in itertools.product(*domains):
        cell = {c: v for c, (v, _) in published.items()} | dict(zip(hidden, combo, strict=True))
        if all(cell[r[0]] <= sum(cell[q] for q in r[1]) if r[2:] == ("<=",) else cell[r[0]] == sum(cell[q] for q in r[1])
               for r in relations):
            for c, v in zip(hidden, combo, strict=True):
                seen[c].add(v)
    return seen


def test_a_quarter_published_after_its_half_year_cannot_be_subtracted_from_it():
    # H1 9, Q2 5, Q1 4, as episodes closed (each in the quarter it ends in: H1 = Q1 + Q2) and as families closed (a
    # family may close in both quarters: Q1 <= H1, Q2 <= H1, H1 <= Q1 + Q2)
    import duckdb

    from pipeline.indicators.periods import parse_period
    from pipeline.outputs.publication.nest import PublicationRefused, protect_in_nest, record
    from pipeline.warehouse.schema import ddl

    closed = {"2024-H1": 9, "2024-Q1": 4, "2024-Q2": 5, "2024": 15, "2024-H2": 6, "2024-Q3": 6, "2024-Q4": 0}

    class Stmt:
        def __init__(self, period, unit=None):
            self.period, self.unit = period, unit
            n = closed[period.name]
            self.values = {"episodes_closed": n, "families_closed": n, "advice_sessions": 40}
            self.relations, self.counts = [], {"episodes_closed", "families_closed"}
            self.dependents, self.keep = {}, set()

    con = duckdb.connect(":memory:")
    for s in ddl():
        con.execute(s)

    def publish(name):
        st = Stmt(parse_period(name))
        status = protect_in_nest(con, st, 5, Stmt, ["U"])
        record(con, "*", st.period, 5, st.values, status)
        return status

    assert publish("2024-H1") == {"episodes_closed": "shown", "families_closed": "shown", "advice_sessions": "shown"}
    q2 = Stmt(parse_period("2024-Q2"))
    assert protect(q2.values, [], counts=q2.counts).shown("episodes_closed") == 5     # protected alone: shown
    sums = [("H1", ("Q1", "Q2"))]
    union = [("H1", ("Q1", "Q2"), "<="), ("Q1", ("H1",), "<="), ("Q2", ("H1",), "<=")]
    assert _reader_sees({"H1": (9, "shown"), "Q2": (5, "shown")}, sums, ["Q1"], 12)["Q1"] == {4}     # the subtraction
    second = publish("2024-Q2")
    assert second == {"episodes_closed": "secondary", "families_closed": "shown", "advice_sessions": "shown"}
    assert len(_reader_sees({"H1": (9, "shown"), "Q2": (5, "secondary")}, sums, ["Q1"], 12)["Q1"]) > 1
    assert _reader_sees({"H1": (9, "shown"), "Q2": (5, "shown")}, union, ["Q1"], 12)["Q1"] == set(range(4, 10))
    # then Q1: its 4 episodes are "<5" (Q1 1..4 and Q2 5..8 with H1 9); its 4 families would be pinned by H1 <= Q1 + 5
    # as "<5", so they are "x" (4..9)
    third = publish("2024-Q1")
    assert third == {"episodes_closed": "primary", "families_closed": "secondary", "advice_sessions": "shown"}
    assert _reader_sees({"H1": (9, "shown"), "Q2": (5, "secondary"), "Q1": (4, "primary")}, sums, [], 12) == {
        "Q1": {1, 2, 3, 4}, "Q2": {5, 6, 7, 8}}
    assert _reader_sees({"H1": (9, "shown"), "Q2": (5, "shown"), "Q1": (4, "primary")}, union, [], 12) == {"Q1": {4}}
    assert _reader_sees({"H1": (9, "shown"), "Q2": (5, "shown"), "Q1": (4, "secondary")}, union, [], 12) == {
        "Q1": set(range(4, 10))}
    # publishing Q1 again with the same figures gives the same statement
    assert protect_in_nest(con, Stmt(parse_period("2024-Q1")), 5, Stmt, ["U"]) == third
    # a range of days is refused, and another threshold in the same year too
    with pytest.raises(PublicationRefused, match="PUB-001"):
        protect_in_nest(con, type("S", (), {"period": parse_period("2024-05-01..2024-06-30"), "unit": None})(), 5, Stmt,
                        ["U"])
    with pytest.raises(PublicationRefused, match="PUB-002"):
        protect_in_nest(con, Stmt(parse_period("2024-Q3")), 3, Stmt, ["U"])


def test_a_unit_beside_the_total_of_all_units_is_protected_with_it():
    # total of two units: closed 9 (published); unit A 5: 9 - 5 = 4 would give unit B's small count
    import duckdb

    from pipeline.indicators.periods import parse_period
    from pipeline.outputs.publication.nest import protect_in_nest, record
    from pipeline.warehouse.schema import ddl

    closed = {None: 9, "A": 5, "B": 4}

    class Stmt:
        def __init__(self, period, unit=None):
            self.period, self.unit = period, unit
            self.values = {"families_closed": closed[unit]}
            self.relations, self.counts, self.dependents, self.keep = [], {"families_closed"}, {}, set()
        # families are counted within a unit (the unit is part of the id): the total is the sum of the units

    con = duckdb.connect(":memory:")
    for s in ddl():
        con.execute(s)
    total = Stmt(parse_period("2024-H1"))
    status = protect_in_nest(con, total, 5, Stmt, ["A", "B"])
    assert status["families_closed"] == "shown"
    record(con, "*", total.period, 5, total.values, status)
    a = protect_in_nest(con, Stmt(parse_period("2024-H1"), "A"), 5, Stmt, ["A", "B"])
    assert a["families_closed"] == "secondary"
    seen = _reader_sees({"T": (9, "shown"), "A": (5, "secondary")}, [("T", ("A", "B"))], ["B"], 12)
    assert len(seen["B"]) > 1 and 4 in seen["B"]
    assert _reader_sees({"T": (9, "shown"), "A": (5, "shown")}, [("T", ("A", "B"))], ["B"], 12)["B"] == {4}   # can fail


def test_a_cell_the_published_ones_already_give_is_shown_and_a_small_one_refused():
    # H1 12 and Q1 7 published: Q2 = 5 follows whatever is hidden, so hiding it hides nothing; Q2 = 4 would be a leak
    # that only the published cells could have stopped
    from pipeline.indicators.disclosure import Unprotectable

    relations = [Relation("H1", ("Q1", "Q2"))]
    fixed = {"H1": "shown", "Q1": "shown"}
    p = protect({"H1": 12, "Q1": 7, "Q2": 5}, relations, fixed=fixed)
    assert p.shown("Q2") == 5
    with pytest.raises(Unprotectable):
        protect({"H1": 11, "Q1": 7, "Q2": 4}, relations, fixed=fixed)
    # a watched unknown (a small count of a statement not published) that the shown cells would pin is protected like
    # a hidden cell; one not watched (the caller watches the small ones) may follow
    q = protect({"H1": 12, "Q1": 7}, [Relation("H1", ("Q1", "Q2"))], unknowns={"Q2"})
    assert q.shown("H1") == 12 and q.shown("Q1") == 7       # Q2 = 5 follows, but it is not small: nothing to hide
    r = protect({"H1": 11, "Q1": 7}, [Relation("H1", ("Q1", "Q2"))], unknowns={"Q2"}, watch={"Q2"})
    assert r.shown("Q1") == "x"                                # Q2 = 4 would follow: Q1 hidden (H1, a total, kept)
